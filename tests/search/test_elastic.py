"""The Elasticsearch engine against a fake cluster that speaks the real HTTP API to the
real client: what it creates, what it asks, how it moves the alias, and what happens
when the cluster is away (PostgreSQL answers; the journal waits)."""

import logging
import socket
import time

import pytest
from oscar.core.loading import get_model

from search.backends import ProductQuery, get_backend
from search.backends import elastic
from search.backends.elastic import ElasticBackend
from search.backends.postgres import PostgresBackend
from search.indexing import rebuild, sync_pending
from search.models import IndexChange, ProductDocument
from search.text import synonym_groups
from shops.models import Kampung

from .fake_elasticsearch import FakeElasticsearch

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db
ALIAS = "pasar-products"


@pytest.fixture(autouse=True)
def no_resting_cluster():
    elastic._resting_until.clear()
    yield
    elastic._resting_until.clear()


@pytest.fixture
def cluster(settings):
    fake = FakeElasticsearch().start()
    settings.ELASTICSEARCH_URL = fake.url
    yield fake
    fake.stop()


@pytest.fixture
def built(cluster):
    """Both engines built from the demo catalogue, the requests of the build forgotten."""
    rebuild()
    cluster.requests.clear()
    return cluster


def product(title: str):
    """The demo sells the same goods in several kampung: the one of Kerinci Kanan."""
    return Product.objects.filter(title=title, stockrecords__partner__bumkam__kampung__code="14.08.07.2001").first() \
        or Product.objects.filter(title=title).order_by("pk").first()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def searches(cluster):
    return [request.body for request in cluster.made("POST", "/_search")]


# -- the index as created


def test_the_index_is_created_with_the_indonesian_analysis_and_the_fields_search_needs(cluster):
    rebuild()

    (created,) = [r for r in cluster.requests if r.method == "PUT" and not r.path.endswith("/_bulk")]
    analysis = created.body["settings"]["analysis"]
    mappings = created.body["mappings"]["properties"]
    assert created.path.startswith(f"/{ALIAS}-")
    assert analysis["filter"]["pasar_synonyms"] == {
        "type": "synonym", "expand": False, "lenient": True,
        "synonyms": [", ".join(group) for group in synonym_groups()],
    }
    assert "keripik, kripik, kerepek, kripek, keripek" in analysis["filter"]["pasar_synonyms"]["synonyms"]
    assert analysis["filter"]["pasar_indonesian_stemmer"] == {"type": "stemmer", "language": "indonesian"}
    assert analysis["analyzer"]["pasar_stemmed"]["filter"] == [
        "lowercase", "asciifolding", "pasar_synonyms", "pasar_indonesian_stemmer"]
    assert analysis["analyzer"]["pasar_folded"]["filter"] == ["lowercase", "asciifolding", "pasar_synonyms"]
    assert analysis["analyzer"]["pasar_plain"]["filter"] == ["lowercase", "asciifolding"]
    for name in ("title", "place_and_kind", "description"):
        assert mappings[name] | {"fields": None} == {"type": "text", "analyzer": "pasar_stemmed",
                                                     "copy_to": "words", "fields": None}
    assert mappings["words"] == {"type": "text", "analyzer": "pasar_folded", "search_analyzer": "pasar_plain"}
    assert mappings["title"]["fields"]["sort"] == {"type": "keyword", "normalizer": "pasar_sortable"}
    assert mappings["title_suggest"] == {"type": "search_as_you_type", "analyzer": "pasar_plain",
                                         "max_shingle_size": 3}
    assert {name: mappings[name]["type"] for name in (
        "kecamatan_code", "kampung_slug", "category_ids", "price", "sold", "in_stock", "halal", "pirt",
        "is_flagship", "date_created")} == {
        "kecamatan_code": "keyword", "kampung_slug": "keyword", "category_ids": "integer", "price": "long",
        "sold": "long", "in_stock": "boolean", "halal": "boolean", "pirt": "boolean", "is_flagship": "boolean",
        "date_created": "date"}
    assert "compatible-with=9" in created.headers["content-type"]


def test_every_product_for_sale_is_in_the_index_under_the_alias(cluster):
    rebuild()

    (index,) = cluster.aliased(ALIAS)
    docs = cluster.docs(ALIAS)
    assert len(docs) == ProductDocument.objects.count() > 0
    keripik = docs[str(product("Keripik Nenas 200 g").pk)]
    assert keripik["title_suggest"] == keripik["title"]
    assert keripik["kecamatan_code"] == "14.08.07" and keripik["halal"] is True
    assert keripik["price"] == ProductDocument.objects.get(product_id=keripik["id"]).price
    assert "Kerinci Kanan" in keripik["place_and_kind"] and "halal" in keripik["place_and_kind"]


