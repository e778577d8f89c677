"""One answer to "which shop sells this": the stock record's partner. A product listed
without a producer is in its village's storefront, home and search filters, and its page
shows the shop; a producer is always the selling shop's own UMKM. One SKU rule for all."""

import json
import re
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model

from cms.models import KampungHomePage, StorefrontPage
from marketplace.catalogue.services import ProductData, product_create, sku_for
from marketplace.errors import UserError
from search.backends import get_backend
from search.backends.base import ProductQuery
from shops.models import Bumkam
from tests import factories

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")
BUNGA_RAYA, DAYUN = "14.08.08.2001", "14.08.06.2001"
NEW = "/toko/kelola/produk/baru/"
IMPORT = "/toko/kelola/produk/impor/"


@pytest.fixture
def manager(client):
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))
    return client


@pytest.fixture
def shop():
    return Bumkam.objects.select_related("kampung__kecamatan").get(kampung__code=BUNGA_RAYA)


def listing(**overrides):
    data = {"title": "Rengginang Pulut 250 g", "description": "Gurih", "price": "19000", "stock": "12",
            "weight_grams": "300", "category": str(Category.objects.get(name="Keripik").pk)}
    data.update(overrides)
    return data


@pytest.fixture
def unmade(manager, django_capture_on_commit_callbacks):
    """Listed by the Bunga Raya manager through the form, with no producer picked (and
    committed, as far as the search index can tell)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(NEW, listing())
    assert response.status_code == 302, response.content.decode()[:1000]
    product = Product.objects.get(title="Rengginang Pulut 250 g")
    assert product.producer is None
    return product


def village_line(html: str, title: str) -> str:
    """The kampung line of the product card for `title`."""
    card = html[html.index(title):]
    return re.search(r'<p class="village">([^<]*)</p>', card).group(1)


def test_a_product_without_a_producer_is_in_its_village_storefront_and_home(client, unmade, shop):
    home = KampungHomePage.objects.get(kampung__code=BUNGA_RAYA)
    storefront = StorefrontPage.objects.child_of(home).live().get()

    shelf = client.get(storefront.url).content.decode()
    front = client.get(home.url).content.decode()

    assert unmade.title in shelf and unmade.title in front
    assert village_line(shelf, unmade.title) == f"{shop.kampung}, {shop.kampung.kecamatan}"
    other = StorefrontPage.objects.child_of(KampungHomePage.objects.get(kampung__code=DAYUN)).live().get()
    assert unmade.title not in client.get(other.url).content.decode()


def test_a_product_without_a_producer_is_found_by_kecamatan_kampung_and_village_name(client, unmade, shop):
    def search(query):
        return get_backend().search_products(query).products

    by_kecamatan = client.get("/toko/search/", {"kecamatan": shop.kampung.kecamatan.code, "sort_by": "newest"})
    elsewhere = client.get("/toko/search/", {"kecamatan": "14.08.06", "sort_by": "newest"})

    assert by_kecamatan.status_code == 200 and unmade.title in by_kecamatan.content.decode()
    assert village_line(by_kecamatan.content.decode(), unmade.title) == f"{shop.kampung}, {shop.kampung.kecamatan}"
    assert unmade.title not in elsewhere.content.decode()
    assert unmade in search(ProductQuery(kampung_slug=shop.kampung.slug))
    assert unmade not in search(ProductQuery(kampung_slug=Bumkam.objects.get(kampung__code=DAYUN).kampung.slug))
    assert unmade in search(ProductQuery(text="rengginang", kecamatan_code=shop.kampung.kecamatan.code))
    assert unmade in search(ProductQuery(text=shop.name))  # the shop's name is searchable too


def test_the_page_of_a_product_without_a_producer_shows_shop_kampung_whatsapp_and_shipping(client, unmade, shop):
    html = client.get(unmade.get_absolute_url()).content.decode()

    assert shop.name in html
    assert f"Kecamatan {shop.kampung.kecamatan.name}" in html and str(shop.kampung) in html
    assert f"https://wa.me/{shop.whatsapp}" in html and "Tanya via WhatsApp" in html
    # the greeting names the shop (a dotted name inside blocktrans used to render empty: "Halo , saya")
    assert f"text=Halo%20{quote(shop.name)}%2C%20saya" in html.replace("&amp;", "&")
    assert "Pengiriman" in html and ("Ambil di kantor kampung" in html or "Kurir" in html)
    assert "Produsen (UMKM)" not in html


def test_json_ld_names_the_selling_shop(client, unmade, shop):
    html = client.get(unmade.get_absolute_url()).content.decode()
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)]

    product = next(block for block in blocks if block.get("@type") == "Product")

    assert product["offers"]["seller"]["name"] == shop.name
    assert product["offers"]["seller"]["address"]["addressLocality"] == str(shop.kampung)
    assert product["sku"] == sku_for(bumkam=shop, name=unmade.title)


def test_a_list_answers_each_products_shop_without_a_query_per_product(django_assert_max_num_queries, shop):
    from marketplace.catalogue.selectors import products_of_shop

    products = list(products_of_shop(shop))
    assert products
    with django_assert_max_num_queries(0):
        assert {product.shop for product in products} == {shop}
        assert all(str(product.shop.kampung.kecamatan) for product in products)


def test_another_villages_umkm_cannot_be_the_producer(manager, shop):
    foreign = Bumkam.objects.get(kampung__code=DAYUN).producers.first()
    count = Product.objects.count()

    response = manager.post(NEW, listing(producer=str(foreign.pk)))
    with pytest.raises(UserError, match="bukan UMKM binaan BUMKam Bunga Raya Sejahtera"):
        product_create(bumkam=shop, data=ProductData(
            title="Madu titipan", description="", category=Category.objects.get(name="Madu"), price=50000,
            stock=1, weight_grams=500, sku=sku_for(bumkam=shop, name="Madu titipan"), producer=foreign))

    assert response.status_code == 400
    assert "Pilih produsen (UMKM) dari daftar UMKM toko Anda." in response.content.decode()
    assert Product.objects.count() == count


def test_the_own_villages_umkm_may_be_the_producer_and_is_shown_as_maker(manager, shop, client):
    own = shop.producers.first()

    response = manager.post(NEW, listing(producer=str(own.pk)))

    product = Product.objects.get(title="Rengginang Pulut 250 g")
    assert response.status_code == 302 and product.producer == own and product.shop == shop
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Produsen (UMKM)" in html and own.name in html


def dashboard_form(client, product):
    from wagtail.test.utils.form_data import querydict_from_html

    url = f"/toko/dashboard/catalogue/products/{product.pk}/"
    return url, querydict_from_html(client.get(url).content.decode(), form_id="create_update_product_form")


def test_the_dashboard_cannot_move_a_product_to_a_shop_its_producer_is_not_in(client, shop):
    client.force_login(get_user_model().objects.get(username="admin"))
    rice = Product.objects.get(stockrecords__partner_sku=f"{BUNGA_RAYA}-beras")
    url, data = dashboard_form(client, rice)
    data["stockrecords-0-partner"] = str(Bumkam.objects.get(kampung__code=DAYUN).partner_id)

    response = client.post(url, data)

    assert response.status_code == 400
    assert "bukan UMKM binaan BUMKam Dayun Sakti" in response.content.decode()
    assert rice.stockrecords.get().partner_id == shop.partner_id


def test_the_dashboard_refuses_a_sku_the_shop_already_uses(manager, shop):
    rice = Product.objects.get(stockrecords__partner_sku=f"{BUNGA_RAYA}-beras")
    other = Product.objects.filter(stockrecords__partner=shop.partner).exclude(pk=rice.pk).first()
    url, data = dashboard_form(manager, other)
    data["stockrecords-0-partner_sku"] = f"{BUNGA_RAYA}-beras"

    response = manager.post(url, data)

    assert response.status_code == 400
    assert "Toko ini sudah menjual \u201cBeras Bunga Raya 5 kg\u201d dengan kode SKU 14.08.08.2001-beras" in response.content.decode()
    assert other.stockrecords.get().partner_sku != f"{BUNGA_RAYA}-beras"


def test_form_import_demo_and_factories_share_one_sku_shape(manager, shop):
    csv = "judul,kategori,harga,stok,berat_gram\nKeripik Talas Balado 200 g,Makanan ringan > Keripik,22000,30,250\n"

    manager.post(NEW, listing())
    manager.post(IMPORT, {"spreadsheet": SimpleUploadedFile("produk.csv", csv.encode(), content_type="text/csv")})
    made = factories.product(bumkam=shop, title="Kerupuk Jengkol")

    skus = StockRecord.objects.filter(partner=shop.partner).values_list("partner_sku", flat=True)
    assert f"{BUNGA_RAYA}-rengginang-pulut-250-g" in skus  # the form
    assert f"{BUNGA_RAYA}-keripik-talas-balado-200-g" in skus  # the import
    assert f"{BUNGA_RAYA}-beras" in skus  # the demo, by its short product name
    assert made.stockrecords.get().partner_sku == f"{BUNGA_RAYA}-kerupuk-jengkol"  # the factories


def test_listing_the_same_name_twice_is_a_form_error_not_a_500(manager):
    first = manager.post(NEW, listing())
    count = Product.objects.count()

    again = manager.post(NEW, listing(title="rengginang pulut 250 G!"))

    assert first.status_code == 302
    assert again.status_code == 400
    html = again.content.decode()
    assert "Toko ini sudah menjual \u201cRengginang Pulut 250 g\u201d dengan kode SKU 14.08.08.2001-rengginang-pulut-250-g" in html
    assert Product.objects.count() == count


def test_an_import_naming_one_product_twice_names_the_rows_and_imports_nothing(manager):
    clash = ("judul,kategori,harga,stok,berat_gram\n"
             "Sagu Rendang 200 g,Makanan ringan > Keripik,15000,3,200\n"
             "Lempuk Durian,Dodol dan lempuk,70000,3,500\n"
             "Sagu rendang 200 G,Makanan ringan > Keripik,15000,3,200\n")
    count = Product.objects.count()

    in_file = manager.post(IMPORT, {"spreadsheet": SimpleUploadedFile("produk.csv", clash.encode(), content_type="text/csv")})

    assert in_file.status_code == 400
    assert "Baris 4: produk sama dengan baris 2 (kode SKU 14.08.08.2001-sagu-rendang-200-g)" in in_file.content.decode()
    assert Product.objects.count() == count and not Product.objects.filter(title="Sagu Rendang 200 g").exists()


def test_an_import_renaming_a_product_to_another_ones_name_is_refused_by_its_line(manager, shop):
    rice = Product.objects.get(stockrecords__partner_sku=f"{BUNGA_RAYA}-beras")
    other = factories.product(bumkam=shop, title="Sagu Rendang 200 g")
    rows = f"sku,judul,kategori,harga,stok,berat_gram\n{BUNGA_RAYA}-beras,{other.title},Bahan pangan > Beras,70000,3,5000\n"

    response = manager.post(IMPORT, {"spreadsheet": SimpleUploadedFile("produk.csv", rows.encode(), content_type="text/csv")})

    assert response.status_code == 400
    assert f"Baris 2: toko ini sudah menjual \u201c{other.title}\u201d" in response.content.decode()
    assert Product.objects.get(pk=rice.pk).title == rice.title


def test_a_name_without_letters_still_gets_its_own_sku(shop):
    skus = {sku_for(bumkam=shop, name=name) for name in ("!!!", "???", "\U0001f34d\U0001f34d")}

    assert len(skus) == 3 and all(re.fullmatch(r"14\.08\.08\.2001-[0-9a-f]{12}", sku) for sku in skus)
    assert sku_for(bumkam=shop, name="x" * 300) == f"{BUNGA_RAYA}-{'x' * 100}"
