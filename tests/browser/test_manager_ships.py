"""A BUMKam manager ships from a phone: "Perlu diproses", pack, ship with courier and tracking
number (a mistyped one first), find it under "Dikirim", print the packing slip; the slip and the
tabs work with JavaScript off too."""

import re

import pytest

from .signing_in import sign_in_shop

pytestmark = pytest.mark.browser


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.fixture
def paid_courier_order(read_db):
    """A paid checkout with Bunga Raya's rice, to go by courier; its order number."""
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model

    from marketplace.constants import ShippingMethod
    from marketplace.payments.services import payment_confirm_bank_transfer
    from tests import factories
    from tests.orders.test_transitions import rice

    rice().stockrecords.update(num_in_stock=1000)
    checkout = factories.place(factories.basket((rice(), 2)), email="rina@example.test")
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due,
                                  acting_user=get_user_model().objects.get(username="admin"))
    order = checkout.shop_orders.get().order
    # set-up only: the courier's rate is another part's business; the order goes by courier
    get_model("order", "Order").objects.filter(pk=order.pk).update(shipping_code=ShippingMethod.COURIER,
                                                                   shipping_method="Kurir")
    return order.number


def test_a_manager_ships_from_a_phone_and_prints_the_slip(live_url, browser, paid_courier_order):
    number = paid_courier_order
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    manager = sign_in_shop(context, live_url, "bungaraya@siakkab.test")

    # "Pesanan" from the manager's menu opens "Perlu diproses", where the new paid order waits
    manager.goto(f"{live_url}/toko/kelola/pesanan/")
    assert manager.locator(".order-tabs .nav-link.active").inner_text().startswith("Perlu diproses")
    card = manager.locator(f".manager-order[data-order='{number}']")
    assert card.locator(".buyer-name").inner_text() == "Siti Aminah"
    assert card.locator("a.buyer-phone").get_attribute("href") == "tel:+6281234567890"
    assert card.locator("a.buyer-whatsapp").get_attribute("href").startswith("https://wa.me/6281234567890?text=")
    address = " ".join(card.locator(".buyer-address").inner_text().split())
    assert "Kampung Dalam" in address and "Kabupaten Siak, Riau 28773" in address
    assert fits_the_phone(manager)

    # pack it: the page follows the order to "Perlu dikirim"
    card.locator("button", has_text="Jadikan Dikemas").click()
    manager.wait_for_load_state()
    assert manager.locator(".order-tabs .nav-link.active").inner_text().startswith("Perlu dikirim")
    card = manager.locator(f".manager-order[data-order='{number}']")
    assert card.locator(".order-status").inner_text() == "Dikemas"

    # a tracking number mistyped is refused in Indonesian, and the courier typed stays
    card.locator("input[name=courier]").fill("J&T Express")
    card.locator("input[name=tracking_number]").fill("JP 123 #4")
    card.locator("button", has_text="Jadikan Dikirim").click()
    manager.wait_for_load_state()
    card = manager.locator(f".manager-order[data-order='{number}']")
    assert "Nomor resi hanya berisi huruf" in card.inner_text()
    assert card.locator("input[name=courier]").input_value() == "J&T Express"
    assert card.locator(".order-status").inner_text() == "Dikemas"
    assert fits_the_phone(manager)

    # shipped with the right number, it is under "Dikirim"
    card.locator("input[name=tracking_number]").fill("JP1234567890")
    card.locator("button", has_text="Jadikan Dikirim").click()
    manager.wait_for_load_state()
    assert "Sekarang di tab Dikirim" in manager.content()
    manager.locator(".order-tabs a[data-tab=dikirim]").click()
    manager.wait_for_load_state()
    card = manager.locator(f".manager-order[data-order='{number}']")
    assert card.locator(".order-status").inner_text() == "Dikirim"
    assert card.locator(".tracking").inner_text() == "JP1234567890"

    # the packing slip, printed with the button script shows
    card.locator("a", has_text="Cetak slip pengiriman").click()
    manager.wait_for_load_state()
    slip = manager.locator(f".packing-slip[data-order='{number}']")
    text = " ".join(slip.inner_text().split())
    for expected in (number, "BUMKam Bunga Raya Sejahtera", "Siti Aminah", "0812-3456-7890", "Kampung Dalam",
                     "Kabupaten Siak, Riau 28773", "Kurir J&T Express, resi JP1234567890"):
        assert expected in text
    assert "Beras" in slip.locator(".slip-lines tbody").inner_text() and slip.locator(".qty").inner_text() == "2"
    assert not re.search(r"Rp\s?\d", text)
    assert fits_the_phone(manager)
    manager.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    manager.locator("button.print-button").click()
    assert manager.evaluate("window.__printed") == 1
    context.close()


def test_the_tabs_and_the_slip_work_with_javascript_off(live_url, browser, paid_courier_order):
    number = paid_courier_order
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", java_script_enabled=False)
    manager = sign_in_shop(context, live_url, "bungaraya@siakkab.test")

    manager.goto(f"{live_url}/toko/kelola/pesanan/")
    manager.locator(f".manager-order[data-order='{number}'] button", has_text="Jadikan Dikemas").click()
    manager.wait_for_load_state()
    manager.locator(".order-tabs a[data-tab=perlu-dikirim]").click()
    manager.wait_for_load_state()
    assert manager.locator(f".manager-order[data-order='{number}']").count() == 1
    manager.locator("a.print-all").click()
    manager.wait_for_load_state()

    assert manager.locator(f".packing-slip[data-order='{number}']").count() == 1
    assert "Siti Aminah" in manager.locator(f".packing-slip[data-order='{number}']").inner_text()
    assert not manager.locator("button.print-button").is_visible()  # nothing that would not work
    assert "Cetak lewat menu peramban" in manager.content()
    assert fits_the_phone(manager)
    context.close()