# -- what a search asks


def test_a_search_sends_its_text_every_filter_the_sort_and_the_facets(built):
    kampung = Kampung.objects.get(code="14.08.07.2001")
    keripik = Category.objects.get(name="Keripik")
    query = ProductQuery(text="Kripik nenaz", category_id=keripik.pk, kecamatan_code="14.08.07",
                         kampung_slug=kampung.slug, min_price=10_000, max_price=30_000, halal=True, pirt=True,
                         sort="best-selling")

    results = get_backend().search_products(query, offset=24, limit=24)

    typos, search = searches(built)
    assert typos == {"suggest": {"words": {"text": "keripik nenaz", "term": {
        "field": "words", "suggest_mode": "missing", "analyzer": "pasar_plain", "max_edits": 2,
        "min_word_length": 3, "prefix_length": 0, "string_distance": "damerau_levenshtein", "size": 5}}},
        "size": 0}
    assert search == {
        "query": {"bool": {
            "must": [{"bool": {
                "should": [
                    {"bool": {"must": [
                        {"multi_match": {"query": "keripik",
                                         "fields": ["title^3", "place_and_kind^2", "description"]}},
                        {"match": {"words": {"query": "nenaz", "fuzziness": 1, "prefix_length": 0,
                                             "fuzzy_transpositions": True}}},
                    ]}},
                    {"match_phrase_prefix": {"title_suggest": "kripik nenaz"}},
                ],
                "minimum_should_match": 1,
            }}],
            "filter": [
                {"term": {"category_ids": keripik.pk}},
                {"term": {"kecamatan_code": "14.08.07"}},
                {"term": {"kampung_slug": kampung.slug}},
                {"range": {"price": {"gte": 10_000, "lte": 30_000}}},
                {"term": {"halal": True}},
                {"term": {"pirt": True}},
            ],
        }},
        "post_filter": {"term": {"in_stock": True}},
        "aggs": {
            "seen": {
                "filter": {"term": {"in_stock": True}},
                "aggs": {
                    "kecamatan": {"terms": {"field": "kecamatan_code", "size": 1000}},
                    "kampung": {"terms": {"field": "kampung_slug", "size": 1000}},
                    "category": {"terms": {"field": "category_ids", "size": 1000}},
                    "price": {"range": {"field": "price", "ranges": [
                        {"key": "0", "to": 25_000},
                        {"key": "1", "from": 25_000, "to": 50_000},
                        {"key": "2", "from": 50_000, "to": 100_000},
                        {"key": "3", "from": 100_000, "to": 250_000},
                        {"key": "4", "from": 250_000},
                    ]}},
                    "halal": {"terms": {"field": "halal"}},
                    "pirt": {"terms": {"field": "pirt"}},
                },
            },
            "stock": {"terms": {"field": "in_stock"}},
        },
        "sort": [{"sold": {"order": "desc"}}, "title.sort", "id"],
        "from": 24,
        "size": 24,
        "_source": False,
    }
    assert results.corrected == "keripik nenas"
    assert results.total == PostgresBackend().search_products(query).total > 0
    assert results.products == []  # the second page of a few hits


def test_the_first_page_finds_the_misspelt_products_as_postgresql_does(built):
    query = ProductQuery(text="Kripik nenaz")

    results = get_backend().search_products(query, limit=100)
    expected = PostgresBackend().search_products(query, limit=100)

    assert product("Keripik Nenas 200 g") in results.products
    assert {p.pk for p in results.products} == {p.pk for p in expected.products}
    assert results.corrected == expected.corrected == "keripik nenas"
    assert results.facets == expected.facets and results.total == expected.total
    assert results.facets["price"]["1"] >= 1  # Rp 25.000: the second band, as width_bucket numbers it


@pytest.mark.parametrize("sort, expected", [
    ("relevance", ["_score", {"is_flagship": {"order": "desc"}}, "title.sort", "id"]),
    ("best-selling", [{"sold": {"order": "desc"}}, "title.sort", "id"]),
    ("price-asc", ["price", "id"]),
    ("price-desc", [{"price": {"order": "desc"}}, {"id": {"order": "desc"}}]),
    ("newest", [{"date_created": {"order": "desc"}}, {"id": {"order": "desc"}}]),
    ("title", ["title.sort", "id"]),
])
def test_each_sort_is_the_postgresql_order(built, sort, expected):
    get_backend().search_products(ProductQuery(text="madu", sort=sort))

    assert searches(built)[-1]["sort"] == expected


