import re

import pytest

pytestmark = pytest.mark.browser


def test_a_guest_on_a_phone_without_javascript_finds_their_order_again(live_url, browser, read_db):
    from tests import factories
    from tests.payments.conftest import honey_and_rice

    # Given a guest's transfer checkout, placed with the phone typed 081234567890
    placed = factories.place(honey_and_rice(), email="tamu.lacak@example.test")
    number = placed.shop_orders.select_related("order").first().order.number

    # When, on a phone with JavaScript off, they follow "Lacak pesanan" from a shop page
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_url}/toko/catalogue/")
    page.click("footer >> text=Lacak pesanan")
    page.wait_for_url(f"{live_url}/toko/lacak-pesanan/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # and first type the e-mail wrong
    page.fill("#id_code", number.lower())
    page.fill("#id_contact", "tamu.salah@example.test")
    page.click(".order-lookup-form button[type=submit]")
    page.wait_for_load_state()
    assert "Tidak ada pesanan dengan nomor dan e-mail atau nomor HP itu." in page.inner_text(".lookup-error")
    assert page.input_value("#id_code") == number.lower()  # nothing typed is lost
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # then the phone, written the international way
    page.fill("#id_contact", "+62 812-3456-7890")
    page.click(".order-lookup-form button[type=submit]")

    # Then they land on their checkout page, at that shop's order, with the amount to transfer
    page.wait_for_url(re.compile(rf".*/toko/pesanan/{placed.reference}/#pesanan-{number}$"))
    assert page.locator(f"#pesanan-{number} .order-number").inner_text() == number
    amount = f"{placed.amount_due:,}".replace(",", ".")
    assert page.locator(".amount-due").inner_text().replace("\xa0", " ") == f"Rp {amount}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
