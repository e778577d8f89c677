"""`make bench`: how good and how fast the product search is.

Quality: the judged set of search.judgments over the Siak demo, per engine (PostgreSQL always;
Elasticsearch when ELASTICSEARCH_URL names a cluster). Speed: search p50/p95 on PostgreSQL
over the demo plus BENCH_SEARCH_PRODUCTS generated products (marketplace.catalogue.scale;
100,000 by default, a smaller number for a quick run), for a mix of queries a buyer sends.
Figures, not pass/fail on time: they are printed for the closing notes.
"""

import os
import statistics
import time

import pytest
from django.core.management import call_command
from django.db import connection

from search.backends import ProductQuery
from search.backends.postgres import PostgresBackend
from search.judgments import evaluate_backend

pytestmark = [pytest.mark.django_db, pytest.mark.benchmark]
PRODUCTS = int(os.environ.get("BENCH_SEARCH_PRODUCTS", "100000"))
SEED = 2026
ROUNDS = 7


def _print_quality(name, evaluation):
    print(f"\nBENCH quality {name:13} {evaluation.summary()}")
    for kind in sorted({score.judgment.kind for score in evaluation.scores}):
        scores = [score for score in evaluation.scores if score.judgment.kind == kind]
        print(f"BENCH   {kind:9} {len(scores):2} queries  recall@10 {statistics.mean(s.recall for s in scores):.3f}  "
              f"precision@5 {statistics.mean(s.precision for s in scores):.3f}  "
              f"nDCG@10 {statistics.mean(s.ndcg for s in scores):.3f}")


def test_search_quality_postgresql():
    _print_quality("postgresql", evaluate_backend(PostgresBackend()))


def test_search_quality_elasticsearch(settings):
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if not url:
        print("\nBENCH quality elasticsearch not measured: ELASTICSEARCH_URL is not set (no cluster on this machine)")
        return
    try:
        from search.backends.elastic import ElasticBackend
    except ImportError as error:
        print(f"\nBENCH quality elasticsearch not measured: no Elasticsearch engine in this tree ({error})")
        return
    from search.documents import all_product_documents

    settings.ELASTICSEARCH_URL = url
    backend = ElasticBackend.configured()
    backend.rebuild(all_product_documents())
    _print_quality("elasticsearch", evaluate_backend(backend))


def _mix():
    """What buyers send: words, words with a filter, filters alone, a typo."""
    from oscar.core.loading import get_model

    categories = dict(get_model("catalogue", "Category").objects.values_list("name", "pk"))
    return {
        "text": [ProductQuery(text=text) for text in
                 ("madu", "keripik nenas", "kopi", "tenun songket", "gula aren", "bunga raya", "oleh-oleh",
                  "kripik nanas siak")],
        "text+facet": [ProductQuery(text="keripik", kecamatan_code="14.08.07"),
                       ProductQuery(text="madu", halal=True),
                       ProductQuery(text="kopi", category_id=categories["Minuman"]),
                       ProductQuery(text="ikan salai", min_price=50_000, max_price=150_000),
                       ProductQuery(text="dodol", kampung_slug="tualang", sort="price-asc")],
        "no text": [ProductQuery(), ProductQuery(category_id=categories["Makanan ringan"]),
                    ProductQuery(kampung_slug="bunga-raya"), ProductQuery(halal=True, sort="newest"),
                    ProductQuery(sort="best-selling")],
        "typo": [ProductQuery(text=text) for text in ("kerupk", "kopii", "keripk", "durain", "maduu")],
    }


@pytest.fixture(scope="module")
def catalogue_at_scale(django_db_setup, django_db_blocker):
    """The demo and PRODUCTS generated products, committed (outside the tests' transactions)
    and analysed as a running site would have them (autovacuum), removed again afterwards."""
    from search.models import ProductDocument

    with django_db_blocker.unblock():
        before = ProductDocument.objects.count()
        started = time.monotonic()
        call_command("generate_catalogue", products=PRODUCTS, seed=SEED, stdout=open(os.devnull, "w"))
        built = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_productdocument")
            cursor.execute("VACUUM ANALYZE search_searchword")
        print(f"\nBENCH generated {PRODUCTS} products and rebuilt the index in {built:.0f} s "
              f"({ProductDocument.objects.count()} documents, {before} before)")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT product_id FROM partner_stockrecord WHERE partner_sku LIKE %s",
                           [f"%-skala-{SEED}-%"])
            ids = [row[0] for row in cursor.fetchall()]
            for table, column in (("search_productdocument", "product_id"), ("partner_stockrecord", "product_id"),
                                  ("catalogue_productcategory", "product_id"), ("catalogue_product", "id")):
                cursor.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", [ids])
        call_command("search_index", rebuild=True, stdout=open(os.devnull, "w"))  # the demo's words only


def test_search_speed_postgresql(catalogue_at_scale):
    backend = PostgresBackend()
    mix = _mix()
    timings: dict[str, list[float]] = {kind: [] for kind in mix}
    slowest = []
    for query in (query for queries in mix.values() for query in queries):
        backend.search_products(query)  # warm the cache, as a running site has it
    for _ in range(ROUNDS):
        for kind, queries in mix.items():
            for query in queries:
                start = time.perf_counter()
                results = backend.search_products(query)
                elapsed = (time.perf_counter() - start) * 1000
                timings[kind].append(elapsed)
                slowest.append((elapsed, kind, query, results.total))
    every = [value for values in timings.values() for value in values]
    print(f"\nBENCH search postgresql at {PRODUCTS} generated products + demo, {ROUNDS} rounds, "
          f"page of 24 with facet counts and the products' cards")
    for kind, values in [*timings.items(), ("all", every)]:
        print(f"BENCH   {kind:10} p50 {_percentile(values, 50):6.1f} ms  p95 {_percentile(values, 95):6.1f} ms  "
              f"max {max(values):6.1f} ms  ({len(values)} searches)")
    for elapsed, kind, query, total in sorted(slowest, key=lambda row: row[0], reverse=True)[:3]:
        print(f"BENCH   slow: {elapsed:6.1f} ms {kind}: {_describe(query)} ({total} found)")


def _percentile(values, percent):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def _describe(query):
    shown = {name: value for name, value in vars(query).items() if value not in ("", None, False, "relevance")}
    return ", ".join(f"{name}={value!r}" for name, value in shown.items()) or "everything"
