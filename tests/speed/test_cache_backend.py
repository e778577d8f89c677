"""The shared cache's table (marketplace.cache_backends): what Django's database cache does,
writing in one statement, and still bounded in size."""

import time

import pytest
from django.core.cache import caches
from django.db import connection

from marketplace import cache_backends

pytestmark = pytest.mark.django_db


def rows(table="cache_pages") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def test_it_keeps_overwrites_and_expires_like_django_s():
    cache = caches["pages"]
    cache.set("halaman", {"isi": b"<html>Rp 25.000</html>"}, 60)
    cache.set_many({"tag:goods": "a1", "tag:pages": "b2"}, timeout=None)
    cache.set("tag:goods", "a2", timeout=None)
    assert cache.get("halaman") == {"isi": b"<html>Rp 25.000</html>"}
    assert cache.get_many(["tag:goods", "tag:pages", "tidak-ada"]) == {"tag:goods": "a2", "tag:pages": "b2"}
    assert cache.add("tag:pages", "lain") is False and cache.get("tag:pages") == "b2"
    cache.set("sebentar", "x", 1)
    time.sleep(1.1)
    assert cache.get("sebentar") is None


def test_the_table_is_culled_now_and_then(monkeypatch):
    cache = caches["pages"]
    monkeypatch.setattr(cache, "_max_entries", 10)
    monkeypatch.setattr(cache_backends, "CULL_EVERY", 1)  # every write counts, as one in 500 does
    before = rows()
    cache.set_many({f"halaman-{n}": n for n in range(30)}, 600)
    cache.set("satu-lagi", 1, 600)
    assert rows() < before + 31  # without culling, all 31 would be there
