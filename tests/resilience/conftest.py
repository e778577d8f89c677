"""A PostgreSQL of these tests' own, in a temporary directory: they stop and kill things,
and the suite's shared server must not notice.

One Django start sets it up (the tasks table, the run table, every test's tasks, each
test on a queue of its own), since each start of Django costs seconds.
"""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from marketplace import embedded_db

QUEUES = {  # queue: [(label, seconds of work on the first attempt)]
    "restart": [("slow", 3.0), ("quick-1", 0), ("quick-2", 0), ("quick-3", 0)],
    "embedded": [("slow", 3.0), ("quick-1", 0), ("quick-2", 0)],
    "killed": [("long", 60.0)],
}

SETUP = f"""
from django.db import connection
from django_tasks_db.models import DBTaskResult
from tests.resilience.tasks import SETUP_SQL, record_run
with connection.schema_editor() as editor:  # only this table: migrate would set up the whole site
    editor.create_model(DBTaskResult)
with connection.cursor() as cursor:
    cursor.execute(SETUP_SQL)
for queue, runs in {QUEUES!r}.items():
    for label, seconds in runs:
        record_run.using(queue_name=queue).enqueue(queue + ":" + label, seconds)
"""


@dataclass
class Spare:
    pgdata: Path
    env: dict  # a process on the embedded server of the temporary directory
    url: str

    def external_env(self) -> dict:
        """The same server named by DATABASE_URL, as production names its database."""
        return {**self.env, "DATABASE_URL": self.url}

    def query(self, sql: str, params=()) -> list:
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def results(self, queue: str) -> dict:
        rows = self.query("SELECT args_kwargs, status, worker_ids FROM django_tasks_database_dbtaskresult "
                          "WHERE queue_name = %s", [queue])
        return {args["args"][0]: (status, worker_ids) for args, status, worker_ids in rows}

    def runs(self, queue: str) -> list:
        return sorted(self.query("SELECT label, pid FROM resilience_run WHERE label LIKE %s", [queue + ":%"]))

    def is_up(self) -> bool:
        try:
            self.query("SELECT 1")
        except psycopg.OperationalError:
            return False
        return True


@pytest.fixture(scope="session")
def spare(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="tests.resilience.settings", PASAR_VAR_DIR=str(var),
               PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], cwd=settings.BASE_DIR, env=env,
                   check=True, timeout=120)
    url = embedded_db.database_url(var / "pgdata")
    yield Spare(pgdata=var / "pgdata", env=env, url=url)
    embedded_db.stop(var / "pgdata")


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)
    return value
