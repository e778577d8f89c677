"""`manage.py run_worker`: django-tasks' db_worker that survives a database restart."""

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from marketplace.worker import ResilientWorker


class Command(db_worker.Command):
    help = "Run the background task worker; it waits for a lost database and carries on."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--lease-interval", type=db_worker.valid_interval, default=5.0,
            help="Seconds between the worker's liveness checks; tasks of a dead worker are "
                 "taken back after 4 such intervals (default: %(default)r)",
        )

    def handle(self, *, verbosity, queue_name, exclude_queues, lease_interval, batch, reload, **options):
        self.configure_logging(verbosity)
        if lease_interval <= 0:
            raise CommandError("--lease-interval must be greater than zero")
        if reload:  # db_worker's default under DEBUG; a restart would cut off the running task
            self.stderr.write("run_worker does not reload on code changes; restart it yourself.")
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            lease_interval=lease_interval, queue_names=queue_names, excluded_queue_names=excluded,
            batch=batch, interval=options["interval"], backend_name=options["backend_name"],
            startup_delay=options["startup_delay"], max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
