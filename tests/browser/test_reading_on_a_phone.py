"""A buyer on a 390 px phone, JavaScript off then on: one menu that opens, search results before
the folded filters, a readable APBKam chart, and a basket whose header total follows a removal."""


import pytest

pytestmark = pytest.mark.browser


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


@pytest.mark.parametrize("scripts", [False, True], ids=["js-off", "js-on"])
def test_a_buyer_reads_the_menu_search_chart_and_basket_on_a_phone(live_url, browser, read_db, scripts):
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", java_script_enabled=scripts)
    page = context.new_page()

    # One menu button; its links show only once it is opened, and every one is there
    page.goto(f"{live_url}/")
    assert page.locator("summary").count() == 1
    assert not page.locator(".site-nav a", has_text="Kampung").is_visible()
    page.click("summary.site-menu-toggle")
    for label in ("Beranda", "Kampung", "Belanja", "Masuk atau daftar"):
        assert page.locator(".site-nav a", has_text=label).first.is_visible()
    fits(page)

    # Search: the first result is on the first screen, the filters folded above it
    page.goto(f"{live_url}/toko/search/?q=madu")
    first = page.locator(".product-grid li").first.bounding_box()
    assert first["y"] < 844, f"the first result starts {first['y']} px down"
    assert not page.locator(".search-filters").is_visible()
    page.click(".facet-filters summary")
    assert page.locator(".search-filters").is_visible()
    fits(page)

    # The APBKam chart: its labels are at a readable size
    page.goto(f"{live_url}/kampung/bunga-raya/apbkam/?tahun=2025")
    label = page.locator(".budget-bar-name").first
    assert label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 14
    assert label.is_visible()
    fits(page)

    # Basket: remove one line, the page reloads and the header total is the new one
    for product in (honey, rice):
        page.goto(f"{live_url}{product.get_absolute_url()}")
        page.click("#add_to_basket_form button[type=submit]")
        page.wait_for_load_state()
    page.goto(f"{live_url}/toko/basket/")
    assert "Gratis pengiriman" not in page.content()
    fits(page)
    page.locator(".basket-items", has_text="Madu Sialang").locator("button", has_text="Hapus").click()
    page.wait_for_load_state()
    rice_total = f"Rp\u00a0{int(rice.stockrecords.get().price):,}".replace(",", ".")
    assert page.locator(".site-basket-total").inner_text().replace(" ", "\u00a0") == rice_total
    assert page.locator(".basket-items").count() == 1
    context.close()
