"""A real server and a real browser: gunicorn on the test database, Debian's chromium.

The browser tests use no test transaction: what a user does through the browser is
committed by the server, as it would be in production. pytest-django runs tests
without the database marker after all others, so nothing they write leaks into a
test that expects the demo as it was seeded.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    assert db["NAME"].startswith("test_"), db["NAME"]
    return f"postgresql://{db['USER']}:{db['PASSWORD']}@/{db['NAME']}?host={db['HOST']}"


def serve(*, workers: int = 2, threads: int = 4, **environ) -> tuple[subprocess.Popen, str]:
    """gunicorn on the test database, answering; the caller terminates it."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
           "DATABASE_URL": _database_url(), "ALLOWED_HOSTS": "127.0.0.1,localhost", **environ}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "marketplace.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--log-level", "warning"],
        cwd=settings.BASE_DIR, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            return server, url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not start for the browser tests")
            time.sleep(0.3)


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker, socket_enabled_session):
    server, url = serve(RETURN_WINDOW_DAYS="0")  # statements can be made the moment an order is delivered
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="session")
def socket_enabled_session():
    """pytest-socket blocks the network; the browser tests talk to 127.0.0.1 only."""
    import pytest_socket

    pytest_socket.enable_socket()
    yield
    pytest_socket.disable_socket(allow_unix_socket=True)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (make test installs it with apt-get as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every page records what the Content-Security-Policy blocked, so that a test fails on any
# violation rather than on a button that silently stopped working.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
    window.__reportCsp(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def watch_csp(context) -> list[str]:
    """Violations seen in any page of the context: from the console, and from each page's listener."""
    seen = []
    context.expose_function("__reportCsp", lambda text: seen.append(text))
    context.add_init_script(CSP_LISTENER)

    def on_page(page):
        page.on("console", lambda message: seen.append(message.text)
                if "Content Security Policy" in message.text else None)

    context.on("page", on_page)
    context.csp_violations = seen
    return seen


def csp_violations(context) -> list[str]:
    return list(context.csp_violations)


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Every browser context a test opens (through `phone` or `browser.new_context`) is watched;
    the test fails at teardown if any page broke the Content-Security-Policy."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    contexts, new_context = [], browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        watch_csp(context)
        contexts.append(context)
        return context

    browser.new_context = watched_context
    try:
        yield
        violations = [v for context in contexts for v in csp_violations(context)]
        assert not violations, f"Content-Security-Policy violations: {violations}"
    finally:
        browser.new_context = new_context


@pytest.fixture
def phone(browser, no_csp_violations):
    """A phone-sized window, as most visitors have."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    yield context
    context.close()


@pytest.fixture
def read_db(django_db_setup, django_db_blocker):
    """Look in the database outside any test transaction, as the server's writes are committed."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    with django_db_blocker.unblock():
        yield
