"""The test settings with tasks in the database, for the worker and servers these tests start.

With PASAR_VAR_DIR pointing at a temporary directory the database is an embedded
PostgreSQL of its own there, so stopping it leaves the suite's server alone.
"""

from marketplace.settings.test import *  # noqa: F403

# Each test on a queue of its own (tests/resilience/conftest.py QUEUES).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "restart", "embedded", "killed"]}}
