"""The embedded default: PostgreSQL full text on `search.models.ProductDocument`.

A stored, GIN-indexed tsvector in the `indonesian` configuration (stemmed) over canonical
words (text.canonical_text: the synonyms of synonyms.txt), a trigram index for a
half-typed name and for typos, and the facet counts of a search in one statement.
"""

import dataclasses
import hashlib
import time

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Max, Q, Value, When
from django.db.models.functions import Greatest, Length
from oscar.core.loading import get_model

from marketplace.catalogue.selectors import products_in_order
from shops.constants import ShopStatus
from shops.models import Bumkam

from ..documents import document_row
from ..models import IndexVersion, ProductDocument, SearchWord
from ..text import canonical_text, fold, query_terms, synonym_groups
from .base import PRICE_BANDS, ProductQuery, ProductResults, SearchBackend

SORTS = {
    "price-asc": ("price", "product_id"),
    "price-desc": ("-price", "-product_id"),
    "newest": ("-date_created", "-product_id"),
    "best-selling": ("-sold", "title", "product_id"),
    "title": ("title", "product_id"),
}
LISTING = ("-is_flagship", "title", "product_id")  # browsing without words: flagships first
BROWSE_FACETS_FOR = 24 * 60 * 60  # seconds; the key holds the index version, so a change retires it at once
TYPO_MIN_LENGTH = 4  # shorter words are taken as typed: 'teh' is not a typo of 'the'
# pg_trgm's default 0.3 misses a swap in a short word ('durain' and 'durian' share 3 of 11
# trigrams); the candidates are then kept only when one edit away (one_edit_apart)
TYPO_SIMILARITY = 0.2
MIN_WORD, MAX_WORD = 3, 40
# What a query's words name besides the text, and how much it lifts a product above the text
# rank (0..1): the product's category ('kue', 'kerajinan', 'madu'), the kampung or the
# kecamatan of its shop ('bunga raya', 'dayun'). A share of the query's words counts: 'madu
# dayun' lifts Dayun's honey over Dayun's chips, whose producer is called 'UMKM Madu Rimba'.
CATEGORY_LIFT, KAMPUNG_LIFT, KECAMATAN_LIFT = 0.6, 0.5, 0.35
Category = get_model("catalogue", "Category")


