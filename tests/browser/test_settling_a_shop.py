import re

import pytest

from .signing_in import sign_in_shop

pytestmark = pytest.mark.browser


def test_a_manager_delivers_the_admin_refunds_part_settles_and_pays_out_and_the_manager_reads_it(
        live_url, browser, read_db):
    from django.contrib.auth import get_user_model

    from marketplace.payments.services import payment_confirm_bank_transfer
    from tests import factories
    from tests.payments.conftest import honey_and_rice

    admin_user = get_user_model().objects.get(username="admin")
    checkout = factories.place(honey_and_rice(), email="budi@example.test")
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin_user)
    number = checkout.shop_orders.get(bumkam__kampung__code="14.08.08.2001").order.number

    # The Bunga Raya manager, on a phone, takes the paid order through to delivered
    manager_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    manager = sign_in_shop(manager_context, live_url, "bungaraya@siakkab.test")
    manager.goto(f"{live_url}/toko/kelola/pesanan/")
    for status in ("Dikemas", "Dikirim", "Diterima"):
        order = manager.locator(f".manager-order[data-order='{number}']")
        if status == "Dikirim":
            order.locator("input[name=courier]").fill("Kurir desa")
            order.locator("input[name=tracking_number]").fill("KD-001")
        order.locator("button", has_text=f"Jadikan {status}").click()
        manager.wait_for_load_state()
    assert manager.locator(f".manager-order[data-order='{number}'] .order-status").inner_text() == "Diterima"

    # The regency admin gives the buyer Rp 10.000 back by bank transfer, with the bank's reference
    admin_context = browser.new_context()
    admin = sign_in_shop(admin_context, live_url, "admin@siakkab.test")
    admin.goto(f"{live_url}/toko/kelola/pesanan/?tab=selesai")
    order = admin.locator(f".manager-order[data-order='{number}']")
    order.locator("summary", has_text="Kembalikan dana").click()
    order.locator("input[name=amount]").fill("10000")
    order.locator("input[name=reason]").fill("Satu karung basah")
    order.locator("input[name=reference]").fill("BRK-RF-1")
    order.locator("button", has_text="Kembalikan dana").click()
    admin.wait_for_load_state()
    assert "Pengembalian Rp 10.000 untuk" in admin.content().replace("\xa0", " ")

    # then runs the settlement, downloads the bank's bulk-transfer file and confirms the payout
    admin.goto(f"{live_url}/toko/kelola/penyelesaian/")
    admin.click("text=Jalankan penyelesaian sekarang")
    admin.wait_for_load_state()
    assert "laporan penyelesaian dibuat" in admin.content()
    admin.goto(f"{live_url}/toko/kelola/pembayaran/")
    with admin.expect_download() as download:
        admin.click("text=Unduh berkas transfer massal untuk bank")
    batch = open(download.value.path(), encoding="utf-8").read()
    assert batch.startswith("bank,nomor_rekening,nama_pemilik,jumlah,berita,kunci")
    admin.goto(f"{live_url}/toko/kelola/pembayaran/")
    payout = admin.locator(".payout[data-status=sent]", has_text="BUMKam Bunga Raya Sejahtera").first
    payout.locator("input[name=bank_reference]").fill("BRK-778899")
    payout.locator("button", has_text="Sudah dibayar bank").click()
    admin.wait_for_load_state()
    assert "dicatat lunas" in admin.content()

    # The manager reads the statement on the phone: the refund and the net, and a PDF to print
    manager.goto(f"{live_url}/toko/kelola/pembayaran/")
    assert manager.locator(".payout", has_text="BRK-778899").locator(".payout-status").inner_text() == "Dibayar"
    manager.locator(".payout", has_text="BRK-778899").locator("a").first.click()
    manager.wait_for_load_state()
    row = manager.locator(".settlement-line", has_text=number)
    assert "Rp\xa010.000" in row.inner_text() or "Rp 10.000" in row.inner_text()
    assert re.search(r"Rp\s[\d.]+", manager.locator(".settlement-net").inner_text())
    pdf = manager.request.get(manager.url + "?format=pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-1.4")
    # the wide table scrolls inside its own box; the page itself fits the phone
    assert manager.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    manager_context.close()
    admin_context.close()
