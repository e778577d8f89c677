"""`make bench`: how fast the busiest pages answer on this machine, and how many queries they take.

Figures, not pass/fail on time: they are printed for the closing notes and compared by eye.
"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db
PAGES = ["/", "/kampung/", "/kampung/bunga-raya/", "/kampung/bunga-raya/apbkam/", "/toko/catalogue/",
         "/toko/search/?q=madu", "/layanan/", "/berita/rss/"]
ROUNDS = 20


@pytest.mark.parametrize("url", PAGES)
def test_page_speed(client, url):
    client.get(url)  # warm caches and thumbnails
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(f"\nBENCH {url:32} median {statistics.median(timings):7.1f} ms  "
          f"p90 {sorted(timings)[int(ROUNDS * 0.9) - 1]:7.1f} ms  queries {len(queries)}")
