"""The regency admin records a transfer of the wrong amount: a short one credited with the
shortfall borne by the platform, or kept awaiting the rest; an excess recorded for refund."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.db.models import Sum

from marketplace.html import thousands
from marketplace.payments.models import DifferenceKind, PaymentDifference, TransferReceipt
from marketplace.settlements.models import AccountKind, LedgerEntry, LedgerTransaction
from marketplace.settlements.selectors import ledger_problems
from shops.constants import AuditAction
from shops.models import AuditEntry
from tests import factories
from tests.payments.conftest import honey_and_rice

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def placed():
    return factories.place(honey_and_rice())


def dotted(amount: int) -> str:
    """The amount as every page writes it: 66.897."""
    return thousands(amount)


def nothing_recorded(checkout, ledger_before: int) -> bool:
    checkout.refresh_from_db()
    return (checkout.status == "awaiting_payment" and not TransferReceipt.objects.filter(checkout=checkout).exists()
            and not PaymentDifference.objects.filter(checkout=checkout).exists()
            and LedgerTransaction.objects.count() == ledger_before)


def shop_owed(checkout) -> int:
    return -(LedgerEntry.objects.filter(shop_order__checkout=checkout, account__kind=AccountKind.SHOP)
             .aggregate(total=Sum("amount"))["total"])


def test_the_exact_amount_typed_with_thousands_dots_is_confirmed(admin_client, placed):
    response = admin_client.post("/toko/kelola/transfer/", {"reference": placed.reference,
                                                             "amount_received": dotted(placed.amount_due)}, follow=True)

    placed.refresh_from_db()
    assert placed.status == "paid"
    assert f"Pembayaran {placed.reference} dicatat." in response.content.decode()
    assert all(so.order.status == "Diproses" for so in placed.shop_orders.select_related("order"))
    audit = AuditEntry.objects.get(action=AuditAction.TRANSFER_CONFIRM, object_id=str(placed.pk))
    assert audit.actor_name == "admin" and audit.new["diterima"] == placed.amount_due


def test_a_short_transfer_asks_what_to_do_and_records_nothing_yet(admin_client, placed):
    ledger_before = LedgerTransaction.objects.count()

    response = admin_client.post("/toko/kelola/transfer/", {"reference": placed.reference,
                                                             "amount_received": dotted(placed.total)})

    page = response.content.decode().replace("\xa0", " ")
    assert response.status_code == 200
    assert f"Kurang Rp {placed.unique_code}." in page
    assert "kekurangan Rp" in page and "Catat dan tunggu kekurangannya" in page
    assert nothing_recorded(placed, ledger_before)


def test_a_short_transfer_credited_in_full_the_platform_bears_the_shortfall_and_shops_get_their_share(
        admin_client, placed):
    due, received = placed.amount_due, placed.total  # the unique code forgotten

    response = admin_client.post(f"/toko/kelola/transfer/{placed.reference}/selisih/", {
        "action": "shortfall", "amount_received": dotted(received), "reason": "Kode unik lupa ditambahkan"},
        follow=True)

    placed.refresh_from_db()
    assert placed.status == "paid" and "kekurangannya ditanggung platform" in response.content.decode()
    assert all(so.order.status == "Diproses" for so in placed.shop_orders.select_related("order"))
    difference = PaymentDifference.objects.get(checkout=placed)
    assert (difference.kind, difference.amount, difference.amount_received) == (
        DifferenceKind.WRITTEN_OFF, due - received, received)
    # the shops are owed every rupiah of their orders less commission, as if the buyer had paid in full
    orders = list(placed.shop_orders.select_related("order"))
    assert shop_owed(placed) == sum(int(so.order.total_incl_tax) - so.commission_amount for so in orders)
    write_off = LedgerEntry.objects.filter(transaction__checkout=placed, account__kind=AccountKind.WRITE_OFF).get()
    assert write_off.amount == due - received
    assert ledger_problems() == []
    audit = AuditEntry.objects.get(action=AuditAction.TRANSFER_WRITE_OFF, object_id=str(placed.pk))
    assert audit.actor_name == "admin"
    assert audit.new == {"tagihan": due, "diterima": received, "kekurangan": due - received,
                         "alasan": "Kode unik lupa ditambahkan"}


def test_a_short_transfer_kept_awaiting_the_rest_then_paid_when_the_rest_arrives(
        admin_client, placed, django_capture_on_commit_callbacks):
    due, first = placed.amount_due, placed.total
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/toko/kelola/transfer/{placed.reference}/selisih/",
                          {"action": "await", "amount_received": dotted(first), "reason": ""})

    placed.refresh_from_db()
    assert placed.status == "awaiting_payment"
    page = admin_client.get("/toko/kelola/transfer/").content.decode().replace("\xa0", " ")
    assert f"Sudah diterima Rp {dotted(first)}; kurang Rp {due - first}." in page
    told = [m for m in mail.outbox if placed.email in m.to and "kurang" in m.subject]
    assert told and f"Rp {due - first}" in told[0].body.replace("\xa0", " ")
    assert AuditEntry.objects.filter(action=AuditAction.TRANSFER_PARTIAL, object_id=str(placed.pk)).exists()
    buyers_page = Client().get(placed.get_absolute_url()).content.decode().replace("\xa0", " ")
    assert "Transfer kekurangannya" in buyers_page and f"Rp {dotted(due - first)}" in buyers_page
    assert f"Sudah kami terima Rp {dotted(first)} dari Rp {dotted(due)}" in buyers_page

    admin_client.post("/toko/kelola/transfer/", {"reference": placed.reference, "amount_received": str(due - first)})

    placed.refresh_from_db()
    assert placed.status == "paid"
    captured = LedgerEntry.objects.get(transaction__checkout=placed, account__kind=AccountKind.PROVIDER)
    assert captured.amount == due and not PaymentDifference.objects.filter(checkout=placed).exists()
    assert ledger_problems() == []


def test_a_checkout_that_received_part_of_its_transfer_does_not_expire_with_the_money(admin_client, placed):
    import datetime

    from marketplace.checkout.services import checkouts_expire

    admin_client.post(f"/toko/kelola/transfer/{placed.reference}/selisih/",
                      {"action": "await", "amount_received": dotted(placed.total), "reason": ""})
    placed.refresh_from_db()

    checkouts_expire(now=placed.expires_at + datetime.timedelta(days=30))

    placed.refresh_from_db()
    assert placed.status == "awaiting_payment"  # still on the admin's list, the goods still reserved
    assert placed.shop_orders.filter(order__status="Menunggu pembayaran").count() == placed.shop_orders.count()
    assert placed.reference in admin_client.get("/toko/kelola/transfer/").content.decode()


def test_an_overpayment_is_confirmed_and_the_excess_waits_for_its_refund(
        admin_client, placed, django_capture_on_commit_callbacks):
    due = placed.amount_due
    received = due + 103_000  # rounded up, and then some

    asked = admin_client.post("/toko/kelola/transfer/", {"reference": placed.reference,
                                                          "amount_received": dotted(received)})
    assert "Lebih Rp 103.000." in asked.content.decode().replace("\xa0", " ")
    admin_client.post(f"/toko/kelola/transfer/{placed.reference}/selisih/", {
        "action": "overpaid", "amount_received": dotted(received), "reason": "Pembeli membulatkan ke atas"})

    placed.refresh_from_db()
    difference = PaymentDifference.objects.get(checkout=placed)
    assert placed.status == "paid" and difference.kind == DifferenceKind.OVERPAID and difference.refund_due
    page = admin_client.get("/toko/kelola/transfer/").content.decode()
    assert re.search(r'class="card card-body mb-2 refund-due" data-checkout="%s"' % placed.reference, page)
    assert ledger_problems() == []

    refused = admin_client.post(f"/toko/kelola/transfer/{placed.reference}/kelebihan/", {"reference": "  "})
    assert refused.status_code == 400 and "Isi referensi transfer pengembalian" in refused.content.decode()
    difference.refresh_from_db()
    assert difference.refund_due

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/toko/kelola/transfer/{placed.reference}/kelebihan/", {"reference": "BRK-RF-77"})

    difference.refresh_from_db()
    assert not difference.refund_due and difference.refund_reference == "BRK-RF-77"
    buyer_owed = LedgerEntry.objects.filter(account__kind=AccountKind.BUYER, transaction__checkout=placed)
    assert buyer_owed.aggregate(total=Sum("amount"))["total"] == 0
    assert ledger_problems() == []
    audit = AuditEntry.objects.get(action=AuditAction.OVERPAYMENT_REFUNDED, object_id=str(placed.pk))
    assert audit.actor_name == "admin" and audit.new["dikembalikan"] == 103_000
    assert any("BRK-RF-77" in m.body for m in mail.outbox if placed.email in m.to)


def test_crediting_a_shortfall_without_a_reason_is_refused_and_keeps_what_was_typed(admin_client, placed):
    ledger_before = LedgerTransaction.objects.count()

    response = admin_client.post(f"/toko/kelola/transfer/{placed.reference}/selisih/", {
        "action": "shortfall", "amount_received": dotted(placed.total), "reason": "   "})

    page = response.content.decode()
    assert response.status_code == 400 and "Tulis alasannya" in page
    assert f'name="amount_received" value="{dotted(placed.total)}"' in page
    assert nothing_recorded(placed, ledger_before)


BAD_AMOUNTS = ["-1", "abc", "66,897", "6.6897", "9" * 40, "1e9", ""]


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_a_bad_transfer_amount_is_a_400_in_indonesian_and_changes_nothing(admin_client, placed, amount):
    ledger_before = LedgerTransaction.objects.count()

    response = admin_client.post("/toko/kelola/transfer/", {"reference": placed.reference, "amount_received": amount})

    page = response.content.decode()
    error = re.search(r'transfer-error">([^<]+)<', page)
    assert response.status_code == 400 and error and "jumlah" in error.group(1).lower()
    assert f'value="{amount}"' in page or amount == "9" * 40  # typed text comes back (a huge one too, escaped)
    assert nothing_recorded(placed, ledger_before)


@pytest.mark.parametrize("amount", ["-1", "abc", "66,897", "9" * 40])
def test_a_bad_amount_in_the_decision_is_a_400_and_changes_nothing(admin_client, placed, amount):
    ledger_before = LedgerTransaction.objects.count()

    response = admin_client.post(f"/toko/kelola/transfer/{placed.reference}/selisih/",
                                 {"action": "shortfall", "amount_received": amount, "reason": "Kode unik lupa"})

    assert response.status_code == 400 and "umlah" in response.content.decode()
    assert nothing_recorded(placed, ledger_before)


def test_a_decision_that_does_not_fit_the_amount_is_refused(admin_client, placed):
    """Claiming a shortfall for the full amount, or an excess for too little: 400, nothing written."""
    ledger_before = LedgerTransaction.objects.count()

    short = admin_client.post(f"/toko/kelola/transfer/{placed.reference}/selisih/", {
        "action": "shortfall", "amount_received": str(placed.amount_due), "reason": "x"})
    over = admin_client.post(f"/toko/kelola/transfer/{placed.reference}/selisih/", {
        "action": "overpaid", "amount_received": str(placed.total), "reason": "x"})
    odd = admin_client.post(f"/toko/kelola/transfer/{placed.reference}/selisih/", {
        "action": "hapus", "amount_received": str(placed.total), "reason": "x"})

    assert short.status_code == over.status_code == odd.status_code == 400
    assert "tidak kurang dari tagihan" in short.content.decode()
    assert "tidak lebih dari tagihan" in over.content.decode()
    assert "Pilih salah satu tindakan" in odd.content.decode()
    assert nothing_recorded(placed, ledger_before)


@pytest.mark.parametrize("username", ["pengelola.bungaraya", "buyer"])
def test_a_manager_or_a_buyer_gets_403_on_every_transfer_page(client, placed, username):
    user = (User.objects.get(username=username) if username != "buyer"
            else User.objects.create_user("pembeli.transfer", "pembeli@example.test", "rahasia-pembeli"))
    client.force_login(user)
    ledger_before = LedgerTransaction.objects.count()

    answers = [
        client.get("/toko/kelola/transfer/"),
        client.post("/toko/kelola/transfer/", {"reference": placed.reference, "amount_received": placed.amount_due}),
        client.post(f"/toko/kelola/transfer/{placed.reference}/selisih/",
                    {"action": "shortfall", "amount_received": placed.total, "reason": "x"}),
        client.post(f"/toko/kelola/transfer/{placed.reference}/kelebihan/", {"reference": "X"}),
    ]

    assert [a.status_code for a in answers] == [403] * 4
    assert nothing_recorded(placed, ledger_before)


def test_someone_not_signed_in_is_sent_to_sign_in(client, placed):
    response = client.get("/toko/kelola/transfer/")
    assert response.status_code == 302 and "login" in response["Location"]
