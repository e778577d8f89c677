"""One search, two engines behind the same interface.

Views call `get_backend().search_products(query)` and never ask which engine
answers: PostgreSQL full text on the embedded default, Elasticsearch when
ELASTICSEARCH_URL is set (the search issue adds that engine here).
"""

from functools import cache

from .base import ProductQuery, SearchBackend
from .postgres import PostgresBackend


@cache
def get_backend() -> SearchBackend:
    return PostgresBackend()


__all__ = ["ProductQuery", "SearchBackend", "get_backend"]