def test_no_text_lists_flagships_first_without_asking_for_typos(built):
    get_backend().search_products(ProductQuery(include_sold_out=True))

    (search,) = searches(built)
    assert search["query"] == {"bool": {}}
    assert "post_filter" not in search
    assert search["aggs"]["seen"]["filter"] == {"match_all": {}}
    assert search["sort"] == [{"is_flagship": {"order": "desc"}}, "title.sort", "id"]


def test_a_page_beyond_elasticsearchs_window_is_empty_not_an_error(built):
    results = get_backend().search_products(ProductQuery(), offset=50_000, limit=24)

    assert results.products == [] and results.total == ProductDocument.objects.filter(in_stock=True).count()
    assert searches(built)[-1]["from"] == 10_000 and searches(built)[-1]["size"] == 0


@pytest.mark.parametrize("query", [
    ProductQuery(),
    ProductQuery(include_sold_out=True),
    ProductQuery(kecamatan_code="14.08.07", halal=True),
    ProductQuery(min_price=20_000, max_price=60_000, sort="price-asc"),
    ProductQuery(pirt=True, sort="newest", include_sold_out=True),
    ProductQuery(sort="best-selling"),
], ids=["all", "sold-out-too", "kecamatan-halal", "price-range", "pirt-newest", "best-selling"])
def test_facets_totals_and_order_equal_postgresqls(cluster, query):
    gone = ProductDocument.objects.order_by("product_id").values_list("product_id", flat=True)[:2]
    StockRecord.objects.filter(product_id__in=list(gone)).update(num_in_stock=0, num_allocated=0)
    rebuild()

    es = get_backend().search_products(query, limit=200)
    pg = PostgresBackend().search_products(query, limit=200)

    assert isinstance(get_backend(), ElasticBackend)
    assert es.facets == pg.facets
    if query == ProductQuery():
        assert es.facets["stock"] == {"true": es.total, "false": 2}  # sold out counted there alone
    assert es.total == pg.total
    if query.sort != "relevance":
        assert [p.pk for p in es.products] == [p.pk for p in pg.products]


def test_nothing_found_suggests_the_nearest_words(built):
    results = get_backend().search_products(ProductQuery(text="madu sialangxx"))  # two edits: no correction

    assert results.total == 0 and results.products == [] and results.corrected == ""
    assert results.suggestion == "madu sialang"


def test_suggestions_as_the_buyer_types_read_the_search_as_you_type_field(built):
    names = get_backend().suggest("kerip")

    (search,) = searches(built)
    assert search["query"]["bool"]["must"] == [{"multi_match": {
        "query": "kerip", "type": "bool_prefix", "operator": "and",
        "fields": ["title_suggest", "title_suggest._2gram", "title_suggest._3gram"]}}]
    assert search["query"]["bool"]["filter"] == [{"term": {"in_stock": True}}]
    assert "Keripik Nenas 200 g" in names and all(name.lower().startswith("keripik") for name in names)
    assert get_backend().suggest("k") == []


# -- writing and rebuilding


def test_a_rebuild_switches_the_alias_in_one_call_and_keeps_an_edit_made_meanwhile(built, monkeypatch):
    (old,) = built.aliased(ALIAS)
    keripik = product("Keripik Nenas 200 g")
    from search import indexing

    real_batches = indexing.all_product_documents

    def edited_while_building():
        yield from real_batches()
        # the build is done, the alias not yet moved: a manager renames the product
        keripik.title = "Keripik Nenas Madu 200 g"
        keripik.save()

    calls = iter([real_batches, edited_while_building])  # PostgreSQL builds first, then Elasticsearch
    monkeypatch.setattr(indexing, "all_product_documents", lambda: next(calls)())

    replayed = rebuild()

    (switch,) = built.made("POST", "/_aliases")
    (new,) = built.aliased(ALIAS)
    assert new != old and new.startswith(f"{ALIAS}-")
    assert switch.body == {"actions": [{"remove": {"index": old, "alias": ALIAS}},
                                       {"add": {"index": new, "alias": ALIAS}}]}
    assert old not in built.indices  # deleted after the switch
    assert replayed == 1
    assert built.docs(ALIAS)[str(keripik.pk)]["title"] == "Keripik Nenas Madu 200 g"
    assert ProductDocument.objects.get(product=keripik).title == "Keripik Nenas Madu 200 g"
    # the bulk into the new index went to it by name, the replay through the alias
    bulks = built.made("PUT", "/_bulk")
    assert bulks[0].path == f"/{new}/_bulk" and bulks[-1].path == f"/{ALIAS}/_bulk"
    assert bulks[-1].params == {"require_alias": "true"}


