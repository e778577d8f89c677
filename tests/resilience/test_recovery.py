"""Which "running" tasks are taken back: those whose worker is gone, once; never a live one's."""

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from marketplace.worker import LEASE_NAMESPACE, lease_key, tasks_recover


def running(*worker_ids):
    return DBTaskResult.objects.create(
        task_path="tests.resilience.tasks.record_run", args_kwargs={"args": ["x"], "kwargs": {}},
        backend_name="default", status="RUNNING", worker_ids=list(worker_ids),
    )


@pytest.mark.django_db
def test_tasks_of_dead_workers_are_queued_again_once_and_a_live_workers_task_is_left_alone():
    with connection.cursor() as cursor:  # "alive" holds its lease (until this test's transaction ends)
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LEASE_NAMESPACE, lease_key("alive")])
    dead = running("dead")
    dead_again = running("dead", "dead-too")
    live = running("alive")

    assert tasks_recover(grace=0) == 2

    dead.refresh_from_db()
    dead_again.refresh_from_db()
    live.refresh_from_db()
    assert (dead.status, dead.started_at) == ("READY", None)
    assert dead_again.status == "FAILED"
    assert dead_again.exception_class_path == "marketplace.worker.WorkerLost"
    assert live.status == "RUNNING"


@pytest.mark.django_db
def test_no_task_is_judged_while_live_workers_may_still_be_reconnecting():
    """Right after the server (re)started, every lease is gone, the live workers' too."""
    task = running("dead")

    assert tasks_recover(grace=10**9) == 0  # the server has not been up that long

    task.refresh_from_db()
    assert task.status == "RUNNING"


@pytest.mark.django_db
def test_a_worker_takes_back_its_own_cut_off_task_although_its_lease_is_held():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LEASE_NAMESPACE, lease_key("me")])
    task = running("me")

    assert tasks_recover(grace=10**9, worker_id="me") == 1

    task.refresh_from_db()
    assert task.status == "READY"
