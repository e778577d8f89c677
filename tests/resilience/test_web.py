"""The web side after PostgreSQL stopped: the embedded server comes back with the next
request; a production database (DATABASE_URL) is never started, /healthz says 503."""

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from marketplace import embedded_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def serve(spare):
    servers = []

    def start(env: dict) -> str:
        port = _free_port()
        env = {**env, "ALLOWED_HOSTS": "127.0.0.1"}
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "marketplace.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "2", "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=env,
        )
        servers.append(server)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)
                return url
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.1)

    yield start
    for server in servers:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        server.wait(timeout=20)


def test_a_request_after_the_embedded_database_stopped_starts_it_again(spare, serve):
    url = serve(spare.env)
    assert embedded_db.stop(spare.pgdata)
    assert not spare.is_up()

    assert get_status(f"{url}/healthz") == 200  # on the connection gunicorn had kept open
    assert spare.is_up()


def test_healthz_says_503_while_a_production_database_is_down_and_never_starts_it(spare, serve):
    url = serve(spare.external_env())
    assert embedded_db.stop(spare.pgdata)

    assert get_status(f"{url}/healthz") == 503
    assert not spare.is_up()

    embedded_db.start(spare.pgdata)
    assert get_status(f"{url}/healthz") == 200  # and it reconnects once the database is back
