"""A village buyer on a thin mobile link (issue 14): what a page costs in bytes, first visit and
repeat visit, in a real browser; and the whole way from the portal to an order with JavaScript off.

Byte counts are deterministic for a given page (the demo's pictures, compressed text): these are
limits on size, not on time.
"""

import re

import pytest

from tests.benchmarks.transfer import FIRST_VISIT_LIMIT, PHONE, REPEAT_VISIT_LIMIT, page_transfer

pytestmark = pytest.mark.browser


def _rice_url():
    from oscar.core.loading import get_model

    return get_model("catalogue", "Product").objects.get(stockrecords__partner_sku="14.08.08.2001-beras").get_absolute_url()


@pytest.mark.parametrize("name", ["portal", "village home", "product page"])
def test_a_page_costs_under_170_kb_on_a_first_visit_and_20_kb_on_the_next(live_url, browser, read_db, name):
    path = {"portal": "/", "village home": "/kampung/bunga-raya/", "product page": _rice_url()}[name]
    transfer = page_transfer(browser, f"{live_url}{path}", name=name)

    assert transfer.first.bytes < FIRST_VISIT_LIMIT, transfer.first.largest
    assert transfer.repeat.bytes < REPEAT_VISIT_LIMIT, transfer.repeat.largest
    # What makes it so: the page compressed, no script library, pictures as WebP, the stylesheet cached
    first = [url for url, _ in transfer.first.largest]
    assert not any("jquery" in url or "bootstrap" in url or url.endswith(".woff2") for url in first), first
    assert not any(url.endswith((".jpg", ".jpeg", ".png")) and "/media/" in url for url in first), first
    assert not any(url.endswith(".css") for url, _ in transfer.repeat.largest), transfer.repeat.largest


def test_the_page_comes_compressed_and_its_pictures_sized(live_url, browser, read_db):
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    response = page.goto(f"{live_url}{_rice_url()}")
    assert response.headers.get("content-encoding") == "gzip"
    photo = page.locator("#product_gallery img").first
    assert photo.get_attribute("src").endswith(".webp")
    assert photo.get_attribute("width") and photo.get_attribute("height")  # the space is kept while it loads
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_url}/")
    cards = page.locator(".product-card img")
    assert cards.count() >= 1
    assert all(cards.nth(i).get_attribute("loading") == "lazy" and cards.nth(i).get_attribute("src").endswith(".webp")
               for i in range(cards.count()))
    context.close()


def test_without_javascript_a_buyer_goes_from_the_portal_to_a_bank_transfer_order(live_url, browser, read_db):
    from marketplace.checkout.models import Checkout

    context = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=False)
    buyer = context.new_page()

    # The portal, then a village's site, then one of its products
    buyer.goto(f"{live_url}/")
    buyer.locator(".directory a[href='/kampung/bunga-raya/']").first.click()
    buyer.wait_for_url(f"{live_url}/kampung/bunga-raya/")
    assert buyer.evaluate("document.documentElement.scrollWidth") <= 390
    buyer.locator(".product-card a").first.click()
    buyer.wait_for_url(re.compile(r".*/toko/catalogue/[^/]+_\d+/$"))
    title = buyer.locator("h1").inner_text()
    assert buyer.evaluate("document.documentElement.scrollWidth") <= 390

    # Into the basket and on to the checkout
    buyer.click("#add_to_basket_form button[type=submit]")
    buyer.wait_for_load_state()
    buyer.goto(f"{live_url}/toko/basket/")
    assert title in buyer.content()
    buyer.click("a[href='/toko/checkout/']")
    buyer.wait_for_url(f"{live_url}/toko/checkout/")

    # The address by the lists and their reload buttons, pickup at the village, bank transfer
    buyer.fill("#id_name", "Rahmat Hidayat")
    buyer.fill("#id_phone", "0813 7654 3210")
    buyer.fill("#id_email", "rahmat.tanpa-js@example.test")
    buyer.fill("#id_line1", "Jl. Raya Bunga Raya No. 7")
    buyer.select_option("#area-district", "14.08.08")
    buyer.click("button.area-refresh")
    buyer.wait_for_load_state()
    buyer.select_option("#area-village", "14.08.08.2001")
    buyer.click("button.area-refresh")
    buyer.wait_for_load_state()
    assert buyer.input_value("#id_name") == "Rahmat Hidayat"
    shipping = buyer.locator("input[name^=shipping_][value=pickup]")
    if shipping.count():
        shipping.first.check()
    buyer.check("input[name=payment_method][value=bank_transfer]")
    buyer.click("button.btn-primary[name=step][value=review]")
    buyer.wait_for_url(f"{live_url}/toko/checkout/ringkasan/")
    total = buyer.locator(".grand-total").inner_text()

    buyer.click("text=Pesan sekarang")
    buyer.wait_for_url(re.compile(r".*/toko/pesanan/PK-[0-9A-Z]{10}/$"))
    assert buyer.locator(".amount-due").inner_text() == total
    assert buyer.evaluate("document.documentElement.scrollWidth") <= 390
    placed = Checkout.objects.get(email="rahmat.tanpa-js@example.test")
    assert placed.payment_method == "bank_transfer" and placed.amount_due == int(re.sub(r"\D", "", total))
    context.close()
