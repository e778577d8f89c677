"""The embedded default: PostgreSQL full text on `search.models.ProductDocument`.

A stored, GIN-indexed tsvector in the `indonesian` configuration (stemmed) over canonical
words (text.canonical_text: the synonyms of synonyms.txt), a trigram index for a
half-typed name and for typos, and the facet counts of a search in one statement.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F, Q

from marketplace.catalogue.selectors import products_in_order

from ..documents import document_row
from ..models import ProductDocument, SearchWord
from ..text import fold, query_terms
from .base import PRICE_BANDS, ProductQuery, ProductResults, SearchBackend

SORTS = {
    "price-asc": ("price", "product_id"),
    "price-desc": ("-price", "-product_id"),
    "newest": ("-date_created", "-product_id"),
    "best-selling": ("-sold", "title", "product_id"),
    "title": ("title", "product_id"),
}
TYPO_MIN_LENGTH = 4  # shorter words are taken as typed: 'teh' is not a typo of 'the'
MIN_WORD, MAX_WORD = 3, 40


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
            if len(folded) >= MIN_WORD:  # a half-typed name: 'kerip' finds 'Keripik Nenas'
                match |= Q(title_folded__contains=folded)
            docs = docs.filter(match)
            rank = SearchRank(F("document"), text, cover_density=True)
            if any(alts != [term] for term, alts in zip(terms, alternatives)):
                corrected = " ".join(alts[0] if alts != [term] else term for term, alts in zip(terms, alternatives))
        facets = self._facets(docs, include_sold_out=query.include_sold_out)
        total = facets.pop("total", {}).get("", 0)
        visible = docs if query.include_sold_out else docs.filter(in_stock=True)
        if query.sort in SORTS:
            ordered = visible.order_by(*SORTS[query.sort])
        elif rank is not None:
            ordered = visible.annotate(rank=rank).order_by("-rank", "-is_flagship", "title", "product_id")
        else:
            ordered = visible.order_by("-is_flagship", "title", "product_id")
        ids = list(ordered.values_list("product_id", flat=True)[offset:offset + limit]) if total else []
        if terms and not total:
            suggestion = self._suggestion(terms, known)
        return ProductResults(products=products_in_order(ids), total=total, facets=facets,
                              corrected=corrected, suggestion=suggestion)

    def suggest(self, text: str, *, limit: int = 8) -> list[str]:
        folded = fold(text)[:100]
        if len(folded) < 2:
            return []
        # two letters: names with a word that begins so; three or more: anywhere (trigram index)
        docs = ProductDocument.objects.filter(
            Q(title_folded__contains=folded) if len(folded) >= MIN_WORD
            else Q(title_folded__startswith=folded) | Q(title_folded__contains=f" {folded}"))
        titles = docs.filter(in_stock=True).order_by("-sold", "title").values_list("title", flat=True)[:limit * 3]
        return list(dict.fromkeys(titles))[:limit]

    def write(self, docs, removed) -> None:
        with transaction.atomic():
            ProductDocument.objects.filter(product_id__in=removed).delete()
            rows = [ProductDocument(product_id=doc.id, **document_row(doc)) for doc in docs]
            fields = [name for name in document_row(docs[0])] if docs else []
            ProductDocument.objects.bulk_create(rows, update_conflicts=True, unique_fields=["product"],
                                                update_fields=fields)
            self._learn(rows)

    def rebuild(self, batches) -> None:
        """In one transaction: searches read the old rows until the new ones are committed."""
        with transaction.atomic():
            ProductDocument.objects.all().delete()
            SearchWord.objects.all().delete()
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
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT q.term, ARRAY(SELECT w.word FROM search_searchword w"
                " WHERE w.word = q.term OR w.word %% q.term"
                " ORDER BY w.word = q.term DESC, similarity(w.word, q.term) DESC, w.word LIMIT 8)"
                " FROM unnest(%s::text[]) AS q(term)",
                [terms],
            )
            return {term: list(words) for term, words in cursor.fetchall()}

    @staticmethod
    def _alternatives(term: str, similar: list[str]) -> list[str]:
        if (similar and similar[0] == term) or len(term) < TYPO_MIN_LENGTH:
            return [term]
        return [word for word in similar if one_edit_apart(term, word)] or [term]

    @staticmethod
    def _suggestion(terms: list[str], known: dict[str, list[str]]) -> str:
        words = [known[term][0] if known[term] else term for term in terms]
        return " ".join(words) if words != terms else ""

    @staticmethod
    def _facets(docs, *, include_sold_out: bool) -> dict[str, dict[str, int]]:
        """Every facet's counts, and the total, in one statement over the matching rows."""
        inner, params = docs.values("product_id", "kecamatan_code", "kampung_slug", "category_ids", "price",
                                    "halal", "pirt", "in_stock").query.sql_with_params()
        bands = "ARRAY[" + ",".join(str(band) for band in PRICE_BANDS) + "]"
        seen = "count(*) FILTER (WHERE in_stock OR %s)"
        parts = [
            f"SELECT 'kecamatan', kecamatan_code, {seen} FROM hits GROUP BY 2",
            f"SELECT 'kampung', kampung_slug, {seen} FROM hits GROUP BY 2",
            f"SELECT 'category', category::text, {seen} FROM hits, unnest(category_ids) AS category GROUP BY 2",
            f"SELECT 'price', width_bucket(price, {bands})::text, {seen} FROM hits GROUP BY 2",
            f"SELECT 'halal', halal::text, {seen} FROM hits GROUP BY 2",
            f"SELECT 'pirt', pirt::text, {seen} FROM hits GROUP BY 2",
            "SELECT 'stock', in_stock::text, count(*) FROM hits GROUP BY 2",
            f"SELECT 'total', '', {seen} FROM hits",
        ]
        sql = f"WITH hits AS MATERIALIZED ({inner}) " + " UNION ALL ".join(parts)
        flags = [include_sold_out] * (len(parts) - 1)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *flags])
            facets: dict[str, dict[str, int]] = {}
            for facet, value, count in cursor.fetchall():
                if count:
                    facets.setdefault(facet, {})[value] = count
            return facets

    @staticmethod
    def _learn(rows) -> None:
        words = {word for row in rows for text in (row.text_a, row.text_b, row.text_c)
                 for word in text.split() if MIN_WORD <= len(word) <= MAX_WORD}
        SearchWord.objects.bulk_create([SearchWord(word=word) for word in words], ignore_conflicts=True)

