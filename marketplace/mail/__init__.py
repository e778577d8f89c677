"""Every e-mail the site sends is first a row of one outbox, then sent by a task.

Why a package of its own next to the stages rather than inside one: mail is not a
commerce stage. Our stages' `emails.py`, Oscar's and Django's account mail (registration,
password reset) and Wagtail's notifications all go through `EMAIL_BACKEND`, which is
`backends.OutboxBackend`: it writes the message as an `OutboxMail` row in the sender's
transaction (so a rolled-back change mails nothing) and, on commit, enqueues a task that
hands it to `OUTBOX_DELIVERY_BACKEND` (SMTP, or the console on a village PC). A mail
server that is away leaves the row queued with the error and the attempt counted; it is
tried again later (the task deferred with backoff, and `manage.py send_outbox`), and after
`OUTBOX_MAX_ATTEMPTS` it is marked failed and listed for the regency admin. The model's app
label is `marketplace` (imported by marketplace/models.py), like the stages' models.
"""
