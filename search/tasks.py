"""The index's background work, run by `manage.py run_worker`."""

import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)
MAX_DELAY = timezone.timedelta(minutes=5)


@task()
def sync_index(attempt: int = 0) -> int:
    """Enqueued when a change commits; while an engine is away, deferred again with
    backoff (10 s, 20 s, 40 s … at most 5 minutes) with the changes still pending."""
    from .indexing import IndexUnavailable, sync_pending

    try:
        return sync_pending()
    except IndexUnavailable as error:
        delay = min(timezone.timedelta(seconds=10 * 2 ** attempt), MAX_DELAY)
        logger.warning("search index unavailable (%s); trying again in %s", error, delay)
        sync_index.using(run_after=timezone.now() + delay).enqueue(attempt + 1)
        return 0
