"""The test client's login() calls authenticate() without a request (a test's
shortcut, like force_login); django-axes refuses that outright. Every login form
passes its request, and there axes works as in production (tests/security)."""

from axes.backends import AxesStandaloneBackend


class TestClientAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
