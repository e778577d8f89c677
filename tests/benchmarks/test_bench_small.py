"""make bench in small mode, inside make test, so that the benchmark cannot rot.

The same code end to end, on a copy of the test database and media taken at the session's
start (the Siak demo as load_demo left it): manage.py
bench_data with 1,000 products, then tests/benchmarks/load.py with gunicorn and wrk for a
second per page. Only that every page answered, with a rate above zero and no failed
response, is asserted: timings on a shared machine say nothing.
"""

import json
import os
import shutil
import subprocess
import sys
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

PAGES = ["ceiling", "portal", "village home", "catalogue", "category", "product page", "village storefront",
         "search with facets", "basket", "news page", "service page", "letter request form",
         "letter verification", "checkout (place order)"]


BENCH_VAR = settings.VAR_DIR / "test-bench"


def snapshot(django_db_blocker) -> None:
    """A copy of the test database and its media as load_demo left them, taken when the
    session starts (tests/conftest.py): later tests (the browser's) change and delete both."""
    db = connection.settings_dict
    with django_db_blocker.unblock():
        connection.close()
        with _maintenance(db) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{_name(db)}" WITH (FORCE)')
            for attempt in range(5):  # a copy needs the original to itself for a moment
                try:
                    server.execute(f'CREATE DATABASE "{_name(db)}" TEMPLATE "{db["NAME"]}"')
                    break
                except psycopg.errors.ObjectInUse:
                    if attempt == 4:
                        raise
                    time.sleep(1)
    shutil.rmtree(BENCH_VAR, ignore_errors=True)
    shutil.copytree(settings.MEDIA_ROOT, BENCH_VAR / "test-media")


def snapshot_drop() -> None:
    with _maintenance(connection.settings_dict) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{_name(connection.settings_dict)}" WITH (FORCE)')
    shutil.rmtree(BENCH_VAR, ignore_errors=True)


def _name(db) -> str:
    return f"{db['NAME']}_bench"


@pytest.fixture
def bench_database(django_db_setup):
    """The session's copy of the demo (snapshot), its URL."""
    db = connection.settings_dict
    yield f"postgresql://{db['USER']}:{db['PASSWORD']}@/{_name(db)}?host={db['HOST']}"


def _maintenance(db):
    return psycopg.connect(host=db["HOST"], port=db["PORT"] or None, user=db["USER"], password=db["PASSWORD"] or None,
                           dbname="postgres", autocommit=True)


def test_every_page_of_the_benchmark_answers_under_load(bench_database, tmp_path):
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (make test installs Debian's wrk with apt-get as root)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test", "DATABASE_URL": bench_database,
           "PASAR_VAR_DIR": str(BENCH_VAR), "SECRET_KEY": settings.SECRET_KEY}  # its own copy of the photos

    def run(*command):
        done = subprocess.run([sys.executable, *command], cwd=settings.BASE_DIR, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done.stdout

    made = run("manage.py", "bench_data", "--villages", "100", "--products", "1000", "--orders", "200")
    assert "produk baru: 1000" in made and "pesanan lama baru: 200" in made, made
    printed = run("-m", "tests.benchmarks.load", "--seconds", "1", "--warmup", "2",
                  "--json", str(tmp_path / "bench.json"), "--md", str(tmp_path / "bench.md"))

    result = json.loads((tmp_path / "bench.json").read_text())
    rows = {row["page"]: row for row in result["pages"]}
    assert list(rows) == PAGES
    for page, row in rows.items():
        assert row["status"] == (302 if page == "checkout (place order)" else 200), row
        assert row["rps"] > 0 and row["requests"] > 0, row
        assert row["failed"] == 0 and row["socket_errors"] == 0, row
        assert row["queries"] is not None and row["peak_worker_rss_mb"] > 0, row
    assert rows["ceiling"]["queries"] == 0
    assert result["meta"]["products"] >= 1000 and result["meta"]["orders"] >= 200
    table = (tmp_path / "bench.md").read_text()
    assert all(f"| {page} |" in table for page in PAGES), table
    assert "letter verification" in printed and "% ceiling" in printed
