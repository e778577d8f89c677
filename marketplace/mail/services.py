"""Writing messages into the outbox and delivering them from it."""

import base64
import datetime
import logging
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from .models import OutboxMail, OutboxStatus

logger = logging.getLogger(__name__)


def _attachment(item) -> list:
    if isinstance(item, MIMEBase):
        filename, content, mimetype = item.get_filename(), item.get_payload(decode=True), item.get_content_type()
    else:
        filename, content, mimetype = item
    if isinstance(content, str):
        content = content.encode()
    return [filename, base64.b64encode(content).decode("ascii"), mimetype]


def outbox_queue(*, messages) -> list[OutboxMail]:
    """The messages as rows in the caller's transaction; each is enqueued for delivery on commit."""
    rows = [
        OutboxMail(
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL, to=list(message.to), cc=list(message.cc),
            bcc=list(message.bcc), reply_to=list(message.reply_to), headers=dict(message.extra_headers),
            subject=str(message.subject), body=str(message.body),
            html=next((str(content) for content, mimetype in getattr(message, "alternatives", [])
                       if mimetype == "text/html"), ""),
            attachments=[_attachment(item) for item in message.attachments],
        )
        for message in messages if message.recipients()
    ]
    OutboxMail.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    # robust: a task queue that is away must not undo the sender's committed change;
    # the row stays queued and `send_outbox` sends it.
    transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return rows


def _enqueue(ids) -> None:
    from .tasks import send_outbox_mail

    for pk in ids:
        send_outbox_mail.enqueue(pk)


def _message(mail: OutboxMail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(mail.subject, mail.body, mail.from_email, mail.to, mail.bcc, connection,
                                     headers=mail.headers, cc=mail.cc, reply_to=mail.reply_to)
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    for filename, content, mimetype in mail.attachments:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def retry_delay(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 ... times OUTBOX_RETRY_SECONDS after the n-th failed attempt."""
    return datetime.timedelta(seconds=settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def outbox_send(*, mail_id: int) -> bool:
    """Hand one queued mail to the delivery backend. The row is locked while it is sent, so the
    task and `send_outbox` never send it twice; a failure is counted, and the mail tried again
    later until OUTBOX_MAX_ATTEMPTS, then marked failed. True if it was sent now."""
    with transaction.atomic():
        mail = (OutboxMail.objects.select_for_update(skip_locked=True)
                .filter(pk=mail_id, status=OutboxStatus.QUEUED).first())
        if mail is None:  # already sent, given up, or being sent by another worker right now
            return False
        mail.attempts += 1
        try:
            _message(mail, get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)).send()
        except Exception as error:  # SMTPException, OSError, a timeout: whatever the server's absence raises
            logger.warning("Outbox mail %s not sent (attempt %s)", mail.pk, mail.attempts, exc_info=True)
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            if mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                mail.status = OutboxStatus.FAILED
            else:
                mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
            mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        else:
            mail.status, mail.sent_at, mail.last_error = OutboxStatus.SENT, timezone.now(), ""
            mail.save(update_fields=["attempts", "last_error", "status", "sent_at"])
            return True
    if mail.status == OutboxStatus.QUEUED:
        _retry_later(mail)
    return False


def _retry_later(mail: OutboxMail) -> None:
    """The database task backend defers the next attempt; one that cannot (the test's immediate
    backend) leaves the mail queued for `send_outbox`."""
    from .tasks import send_outbox_mail

    if send_outbox_mail.get_backend().supports_defer:
        send_outbox_mail.using(run_after=mail.next_attempt_at).enqueue(mail.pk)


def outbox_send_queued(*, include_failed: bool = False) -> dict[str, int]:
    """Send whatever is queued (after an outage, or from cron), oldest first; with include_failed,
    mails that had given up get one more attempt each."""
    if include_failed:
        OutboxMail.objects.filter(status=OutboxStatus.FAILED).update(status=OutboxStatus.QUEUED)
    sent = 0
    for pk in OutboxMail.objects.filter(status=OutboxStatus.QUEUED).order_by("pk").values_list("pk", flat=True):
        sent += outbox_send(mail_id=pk)
    left = OutboxMail.objects.filter(status=OutboxStatus.QUEUED).count()
    failed = OutboxMail.objects.filter(status=OutboxStatus.FAILED).count()
    return {"sent": sent, "queued": left, "failed": failed}
