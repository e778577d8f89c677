from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class ProductQuery:
    """What a buyer asked for; every field is optional."""

    text: str = ""
    category_ids: tuple[int, ...] = ()
    kecamatan_code: str = ""
    kampung_slug: str = ""
    min_price: int | None = None
    max_price: int | None = None
    halal: bool = False
    pirt: bool = False
    sort: str = "relevance"


class SearchBackend:
    def search_products(self, query: ProductQuery) -> Sequence:
        """Products matching the query, sliceable and countable for a paginator."""
        raise NotImplementedError
