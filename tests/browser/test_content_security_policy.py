"""A visitor, a manager and the regency admin go through the site under its CSP; a stored
script in a product description runs in nobody's browser (CSP violations fail the test)."""

import pytest

from .signing_in import sign_in_admin, sign_in_shop

pytestmark = pytest.mark.browser

PAYLOAD = ('<p>Madu asli</p><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
           '<svg onload="window.__pwned = 3"></svg><a href="javascript:window.__pwned = 4">klik</a>')


def test_pages_run_under_the_policy_and_a_stored_script_does_not_execute(live_url, phone, browser, read_db):
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    product = Product.objects.filter(stockrecords__partner__bumkam__kampung__code="14.08.08.2001").first()
    original = product.description
    Product.objects.filter(pk=product.pk).update(description=PAYLOAD)  # as if stored before the sanitizer
    try:
        walk_through(live_url, phone, browser, product)
    finally:
        Product.objects.filter(pk=product.pk).update(description=original)


def walk_through(live_url, phone, browser, product):
    visitor = phone.new_page()

    # A visitor: portal, village home, mall, the product, basket and checkout
    for path in ["/", "/kampung/bunga-raya/", "/toko/catalogue/", product.get_absolute_url()]:
        visitor.goto(f"{live_url}{path}")
    assert "Madu asli" in visitor.content()
    visitor.locator("a", has_text="klik").first.click()
    assert visitor.evaluate("window.__pwned") is None
    visitor.goto(f"{live_url}{product.get_absolute_url()}")
    visitor.click("#add_to_basket_form button[type=submit]")
    visitor.goto(f"{live_url}/toko/basket/")
    visitor.goto(f"{live_url}/toko/checkout/")
    visitor.locator("#area-province option").nth(1).wait_for(state="attached")  # area-picker.js ran

    # A manager in Oscar's dashboard
    manager = sign_in_shop(browser.new_context(), live_url, "bungaraya@siakkab.test")
    manager.goto(f"{live_url}/toko/dashboard/")
    manager.goto(f"{live_url}/toko/dashboard/catalogue/products/{product.pk}/")
    assert manager.evaluate("window.__pwned") is None

    # The regency admin in Wagtail's admin and on the product page
    admin = sign_in_admin(browser.new_context(), live_url, "admin")
    admin.goto(f"{live_url}/admin/pages/")
    admin.goto(f"{live_url}{product.get_absolute_url()}")
    assert admin.evaluate("window.__pwned") is None
