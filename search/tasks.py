"""The index's background work, run by `manage.py run_worker`."""

import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)
MAX_DELAY = timezone.timedelta(minutes=5)


@task(priority=10)
def sync_index(attempt: int = 0) -> int:
    """Enqueued when a change commits; while an engine is away, deferred again with
    backoff (10 s, 20 s, 40 s … at most 5 minutes) with the changes still pending.
    Ahead of Wagtail's indexing chores in the queue (priority 0): a product sold out or a
    shop frozen must leave the results within seconds, even after a bulk edit of pages.
    Changes whose task was lost are taken by the next run, or by the worker's sweep
    (indexing.pending_resume)."""
    from .indexing import IndexUnavailable, sync_pending

    try:
        return sync_pending()
    except IndexUnavailable as error:
        delay = min(timezone.timedelta(seconds=10 * 2 ** attempt), MAX_DELAY)
        logger.warning("search index unavailable (%s); trying again in %s", error, delay)
        sync_index.using(run_after=timezone.now() + delay).enqueue(attempt + 1)
        return 0
