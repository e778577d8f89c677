"""The buyer's word before money moves: received, complaint, refund or decision, then settlement."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from marketplace.constants import OrderStatus
from marketplace.errors import UserError
from marketplace.orders.models import Complaint, ComplaintPhoto, ComplaintStatus
from marketplace.orders.services import (
    complaint_decide,
    complaint_open,
    complaint_reply,
    shop_order_advance,
    shop_orders_complete,
)
from marketplace.orders.tasks import complete_shop_order
from marketplace.payments.services import payment_confirm_bank_transfer, refund_issue
from marketplace.settlements.models import SettlementLine
from marketplace.settlements.selectors import ledger_problems
from marketplace.settlements.services import settlements_run
from shops.constants import AuditAction
from shops.models import AuditEntry
from tests import factories
from tests.factories.uploads import SVG, bomb_png, image_bytes, upload, zip_bytes

from tests.payments.conftest import honey_and_rice

from .conftest import User, buyer_url, days_later, move_delivery_back, user

pytestmark = pytest.mark.django_db


def status(shop_order):
    shop_order.order.refresh_from_db()
    return shop_order.order.status


def settled_line(shop_order, now):
    settlements_run(now=now)
    return SettlementLine.objects.filter(shop_order=shop_order).first()


def test_received_completes_the_order_and_it_settles_at_once(client, rice):
    page = client.get(rice.checkout.get_absolute_url()).content.decode()
    honey = rice.checkout.shop_orders.exclude(pk=rice.pk).get()

    response = client.post(buyer_url(rice, "diterima/"), follow=True)

    assert page.count("Pesanan diterima</button>") == 1  # the rice only: the honey is not delivered yet
    assert "Ajukan komplain" in page
    assert status(rice) == OrderStatus.COMPLETED
    assert "Pesanan %s selesai" % rice.order.number in response.content.decode()
    line = settled_line(rice, now=days_later(0))
    assert line is not None and line.refunded == 0
    assert not SettlementLine.objects.filter(shop_order=honey).exists()
    # once received, no complaint any more
    refused = client.post(buyer_url(rice, "komplain/"), {"reason": "damaged", "text": "Basah"})
    assert refused.status_code == 400 and "komplain tidak bisa diajukan lagi" in refused.content.decode()


def test_received_is_refused_before_delivery_and_while_a_complaint_is_open(client, rice, complaint):
    honey = rice.checkout.shop_orders.exclude(pk=rice.pk).get()

    client.post(buyer_url(honey, "diterima/"))
    page = client.post(buyer_url(rice, "diterima/"), follow=True).content.decode()

    assert status(honey) == OrderStatus.PROCESSING  # not delivered: nothing to confirm
    assert status(rice) == OrderStatus.DELIVERED
    assert "masih terbuka" in page


def test_an_order_completes_by_itself_after_the_set_days_unless_a_complaint_is_open(rice, settings, capsys):
    settings.ORDER_AUTO_COMPLETE_DAYS = 3

    assert shop_orders_complete(now=days_later(2)) == 0
    assert shop_orders_complete(now=days_later(3.1)) == 1
    assert status(rice) == OrderStatus.COMPLETED
    assert shop_orders_complete(now=days_later(10)) == 0  # once


def test_the_sweep_command_skips_orders_with_an_open_complaint(rice, complaint, capsys):
    move_delivery_back(rice, 30)

    call_command("complete_orders")
    assert status(rice) == OrderStatus.DELIVERED
    assert "0 pesanan selesai" in capsys.readouterr().out

    complaint_decide(complaint=complaint, outcome="rejected", note="Foto tidak menunjukkan kerusakan.",
                     acting_user=user("admin"))
    assert status(rice) == OrderStatus.COMPLETED  # its time had come: it completes as the complaint closes


def test_delivery_defers_completion_to_its_moment(admin, settings, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.ORDER_AUTO_COMPLETE_DAYS = 5
    checkout = factories.place(honey_and_rice())
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)
    shop_order = checkout.shop_orders.first()
    for step in (OrderStatus.PACKED, OrderStatus.SHIPPED):
        shop_order_advance(shop_order=shop_order, status=step, acting_user=admin)
    with django_capture_on_commit_callbacks(execute=True):
        shop_order_advance(shop_order=shop_order, status=OrderStatus.DELIVERED, acting_user=admin)

    shop_order.refresh_from_db()
    scheduled = [r for r in default_task_backend.results if r.task.func == complete_shop_order.func]
    assert len(scheduled) == 1 and scheduled[0].args == [shop_order.pk]
    assert scheduled[0].task.run_after == shop_order.delivered_at + datetime.timedelta(days=5)
    assert complete_shop_order.call(shop_order.pk) is False  # not yet due
    move_delivery_back(shop_order, 6)
    assert complete_shop_order.call(shop_order.pk) is True


def test_a_complaint_after_the_return_window_is_refused_with_a_message(client, rice, settings):
    settings.RETURN_WINDOW_DAYS = 3
    move_delivery_back(rice, 4)

    page = client.get(rice.checkout.get_absolute_url()).content.decode()
    response = client.post(buyer_url(rice, "komplain/"), {"reason": "damaged", "text": "Basah"})

    assert "Ajukan komplain</a>" not in page
    assert response.status_code == 400
    assert "Batas waktu komplain pesanan %s sudah lewat" % rice.order.number in response.content.decode()
    assert not Complaint.objects.exists()


def test_one_open_complaint_per_order(rice, complaint):
    with pytest.raises(UserError, match="masih terbuka"):
        complaint_open(shop_order=rice, reason="other", text="Lagi")


def test_an_open_complaint_holds_the_order_out_of_settlement(rice, complaint):
    assert settled_line(rice, now=days_later(30)) is None
    assert status(rice) == OrderStatus.DELIVERED


def test_complaint_refunded_in_full_closes_itself_and_settles_with_the_refund(client, rice, complaint, admin,
                                                                             django_capture_on_commit_callbacks):
    total = int(rice.order.total_incl_tax)
    client.force_login(admin)  # a bank transfer is paid back by the regency admin, from the complaint page
    back = f"/toko/kelola/komplain/{complaint.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/toko/kelola/pesanan/{rice.order.number}/kembalikan/",
                               {"amount": str(total), "reason": "Beras basah", "reference": "BRK-99", "next": back})

    complaint.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == back
    assert complaint.status == ComplaintStatus.RESOLVED and complaint.refunded == total
    assert AuditEntry.objects.filter(action=AuditAction.COMPLAINT_RESOLVE, object_id=str(complaint.pk)).exists()
    assert any("ditutup: Selesai: dana dikembalikan" in m.body for m in mail.outbox if rice.checkout.email in m.to)
    page = client.get(back).content.decode().replace("\xa0", " ")
    assert "Dana Rp %s dikembalikan" % f"{total:,}".replace(",", ".") in page
    line = settled_line(rice, now=days_later(30))
    assert line.refunded == total and line.net == 0
    assert ledger_problems() == []


def test_a_partial_refund_closes_the_complaint_when_the_shop_marks_it_resolved(client, rice, complaint, admin):
    manager = user("pengelola.bungaraya")
    refund_issue(shop_order=rice, amount=10_000, reason="Satu karung basah", acting_user=admin, reference="BRK-1")
    complaint.refresh_from_db()
    assert complaint.is_open and complaint.refunded == 10_000
    assert settled_line(rice, now=days_later(30)) is None

    client.force_login(manager)
    client.post(f"/toko/kelola/komplain/{complaint.pk}/putuskan/", {"outcome": "resolved", "note": "Sisanya diganti"})

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED and complaint.closed_by == manager
    line = settled_line(rice, now=days_later(30))
    assert line.refunded == 10_000 and line.net == line.gross - line.commission - 10_000
    assert ledger_problems() == []


def test_the_shop_cannot_mark_a_complaint_resolved_without_giving_money_back(client, complaint):
    client.force_login(user("pengelola.bungaraya"))

    response = client.post(f"/toko/kelola/komplain/{complaint.pk}/putuskan/", {"outcome": "resolved"})

    assert response.status_code == 400 and "Kembalikan dana dulu" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.is_open


def test_complaint_rejected_by_the_regency_admin_settles_normally(client, rice, complaint, admin,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(admin)
    url = f"/toko/kelola/komplain/{complaint.pk}/putuskan/"

    without_reason = client.post(url, {"outcome": "rejected", "note": ""})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"outcome": "rejected", "note": "Foto menunjukkan beras kering."})

    assert without_reason.status_code == 400 and "Tulis alasan penolakan" in without_reason.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REJECTED and complaint.outcome == "Foto menunjukkan beras kering."
    audit = AuditEntry.objects.get(action=AuditAction.COMPLAINT_REJECT, object_id=str(complaint.pk))
    assert audit.actor == admin and audit.new["status"] == "rejected"
    assert any("Foto menunjukkan beras kering." in m.body for m in mail.outbox if rice.checkout.email in m.to)
    buyer_page = Client().get(buyer_url(rice, "komplain/")).content.decode()
    assert "Ditolak admin kabupaten" in buyer_page and "Foto menunjukkan beras kering." in buyer_page
    assert settled_line(rice, now=days_later(0)) is None  # still inside the window
    line = settled_line(rice, now=days_later(30))
    assert line.refunded == 0 and line.net == int(rice.order.total_incl_tax) - rice.commission_amount


def test_the_shop_hears_of_a_complaint_and_the_buyer_of_the_reply(client, rice, django_capture_on_commit_callbacks):
    manager = user("pengelola.bungaraya")
    with django_capture_on_commit_callbacks(execute=True):
        opened = client.post(buyer_url(rice, "komplain/"), {
            "reason": "wrong_item", "text": "Yang datang beras merah.",
            "photos": [upload("a.png", image_bytes()), upload("b.jpg", image_bytes("JPEG"))]})
    to_shop = [m for m in mail.outbox if manager.email in m.to]
    complaint = Complaint.objects.get()

    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/toko/kelola/komplain/{complaint.pk}/", {"text": "Maaf, kami kirim ganti besok."})
    to_buyer = [m for m in mail.outbox if rice.checkout.email in m.to and "Balasan komplain" in m.subject]

    assert opened.status_code == 302
    assert ComplaintPhoto.objects.filter(message__complaint=complaint).count() == 2
    assert len(to_shop) == 1 and f"/toko/kelola/komplain/{complaint.pk}/" in to_shop[0].body
    assert "http://" in to_shop[0].body or "https://" in to_shop[0].body  # an absolute link
    assert len(to_buyer) == 1 and buyer_url(rice, "komplain/") in to_buyer[0].body
    assert "Maaf, kami kirim ganti besok." in Client().get(buyer_url(rice, "komplain/")).content.decode()
    orders_page = client.get("/toko/kelola/pesanan/?tab=komplain").content.decode()
    assert "Yang datang beras merah." in orders_page and "Maaf, kami kirim ganti besok." in orders_page


def test_the_buyer_withdraws_their_complaint(client, rice, complaint):
    client.post(buyer_url(rice, "komplain/batalkan/"))

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.WITHDRAWN
    assert settled_line(rice, now=days_later(30)) is not None


@pytest.mark.parametrize("content, name, message", [
    (zip_bytes(), "foto.jpg", "Berkas ini bukan foto yang bisa dibaca"),
    (SVG, "foto.png", "Berkas ini bukan foto yang bisa dibaca"),
    (b"<html><script>alert(1)</script></html>", "foto.webp", "Berkas ini bukan foto yang bisa dibaca"),
    (bomb_png(), "bom.png", "Gambar terlalu besar"),
    (image_bytes("GIF"), "animasi.gif", "Foto harus JPEG, PNG atau WebP, bukan GIF"),
])
def test_a_hostile_file_is_refused_and_nothing_is_saved(client, rice, content, name, message):
    response = client.post(buyer_url(rice, "komplain/"), {
        "reason": "damaged", "text": "Rusak", "photos": [upload(name, content)]})

    assert response.status_code == 400
    body = response.content.decode()
    assert f'<div class="text-danger">{name}: {message}' in body
    assert "Rusak</textarea>" in body  # what the buyer wrote is kept
    assert not Complaint.objects.exists() and not ComplaintPhoto.objects.exists()


def test_more_than_three_photos_are_refused(client, rice):
    response = client.post(buyer_url(rice, "komplain/"), {
        "reason": "damaged", "text": "Rusak", "photos": [upload(f"{i}.png", image_bytes()) for i in range(4)]})

    assert response.status_code == 400 and "Paling banyak 3 foto." in response.content.decode()


def test_a_complaint_photo_is_shown_only_to_the_buyer_the_shop_and_the_regency_admin(client, rice):
    client.get(rice.checkout.get_absolute_url())  # the buyer's browser, holding the reference
    client.post(buyer_url(rice, "komplain/"), {"reason": "damaged", "text": "Lihat foto",
                                               "photos": [upload("a.png", image_bytes())]})
    url = f"/toko/komplain/foto/{ComplaintPhoto.objects.get().pk}/"

    def as_user(username):
        other = Client()
        other.force_login(user(username))
        return other.get(url).status_code

    assert client.get(url).status_code == 200
    assert client.get(url)["Content-Type"] == "image/png"
    assert Client().get(url).status_code == 404  # a stranger with the link
    assert as_user("pengelola.kerincikanan") == 404  # another shop's manager
    assert as_user("pengelola.bungaraya") == 200
    assert as_user("admin") == 200


def test_the_wrong_people_cannot_reply_or_decide(client, complaint, rice):
    other_manager, manager = user("pengelola.kerincikanan"), user("pengelola.bungaraya")

    with pytest.raises(PermissionDenied):
        complaint_reply(complaint=complaint, text="Halo", acting_user=other_manager)
    with pytest.raises(PermissionDenied):
        complaint_reply(complaint=complaint, text="Halo", acting_user=None)  # only the buyer's page claims the buyer
    with pytest.raises(PermissionDenied):
        complaint_decide(complaint=complaint, outcome="rejected", note="Bukan urusan Anda", acting_user=manager)

    client.force_login(other_manager)
    assert client.get(f"/toko/kelola/komplain/{complaint.pk}/").status_code == 404
    assert client.post(f"/toko/kelola/komplain/{complaint.pk}/", {"text": "Halo"}).status_code == 404
    assert client.post(f"/toko/kelola/komplain/{complaint.pk}/putuskan/",
                       {"outcome": "rejected", "note": "x"}).status_code == 404
    assert client.get("/toko/kelola/komplain/").status_code == 403  # the queue is the regency admin's
    client.force_login(manager)
    assert client.post(f"/toko/kelola/komplain/{complaint.pk}/putuskan/",
                       {"outcome": "rejected", "note": "Kami menolak"}).status_code == 403
    anonymous = Client()
    assert anonymous.post(f"/toko/kelola/komplain/{complaint.pk}/", {"text": "Halo"}).status_code == 302
    assert anonymous.get(f"/toko/pesanan/{rice.checkout.reference}/{rice.order.number}X/komplain/").status_code == 404
    complaint.refresh_from_db()
    assert complaint.is_open and complaint.messages.count() == 1


def test_hostile_text_is_escaped_on_every_page(client, rice, admin):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(buyer_url(rice, "komplain/"), {"reason": "damaged", "text": hostile})
    complaint = Complaint.objects.get()
    refund_issue(shop_order=rice, amount=1000, reason=hostile, acting_user=admin, reference="R1")
    complaint_decide(complaint=complaint, outcome="rejected", note=hostile, acting_user=admin)

    manager = Client()
    manager.force_login(user("pengelola.bungaraya"))
    staff = Client()
    staff.force_login(admin)
    pages = {
        "buyer order": client.get(rice.checkout.get_absolute_url()),
        "buyer complaint": client.get(buyer_url(rice, "komplain/")),
        "manager orders": manager.get("/toko/kelola/pesanan/?tab=selesai"),
        "manager complaint": manager.get(f"/toko/kelola/komplain/{complaint.pk}/"),
        "admin complaint": staff.get(f"/toko/kelola/komplain/{complaint.pk}/"),
        "admin queue": staff.get("/toko/kelola/komplain/"),
    }
    for name, response in pages.items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert "<script>alert" not in body and "<img src=x" not in body, name
    assert "&lt;script&gt;alert" in pages["buyer complaint"].content.decode()
    assert "&lt;script&gt;alert" in pages["manager complaint"].content.decode()


def test_the_regency_admin_queue_lists_open_complaints_and_the_wagtail_menu_counts_them(complaint, admin, client):
    client.force_login(admin)

    queue = client.get("/toko/kelola/komplain/").content.decode()
    menu = client.get("/admin/").content.decode()

    assert complaint.shop_order.order.number in queue
    assert "Komplain pembeli (1)" in menu


def test_complaint_messages_are_rate_limited_per_client(client, rice, settings):
    settings.COMPLAINT_MESSAGES_PER_HOUR_PER_IP = 1
    client.post(buyer_url(rice, "komplain/"), {"reason": "damaged", "text": "Pertama"})

    second = client.post(buyer_url(rice, "komplain/"), {"text": "Kedua"})

    assert second.status_code == 429 and "Terlalu banyak pesan komplain" in second.content.decode()
    assert Complaint.objects.get().messages.count() == 1


def test_only_the_buyer_speaks_as_the_buyer(client, rice, complaint):
    """The shop's manager and the regency admin hold the buyer's link (they may have been sent it):
    they still cannot confirm receipt, write as the buyer or withdraw the complaint."""
    page = client.get(rice.checkout.get_absolute_url()).content.decode()
    assert rice.checkout.reference not in page.split("wa.me", 1)[-1].split('"', 1)[0]  # not in the WhatsApp text

    for username in ("pengelola.bungaraya", "admin"):
        client.force_login(user(username))
        refused = [client.post(buyer_url(rice, "komplain/"), {"text": "Saya pembeli, sudah beres"}),
                   client.post(buyer_url(rice, "komplain/batalkan/")),
                   client.post(buyer_url(rice, "diterima/"))]
        assert [r.status_code for r in refused] == [403, 403, 403]
        assert "bukan sebagai pembeli" in refused[0].content.decode()
    complaint.refresh_from_db()
    assert complaint.is_open and complaint.messages.count() == 1 and status(rice) == OrderStatus.DELIVERED


def test_an_account_s_order_is_changed_only_by_that_account_signed_in(rice):
    buyer = User.objects.create_user(username="pembeli.uji", email="pembeli.uji@example.com",
                                     password="rahasia-panjang-1")
    type(rice.checkout).objects.filter(pk=rice.checkout_id).update(user=buyer)
    anonymous, stranger, own = Client(), Client(), Client()
    stranger.force_login(user("editor.bungaraya"))
    own.force_login(buyer)

    assert anonymous.post(buyer_url(rice, "diterima/")).status_code == 403
    assert stranger.post(buyer_url(rice, "diterima/")).status_code == 403
    assert status(rice) == OrderStatus.DELIVERED
    assert own.post(buyer_url(rice, "diterima/")).status_code == 302
    assert status(rice) == OrderStatus.COMPLETED
