"""Elasticsearch, for a regency that outgrows one machine (settings.ELASTICSEARCH_URL).

The same answers as the PostgreSQL engine (postgres.py), from an index whose analysis does
what PostgreSQL's `indonesian` configuration and `search.text` do: ASCII folding, the
synonyms of synonyms.txt written as their group's first word, the Indonesian stemmer. Typos
follow PostgreSQL's rule: a word the catalogue lacks matches the catalogue's words one edit
away (fuzziness 1 on an unstemmed field), a word it has is taken as typed.

Searches read an alias; a rebuild fills a new index and moves the alias in one `_aliases`
call. When the cluster cannot be reached, searches are answered by PostgreSQL (always
written too, see indexing.sync_pending) and writes raise IndexUnavailable, so the journal
keeps the change for the retrying task.
"""

import logging
import time
from contextlib import suppress
from functools import cache

from django.conf import settings
from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.dsl import (
    A,
    Boolean,
    Date,
    Document,
    Integer,
    Keyword,
    Long,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

from marketplace.catalogue.selectors import products_in_order

from ..documents import ProductDoc
from ..text import fold, query_terms, synonym_groups
from .base import PRICE_BANDS, IndexUnavailable, ProductQuery, ProductResults, SearchBackend
from .postgres import MIN_WORD, TYPO_MIN_LENGTH, PostgresBackend, one_edit_apart

logger = logging.getLogger(__name__)

DEFAULT_ALIAS = "pasar-products"
TIMEOUT = 2  # seconds: a dead cluster costs a search this much at worst, then PostgreSQL answers
WRITE_TIMEOUT = 60  # seconds: writes run in the worker or a rebuild, where a big bulk may take a while
RESTING = 15  # seconds a search goes straight to PostgreSQL after the cluster failed one
MAX_WINDOW = 10_000  # Elasticsearch's index.max_result_window
FACET_SIZE = 1000  # more kampung, kecamatan or categories than a regency has
SORTS = {
    "price-asc": ("price", "id"),
    "price-desc": ("-price", "-id"),
    "newest": ("-date_created", "-id"),
    "best-selling": ("-sold", "title.sort", "id"),
    "title": ("title.sort", "id"),
}
TEXT_FIELDS = ("title^3", "place_and_kind^2", "description")  # PostgreSQL's weights A, B, C

# -- analysis: the same words as search.text, stemmed like PostgreSQL's `indonesian`

synonyms = token_filter(
    "pasar_synonyms", type="synonym", expand=False, lenient=True,
    synonyms=[", ".join(group) for group in synonym_groups()],  # every variant -> the group's first word
)
indonesian_stemmer = token_filter("pasar_indonesian_stemmer", type="stemmer", language="indonesian")
stemmed = analyzer("pasar_stemmed", tokenizer="standard",
                   filter=["lowercase", "asciifolding", synonyms, indonesian_stemmer])
folded = analyzer("pasar_folded", tokenizer="standard", filter=["lowercase", "asciifolding", synonyms])
# queries arrive canonical already (text.query_terms); without synonyms on the search side
# fuzziness applies to every word (Elasticsearch skips it for words with synonyms)
plain = analyzer("pasar_plain", tokenizer="standard", filter=["lowercase", "asciifolding"])
sortable = normalizer("pasar_sortable", filter=["lowercase", "asciifolding"])


class ProductIndexDoc(Document):
    """One product for sale (documents.ProductDoc) as the index holds it."""

    id = Integer()
    title = Text(analyzer=stemmed, copy_to="words", fields={"sort": Keyword(normalizer=sortable)})
    title_suggest = SearchAsYouType(analyzer=plain, max_shingle_size=3)
    place_and_kind = Text(analyzer=stemmed, copy_to="words")
    description = Text(analyzer=stemmed, copy_to="words")
    # unstemmed: the catalogue's words as written (folded, canonical), for typos and "did you mean"
    words = Text(analyzer=folded, search_analyzer=plain)
    category_ids = Integer(multi=True)
    shop_id = Integer()
    kecamatan_code = Keyword()
    kampung_slug = Keyword()
    price = Long()
    in_stock = Boolean()
    halal = Boolean()
    pirt = Boolean()
    is_flagship = Boolean()
    sold = Long()
    date_created = Date()

    class Index:
        name = DEFAULT_ALIAS
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    @classmethod
    def from_product(cls, doc: ProductDoc, *, index: str) -> "ProductIndexDoc":
        return cls(
            meta={"id": doc.id, "index": index},
            id=doc.id, title=doc.title, title_suggest=doc.title, place_and_kind=doc.place_and_kind,
            description=doc.description, category_ids=doc.category_ids, shop_id=doc.shop_id,
            kecamatan_code=doc.kecamatan_code, kampung_slug=doc.kampung_slug, price=doc.price,
            in_stock=doc.in_stock, halal=doc.halal, pirt=doc.pirt, is_flagship=doc.is_flagship,
            sold=doc.sold, date_created=doc.date_created,
        )


@cache
def _client(url: str) -> Elasticsearch:
    """One client (and its connection pool) per cluster, shared by every request."""
    return Elasticsearch(url, request_timeout=TIMEOUT, max_retries=1, retry_on_timeout=False)


_resting_until: dict[str, float] = {}  # cluster url -> monotonic time searches try it again


class ElasticBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, *, alias: str = DEFAULT_ALIAS, url: str = ""):
        self.client = client
        self.alias = alias
        self.url = url

    @classmethod
    def configured(cls) -> "ElasticBackend":
        url = settings.ELASTICSEARCH_URL
        return cls(_client(url), alias=settings.ELASTICSEARCH_INDEX or DEFAULT_ALIAS, url=url)

    # -- searching, with PostgreSQL answering while the cluster is away

    def search_products(self, query: ProductQuery, *, offset: int = 0, limit: int = 24) -> ProductResults:
        return self._or_postgres("search_products", query, offset=offset, limit=limit)

    def suggest(self, text: str, *, limit: int = 8) -> list[str]:
        return self._or_postgres("suggest", text, limit=limit)

    def _or_postgres(self, method: str, *args, **kwargs):
        if _resting_until.get(self.url, 0) > time.monotonic():
            return getattr(PostgresBackend(), method)(*args, **kwargs)
        try:
            return getattr(self, f"_{method}")(*args, **kwargs)
        except (TransportError, ApiError) as error:
            _resting_until[self.url] = time.monotonic() + RESTING
            logger.warning("Elasticsearch unavailable (%s); PostgreSQL answers searches for the next %s s",
                           error, RESTING)
            return getattr(PostgresBackend(), method)(*args, **kwargs)

    def _search_products(self, query: ProductQuery, *, offset: int, limit: int) -> ProductResults:
        terms = query_terms(query.text)
        typos = self._typos(terms) if terms else {}
        wanted = [self._text(query.text, terms, typos)] if terms else []
        search = Search(using=self.client, index=self.alias).query("bool", must=wanted, filter=self._filters(query))
        if not query.include_sold_out:
            search = search.post_filter("term", in_stock=True)  # hits and total, not the stock facet
        self._aggregate(search, include_sold_out=query.include_sold_out)
        start = min(offset, MAX_WINDOW)
        search = search.sort(*self._sort(query.sort, ranked=bool(terms))).source(False)
        search = search[start:start + max(0, min(limit, MAX_WINDOW - start))]
        response = search.execute()
        facets, total = self._facets(response.aggregations.to_dict())
        corrected = suggestion = ""
        if any(typos.get(term, {}).get("corrected") for term in terms):
            corrected = " ".join(typos.get(term, {}).get("corrected") or term for term in terms)
        if terms and not total:
            words = [typos.get(term, {}).get("closest") or term for term in terms]
            suggestion = " ".join(words) if words != terms else ""
        ids = [int(hit.meta.id) for hit in response] if total else []
        return ProductResults(products=products_in_order(ids), total=total, facets=facets,
                              corrected=corrected, suggestion=suggestion)

    def _suggest(self, text: str, *, limit: int) -> list[str]:
        words = fold(text)[:100]
        if len(words) < 2:
            return []
        search = (
            Search(using=self.client, index=self.alias)
            .query("multi_match", query=words, type="bool_prefix", operator="and",
                   fields=["title_suggest", "title_suggest._2gram", "title_suggest._3gram"])
            .filter("term", in_stock=True)
            .sort("-sold", "title.sort")
            .source(["title"])
            .extra(size=limit * 3)
        )
        titles = [hit.title for hit in search.execute()]
        return list(dict.fromkeys(titles))[:limit]

    # -- the parts of a search

    def _typos(self, terms: list[str]) -> dict[str, dict[str, str]]:
        """For each word the catalogue lacks: the closest word it has (for "did you mean")
        and, when one edit away, the correction searched instead (PostgreSQL's rule)."""
        response = (
            Search(using=self.client, index=self.alias)
            .suggest("words", " ".join(terms), term={
                "field": "words", "suggest_mode": "missing", "analyzer": "pasar_plain",
                "max_edits": 2, "min_word_length": MIN_WORD, "prefix_length": 0,
                "string_distance": "damerau_levenshtein", "size": 5,
            })
            .extra(size=0)
            .execute()
        )
        typos = {}
        for entry in response.suggest.to_dict().get("words", []):
            options = [option["text"] for option in entry["options"]]
            if options:
                term = entry["text"]
                near = [word for word in options if len(term) >= TYPO_MIN_LENGTH and one_edit_apart(term, word)]
                typos[term] = {"closest": options[0], "corrected": near[0] if near else ""}
        return typos

    @staticmethod
    def _text(text: str, terms: list[str], typos: dict[str, dict[str, str]]) -> Q:
        """Every word in the title, place and kind or description (a misspelt one: a word of
        the catalogue one edit away), or the folded query as the start of a title's words."""
        each = []
        for term in terms:
            if typos.get(term, {}).get("corrected"):
                each.append(Q("match", words={"query": term, "fuzziness": 1, "prefix_length": 0,
                                              "fuzzy_transpositions": True}))
            else:
                each.append(Q("multi_match", query=term, fields=list(TEXT_FIELDS)))
        match = Q("bool", must=each)
        folded_text = fold(text)[:200]
        if len(folded_text) >= MIN_WORD:  # a half-typed name: 'kerip' finds 'Keripik Nenas'
            match = Q("bool", should=[match, Q("match_phrase_prefix", title_suggest=folded_text)],
                      minimum_should_match=1)
        return match

    @staticmethod
    def _filters(query: ProductQuery) -> list[Q]:
        filters = []
        if query.category_id:
            filters.append(Q("term", category_ids=query.category_id))
        if query.kecamatan_code:
            filters.append(Q("term", kecamatan_code=query.kecamatan_code))
        if query.kampung_slug:
            filters.append(Q("term", kampung_slug=query.kampung_slug))
        price = {bound: value for bound, value in (("gte", query.min_price), ("lte", query.max_price))
                 if value is not None}
        if price:
            filters.append(Q("range", price=price))
        if query.halal:
            filters.append(Q("term", halal=True))
        if query.pirt:
            filters.append(Q("term", pirt=True))
        return filters

    @staticmethod
    def _aggregate(search: Search, *, include_sold_out: bool) -> None:
        """Every facet counts what the buyer sees (sold out only when asked for), except
        `stock`; the same counts as PostgresBackend._facets."""
        seen = search.aggs.bucket("seen", A("filter", Q("match_all") if include_sold_out
                                            else Q("term", in_stock=True)))
        seen.bucket("kecamatan", "terms", field="kecamatan_code", size=FACET_SIZE)
        seen.bucket("kampung", "terms", field="kampung_slug", size=FACET_SIZE)
        seen.bucket("category", "terms", field="category_ids", size=FACET_SIZE)
        edges = [None, *PRICE_BANDS, None]  # numbered like PostgreSQL's width_bucket: 0 below the first
        seen.bucket("price", "range", field="price", ranges=[
            {"key": str(number), **({"from": low} if low is not None else {}),
             **({"to": high} if high is not None else {})}
            for number, (low, high) in enumerate(zip(edges, edges[1:]))])
        seen.bucket("halal", "terms", field="halal")
        seen.bucket("pirt", "terms", field="pirt")
        search.aggs.bucket("stock", "terms", field="in_stock")

    @staticmethod
    def _facets(aggregations: dict) -> tuple[dict[str, dict[str, int]], int]:
        seen = aggregations["seen"]
        facets: dict[str, dict[str, int]] = {}
        for facet, result in [*((name, seen[name]) for name in (
                "kecamatan", "kampung", "category", "price", "halal", "pirt")), ("stock", aggregations["stock"])]:
            for bucket in result["buckets"]:
                if bucket["doc_count"]:
                    value = bucket.get("key_as_string", bucket["key"])
                    facets.setdefault(facet, {})[str(value)] = bucket["doc_count"]
        return facets, seen["doc_count"]

    @staticmethod
    def _sort(sort: str, *, ranked: bool) -> tuple:
        if sort in SORTS:
            return SORTS[sort]
        return ("_score", "-is_flagship", "title.sort", "id") if ranked else ("-is_flagship", "title.sort", "id")

    # -- writing

    @property
    def writer(self) -> Elasticsearch:
        return self.client.options(request_timeout=WRITE_TIMEOUT)

    def write(self, docs: list[ProductDoc], removed: set[int]) -> None:
        """Through the alias, which must exist (require_alias): a write before the first
        rebuild waits in the journal rather than create an index without our mappings."""
        self._bulk(self.alias, docs, removed, require_alias=True)

    def rebuild(self, batches) -> None:
        """A new index filled while searches read the old one, then the alias moved to it
        in one `_aliases` call; the caller replays the journal from before the build."""
        new = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        try:
            ProductIndexDoc._index.clone(name=new).create(using=self.writer)
            try:
                for docs in batches:
                    self._bulk(new, docs, set())
                self.writer.indices.refresh(index=new)
                old = self._aliased()
                actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
                if not old and self.writer.indices.exists(index=self.alias):
                    actions.append({"remove_index": {"index": self.alias}})  # a stray index took the name
                actions.append({"add": {"index": new, "alias": self.alias}})
                self.writer.indices.update_aliases(actions=actions)
            except BaseException:
                with suppress(TransportError, ApiError):
                    self.writer.indices.delete(index=new, ignore_unavailable=True)
                raise
            if old:
                self.writer.indices.delete(index=",".join(old), ignore_unavailable=True)
        except (TransportError, ApiError) as error:
            raise IndexUnavailable(f"Elasticsearch: {error}") from error

    def _aliased(self) -> list[str]:
        try:
            return sorted(self.writer.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def _bulk(self, index: str, docs: list[ProductDoc], removed: set[int], **params) -> None:
        actions = [
            *(ProductIndexDoc.from_product(doc, index=index) for doc in docs),
            *({"_op_type": "delete", "_index": index, "_id": pk} for pk in sorted(removed)),
        ]
        if not actions:
            return
        try:
            _, errors = ProductIndexDoc.bulk(actions, using=self.writer, index=index, raise_on_error=False,
                                             **params)
        except (TransportError, ApiError) as error:
            raise IndexUnavailable(f"Elasticsearch: {error}") from error
        failed = [item for error in errors for op, item in error.items()
                  if not (op == "delete" and item.get("result") == "not_found")]
        if failed:
            raise IndexUnavailable(f"Elasticsearch refused {len(failed)} documents: {failed[0].get('error')}")
