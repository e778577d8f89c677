"""A buyer on a 390 px phone checks out two villages' goods, with JavaScript off and on."""

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def rupiah_digits(text):
    return int(re.sub(r"\D", "", text))


def two_villages_in_the_basket(page, live_url):
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    pineapple = Product.objects.get(stockrecords__partner_sku="14.08.07.2001-keripik-nenas")
    for product in (rice, pineapple):
        page.goto(f"{live_url}{product.get_absolute_url()}")
        page.click("#add_to_basket_form button[type=submit]")
        page.wait_for_load_state()
    page.goto(f"{live_url}/toko/basket/")
    assert "Belanja dari 2 toko kampung" in page.content()
    page.click("a[href='/toko/checkout/']")
    page.wait_for_url(f"{live_url}/toko/checkout/")
    return rice, pineapple


def fill_contact(page, *, email):
    page.fill("#id_name", "Siti Aminah")
    page.fill("#id_phone", "0812-7654-3210")
    page.fill("#id_email", email)
    page.fill("#id_line1", "Jl. Sultan Syarif Kasim No. 5")


def test_without_javascript_a_buyer_chooses_the_village_reviews_and_pays_by_transfer(live_url, browser, read_db):
    from marketplace.checkout.models import Checkout

    context = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=False)
    buyer = context.new_page()
    rice, pineapple = two_villages_in_the_basket(buyer, live_url)
    no_sideways_scroll(buyer)

    # The regency of the first shop is chosen already; the kecamatan's villages come after a reload
    fill_contact(buyer, email="siti.tanpa-js@example.test")
    assert buyer.input_value("#area-regency") == "14.08"
    buyer.select_option("#area-district", "14.08.01")
    buyer.click("button.area-refresh")
    buyer.wait_for_load_state()
    assert buyer.input_value("#id_name") == "Siti Aminah"  # nothing typed is lost
    buyer.select_option("#area-village", "14.08.01.1001")
    buyer.click("button.area-refresh")
    buyer.wait_for_load_state()
    assert buyer.input_value("#area-village") == "14.08.01.1001"
    assert re.search(r"Kurir \(Rp\s\d", buyer.content())  # shipping to that village is priced
    assert buyer.locator("input[name=payment_method][value=cod]").count() == 0  # not every shop takes COD
    no_sideways_scroll(buyer)

    # A mistake once: the e-mail is refused, everything else stays
    buyer.fill("#id_email", "siti@")
    buyer.check(f"input[name=shipping_{pineapple.shop.pk}][value=courier]")
    buyer.check("input[name=payment_method][value=bank_transfer]")
    buyer.click("button.btn-primary[name=step][value=review]")
    buyer.wait_for_load_state()
    assert buyer.locator(".invalid-feedback").count() >= 1
    assert buyer.input_value("#area-village") == "14.08.01.1001" and buyer.input_value("#id_phone") == "0812-7654-3210"
    assert buyer.is_checked(f"input[name=shipping_{pineapple.shop.pk}][value=courier]")
    assert "Pesan sekarang" not in buyer.content()
    no_sideways_scroll(buyer)
    buyer.fill("#id_email", "siti.tanpa-js@example.test")
    buyer.click("button.btn-primary[name=step][value=review]")
    buyer.wait_for_url(f"{live_url}/toko/checkout/ringkasan/")

    # The review: each shop's goods and shipping, the unique code, the amount to transfer
    shops = buyer.locator(".review-shop")
    assert shops.count() == 2
    assert {shops.nth(i).get_attribute("data-shop") for i in range(2)} == {
        "BUMKam Bunga Raya Sejahtera", "BUMKam Kerinci Kanan Makmur"}
    courier = buyer.locator(".review-shop[data-shop='BUMKam Kerinci Kanan Makmur'] .shipping-amount").inner_text()
    assert rupiah_digits(courier) > 0
    code = int(buyer.locator(".unique-code").inner_text())
    grand_total = buyer.locator(".grand-total").inner_text()
    assert 1 <= code <= 999 and re.fullmatch(r"Rp\s\d{1,3}(\.\d{3})+", grand_total)
    no_sideways_scroll(buyer)

    # Back to edit and forward again: nothing lost, the same figures
    buyer.click("text=Ubah alamat, pengiriman atau cara bayar")
    buyer.wait_for_url(f"{live_url}/toko/checkout/")
    assert buyer.input_value("#id_line1") == "Jl. Sultan Syarif Kasim No. 5"
    buyer.press("#id_line1", "Enter")  # Enter in a field goes on to the review, not back to the area lists
    buyer.wait_for_url(f"{live_url}/toko/checkout/ringkasan/")
    assert buyer.locator(".grand-total").inner_text() == grand_total

    buyer.click("text=Pesan sekarang")
    buyer.wait_for_url(re.compile(r".*/toko/pesanan/PK-[0-9A-Z]{10}/$"))
    assert buyer.locator(".amount-due").inner_text() == grand_total
    assert buyer.locator(".shop-order").count() == 2
    no_sideways_scroll(buyer)
    placed = Checkout.objects.get(email="siti.tanpa-js@example.test")
    assert placed.unique_code == code and placed.amount_due == rupiah_digits(grand_total)
    context.close()


def test_with_javascript_a_buyer_pays_cash_on_delivery_where_both_shops_take_it(live_url, browser, read_db):
    from marketplace.checkout.models import Checkout
    from shops.models import Bumkam

    codes = ("14.08.08.2001", "14.08.07.2001")  # Bunga Raya (rice) and Kerinci Kanan (pineapple)
    before = dict(Bumkam.objects.filter(kampung__code__in=codes).values_list("pk", "allows_cash_on_delivery"))
    Bumkam.objects.filter(kampung__code__in=codes).update(allows_cash_on_delivery=True)
    try:
        context = browser.new_context(viewport=PHONE, locale="id-ID")
        buyer = context.new_page()
        two_villages_in_the_basket(buyer, live_url)
        fill_contact(buyer, email="siti.dengan-js@example.test")
        assert not buyer.is_visible("button.area-refresh")  # the script fills each list at once

        buyer.select_option("#area-district", "14.08.01")
        buyer.wait_for_selector("#area-village option[value='14.08.01.1001']", state="attached")
        with buyer.expect_navigation():  # choosing the village reloads the form to price shipping
            buyer.select_option("#area-village", "14.08.01.1001")
        assert buyer.input_value("#id_name") == "Siti Aminah"
        assert re.search(r"Ambil di kantor kampung \(Rp\s0\)", buyer.content())
        no_sideways_scroll(buyer)

        buyer.check("input[name=payment_method][value=cod]")
        buyer.click("button.btn-primary[name=step][value=review]")
        buyer.wait_for_url(f"{live_url}/toko/checkout/ringkasan/")
        assert buyer.locator(".review-shop").count() == 2 and buyer.locator(".unique-code").count() == 0
        assert "Bayar di tempat" in buyer.locator(".review-total").inner_text()
        total = buyer.locator(".grand-total").inner_text()
        no_sideways_scroll(buyer)

        buyer.click("text=Pesan sekarang")
        buyer.wait_for_url(re.compile(r".*/toko/pesanan/PK-[0-9A-Z]{10}/$"))
        no_sideways_scroll(buyer)
        placed = Checkout.objects.get(email="siti.dengan-js@example.test")
        assert placed.payment_method == "cod" and placed.status == "cod"
        assert placed.amount_due == rupiah_digits(total)
        context.close()
    finally:
        for pk, allowed in before.items():
            Bumkam.objects.filter(pk=pk).update(allows_cash_on_delivery=allowed)
