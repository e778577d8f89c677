"""A mail server that is away: every send raises what smtplib raises."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class ServerAwayBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
