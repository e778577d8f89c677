"""The test database holds the demo of Kabupaten Siak, loaded once per run.

Every test starts from the same seeded regency (the seed is a test of the
services too) and rolls its own changes back.
"""

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command


def pytest_addoption(parser):
    parser.addoption("--benchmarks", action="store_true", help="collect tests/benchmarks (make bench)")


# make bench's small mode runs in every make test, so that the benchmark cannot rot.
ALWAYS_COLLECTED = {"test_bench_small.py"}


def pytest_ignore_collect(collection_path, config):
    if ("benchmarks" in collection_path.parts and collection_path.suffix == ".py"
            and collection_path.name not in ALWAYS_COLLECTED and not config.getoption("--benchmarks")):
        return True
    return None


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """pytest-django creates only the databases its collected tests mark; the browser
    tests use the test database through a server, unmarked, so it is always made."""
    from django.test.utils import setup_databases, teardown_databases

    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, aliases={"default"})
        call_command("load_demo", verbosity=0)
    bench = any(item.nodeid.startswith("tests/benchmarks/test_bench_small.py") for item in request.session.items)
    if bench:  # the small benchmark's copy of the demo, before any test changes it
        from tests.benchmarks.test_bench_small import snapshot

        snapshot(django_db_blocker)
    yield
    if bench:
        from tests.benchmarks.test_bench_small import snapshot_drop

        with django_db_blocker.unblock():
            snapshot_drop()
    with django_db_blocker.unblock():
        from django.db import connection

        with connection.cursor() as cursor:  # a server's or another thread's leftover sessions
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture
def siak(db):
    from shops.models import Regency

    return Regency.objects.get(code="14.08")


@pytest.fixture
def admin_client(client):
    """The demo's regency admin signed in (pytest-django's own would make another superuser)."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    return client


@pytest.fixture
def cod_allowed(db):
    """The demo's Bunga Raya (rice) and Dayun (honey) shops both take cash on delivery."""
    from shops.models import Bumkam

    Bumkam.objects.filter(kampung__code__in=("14.08.06.2001", "14.08.08.2001")).update(allows_cash_on_delivery=True)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Wagtail caches site root paths, sorl the files of thumbnails, Wagtail its renditions; a
    test's rolled-back rows must not outlive it in a process's memory."""
    from django.core.cache import caches

    yield
    for alias in ("default", "local", "renditions"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def mail_through_the_outbox(settings):
    """Django's test setup swaps EMAIL_BACKEND for locmem; put the outbox back in front of it,
    so every test's mail is a row delivered (into mail.outbox) by the task, as in production."""
    settings.EMAIL_BACKEND = "marketplace.mail.backends.OutboxBackend"
