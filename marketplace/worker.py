"""The task worker that outlives its database (`manage.py run_worker`).

django-tasks' `db_worker` lets any database error other than "database is locked"
end the process, and a task it had claimed stays "running" in the table for ever:
nothing runs it again. This worker runs the same loop and, on a lost database,
closes its connections, waits with a growing pause and carries on (the embedded
PostgreSQL is started again by its backend, marketplace.embedded_backend).

A task whose worker lost the database or died (kill -9, out of memory, power) is
put back in the queue once, then marked failed if it is cut off again. So a task may
run twice after a crash in the wrong instant: tasks must be idempotent. Ours are:
expire_checkout expires a checkout only while it still awaits payment; send_payouts
takes only payouts not yet sent, and a provider that confirms itself is called with
each payout's fixed idempotency key.

Which "running" task has lost its worker: every worker holds a PostgreSQL advisory
lock named after its id on a connection of its own, kept by a thread. PostgreSQL
drops that lock the moment the process dies; after a database restart every live
worker takes its lock again within a few lease intervals, and until then
(`grace`) no other worker judges anyone's tasks.
"""

import logging
import threading
import time
import zlib

from django.db import InterfaceError, OperationalError, connection, connections, transaction
from django.dispatch import Signal
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("django_tasks_db")

LEASE_NAMESPACE = 0x5041  # the first key of our advisory locks ("PA"), apart from any other use
ATTEMPTS = 2  # a task cut off by a lost database or worker runs once more, not again and again
# What a task raises when its connection dies (also on a deadlock or serialization failure,
# for which running it once more is right too).
DATABASE_LOST = {"django.db.utils.OperationalError", "django.db.utils.InterfaceError"}
MAX_PAUSE = 30.0  # seconds between reconnection attempts, at most

# Sent when a worker starts and then at every sweep (4 lease intervals): work a crash may
# have left with no task (search's journal of index changes) is queued again by whoever
# connected to it; this module imports none of them.
worker_sweep = Signal()


def _sweep_others() -> None:
    for receiver, result in worker_sweep.send_robust(sender=ResilientWorker):
        if isinstance(result, Exception):
            logger.warning("Worker sweep %r failed: %s", receiver, _first_line(result))


class WorkerLost(Exception):
    """Recorded on a task whose worker was lost twice while running it."""


def lease_key(worker_id: str) -> int:
    return zlib.crc32(worker_id.encode()) & 0x7FFFFFFF


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


class Lease(threading.Thread):
    """The advisory lock that says "this worker is alive", kept on its own connection."""

    def __init__(self, worker_id: str, *, interval: float, grace: float, sweep_every: float):
        super().__init__(name=f"lease-{worker_id}", daemon=True)  # dies with the process, as it must
        self.key = lease_key(worker_id)
        self.interval = interval
        self.grace = grace
        self.sweep_every = sweep_every
        self.held = threading.Event()

    def run(self) -> None:
        wrapper = None
        next_sweep = time.monotonic() + self.grace  # the worker's own first look may come too early
        while True:
            try:
                if wrapper is None:
                    wrapper = connections.create_connection("default")  # not the tasks' connection
                    with wrapper.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LEASE_NAMESPACE, self.key])
                    self.held.set()
                else:
                    with wrapper.cursor() as cursor:
                        cursor.execute("SELECT 1")
                if time.monotonic() >= next_sweep:  # tasks of workers that died while we ran
                    next_sweep = time.monotonic() + self.grace  # the worker's own first look may come too early
                    tasks_recover(grace=self.grace)
                    _sweep_others()
                    connection.close()  # this thread's own default connection, used by the sweep
            except Exception as error:  # whatever happens, this thread must go on holding the lease
                if self.held.is_set():
                    logger.warning("Worker lease lost (%s); reconnecting", _first_line(error))
                self.held.clear()
                if wrapper is not None:
                    wrapper.close()
                    wrapper = None
                connection.close()
            time.sleep(self.interval)


def tasks_recover(*, grace: float, worker_id: str | None = None) -> int:
    """Put back "running" tasks whose worker is gone (or is `worker_id`, which lost its
    database mid-task); a task cut off a second time is marked failed. Says how many."""
    recovered = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT extract(epoch FROM now() - pg_postmaster_start_time())")
            (uptime,) = cursor.fetchone()
            cursor.execute(
                "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objsubid = 2"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                [LEASE_NAMESPACE],
            )
            alive = {int(objid) for (objid,) in cursor.fetchall()}
        # A sweep skips rows another worker's sweep holds; a worker taking back its own cut-off
        # task waits for that sweep instead, or the task would stay "running" for good.
        for result in DBTaskResult.objects.running().select_for_update(skip_locked=worker_id is None):
            claimed_by = result.worker_ids[-1] if result.worker_ids else ""
            if claimed_by != worker_id and (uptime < grace or lease_key(claimed_by) in alive):
                continue
            if not _run_again(result):
                result.set_failed(WorkerLost(f"worker {claimed_by} lost while running the task"))
            recovered += 1
    return recovered


def _run_again(result: DBTaskResult) -> bool:
    """Queue a cut-off task again unless it has had its ATTEMPTS; say whether it was."""
    if len(result.worker_ids) >= ATTEMPTS:
        logger.error("Task id=%s was cut off %d times; not run again", result.id, ATTEMPTS)
        return False
    logger.warning("Task id=%s was cut off (worker %s); queued again", result.id, result.worker_ids[-1:])
    result.status = TaskResultStatus.READY
    result.started_at = result.finished_at = None
    result.exception_class_path = result.traceback = ""
    result.save(update_fields=["status", "started_at", "finished_at", "exception_class_path", "traceback"])
    return True


class ResilientWorker(Worker):
    """db_worker's loop, resumed after the database comes back."""

    def __init__(self, *, lease_interval: float, **options):
        super().__init__(**options)
        self.grace = 4 * lease_interval
        self.lease = Lease(self.worker_id, interval=lease_interval, grace=self.grace,
                           sweep_every=12 * lease_interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """A task that failed because the database went away under it (and came back by the
        time db_worker recorded the failure) is queued again: it did not fail, it was cut off."""
        super().run_task(db_task_result)
        if (db_task_result.status == TaskResultStatus.FAILED
                and db_task_result.exception_class_path in DATABASE_LOST):
            _run_again(db_task_result)

    def run(self) -> None:
        self.lease.start()
        pause = 0.5
        while True:
            try:
                # Before the first claim: others must see this worker alive once it runs a task.
                while not self.lease.held.wait(timeout=1):
                    logger.warning("Waiting for the database before taking tasks")
                tasks_recover(grace=self.grace, worker_id=self.worker_id)
                _sweep_others()
                pause = 0.5
                super().run()
                return
            except (OperationalError, InterfaceError) as error:  # the connection, not the query
                if not self.running:
                    return
                logger.warning("Database lost (%s); trying again in %.1f s", _first_line(error), pause)
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
