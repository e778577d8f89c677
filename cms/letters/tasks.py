"""The letters' background work, run by `manage.py run_worker`."""

from django.core.cache import cache
from django_tasks import task

PURGE_EVERY = 60 * 60  # seconds: documents go within an hour of their retention running out


@task()
def purge_documents() -> int:
    """Closed requests' documents past their retention, and files stashed by a form that
    was never sent again."""
    from .services import documents_purge
    from .stash import stash_purge

    stash_purge()
    return documents_purge()


def purge_when_due(**kwargs) -> None:
    """On the worker's sweep: at most once an hour across every worker (the shared cache)."""
    if cache.add("letters:purge-documents", True, timeout=PURGE_EVERY):
        purge_documents.enqueue()
