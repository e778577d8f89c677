import re

import pytest

from .signing_in import sign_in_shop

pytestmark = pytest.mark.browser


def test_a_buyer_orders_from_two_villages_and_each_manager_ships_their_own(live_url, browser, read_db):
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    pineapple = Product.objects.get(stockrecords__partner_sku="14.08.07.2001-keripik-nenas")

    # Given a buyer on a phone with goods of two villages in one basket
    buyer_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    buyer = buyer_context.new_page()
    for product in (rice, pineapple):
        buyer.goto(f"{live_url}{product.get_absolute_url()}")
        buyer.click("#add_to_basket_form button[type=submit]")
        buyer.wait_for_load_state()
    buyer.goto(f"{live_url}/toko/basket/")
    assert "Belanja dari 2 toko kampung" in buyer.content()

    # When they check out once, choosing the address from the official areas
    buyer.goto(f"{live_url}/toko/checkout/")
    buyer.fill("#id_name", "Siti Aminah")
    buyer.fill("#id_phone", "081234567890")
    buyer.fill("#id_email", "siti@example.test")
    buyer.fill("#id_line1", "Jl. Sultan Syarif Kasim No. 5")
    for select, value in (("#area-province", "14"), ("#area-regency", "14.08"), ("#area-district", "14.08.01")):
        buyer.wait_for_selector(f"{select} option[value='{value}']", state="attached")
        buyer.select_option(select, value)
    buyer.wait_for_selector("#area-village option[value='14.08.01.1001']", state="attached")
    with buyer.expect_navigation():  # the village chosen, the form comes back with shipping priced
        buyer.select_option("#area-village", "14.08.01.1001")
    buyer.check(f"input[name=shipping_{pineapple.shop.pk}][value=courier]")
    buyer.check("input[name=payment_method][value=bank_transfer]")
    buyer.click("button.btn-primary[name=step][value=review]")
    buyer.wait_for_url(re.compile(r".*/toko/checkout/ringkasan/$"))
    buyer.click("text=Pesan sekarang")
    buyer.wait_for_url(re.compile(r".*/toko/pesanan/PK-[0-9A-Z]{10}/$"))

    # Then one checkout holds two orders, one per shop, and one amount to transfer
    orders = buyer.locator(".shop-order")
    assert orders.count() == 2
    numbers = {orders.nth(i).locator("h2").inner_text().split(" Kampung")[0]: orders.nth(i).get_attribute("data-order")
               for i in range(2)}
    assert set(numbers) == {"BUMKam Bunga Raya Sejahtera", "BUMKam Kerinci Kanan Makmur"}
    amount = buyer.locator(".amount-due").inner_text()
    assert re.fullmatch(r"Rp\s\d{1,3}(\.\d{3})+", amount)
    checkout_url = buyer.url

    # And the regency admin records the transfer of exactly that amount
    admin_context = browser.new_context()
    admin = sign_in_shop(admin_context, live_url, "admin@siakkab.test")
    admin.goto(f"{live_url}/toko/kelola/transfer/")
    admin.fill("input[name=amount_received]", re.sub(r"\D", "", amount))
    admin.click("text=Catat pembayaran")
    admin.wait_for_load_state()
    assert "dicatat" in admin.content()

    # Each manager sees only their own shop's order and ships it
    for email, shop, other in (("bungaraya@siakkab.test", "BUMKam Bunga Raya Sejahtera", "BUMKam Kerinci Kanan Makmur"),
                               ("kerincikanan@siakkab.test", "BUMKam Kerinci Kanan Makmur", "BUMKam Bunga Raya Sejahtera")):
        context = browser.new_context(viewport={"width": 390, "height": 844})
        manager = sign_in_shop(context, live_url, email)
        manager.goto(f"{live_url}/toko/kelola/pesanan/")
        own = manager.locator(f".manager-order[data-order='{numbers[shop]}']")
        assert own.count() == 1
        assert manager.locator(f".manager-order[data-order='{numbers[other]}']").count() == 0
        own.locator("button", has_text="Jadikan Dikemas").click()
        manager.wait_for_load_state()
        own = manager.locator(f".manager-order[data-order='{numbers[shop]}']")
        if own.locator("input[name=tracking_number]").count():
            own.locator("input[name=courier]").fill("JNE")
            own.locator("input[name=tracking_number]").fill("JNE0012345")
        own.locator("button", has_text="Jadikan Dikirim").click()
        manager.wait_for_load_state()
        assert manager.locator(f".manager-order[data-order='{numbers[shop]}'] .order-status").inner_text() == "Dikirim"
        context.close()

    # The buyer sees both shops' statuses
    buyer.goto(checkout_url)
    assert [buyer.locator(".order-status").nth(i).inner_text() for i in range(2)] == ["Dikirim", "Dikirim"]
    assert "JNE0012345" in buyer.content()
    buyer_context.close()
    admin_context.close()
