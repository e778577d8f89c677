"""Delivery of the outbox, run by `manage.py db_worker`."""

from django_tasks import task


@task()
def send_outbox_mail(mail_id: int) -> bool:
    """Enqueued when the row is committed; deferred again with backoff while the server is away."""
    from .services import outbox_send

    return outbox_send(mail_id=mail_id)