def test_the_first_rebuild_needs_no_alias_yet(cluster):
    rebuild()

    (switch,) = cluster.made("POST", "/_aliases")
    (new,) = cluster.aliased(ALIAS)
    assert switch.body == {"actions": [{"add": {"index": new, "alias": ALIAS}}]}
    assert cluster.made("GET", f"/_alias/{ALIAS}")


def test_a_write_before_the_first_rebuild_waits_in_the_journal_rather_than_make_an_index(
        cluster, django_capture_on_commit_callbacks):
    keripik = product("Keripik Nenas 200 g")

    with django_capture_on_commit_callbacks(execute=True):
        keripik.save()

    assert ALIAS not in cluster.indices and cluster.aliased(ALIAS) == []
    assert IndexChange.objects.filter(product_id=keripik.pk, done_at=None).exists()


def test_writes_index_changed_documents_and_delete_those_no_longer_for_sale(built,
                                                                              django_capture_on_commit_callbacks):
    keripik = product("Keripik Nenas 200 g")
    madu = product("Madu Sialang 500 ml")

    with django_capture_on_commit_callbacks(execute=True):
        keripik.title = "Keripik Nenas Pedas 200 g"
        keripik.save()
        madu.is_public = False
        madu.save()

    docs = built.docs(ALIAS)
    assert docs[str(keripik.pk)]["title"] == "Keripik Nenas Pedas 200 g"
    assert str(madu.pk) not in docs
    assert not IndexChange.objects.filter(done_at=None).exists()
    (bulk,) = built.made("PUT", "/_bulk")
    assert {"delete": {"_index": ALIAS, "_id": madu.pk}} in bulk.body


# -- the cluster away


def test_a_cluster_that_is_away_leaves_searches_to_postgresql(built, settings, caplog):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    query = ProductQuery(text="kripik nanas", halal=True)

    with caplog.at_level(logging.WARNING, logger="search.backends.elastic"):
        results = get_backend().search_products(query)
        names = get_backend().suggest("madu")

    expected = PostgresBackend().search_products(query)
    assert isinstance(get_backend(), ElasticBackend)
    assert [p.pk for p in results.products] == [p.pk for p in expected.products] != []
    assert results.facets == expected.facets and results.total == expected.total
    assert names == PostgresBackend().suggest("madu") != []
    assert "Elasticsearch unavailable" in caplog.text


def test_the_search_page_answers_while_the_cluster_is_away(built, settings, client):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"

    page = client.get("/toko/search/", {"q": "kripik nanas"})
    typed = client.get("/toko/search/saran/", {"q": "madu"})

    assert page.status_code == 200 and "Keripik Nenas" in page.content.decode()
    assert typed.status_code == 200 and typed.json()["suggestions"]


def test_a_cluster_that_does_not_answer_costs_one_short_timeout_then_postgresql_answers_at_once(built, settings):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{silent.getsockname()[1]}"
    try:
        started = time.monotonic()
        first = get_backend().search_products(ProductQuery(text="madu"))
        waited = time.monotonic() - started
        started = time.monotonic()
        second = get_backend().search_products(ProductQuery(text="madu"))
        again = time.monotonic() - started
    finally:
        silent.close()

    assert first.total == second.total > 0
    assert elastic.TIMEOUT <= waited < elastic.TIMEOUT + 2
    assert again < 1


def test_a_sync_with_the_cluster_away_keeps_the_journal_and_is_tried_again(built, settings,
                                                                           django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    from search.tasks import sync_index

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    keripik = product("Keripik Nenas 200 g")
    built.stop()
    with django_capture_on_commit_callbacks(execute=True):
        keripik.title = "Keripik Nenas Super 200 g"
        keripik.save()

    assert sync_index.call() == 0

    assert IndexChange.objects.filter(product_id=keripik.pk, done_at=None).exists()
    assert ProductDocument.objects.get(product=keripik).title == "Keripik Nenas Super 200 g"
    again = [result for result in default_task_backend.results if result.task.func == sync_index.func]
    assert [result.args for result in again] == [[], [1]]  # on commit, then deferred with backoff
    assert again[1].task.run_after is not None

    built.start()  # the cluster is back
    assert sync_pending() >= 1

    assert not IndexChange.objects.filter(done_at=None).exists()
    assert built.docs(ALIAS)[str(keripik.pk)]["title"] == "Keripik Nenas Super 200 g"
