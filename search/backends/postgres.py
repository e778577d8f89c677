from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F, Min, Q

from marketplace.catalogue.selectors import SELLER, products_for_sale

from .base import ProductQuery, SearchBackend

SORTS = {
    "price-asc": ("min_price", "id"),
    "price-desc": ("-min_price", "-id"),
    "newest": ("-date_created", "-id"),
    "title": ("title", "id"),
}


class PostgresBackend(SearchBackend):
    """Full text over title, description, producer, shop and village, in the 'simple'
    configuration: Indonesian words keep their affixes rather than being
    stemmed wrongly, and a prefix match on the title catches half-typed words.
    Shop, kampung and kecamatan are the selling shop's (catalogue.selectors.SELLER)."""

    def search_products(self, query: ProductQuery):
        products = products_for_sale(
            kampung_slug=query.kampung_slug, kecamatan_code=query.kecamatan_code,
        ).annotate(min_price=Min("stockrecords__price"))
        if query.text:
            vector = SearchVector(
                "title", "description", "producer__name",
                f"{SELLER}__name", f"{SELLER}__kampung__name", config="simple",
            )
            text = SearchQuery(query.text, search_type="websearch", config="simple")
            # ts_rank is above zero (1e-20) even for a row that does not match, so the match
            # itself (@@) is the filter: every word of the query, anywhere in the text
            products = products.annotate(document=vector, rank=SearchRank(vector, text)).filter(
                Q(document=text) | Q(title__icontains=query.text)
            )
        if query.category_ids:
            products = products.filter(categories__in=query.category_ids)
        if query.min_price is not None:
            products = products.filter(min_price__gte=query.min_price)
        if query.max_price is not None:
            products = products.filter(min_price__lte=query.max_price)
        if query.halal:
            products = products.exclude(halal_number="")
        if query.pirt:
            products = products.exclude(pirt_number="")
        if query.sort in SORTS:
            return products.order_by(*SORTS[query.sort]).distinct()
        if query.text:
            return products.order_by(F("rank").desc(nulls_last=True), "title", "id").distinct()
        return products.order_by("-is_flagship", "title", "id").distinct()
