"""Managers list goods one by one with a checked photo, or many from a spreadsheet."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from PIL import Image

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
GOOD_CSV = (
    "judul,deskripsi,kategori,harga,stok,berat_gram,produsen,pirt,halal,bpom\n"
    "Keripik Talas 200 g,Renyah,Makanan ringan > Keripik,22000,30,250,UMKM Talas,2061408010123-27,,\n"
    "Kopi Bubuk 250 g,Robusta,Minuman > Kopi,\"40.000\",12,300,,,ID1234567890,\n"
)


@pytest.fixture
def manager(client):
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))
    return client


def picture(fmt="JPEG", size=(640, 640)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buffer, format=fmt)
    return buffer.getvalue()


def listing(**overrides):
    category = get_model("catalogue", "Category").objects.get(name="Dodol dan lempuk")
    data = {"title": "Dodol Ketan 300 g", "description": "Legit", "category": str(category.pk),
            "price": "30000", "stock": "15", "weight_grams": "350", "halal_number": "ID00112233"}
    data.update(overrides)
    return data


def test_a_manager_lists_a_product_with_a_photo(manager):
    response = manager.post("/toko/kelola/produk/baru/", listing(
        image=SimpleUploadedFile("dodol.webp", picture("WEBP"), content_type="image/webp")))

    assert response.status_code == 302
    product = Product.objects.get(title="Dodol Ketan 300 g")
    assert product.stockrecords.get().partner.bumkam.kampung.code == "14.08.08.2001"
    assert int(product.stockrecords.get().price) == 30000
    assert product.primary_image().original.name.endswith(".webp")
    assert "Rp\u00a030.000" in manager.get(product.get_absolute_url()).content.decode()


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg"), "bukan foto yang bisa dibaca"),
    (SimpleUploadedFile("logo.gif", picture("GIF"), content_type="image/gif"), "Foto harus JPEG, PNG atau WebP, bukan GIF"),
    (SimpleUploadedFile("kecil.png", picture("PNG", (64, 64)), content_type="image/png"), "Foto terlalu kecil"),
    (SimpleUploadedFile("besar.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1), content_type="image/png"), "paling banyak 5 MB"),
])
def test_bad_pictures_are_refused_with_a_clear_message(manager, upload, message):
    count = Product.objects.count()

    response = manager.post("/toko/kelola/produk/baru/", listing(image=upload))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Product.objects.count() == count


def test_a_picture_with_too_many_pixels_is_refused(manager):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("1", (6000, 5000)).save(buffer, format="PNG")  # 30 megapixels, a small file

    response = manager.post("/toko/kelola/produk/baru/", listing(
        image=SimpleUploadedFile("besar.png", buffer.getvalue(), content_type="image/png")))

    assert response.status_code == 400
    assert "25 megapiksel" in response.content.decode()


def test_a_buyer_cannot_list_goods(client):
    get_user_model().objects.create_user("pembeli", "p@example.test", "rahasia-pembeli")
    client.login(username="pembeli", password="rahasia-pembeli")

    assert client.get("/toko/kelola/produk/baru/").status_code == 403


def test_a_spreadsheet_imports_many_products(manager):
    response = manager.post("/toko/kelola/produk/impor/", {
        "spreadsheet": SimpleUploadedFile("produk.csv", GOOD_CSV.encode("utf-8-sig"), content_type="text/csv")})

    assert response.status_code == 302
    talas = Product.objects.get(title="Keripik Talas 200 g")
    assert talas.producer.name == "UMKM Talas" and talas.pirt_number == "2061408010123-27"
    assert int(Product.objects.get(title="Kopi Bubuk 250 g").stockrecords.get().price) == 40000


def test_an_xlsx_spreadsheet_imports_too(manager):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Judul", "Kategori", "Harga", "Stok", "Berat gram"])
    sheet.append(["Sirup Serai 500 ml", "Minuman > Sirup", 27000, 8, 700])
    buffer = io.BytesIO()
    book.save(buffer)

    response = manager.post("/toko/kelola/produk/impor/", {"spreadsheet": SimpleUploadedFile(
        "produk.xlsx", buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})

    assert response.status_code == 302
    assert Product.objects.filter(title="Sirup Serai 500 ml").exists()


def test_a_spreadsheet_with_bad_rows_names_each_and_imports_none(manager):
    bad = GOOD_CSV + "Madu Palsu,,Minuman > Madu,murah,5,250,,,,\n,,Minuman > Madu,10000,5,250,,,,\nKue,,Kue,10000,-3,250,,,,\n"
    count = Product.objects.count()

    response = manager.post("/toko/kelola/produk/impor/", {
        "spreadsheet": SimpleUploadedFile("produk.csv", bad.encode(), content_type="text/csv")})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Baris 4: harga harus bilangan bulat, bukan \u201cmurah\u201d" in html
    assert "Baris 5: kolom judul kosong" in html
    assert "Baris 6: stok harus bilangan bulat" in html
    assert "Baris 2" not in html and "Baris 3" not in html
    assert Product.objects.count() == count  # the good rows were not imported either


@pytest.mark.parametrize("name, content, message", [
    ("produk.txt", b"judul", "kirim berkas .csv atau .xlsx"),
    ("produk.xlsx", b"bukan zip", "berkas bukan XLSX yang bisa dibaca"),
    ("produk.csv", "judul;harga\nA;1\n".encode(), "kolom wajib tidak ada: kategori, stok, berat_gram"),
    ("produk.csv", "judul,kategori,harga,stok,berat_gram\n".encode("latin-1") + b"Kue \xe9,K,1000,1,1\n", "simpan CSV sebagai UTF-8"),
])
def test_unreadable_spreadsheets_get_a_clear_message(manager, name, content, message):
    response = manager.post("/toko/kelola/produk/impor/", {"spreadsheet": SimpleUploadedFile(name, content)})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_manager_keeps_their_shop_profile(manager):
    from shops.models import Bumkam

    bad = manager.post("/toko/kelola/toko/", {"whatsapp": "0812", "allows_pickup": ""})
    good = manager.post("/toko/kelola/toko/", {
        "story": "Beras pulen dari Bunga Raya.", "whatsapp": "0812-1111-2222", "pickup_address": "Kantor BUMKam",
        "bank_name": "BRI", "bank_account_number": "1234567890", "bank_account_holder": "BUMKam Bunga Raya Sejahtera",
        "allows_pickup": "on", "courier_per_kg_kecamatan": "9.000",
        "logo": SimpleUploadedFile("logo.png", picture("PNG"), content_type="image/png"),
    })

    assert bad.status_code == 400
    assert "Tulis nomor HP Indonesia" in bad.content.decode()
    assert "Pilih paling sedikit satu cara kirim" in bad.content.decode()
    assert good.status_code == 302
    shop = Bumkam.objects.get(kampung__code="14.08.08.2001")
    assert (shop.whatsapp, shop.courier_per_kg_kecamatan, shop.status) == ("6281211112222", 9000, "approved")
    assert shop.logo.name.endswith(".png")


def test_the_oscar_dashboard_shows_a_manager_only_their_shops_orders(manager, client):
    from tests import factories

    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    checkout = factories.place(factories.basket((honey, 1), (rice, 1)))
    own = checkout.shop_orders.get(bumkam__kampung__code="14.08.08.2001").order
    other = checkout.shop_orders.get(bumkam__kampung__code="14.08.06.2001").order

    listing = manager.get("/toko/dashboard/orders/").content.decode()

    assert own.number in listing and other.number not in listing
    assert manager.get(f"/toko/dashboard/orders/{other.number}/").status_code in (403, 404)
