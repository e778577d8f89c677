"""A manager keeps their goods from a phone: the product list with search, a quick edit of
price and stock, publish and unpublish, the full edit page, and an import that updates by SKU."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from oscar.core.loading import get_model
from PIL import Image

from marketplace.catalogue.importing import COLUMNS
from marketplace.catalogue.selectors import products_of_shop
from marketplace.exports import csv_bytes
from shops.models import Bumkam

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
BUNGA_RAYA, KERINCI_KANAN = "14.08.08.2001", "14.08.07.2001"
LIST, IMPORT, TEMPLATE = "/toko/kelola/produk/", "/toko/kelola/produk/impor/", "/toko/kelola/produk/impor/templat-produk.csv"


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def manager(client):
    return login(client, "pengelola.bungaraya")


@pytest.fixture
def rice():
    return Product.objects.get(stockrecords__partner_sku=f"{BUNGA_RAYA}-beras")


@pytest.fixture
def pineapple():
    return Product.objects.get(stockrecords__partner_sku=f"{KERINCI_KANAN}-keripik-nenas")


def of_bunga_raya(title):
    return Product.objects.get(title=title, stockrecords__partner__bumkam__kampung__code=BUNGA_RAYA)


def record_of(product):
    return StockRecord.objects.get(product=product)


def skus_listed(html: str) -> list[str]:
    return re.findall(r'data-sku="([^"]+)"', html)


def upload(text: str, name="produk.csv"):
    return {"spreadsheet": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")}


def success_message(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


# --- the list ------------------------------------------------------------------------------------

def test_the_list_shows_only_the_managers_own_goods_hidden_ones_too(manager, rice, pineapple):
    Product.objects.filter(pk=rice.pk).update(is_public=False)

    response = manager.get(LIST)

    assert response.status_code == 200
    skus = skus_listed(response.content.decode())
    assert f"{BUNGA_RAYA}-beras" in skus
    assert skus and all(sku.startswith(f"{BUNGA_RAYA}-") for sku in skus)
    assert "Disembunyikan" in response.content.decode()
    assert pineapple.title not in response.content.decode()


def test_the_list_finds_goods_by_name_or_sku_and_pages_them(manager, rice):
    by_name = manager.get(LIST, {"q": "beras"}).content.decode()
    by_sku = manager.get(LIST, {"q": f"{BUNGA_RAYA}-beras"}).content.decode()
    nothing = manager.get(LIST, {"q": "tidak-ada-barang-ini"}).content.decode()

    assert f"{BUNGA_RAYA}-beras" in skus_listed(by_name) and all("beras" in s for s in skus_listed(by_sku))
    assert "Tidak ada produk dengan nama atau SKU \u201ctidak-ada-barang-ini\u201d" in nothing

    csv_rows = "".join(f"Kue Bangkit {n:02d},Makanan ringan > Keripik,10000,5,100\n" for n in range(25))
    manager.post(IMPORT, upload("judul,kategori,harga,stok,berat_gram\n" + csv_rows))
    first = manager.get(LIST, {"q": "kue bangkit"}).content.decode()
    second = manager.get(LIST, {"q": "kue bangkit", "page": "2"}).content.decode()
    assert len(skus_listed(first)) == 20 and len(skus_listed(second)) == 5
    assert "Halaman 1 dari 2" in first and "Berikutnya" in first


def test_the_regency_admin_chooses_the_shop_whose_goods_to_see(client, pineapple):
    login(client, "admin")
    kerinci = Bumkam.objects.get(kampung__code=KERINCI_KANAN)

    unchosen = client.get(LIST).content.decode()
    chosen = client.get(LIST, {"toko": kerinci.pk}).content.decode()

    assert "Pilih toko untuk melihat produknya." in unchosen and not skus_listed(unchosen)
    assert f"{KERINCI_KANAN}-keripik-nenas" in skus_listed(chosen)
    assert all(sku.startswith(f"{KERINCI_KANAN}-") for sku in skus_listed(chosen))


def test_a_buyer_has_no_product_list(client):
    get_user_model().objects.create_user("pembeli", "p@example.test", "rahasia-pembeli")
    client.login(username="pembeli", password="rahasia-pembeli")

    assert client.get(LIST).status_code == 403


# --- quick edit ----------------------------------------------------------------------------------

def test_quick_edit_saves_price_and_stock_written_with_thousands_dots(manager, rice):
    response = manager.post(f"{LIST}{rice.pk}/harga-stok/?q=beras", {"price": "Rp 72.500", "stock": "1.200"})

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?q=beras#produk-{rice.pk}"
    record = record_of(rice)
    assert (int(record.price), record.num_in_stock) == (72500, 1200)
    page = manager.get(LIST, {"q": "beras"}).content.decode()
    assert "Rp\u00a072.500" in page and 'value="1.200"' in page


@pytest.mark.parametrize("field, typed, message", [
    ("stock", "-5", "Paling kecil 0."),
    ("stock", "10,5", "Isi bilangan bulat, mis. 1.500 atau 1500, tanpa koma."),
    ("price", "10,5", "Isi jumlah dalam rupiah, mis. 25.000 atau 25000."),
    ("price", "99.999.999.999", "Jumlah paling besar Rp 9.999.999.999."),
    ("stock", str(2**31), "Paling besar 2.147.483.647."),
    ("price", "", "Isi jumlahnya dalam rupiah."),
])
def test_quick_edit_with_bad_input_changes_nothing_and_keeps_what_was_typed(manager, rice, field, typed, message):
    before = record_of(rice)
    data = {"price": "80.000", "stock": "7", field: typed}

    response = manager.post(f"{LIST}{rice.pk}/harga-stok/", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "belum disimpan: periksa isiannya" in html
    row = html[html.index(f'id="produk-{rice.pk}"'):]
    assert f'value="{typed}"' in row[:4000] if typed else 'value="7"' in row[:4000]
    after = record_of(rice)
    assert (after.price, after.num_in_stock) == (before.price, before.num_in_stock)


def test_stock_cannot_go_below_what_buyers_have_ordered(manager, rice):
    StockRecord.objects.filter(product=rice).update(num_in_stock=10, num_allocated=4)

    response = manager.post(f"{LIST}{rice.pk}/harga-stok/", {"price": "80.000", "stock": "3"})
    allowed = manager.post(f"{LIST}{rice.pk}/harga-stok/", {"price": "80.000", "stock": "4"})

    assert response.status_code == 400
    assert "Stok tidak bisa kurang dari 4: sebanyak itu sudah dipesan pembeli dan belum dikirim." in response.content.decode()
    assert allowed.status_code == 302
    assert (record_of(rice).num_in_stock, record_of(rice).num_allocated) == (4, 4)


# --- publish and unpublish -----------------------------------------------------------------------

def test_unpublishing_hides_the_product_from_the_storefront_and_publishing_brings_it_back(manager, rice):
    buyer, shop = Client(), Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    assert buyer.get(rice.get_absolute_url()).status_code == 200

    hidden = manager.post(f"{LIST}{rice.pk}/tayang/", {"is_public": "0"})

    assert hidden.status_code == 302 and "disembunyikan dari toko" in success_message(hidden)
    assert buyer.get(rice.get_absolute_url()).status_code == 404
    assert rice not in products_of_shop(shop)
    assert f"{BUNGA_RAYA}-beras" in skus_listed(manager.get(LIST).content.decode())  # still the manager's to keep

    shown = manager.post(f"{LIST}{rice.pk}/tayang/", {"is_public": "1"})

    assert shown.status_code == 302 and "tampil lagi di toko" in success_message(shown)
    assert buyer.get(rice.get_absolute_url()).status_code == 200
    assert rice in products_of_shop(shop)


def test_a_publish_request_without_a_choice_changes_nothing(manager, rice):
    response = manager.post(f"{LIST}{rice.pk}/tayang/", {"is_public": "mungkin"})

    assert response.status_code == 400 and "Pilih tayangkan atau sembunyikan." in response.content.decode()
    assert Product.objects.get(pk=rice.pk).is_public


# --- another shop's goods ------------------------------------------------------------------------

@pytest.mark.parametrize("method, suffix, data", [
    ("post", "harga-stok/", {"price": "1.000", "stock": "1"}),
    ("post", "tayang/", {"is_public": "0"}),
    ("get", "", {}),
    ("post", "", {"title": "Dibajak", "price": "1000", "stock": "1", "weight_grams": "1"}),
])
def test_another_shops_manager_cannot_touch_the_goods(client, rice, method, suffix, data):
    login(client, "pengelola.kerincikanan")
    before = record_of(rice)

    response = getattr(client, method)(f"{LIST}{rice.pk}/{suffix}", data)

    assert response.status_code == 404
    after, product = record_of(rice), Product.objects.get(pk=rice.pk)
    assert (after.price, after.num_in_stock, product.is_public, product.title) == (
        before.price, before.num_in_stock, True, rice.title)


# --- the full edit page --------------------------------------------------------------------------

def picture():
    buffer = io.BytesIO()
    Image.new("RGB", (640, 640), (200, 150, 20)).save(buffer, format="JPEG")
    return SimpleUploadedFile("beras.jpg", buffer.getvalue(), content_type="image/jpeg")


def edit_data(product, **overrides):
    data = {"title": product.title, "description": "Pulen", "category": str(product.categories.first().pk),
            "price": "75.000", "stock": "40", "weight_grams": "5.000"}
    return data | overrides


def test_the_edit_page_is_the_listing_form_filled_in(manager, rice):
    html = manager.get(f"{LIST}{rice.pk}/").content.decode()

    assert f'value="{rice.title}"' in html
    assert f'value="{int(record_of(rice).price):,}"'.replace(",", ".") in html
    assert "Kembali ke daftar produk" in html


def test_editing_a_product_renames_it_keeping_its_sku_and_replaces_its_photo(manager, rice):
    response = manager.post(f"{LIST}{rice.pk}/", edit_data(rice, title="Beras Pulen Bunga Raya 5 kg", image=picture()))

    assert response.status_code == 302
    product, record = Product.objects.get(pk=rice.pk), record_of(rice)
    assert product.title == "Beras Pulen Bunga Raya 5 kg" and product.images.count() == 1
    assert product.primary_image().original.name.endswith(".jpg")
    assert (int(record.price), record.num_in_stock, product.weight_grams) == (75000, 40, 5000)
    # the SKU stays what the shop's spreadsheets know it by: importing them again updates, never duplicates
    assert record.partner_sku == f"{BUNGA_RAYA}-beras"


def test_editing_keeps_the_sku_when_the_name_stays(manager, rice):
    manager.post(f"{LIST}{rice.pk}/", edit_data(rice, stock="41"))

    assert record_of(rice).partner_sku == f"{BUNGA_RAYA}-beras" and record_of(rice).num_in_stock == 41


def test_the_edit_page_refuses_another_products_name_and_stock_below_orders(manager, rice):
    manager.post(IMPORT, upload(TWO))
    other = of_bunga_raya("Kopi Liberika 200 g")
    StockRecord.objects.filter(product=rice).update(num_allocated=5)

    renamed = manager.post(f"{LIST}{rice.pk}/", edit_data(rice, title=other.title))
    short = manager.post(f"{LIST}{rice.pk}/", edit_data(rice, stock="2"))

    assert renamed.status_code == 400 and f"Toko ini sudah menjual \u201c{other.title}\u201d" in renamed.content.decode()
    assert short.status_code == 400 and "Stok tidak bisa kurang dari 5" in short.content.decode()
    assert Product.objects.get(pk=rice.pk).title == rice.title


# --- import by SKU and the template --------------------------------------------------------------

TWO = ("judul,deskripsi,kategori,harga,stok,berat_gram\n"
       "Lempuk Durian 250 g,Manis,Dodol dan lempuk,35.000,8,300\n"
       "Kopi Liberika 200 g,Harum,Minuman > Kopi,45000,6,250\n")


def test_importing_the_same_file_twice_makes_no_duplicates_and_counts_what_changed(manager):
    first = manager.post(IMPORT, upload(TWO), follow=True)
    again = manager.post(IMPORT, upload(TWO), follow=True)
    cheaper = manager.post(IMPORT, upload(TWO.replace("35.000,8", "33.000,20")), follow=True)

    assert "Impor selesai: 2 produk baru, 0 diperbarui, 0 tidak berubah." in first.content.decode()
    assert "Impor selesai: 0 produk baru, 0 diperbarui, 2 tidak berubah." in again.content.decode()
    assert "Impor selesai: 0 produk baru, 1 diperbarui, 1 tidak berubah." in cheaper.content.decode()
    lempuk = of_bunga_raya("Lempuk Durian 250 g")  # one, not three
    assert (int(record_of(lempuk).price), record_of(lempuk).num_in_stock) == (33000, 20)
    assert of_bunga_raya("Kopi Liberika 200 g")


def test_an_import_row_with_a_known_sku_updates_name_price_stock_and_description(manager, rice):
    row = f"sku,judul,deskripsi,kategori,harga,stok,berat_gram\n{BUNGA_RAYA}-beras,Beras Siak 5 kg,Baru panen,Bahan pangan > Beras,70.000,55,5000\n"

    response = manager.post(IMPORT, upload(row), follow=True)

    assert "0 produk baru, 1 diperbarui" in response.content.decode()
    product, record = Product.objects.get(pk=rice.pk), record_of(rice)
    assert (product.title, int(record.price), record.num_in_stock) == ("Beras Siak 5 kg", 70000, 55)
    assert "Baru panen" in product.description and record.partner_sku == f"{BUNGA_RAYA}-beras"


def test_an_import_row_with_another_shops_sku_is_refused_by_its_line(manager, pineapple):
    rows = (f"sku,judul,kategori,harga,stok,berat_gram\n,Kue Sagu 100 g,Makanan ringan > Keripik,9000,5,100\n"
            f"{KERINCI_KANAN}-keripik-nenas,Keripik Nenas,Makanan ringan > Keripik,1000,999,100\n")
    count = Product.objects.count()

    response = manager.post(IMPORT, upload(rows))

    assert response.status_code == 400
    assert f"Baris 3: kode SKU {KERINCI_KANAN}-keripik-nenas milik toko lain" in response.content.decode()
    assert Product.objects.count() == count and record_of(pineapple).num_in_stock != 999


def test_an_import_update_below_what_is_ordered_names_the_line_and_imports_nothing(manager, rice):
    StockRecord.objects.filter(product=rice).update(num_in_stock=10, num_allocated=6)
    rows = (f"sku,judul,kategori,harga,stok,berat_gram\n,Kue Sagu 100 g,Makanan ringan > Keripik,9000,5,100\n"
            f"{BUNGA_RAYA}-beras,{rice.title},Bahan pangan > Beras,70000,2,5000\n")

    response = manager.post(IMPORT, upload(rows))

    assert response.status_code == 400
    assert "Baris 3: stok tidak bisa kurang dari 6" in response.content.decode()
    assert not Product.objects.filter(title="Kue Sagu 100 g").exists() and record_of(rice).num_in_stock == 10


def test_the_template_downloads_with_its_columns_and_imports_as_it_is(manager):
    page = manager.get(IMPORT).content.decode()
    assert TEMPLATE in page and "Unduh templat CSV" in page

    response = manager.get(TEMPLATE)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="templat-produk.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS and len(rows) == 2
    example = dict(zip(rows[0], rows[1]))
    assert example["sku"] == "" and example["judul"] and int(example["harga"]) > 0

    first = manager.post(IMPORT, {"spreadsheet": SimpleUploadedFile("templat-produk.csv", response.content)}, follow=True)
    again = manager.post(IMPORT, {"spreadsheet": SimpleUploadedFile("templat-produk.csv", response.content)}, follow=True)

    assert "Impor selesai: 1 produk baru, 0 diperbarui, 0 tidak berubah." in first.content.decode()
    assert "Impor selesai: 0 produk baru, 0 diperbarui, 1 tidak berubah." in again.content.decode()
    assert of_bunga_raya(example["judul"])  # one, not two


def test_text_quoted_against_csv_injection_reads_back_as_written(manager):
    content = csv_bytes(COLUMNS, [["", "-Kopi Minus 100 g", "=resep nenek", "Minuman > Kopi", 20000, 3, 100,
                                   "@UMKM Kopi", "", "", ""]])
    assert b"'-Kopi Minus" in content and b"'=resep" in content  # neutralised in the file

    response = manager.post(IMPORT, {"spreadsheet": SimpleUploadedFile("produk.csv", content)})

    assert response.status_code == 302
    product = of_bunga_raya("-Kopi Minus 100 g")
    assert "=resep nenek" in product.description and product.producer.name == "@UMKM Kopi"


def test_the_template_is_for_managers(client):
    get_user_model().objects.create_user("pembeli", "p@example.test", "rahasia-pembeli")
    client.login(username="pembeli", password="rahasia-pembeli")

    assert client.get(TEMPLATE).status_code == 403


@pytest.mark.parametrize("content", [b"just some text\nno header here", b"\x89PNG\r\n\x1a\n\x00\x00binary"])
def test_a_file_whose_columns_cannot_be_read_is_a_400_with_a_message(manager, content):
    response = manager.post(IMPORT, {"spreadsheet": SimpleUploadedFile("produk.csv", content, content_type="text/csv")})

    assert response.status_code == 400
    html = response.content.decode()
    assert "baris judul kolom tidak terbaca" in html or "simpan CSV sebagai UTF-8" in html
