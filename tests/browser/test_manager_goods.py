"""A manager keeps their goods on a 390 px phone: lists a product with a photo, finds it in
the product list, changes its stock in place, hides it from the shop and shows it again;
the same list works with JavaScript off, bad input included."""

import io

import pytest
from PIL import Image

from .signing_in import sign_in_shop

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "id-ID"}
TITLE = "Lempuk Durian Uji Ponsel 250 g"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def photo(tmp_path):
    path = tmp_path / "lempuk.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 800), (180, 120, 30)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def row_of(page, title):
    return page.locator(".manager-product", has_text=title)


def test_a_manager_lists_finds_restocks_hides_and_shows_a_product_on_a_phone(live_url, browser, read_db, tmp_path):
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    context = browser.new_context(**PHONE)
    manager = sign_in_shop(context, live_url, "bungaraya@siakkab.test")

    # Lists a product with a photo through the menu's "Produk baru"
    manager.goto(f"{live_url}/toko/kelola/produk/")
    assert fits_the_phone(manager)
    manager.click(".manage-nav >> text=Produk baru")
    assert fits_the_phone(manager)
    manager.fill("#id_title", TITLE)
    manager.select_option("#id_category", label="Makanan ringan > Dodol dan lempuk")
    manager.fill("#id_price", "35.000")
    manager.fill("#id_stock", "12")
    manager.fill("#id_weight_grams", "300")
    manager.set_input_files("#id_image", photo(tmp_path))
    manager.click(".product-form button[type=submit]")
    manager.wait_for_load_state()
    assert TITLE in manager.content() and "sudah dijual" in manager.content()

    # Finds it in the product list by name, from the shop's menu
    manager.goto(f"{live_url}/toko/kelola/pesanan/")
    manager.click(".manage-nav >> text=\"Produk\"")
    manager.fill("#id_product_q", "uji ponsel")
    manager.click(".manager-products-search button[type=submit]")
    manager.wait_for_load_state()
    row = row_of(manager, TITLE)
    assert row.count() == 1 and fits_the_phone(manager)
    assert "Rp 35.000" in row.inner_text().replace("\u00a0", " ") and row.locator("img").count() == 1

    # Changes its stock: the row saves in place, the list stays where it was
    list_url = manager.url
    row.locator("input[name=stock]").fill("1.250")
    row.locator(".quick-edit button[type=submit]").click()
    manager.wait_for_selector("#messages >> text=harga dan stok disimpan")
    assert manager.url == list_url
    assert "stok 1.250" in row_of(manager, TITLE).inner_text()
    record = StockRecord.objects.get(product__title=TITLE)
    assert record.num_in_stock == 1250 and int(record.price) == 35000

    # Hides it from the shop, and the buyer no longer finds its page; then shows it again
    product_url = f"{live_url}{record.product.get_absolute_url()}"
    row_of(manager, TITLE).locator("button", has_text="Sembunyikan").click()
    manager.wait_for_selector("#messages >> text=disembunyikan dari toko")
    assert row_of(manager, TITLE).locator(".product-visibility").inner_text() == "Disembunyikan"
    buyer = browser.new_context(**PHONE).new_page()
    assert buyer.goto(product_url).status == 404

    row_of(manager, TITLE).locator("button", has_text="Tayangkan").click()
    manager.wait_for_selector("#messages >> text=tampil lagi di toko")
    assert row_of(manager, TITLE).locator(".product-visibility").inner_text() == "Tayang"
    assert buyer.goto(product_url).status == 200
    assert fits_the_phone(manager)

    # The full edit page fits the phone and keeps the photo
    row_of(manager, TITLE).locator("text=Ubah lengkap").click()
    manager.wait_for_load_state()
    assert manager.locator(".current-photo img").count() == 1 and fits_the_phone(manager)
    context.close()


def test_the_product_list_works_without_javascript_bad_input_included(live_url, browser, read_db):
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    rice = StockRecord.objects.get(partner_sku="14.08.08.2001-beras")
    context = browser.new_context(java_script_enabled=False, **PHONE)
    manager = sign_in_shop(context, live_url, "bungaraya@siakkab.test")
    manager.goto(f"{live_url}/toko/kelola/produk/?q=beras")
    row = manager.locator(f"#produk-{rice.product_id}")

    # A stock typed with a comma: refused in Indonesian, what was typed still there, nothing saved
    row.locator("input[name=stock]").fill("10,5")
    with manager.expect_navigation() as answer:
        row.locator(".quick-edit button[type=submit]").click()
    assert answer.value.status == 400
    row = manager.locator(f"#produk-{rice.product_id}")
    assert "Isi bilangan bulat" in row.locator(".quick-edit-error").inner_text()
    assert row.locator("input[name=stock]").input_value() == "10,5"
    assert StockRecord.objects.get(pk=rice.pk).num_in_stock == rice.num_in_stock
    assert fits_the_phone(manager)

    # Then a good one: back at the list, the row changed
    row.locator("input[name=stock]").fill("77")
    row.locator(".quick-edit button[type=submit]").click()
    manager.wait_for_load_state()
    assert "harga dan stok disimpan" in manager.locator("#messages").inner_text()
    assert StockRecord.objects.get(pk=rice.pk).num_in_stock == 77

    # Hide and show without JavaScript
    manager.locator(f"#produk-{rice.product_id} button", has_text="Sembunyikan").click()
    manager.wait_for_load_state()
    assert manager.locator(f"#produk-{rice.product_id} .product-visibility").inner_text() == "Disembunyikan"
    manager.locator(f"#produk-{rice.product_id} button", has_text="Tayangkan").click()
    manager.wait_for_load_state()
    assert manager.locator(f"#produk-{rice.product_id} .product-visibility").inner_text() == "Tayang"
    context.close()
