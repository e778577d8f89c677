"""Every e-mail is a row of the outbox first; a mail server that is away loses nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from marketplace.mail.models import OutboxMail, OutboxStatus
from marketplace.mail.services import outbox_send

pytestmark = pytest.mark.django_db
SERVER_AWAY = "tests.mail.failing.ServerAwayBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def server_away(settings):
    settings.OUTBOX_DELIVERY_BACKEND = SERVER_AWAY
    return settings


def test_each_mail_is_a_row_and_is_sent_once_the_change_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Pesanan A", "Isi A", None, ["a@example.test"])
        send_mail("Pesanan B", "Isi B", None, ["b@example.test", "c@example.test"])

    rows = list(OutboxMail.objects.order_by("pk").filter(subject__startswith="Pesanan "))
    assert [(r.subject, r.to, r.status, r.attempts) for r in rows] == [
        ("Pesanan A", ["a@example.test"], OutboxStatus.SENT, 1),
        ("Pesanan B", ["b@example.test", "c@example.test"], OutboxStatus.SENT, 1)]
    assert all(r.sent_at and r.sent_at >= r.created_at for r in rows)
    assert [(m.subject, m.to) for m in mail.outbox] == [("Pesanan A", ["a@example.test"]),
                                                         ("Pesanan B", ["b@example.test", "c@example.test"])]


def test_nothing_leaves_before_the_senders_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_mail("Belum", "Isi", None, ["a@example.test"])

        assert OutboxMail.objects.get(subject="Belum").status == OutboxStatus.QUEUED
        assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_rolled_back_change_mails_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            send_mail("Tidak jadi", "Isi", None, ["a@example.test"])
            raise RuntimeError("the change failed after the mail was asked for")

    assert not OutboxMail.objects.filter(subject="Tidak jadi").exists()
    assert mail.outbox == []


def test_html_and_attachments_are_kept(django_capture_on_commit_callbacks):
    message = EmailMultiAlternatives("Laporan", "Teks", "pasar@localhost", ["a@example.test"], cc=["b@example.test"],
                                     reply_to=["balas@example.test"])
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("laporan.csv", "a,b\n1,2\n", "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        message.send()

    [sent] = mail.outbox
    assert sent.alternatives[0][0] == "<p>HTML</p>" and sent.cc == ["b@example.test"]
    assert sent.reply_to == ["balas@example.test"]
    assert sent.attachments[0][0] == "laporan.csv" and sent.attachments[0][1] == "a,b\n1,2\n"
    assert OutboxMail.objects.get(subject="Laporan").recipients() == ["a@example.test", "b@example.test"]


def test_a_mail_server_that_is_away_leaves_the_mail_queued_and_send_outbox_sends_it_once(
        server_away, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Aktifkan akun", "Isi", None, ["a@example.test"])

    row = OutboxMail.objects.get(subject="Aktifkan akun")
    assert row.status == OutboxStatus.QUEUED and row.attempts == 1
    assert "SMTPServerDisconnected" in row.last_error and row.sent_at is None
    assert row.next_attempt_at > timezone.now()  # backoff before the next try
    assert mail.outbox == []

    server_away.OUTBOX_DELIVERY_BACKEND = LOCMEM  # the server is back
    call_command("send_outbox")
    call_command("send_outbox")

    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 2 and row.last_error == ""
    assert [m.subject for m in mail.outbox] == ["Aktifkan akun"]


def test_while_the_server_is_away_the_task_is_deferred_with_growing_delays(server_away):
    server_away.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from marketplace.mail.tasks import send_outbox_mail

    with transaction.atomic():
        send_mail("Nanti", "Isi", None, ["a@example.test"])
    row = OutboxMail.objects.get(subject="Nanti")
    backend = send_outbox_mail.get_backend()
    backend.clear()

    delays = []
    for _attempt in range(3):
        before = timezone.now()
        outbox_send(mail_id=row.pk)
        row.refresh_from_db()
        delays.append(round((row.next_attempt_at - before).total_seconds() / 60))

    assert delays == [1, 2, 4]
    assert [(list(r.args), r.task.run_after) for r in backend.results][-1] == ([row.pk], row.next_attempt_at)
    assert len(backend.results) == 3 and row.status == OutboxStatus.QUEUED


def test_after_the_last_attempt_the_mail_is_failed_and_the_regency_admin_sees_it(
        client, server_away, django_capture_on_commit_callbacks):
    server_away.OUTBOX_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Reset kata sandi", "Isi", None, ["a@example.test"])
    call_command("send_outbox")
    call_command("send_outbox")  # a failed mail is not tried again by itself

    row = OutboxMail.objects.get(subject="Reset kata sandi")
    assert row.status == OutboxStatus.FAILED and row.attempts == 2
    client.force_login(get_user_model().objects.get(username="admin"))
    listing = client.get("/admin/surat-keluar/").content.decode()
    assert "Reset kata sandi" in listing and "a@example.test" in listing and "SMTPServerDisconnected" in listing
    assert "Gagal" in listing
    assert "Surat keluar (1 gagal)" in client.get("/admin/").content.decode()

    server_away.OUTBOX_DELIVERY_BACKEND = LOCMEM
    call_command("send_outbox", "--failed")
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and [m.subject for m in mail.outbox] == ["Reset kata sandi"]


@pytest.mark.parametrize("username", ["pengelola.bungaraya", "editor.bungaraya"])
def test_only_the_regency_admin_reads_the_outbox(client, username, server_away, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Rahasia pembeli", "Isi", None, ["pembeli@example.test"])
    user = get_user_model().objects.filter(username=username).first()
    assert user is not None, f"the demo has no {username}"
    client.force_login(user)

    response = client.get("/admin/surat-keluar/")

    assert response.status_code in (302, 403)
    assert "pembeli@example.test" not in response.content.decode()


def test_django_and_oscar_account_mail_goes_through_the_outbox(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/toko/password-reset/", {"email": "admin@siakkab.test"}, REMOTE_ADDR="10.9.9.9")

    row = OutboxMail.objects.get(to=["admin@siakkab.test"])
    assert row.status == OutboxStatus.SENT and "/toko/password-reset/confirm/" in row.body
    assert [m.to for m in mail.outbox] == [["admin@siakkab.test"]]
