"""One search, two engines behind the same interface.

Views call `get_backend().search_products(query)` and never ask which engine answers:
PostgreSQL full text on the embedded default, Elasticsearch when ELASTICSEARCH_URL is
set. Both engines are written by `search.indexing` from the same documents; PostgreSQL
is always kept, so it can answer while the cluster is away.
"""

from django.conf import settings

from .base import FACETS, PRICE_BANDS, IndexUnavailable, ProductQuery, ProductResults, SearchBackend
from .postgres import PostgresBackend


def engines() -> list[SearchBackend]:
    """Every engine the index is written to: PostgreSQL, and Elasticsearch when set."""
    found = [PostgresBackend()]
    if settings.ELASTICSEARCH_URL:
        from .elastic import ElasticBackend

        found.append(ElasticBackend.configured())
    return found


def get_backend() -> SearchBackend:
    """The engine that answers searches: the last of `engines()`."""
    return engines()[-1]


__all__ = ["FACETS", "PRICE_BANDS", "IndexUnavailable", "ProductQuery", "ProductResults", "SearchBackend",
           "engines", "get_backend"]
