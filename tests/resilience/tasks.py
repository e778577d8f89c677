"""A task that records each run it commits, as the resilience tests' worker runs it."""

import os

from django.db import connection, transaction
from django_tasks import task

SETUP_SQL = "CREATE TABLE resilience_run (label text NOT NULL, pid integer NOT NULL)"


@task(takes_context=True)
def record_run(context, label: str, seconds: float = 0.0) -> str:
    """Works for `seconds` (on its first attempt) inside its transaction, then records the
    run: all-or-nothing, so a run cut off by a lost database or worker leaves no trace."""
    with transaction.atomic(), connection.cursor() as cursor:
        if context.attempt == 1:
            cursor.execute("SELECT pg_sleep(%s)", [seconds])
        cursor.execute("INSERT INTO resilience_run (label, pid) VALUES (%s, %s)", [label, os.getpid()])
    return label
