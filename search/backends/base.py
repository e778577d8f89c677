from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..documents import ProductDoc

# Price bands of the facet, in rupiah: below 25.000, 25.000 to 49.999, … 250.000 and up.
PRICE_BANDS = (25_000, 50_000, 100_000, 250_000)
FACETS = ("kecamatan", "kampung", "category", "price", "halal", "pirt", "stock")


@dataclass(frozen=True, kw_only=True)
class ProductQuery:
    """What a buyer asked for; every field is optional."""

    text: str = ""
    category_id: int | None = None  # the category and everything filed below it
    kecamatan_code: str = ""
    kampung_slug: str = ""
    min_price: int | None = None
    max_price: int | None = None
    halal: bool = False
    pirt: bool = False
    include_sold_out: bool = False
    sort: str = "relevance"  # relevance, price-asc, price-desc, newest, best-selling, title


@dataclass(kw_only=True)
class ProductResults:
    """One page of an answer, the same shape from either engine.

    `facets` holds raw counts per facet (FACETS) and value: codes, slugs, category ids,
    price band numbers (0 below PRICE_BANDS[0]), 'true'/'false'; every count is of the
    products the buyer sees except `stock`, which also counts those sold out.
    `corrected` names the words searched instead of the buyer's (one typo each), and
    `suggestion` a query to try when nothing was found."""

    products: Sequence
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    corrected: str = ""
    suggestion: str = ""


class IndexUnavailable(Exception):
    """The engine cannot be reached; the change stays in the journal and is tried again."""


class SearchBackend:
    name = ""

    def search_products(self, query: ProductQuery, *, offset: int = 0, limit: int = 24) -> ProductResults:
        raise NotImplementedError

    def suggest(self, text: str, *, limit: int = 8) -> list[str]:
        """Product names for a half-typed query, best first."""
        raise NotImplementedError

    def write(self, docs: list[ProductDoc], removed: set[int]) -> None:
        """Make the index hold these documents and none of the removed products."""
        raise NotImplementedError

    def rebuild(self, batches: Iterator[list[ProductDoc]]) -> None:
        """Replace the whole index by these documents while searches go on."""
        raise NotImplementedError
