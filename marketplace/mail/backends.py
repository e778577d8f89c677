"""`EMAIL_BACKEND` for the whole site: a message becomes an outbox row, nothing leaves yet."""

from django.core.mail.backends.base import BaseEmailBackend


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from .services import outbox_queue

        return len(outbox_queue(messages=list(email_messages or [])))
