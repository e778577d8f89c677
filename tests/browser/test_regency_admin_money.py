"""The regency admin, at a desktop, credits a short transfer (with a reason), settles, and
downloads the bank's batch file twice: both files are the same."""

import pytest

from .signing_in import sign_in_shop

pytestmark = pytest.mark.browser


def test_the_admin_credits_a_short_payment_settles_and_downloads_the_batch_twice(live_url, browser, read_db):
    from django.contrib.auth import get_user_model

    from marketplace.constants import OrderStatus
    from marketplace.html import thousands
    from marketplace.orders.services import shop_order_advance
    from tests import factories
    from tests.payments.conftest import honey_and_rice

    admin_user = get_user_model().objects.get(username="admin")
    checkout = factories.place(honey_and_rice(), email="rina@example.test")
    short = thousands(checkout.total)  # the buyer forgot the unique code

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    admin = sign_in_shop(context, live_url, "admin@siakkab.test")
    admin.goto(f"{live_url}/toko/kelola/pesanan/")  # then through the pages' own links
    admin.click(".manage-nav >> text=Transfer masuk")
    admin.wait_for_load_state()
    card = admin.locator(f".awaiting-transfer[data-checkout='{checkout.reference}']")

    # a comma is refused, in Indonesian, with what was typed still there
    card.locator("input[name=amount_received]").fill("66,897")
    card.locator("button", has_text="Catat pembayaran").click()
    admin.wait_for_load_state()
    card = admin.locator(f".awaiting-transfer[data-checkout='{checkout.reference}']")
    assert "Isi jumlah dalam rupiah" in card.locator(".transfer-error").inner_text()
    assert card.locator("input[name=amount_received]").input_value() == "66,897"

    # the amount as received, thousands dots and all: the page asks what to do with the shortfall
    card.locator("input[name=amount_received]").fill(short)
    card.locator("button", has_text="Catat pembayaran").click()
    admin.wait_for_load_state()
    decision = admin.locator(".transfer-decision")
    assert f"Kurang Rp {checkout.unique_code}." in decision.inner_text().replace("\xa0", " ")
    credit = decision.locator("button", has_text="ditanggung platform")
    credit.click()  # without a reason: refused
    admin.wait_for_load_state()
    assert "Tulis alasannya" in admin.locator(".transfer-decision").inner_text()
    admin.locator(".transfer-decision input[name=reason]").fill("Kode unik lupa ditambahkan")
    admin.locator(".transfer-decision button", has_text="ditanggung platform").click()
    admin.wait_for_load_state()
    assert "kekurangannya ditanggung platform" in admin.content()
    assert admin.locator(".payment-differences", has_text=checkout.reference).count() == 1

    checkout.refresh_from_db()
    assert checkout.status == "paid"
    for shop_order in checkout.shop_orders.all():  # the shops send and the buyers receive
        for status in (OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            shop_order_advance(shop_order=shop_order, status=status, acting_user=admin_user)

    admin.click(".manage-nav >> text=Penyelesaian")
    admin.wait_for_load_state()
    admin.click("text=Jalankan penyelesaian sekarang")
    admin.wait_for_load_state()
    assert "laporan penyelesaian dibuat" in admin.content()

    admin.click(".manage-nav >> text=Pembayaran ke BUMKam")
    admin.wait_for_load_state()
    with admin.expect_download() as first_download:
        admin.click("text=Unduh berkas transfer massal untuk bank")
    first = open(first_download.value.path(), "rb").read()
    assert first.startswith(b"bank,nomor_rekening,nama_pemilik,jumlah,berita,kunci")

    admin.goto(f"{live_url}/toko/kelola/pembayaran/")
    admin.locator(".payout-batches a").first.click()
    admin.wait_for_load_state()
    with admin.expect_download() as second_download:
        admin.click("text=Unduh lagi berkas CSV untuk bank")
    second = open(second_download.value.path(), "rb").read()

    assert second == first
    for shop_order in checkout.shop_orders.select_related("bumkam"):
        assert shop_order.bumkam.bank_account_number.encode() in second
    assert admin.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
