"""A settlement run that makes nothing says why; the bank's batch file can be downloaded again,
byte for byte, by the regency admin only, and each download is audited."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from marketplace.orders.services import complaint_open
from marketplace.settlements.models import PayoutBatch, Settlement
from marketplace.settlements.payouts import payout_create, payouts_send
from marketplace.settlements.services import settlements_run
from shops.constants import AuditAction
from shops.models import AuditEntry
from tests.settlements.conftest import after_window

pytestmark = pytest.mark.django_db

User = get_user_model()


def said(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_run_that_makes_nothing_says_why_with_counts(admin_client, delivered, settings):
    settings.RETURN_WINDOW_DAYS = 3

    response = admin_client.post("/toko/kelola/penyelesaian/jalankan/", follow=True)

    text = said(response)
    assert Settlement.objects.count() == 0
    assert text.startswith("Tidak ada laporan penyelesaian dibuat:")
    assert "1 pesanan sudah diterima pembeli tetapi masih dalam masa pengembalian 3 hari" in text
    assert "1 pesanan dibayar tetapi belum sampai ke pembeli" in text
    assert "Tidak ada laporan penyelesaian dibuat" in response.content.decode()


def test_a_run_held_by_an_open_complaint_says_so(admin_client, delivered):
    rice_order, _honey_order = delivered
    complaint_open(shop_order=rice_order, reason="damaged", text="Karungnya basah")
    rice_order.delivered_at = timezone.now() - datetime.timedelta(days=30)
    rice_order.save(update_fields=["delivered_at"])

    text = said(admin_client.post("/toko/kelola/penyelesaian/jalankan/", follow=True))

    assert Settlement.objects.count() == 0
    assert "1 pesanan tertahan komplain yang masih terbuka" in text
    assert "masa pengembalian" not in text


def test_a_second_run_says_the_orders_are_already_settled(admin_client, delivered, settings):
    settings.RETURN_WINDOW_DAYS = 0
    first = said(admin_client.post("/toko/kelola/penyelesaian/jalankan/", follow=True))
    second = said(admin_client.post("/toko/kelola/penyelesaian/jalankan/", follow=True))

    assert "1 laporan penyelesaian dibuat." in first
    assert "Tidak ada laporan penyelesaian dibuat" in second
    assert "1 pesanan sudah masuk laporan sebelumnya" in second


def test_a_run_names_the_shops_without_a_payout_account(admin_client, delivered, settings):
    rice_order, _honey_order = delivered
    settings.RETURN_WINDOW_DAYS = 0
    type(rice_order.bumkam).objects.filter(pk=rice_order.bumkam_id).update(bank_account_number="")

    text = said(admin_client.post("/toko/kelola/penyelesaian/jalankan/", follow=True))

    assert "1 laporan penyelesaian dibuat." in text
    assert f"Belum ada nomor rekening, pembayarannya belum bisa dikirim: {rice_order.bumkam.name}." in text


def test_a_shop_manager_cannot_run_settlements(client, delivered, settings):
    settings.RETURN_WINDOW_DAYS = 0
    client.force_login(User.objects.get(username="pengelola.bungaraya"))

    assert client.post("/toko/kelola/penyelesaian/jalankan/").status_code == 403
    assert Settlement.objects.count() == 0


@pytest.fixture
def batch(delivered):
    admin = User.objects.get(username="admin")
    for settlement in settlements_run(now=after_window()):
        payout_create(settlement=settlement)
    _sent, content = payouts_send(acting_user=admin)
    return PayoutBatch.objects.get(), content


def test_the_batch_file_downloads_again_byte_for_byte_and_each_download_is_audited(admin_client, batch):
    kept, first = batch

    page = admin_client.get("/toko/kelola/pembayaran/").content.decode()
    assert f'href="/toko/kelola/pembayaran/berkas/{kept.pk}/"' in page
    detail = admin_client.get(f"/toko/kelola/pembayaran/berkas/{kept.pk}/").content.decode()
    assert "Unduh lagi berkas CSV untuk bank" in detail
    again = admin_client.get(f"/toko/kelola/pembayaran/berkas/{kept.pk}/unduh/")
    third = admin_client.get(f"/toko/kelola/pembayaran/berkas/{kept.pk}/unduh/")

    assert again.status_code == 200 and again["Content-Type"].startswith("text/csv")
    assert f'filename="transfer-massal-{kept.number}.csv"' in again["Content-Disposition"]
    assert again.content == third.content == first
    assert first.startswith(b"bank,nomor_rekening,nama_pemilik,jumlah,berita,kunci")
    audits = AuditEntry.objects.filter(action=AuditAction.PAYOUT_BATCH_DOWNLOAD, object_id=str(kept.pk))
    assert audits.count() == 2 and {a.actor_name for a in audits} == {"admin"}


def test_the_kept_file_is_formula_neutralised(delivered):
    rice_order, _honey_order = delivered
    type(rice_order.bumkam).objects.filter(pk=rice_order.bumkam_id).update(bank_account_holder="=HYPERLINK(1)")
    for settlement in settlements_run(now=after_window()):
        payout_create(settlement=settlement)
    payouts_send(acting_user=User.objects.get(username="admin"))

    content = bytes(PayoutBatch.objects.get().content).decode()
    assert "'=HYPERLINK(1)" in content and ",=HYPERLINK" not in content


@pytest.mark.parametrize("username", ["pengelola.bungaraya", "buyer"])
def test_a_manager_or_buyer_cannot_open_or_download_a_batch(client, batch, username):
    kept, _content = batch
    user = (User.objects.get(username=username) if username != "buyer"
            else User.objects.create_user("pembeli.berkas", "pembeli@example.test", "rahasia-pembeli"))
    client.force_login(user)

    assert client.get(f"/toko/kelola/pembayaran/berkas/{kept.pk}/").status_code == 403
    assert client.get(f"/toko/kelola/pembayaran/berkas/{kept.pk}/unduh/").status_code == 403
    assert "berkas/" not in client.get("/toko/kelola/pembayaran/").content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.PAYOUT_BATCH_DOWNLOAD).exists()


def test_an_unknown_batch_is_a_404(admin_client, db):
    assert admin_client.get("/toko/kelola/pembayaran/berkas/999999/unduh/").status_code == 404
