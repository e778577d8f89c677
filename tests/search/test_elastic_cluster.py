"""The Elasticsearch engine against a real cluster, when ELASTICSEARCH_URL names one:

    ELASTICSEARCH_URL=http://localhost:9200 .venv/bin/python -m pytest tests/search/test_elastic_cluster.py

Builds its own index under a throwaway alias and deletes it afterwards; the real
analysis (the indonesian stemmer, the synonyms, fuzziness) is what is tested here.
"""

import os
import uuid
from urllib.parse import urlsplit

import pytest
from oscar.core.loading import get_model

from search.backends import ProductQuery, get_backend
from search.backends.elastic import ElasticBackend
from search.backends.postgres import PostgresBackend
from search.indexing import rebuild

Product = get_model("catalogue", "Product")
URL = os.environ.get("ELASTICSEARCH_URL", "")
pytestmark = [
    pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL is not set: no Elasticsearch cluster to test against"),
    pytest.mark.allow_hosts(["127.0.0.1", "localhost", "::1", urlsplit(URL).hostname or "127.0.0.1"]),
    pytest.mark.django_db,
]


@pytest.fixture
def cluster(settings):
    settings.ELASTICSEARCH_URL = URL
    settings.ELASTICSEARCH_INDEX = f"test-pasar-products-{uuid.uuid4().hex[:8]}"
    rebuild()
    backend = get_backend()
    assert isinstance(backend, ElasticBackend)
    yield backend
    indices = backend.client.indices.get_alias(name=backend.alias)
    backend.client.indices.delete(index=",".join(indices))


def titles(results) -> set[str]:
    return {product.title for product in results.products}


def test_the_index_is_built_under_a_fresh_alias_in_one_switch(cluster):
    (index,) = cluster.client.indices.get_alias(name=cluster.alias)
    count = cluster.client.count(index=cluster.alias)["count"]

    assert index.startswith(f"{cluster.alias}-")
    assert count == PostgresBackend().search_products(ProductQuery(include_sold_out=True)).total


def test_spelling_variants_find_the_same_goods(cluster):
    results = cluster.search_products(ProductQuery(text="kripik nanas"))

    assert "Keripik Nenas 200 g" in titles(results)
    assert results.products[0].title == "Keripik Nenas 200 g"
    assert results.corrected == ""


def test_one_typo_is_forgiven_and_named(cluster):
    results = cluster.search_products(ProductQuery(text="kerupk"))

    assert "Kerupuk Ikan Selais 250 g" in titles(results)
    assert results.corrected == "kerupuk"


def test_nothing_found_names_a_query_to_try(cluster):
    results = cluster.search_products(ProductQuery(text="madu sialangxx"))

    assert results.total == 0
    assert results.suggestion == "madu sialang"


def test_half_typed_names_are_suggested(cluster):
    assert any(name.startswith("Keripik") for name in cluster.suggest("kerip"))


@pytest.mark.parametrize("query", [
    ProductQuery(text="madu"),
    ProductQuery(text="keripik nenas"),
    ProductQuery(text="kopi", halal=True),
    ProductQuery(text="salai", min_price=50_000, max_price=100_000),
    ProductQuery(kecamatan_code="14.08.07"),
    ProductQuery(include_sold_out=True),
], ids=["madu", "keripik-nenas", "kopi-halal", "salai-price", "kecamatan", "everything"])
def test_facets_and_totals_equal_postgresqls(cluster, query):
    es = cluster.search_products(query, limit=200)
    pg = PostgresBackend().search_products(query, limit=200)

    assert es.facets == pg.facets
    assert es.total == pg.total
    assert titles(es) == titles(pg)
