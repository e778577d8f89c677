"""One Content-Security-Policy for every page, relaxed only under Wagtail's admin.

The policy itself is in settings (`CONTENT_SECURITY_POLICY`): scripts from this site,
Stripe's Payment Element and inline blocks that carry the request's nonce; no
`'unsafe-inline'` script anywhere we write the templates (ours, Oscar's shop and
dashboard, error pages). Wagtail 8's admin still writes inline scripts that cannot
take a nonce (date and time widgets, inline panels: wagtail/wagtail#1288, #7053), so
under its prefix only, scripts may be inline; a nonce there would make browsers
ignore `'unsafe-inline'`, so that prefix's script-src carries none. Under Oscar's
dashboard, TinyMCE writes inline event handlers: there `script-src-attr` allows handlers
while script elements still need the nonce. Everything else
(object-src, base-uri, frame-ancestors, form-action) stays as strict there too.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings

WAGTAIL_ADMIN_SCRIPT_SRC = [SELF, UNSAFE_INLINE]


class PathPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if request.path_info.startswith(settings.CSP_WAGTAIL_ADMIN_PREFIX):
            parts.replace = {**(parts.replace or {}), "script-src": WAGTAIL_ADMIN_SCRIPT_SRC}
        elif request.path_info.startswith(settings.CSP_OSCAR_DASHBOARD_PREFIX):
            # TinyMCE (Oscar's description editor) writes on*= handlers into its own markup.
            parts.replace = {**(parts.replace or {}), "script-src-attr": [UNSAFE_INLINE]}
        return parts