def one_edit_apart(a: str, b: str) -> bool:
    """At most one letter added, dropped, changed, or two neighbours swapped (the
    Damerau distance Elasticsearch's fuzziness 1 allows)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    i = next((i for i in range(len(short)) if short[i] != long[i]), len(short))
    return short[i:] == long[i + 1:]


def _order_sql(sort: str) -> str:
    """A sort in SQL over the rows of a search with words (see _facets); relevance otherwise."""
    if sort not in SORTS:
        return "rank DESC, is_flagship DESC, title, product_id"
    return ", ".join(f"{field[1:]} DESC" if field.startswith("-") else field for field in SORTS[sort])


_NAMES: tuple[float, tuple[list, list, list]] | None = None
NAMES_FOR = 60  # seconds: a renamed category lifts its goods a minute later; the match itself is at once


def _names() -> tuple[list[str], list[str], list[str]]:
    """The categories, kampung and kecamatan a query may name (kind, key, canonical name),
    kept a minute per process: they change a few times a year, searches many times a second."""
    global _NAMES
    if _NAMES is None or _NAMES[0] < time.monotonic():
        rows = [("category", str(pk), name) for pk, name in Category.objects.values_list("pk", "name")]
        for slug, kampung, code, kecamatan in (Bumkam.objects.filter(status=ShopStatus.APPROVED).values_list(
                "kampung__slug", "kampung__name", "kampung__kecamatan__code", "kampung__kecamatan__name")):
            rows += [("kampung", slug, kampung), ("kecamatan", code, kecamatan)]
        _NAMES = (time.monotonic() + NAMES_FOR, ([kind for kind, _, _ in rows], [key for _, key, _ in rows],
                                                 [canonical_text(name) for _, _, name in rows]))
    return _NAMES[1]


class PostgresBackend(SearchBackend):
    name = "postgresql"

    def search_products(self, query: ProductQuery, *, offset: int = 0, limit: int = 24) -> ProductResults:
        docs = self._filtered(query)
        terms = query_terms(query.text)
        corrected = suggestion = ""
        rank = None
        if terms:
            known = self._vocabulary(terms)
            alternatives = [self._alternatives(term, known[term]) for term in terms]
            text = SearchQuery(" & ".join("(" + " | ".join(alts) + ")" for alts in alternatives),
                               search_type="raw", config="indonesian")
            match = Q(document=text)
            folded = fold(query.text)[:200]
            # a half-typed name: 'kerip' finds 'Keripik Nenas'; when the catalogue has every
            # word as typed the words find it, and the extra condition would cost each match a recheck
            if len(folded) >= MIN_WORD and any(not similar or similar[0] != term for term, similar in known.items()):
                match |= Q(title_folded__contains=folded)
            docs = docs.filter(match)
            # normalization 32 (rank / (rank + 1)) keeps the text rank below 1, beside the lifts
            rank = SearchRank(F("document"), text, normalization=Value(32)) \
                + self._lift(alternatives)
            if any(alts != [term] for term, alts in zip(terms, alternatives)):
                corrected = " ".join(alts[0] if alts != [term] else term for term, alts in zip(terms, alternatives))
        if rank is None:
            # browsing: the counts of the whole catalogue (or a kecamatan, a category) are
            # the same for every visitor until the index changes; the page reads an index
            facets = self._browse_facets(docs, query)
            total = facets.pop("total", {}).get("", 0)
            visible = docs if query.include_sold_out else docs.filter(in_stock=True)
            ordered = visible.order_by(*SORTS.get(query.sort, LISTING))
            ids = list(ordered.values_list("product_id", flat=True)[offset:offset + limit]) if total else []
        else:
            facets, ids = self._facets(docs.annotate(rank=rank), include_sold_out=query.include_sold_out,
                                       page=(_order_sql(query.sort), offset, limit))
            total = facets.pop("total", {}).get("", 0)
        if terms and not total:
            suggestion = self._suggestion(terms, known)
        return ProductResults(products=products_in_order(ids), total=total, facets=facets,
                              corrected=corrected, suggestion=suggestion)

    def suggest(self, text: str, *, limit: int = 8) -> list[str]:
        """Names with what was typed in them; the last, half-typed word also as any
        catalogue word it begins, in the list's spelling: 'kri' and 'kripik na' offer
        'Keripik Nenas', as the catalogue writes it."""
        folded = fold(text)[:100]
        if len(folded) < 2:
            return []
        *head, last = folded.split()
        words = SearchWord.objects.filter(word__startswith=last).order_by(Length("word"), "word")
        wanted = dict.fromkeys([folded, canonical_text(folded), *(
            canonical_text(" ".join([*head, word])) for word in words.values_list("word", flat=True)[:3])])
        titles: list[str] = []
        for name in wanted:
            # names with a word that begins so, those it begins first (the trigram index serves both LIKEs)
            found = (ProductDocument.objects.filter(Q(title_folded__startswith=name) | Q(title_folded__contains=f" {name}"),
                                                    in_stock=True)
                     .values("title")
                     .annotate(first=Max(Case(When(title_folded__startswith=name, then=Value(1)), default=Value(0))),
                               sales=Max("sold"))
                     .order_by("-first", "-sales", "title")
                     .values_list("title", flat=True)[:limit])
            titles += [title for title in found if title not in titles]
            if len(titles) >= limit:
                break
        return titles[:limit]

    def write(self, docs, removed) -> None:
        with transaction.atomic():
            ProductDocument.objects.filter(product_id__in=removed).delete()
            values = [document_row(doc) for doc in docs]
            rows = [ProductDocument(product_id=doc.id, **row) for doc, row in zip(docs, values)]
            fields = list(values[0]) if values else []
            ProductDocument.objects.bulk_create(rows, update_conflicts=True, unique_fields=["product"],
                                                update_fields=fields)
            IndexVersion.objects.filter(pk=1).update(number=F("number") + 1)
            self._learn(rows)

    def rebuild(self, batches) -> None:
        """In one transaction: searches read the old rows until the new ones are committed."""
        with transaction.atomic():
            ProductDocument.objects.all().delete()
            SearchWord.objects.all().delete()
            IndexVersion.objects.filter(pk=1).update(number=F("number") + 1)
            for docs in batches:
                self.write(docs, set())

    # -- the parts of a search

    @staticmethod
    def _filtered(query: ProductQuery):
        docs = ProductDocument.objects.all()
        if query.category_id:
            docs = docs.filter(category_ids__contains=[query.category_id])
        if query.kecamatan_code:
            docs = docs.filter(kecamatan_code=query.kecamatan_code)
        if query.kampung_slug:
            docs = docs.filter(kampung_slug=query.kampung_slug)
        if query.min_price is not None:
            docs = docs.filter(price__gte=query.min_price)
        if query.max_price is not None:
            docs = docs.filter(price__lte=query.max_price)
        if query.halal:
            docs = docs.filter(halal=True)
        if query.pirt:
            docs = docs.filter(pirt=True)
        return docs

    @staticmethod
    def _vocabulary(terms: list[str]) -> dict[str, list[str]]:
        """For each term: itself if the catalogue has the word, else the catalogue's words
        most like it (pg_trgm), best first."""
        with transaction.atomic(), connection.cursor() as cursor:
            # for this transaction only: the threshold of the indexed '%' operator
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(TYPO_SIMILARITY)])
            cursor.execute(
                "SELECT q.term, ARRAY(SELECT w.word FROM search_searchword w"
                " WHERE w.word = q.term OR w.word %% q.term"
                " ORDER BY w.word = q.term DESC, similarity(w.word, q.term) DESC, w.word LIMIT 20)"
                " FROM unnest(%s::text[]) AS q(term)",
                [terms],
            )
            return {term: list(words) for term, words in cursor.fetchall()}

    @staticmethod
    def _lift(alternatives: list[list[str]]):
        """How much the query names a product's category, kampung or kecamatan (see
        CATEGORY_LIFT): each name in the `indonesian` configuration over canonical words,
        matched word by word against the query, in one statement over a few dozen names."""
        kinds, keys, names = _names()
        queries = [" | ".join(alts) for alts in alternatives]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n.kind, n.key, count(*) FROM unnest(%s::text[], %s::text[], %s::text[]) AS n(kind, key, name),"
                " unnest(%s::text[]) AS q(query)"
                " WHERE to_tsvector('indonesian', n.name) @@ to_tsquery('indonesian', q.query)"
                " GROUP BY n.kind, n.key",
                [kinds, keys, names, queries],
            )
            named = cursor.fetchall()
        lifts = {}
        for kind, field, lift in (("category", "category_ids__overlap", CATEGORY_LIFT),
                                  ("kampung", "kampung_slug__in", KAMPUNG_LIFT),
                                  ("kecamatan", "kecamatan_code__in", KECAMATAN_LIFT)):
            by_share: dict[float, list] = {}
            for found_kind, key, words in named:
                if found_kind == kind:
                    by_share.setdefault(lift * words / len(queries),
                                        []).append(int(key) if kind == "category" else key)
            lifts[kind] = Case(*(When(Q(**{field: keys}), then=Value(share))
                                 for share, keys in sorted(by_share.items(), reverse=True)),
                               default=Value(0.0), output_field=FloatField()) if by_share else Value(0.0)
        # the category and the place add up ('madu dayun'); a kampung and its kecamatan do not
        return lifts["category"] + Greatest(lifts["kampung"], lifts["kecamatan"])

    @staticmethod
    def _alternatives(term: str, similar: list[str]) -> list[str]:
        """The term, or the catalogue's words one edit away from it, in the list's spelling
        ('nanass' is one edit from the variant 'nanas', which the catalogue writes 'nenas')."""
        if (similar and similar[0] == term) or len(term) < TYPO_MIN_LENGTH:
            return [term]
        near = [canonical_text(word) for word in similar if one_edit_apart(term, word)]
        return list(dict.fromkeys(near)) or [term]

    @staticmethod
    def _suggestion(terms: list[str], known: dict[str, list[str]]) -> str:
        words = [known[term][0] if known[term] else term for term in terms]
        return " ".join(words) if words != terms else ""

    @staticmethod
    def _browse_facets(docs, query: ProductQuery) -> dict[str, dict[str, int]]:
        """The counts of a search without words, kept (in the shared cache) under the index's
        version: computed once per change of the catalogue, not once per visitor."""
        version = IndexVersion.objects.values_list("number", flat=True).first() or 0
        # every filter of the query, whatever fields it gains; the order does not change a count
        filters = dataclasses.replace(query, sort="")
        key = "search:facets:" + hashlib.sha256(repr((version, filters)).encode()).hexdigest()
        facets = cache.get(key)  # the cache hands out a copy: the caller may change it
        if facets is None:
            facets, _ = PostgresBackend._facets(docs, include_sold_out=query.include_sold_out)
            cache.set(key, facets, BROWSE_FACETS_FOR)
        return facets

    @staticmethod
    def _facets(docs, *, include_sold_out: bool, page=None) -> tuple[dict[str, dict[str, int]], list[int]]:
        """Every facet's counts, and the total, in one pass over the matching rows (an
        index-only scan when there are no words): three grouping sets hashed together by
        PostgreSQL (a kampung with its kecamatan; price band, halal, P-IRT and stock, a few
        dozen groups; a product's list of categories), summed up here per facet. With `page`
        (ORDER BY, offset, limit) the same statement also answers that page's product ids
        from the same rows, ranked once: one visit to each matching row, not three."""
        columns = ["kecamatan_code", "kampung_slug", "category_ids", "price", "halal", "pirt", "in_stock"]
        if page is not None:
            columns += ["product_id", "is_flagship", "title", "date_created", "sold", "rank"]
        inner, params = docs.values(*columns).query.sql_with_params()
        bands = "ARRAY[" + ",".join(str(band) for band in PRICE_BANDS) + "]"
        sql = (f"WITH hits AS MATERIALIZED ({inner}) "
               f"SELECT kampung_slug, kecamatan_code, width_bucket(price, {bands}) AS band, halal, pirt, in_stock,"
               " category_ids, count(*) FILTER (WHERE in_stock OR %s), count(*), NULL::integer[]"
               " FROM hits"
               " GROUP BY GROUPING SETS ((kampung_slug, kecamatan_code), (band, halal, pirt, in_stock), (category_ids))")
        arguments = [*params, include_sold_out]
        if page is not None:
            order, offset, limit = page
            sql += (" UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ARRAY("
                    f"SELECT product_id FROM hits WHERE in_stock OR %s ORDER BY {order} LIMIT %s OFFSET %s)")
            arguments += [include_sold_out, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, arguments)
            rows = cursor.fetchall()
        facets: dict[str, dict[str, int]] = {}

        def add(facet, value, count):
            if count:
                counts = facets.setdefault(facet, {})
                counts[value] = counts.get(value, 0) + count

        ids: list[int] = []
        for kampung, kecamatan, band, halal, pirt, in_stock, categories, seen, every, page_ids in rows:
            if page_ids is not None:
                ids = page_ids
            elif kampung is not None:
                add("kampung", kampung, seen)
                add("kecamatan", kecamatan, seen)
            elif band is not None:
                add("price", str(band), seen)
                add("halal", str(halal).lower(), seen)
                add("pirt", str(pirt).lower(), seen)
                add("stock", str(in_stock).lower(), every)
                add("total", "", seen)
            elif categories is not None:
                for category in categories:
                    add("category", str(category), seen)
        return facets, ids

    @staticmethod
    def _learn(rows) -> None:
        """The rows' words, and the spelling variants of those that synonyms.txt lists, so a
        typo of a variant ('kripk', 'nanass') is corrected too."""
        words = {word for row in rows for text in (row.text_a, row.text_b, row.text_c)
                 for word in text.split() if MIN_WORD <= len(word) <= MAX_WORD}
        words |= {variant for group in synonym_groups() if group[0] in words
                  for variant in group[1:] if " " not in variant and MIN_WORD <= len(variant) <= MAX_WORD}
        SearchWord.objects.bulk_create([SearchWord(word=word) for word in words], ignore_conflicts=True)

