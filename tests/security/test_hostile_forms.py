"""Hostile values in the forms of managers, buyers and the regency admin: each is a 4xx with a
message in Indonesian, and no table gains a row."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from marketplace.constants import MAX_CHECKOUT_TOTAL
from marketplace.errors import UserError
from shops.models import Bumkam
from tests import factories
from tests.payments.conftest import honey_and_rice

from .conftest import row_counts

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Line = get_model("basket", "Line")

pytestmark = pytest.mark.django_db

LISTING = {"title": "Keripik nenas", "description": "Renyah.", "price": "25000", "stock": "5", "weight_grams": "100"}


@pytest.fixture(autouse=True)
def listing_category():
    """Managers file goods under one of the regency's categories, by its id."""
    from oscar.core.loading import get_model

    LISTING["category"] = str(get_model("catalogue", "Category").objects.order_by("pk").first().pk)


def bunga_raya_shop() -> Bumkam:
    return get_user_model().objects.get(username="pengelola.bungaraya").managed_bumkam.get()


# --- NUL bytes: refused at the door, whatever the view -------------------------------------

NUL_REQUESTS = [
    ("get", "/toko/search/?q=a%00b", None),
    ("get", "/kampung/%00/", None),
    ("get", "/toko/catalogue/?page=%00", None),
    ("get", "/toko/catalogue/?q%00=1", None),
    ("get", "/kampung/bunga-raya/apbkam/?tahun=2026%00", None),
    ("post", "/toko/accounts/login/", {"login-username": "a\x00@b.test", "login-password": "x", "login_submit": "1"}),
    ("post", "/toko/checkout/", {"name": "Siti\x00", "phone": "081234567890"}),
]


@pytest.mark.parametrize("method,url,data", NUL_REQUESTS)
def test_a_nul_byte_anywhere_in_a_request_is_a_400_in_indonesian(anonymous, unchanged, method, url, data):
    response = getattr(anonymous, method)(url, data or {})

    assert response.status_code == 400
    assert "karakter NUL" in response.content.decode()


def test_a_nul_byte_in_a_managers_form_field_lists_nothing(manager, unchanged):
    response = manager.post("/toko/kelola/produk/baru/", {**LISTING, "title": "Keripik\x00nenas"})

    assert response.status_code == 400 and "karakter NUL" in response.content.decode()


def test_an_upload_may_still_carry_nul_bytes_in_its_content(manager, unchanged):
    """File contents are binary; only field values are checked at the door."""
    upload = io.BytesIO(b"judul,kategori,harga,stok,berat_gram\n\x00\n")
    upload.name = "produk.csv"

    response = manager.post("/toko/kelola/produk/impor/", {"spreadsheet": upload})

    assert response.status_code == 400
    assert "Baris 2: berisi karakter NUL" in response.content.decode()


# --- numbers past their column -----------------------------------------------------------

@pytest.mark.parametrize("field,value,message", [
    ("price", "99999999999999999999", "Jumlah paling besar Rp 9.999.999.999."),
    ("price", "10000000000", "Jumlah paling besar Rp 9.999.999.999."),
    ("stock", str(2**63), "Paling besar 2.147.483.647."),
    ("stock", str(2**31), "Paling besar 2.147.483.647."),
    ("weight_grams", str(10**12), "Paling besar 2.147.483.647."),
    ("price", "1e309", "Isi jumlah dalam rupiah, mis. 25.000 atau 25000."),
    ("price", "NaN", "Isi jumlah dalam rupiah, mis. 25.000 atau 25000."),
    ("stock", "-1", "Paling kecil 0."),
    ("stock", "9" * 5000, "Isi bilangan bulat, mis. 1.500 atau 1500, tanpa koma."),
])
def test_a_product_number_past_its_column_is_a_form_error(manager, unchanged, field, value, message):
    response = manager.post("/toko/kelola/produk/baru/", {**LISTING, field: value})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_largest_price_the_column_holds_is_still_listed(manager):
    response = manager.post("/toko/kelola/produk/baru/", {**LISTING, "price": "9999999999", "stock": "2147483647"})

    assert response.status_code == 302
    assert StockRecord.objects.filter(product__title="Keripik nenas", price=9_999_999_999).exists()


@pytest.mark.parametrize("field", ["courier_per_kg_province", "courier_minimum_elsewhere"])
@pytest.mark.parametrize("value", [str(10**12), str(2**31), "-5", "1e309"])
def test_a_courier_rate_past_its_column_changes_nothing_in_the_shop(manager, unchanged, field, value):
    shop = bunga_raya_shop()
    before = getattr(shop, field)

    response = manager.post("/toko/kelola/toko/", {field: value, "allows_pickup": "on"})

    assert response.status_code == 400
    shop.refresh_from_db()
    assert getattr(shop, field) == before


# --- the spreadsheet import checks the same limits per row ------------------------------------

def _csv(row: str) -> io.BytesIO:
    upload = io.BytesIO(("judul,kategori,harga,stok,berat_gram,pirt\n" + row + "\n").encode())
    upload.name = "produk.csv"
    return upload


@pytest.mark.parametrize("row,message", [
    ("Madu,Makanan,99999999999999999999,1,100,", "Baris 2: harga paling besar 9.999.999.999"),
    ("Madu,Makanan,25000," + str(2**63) + ",100,", "Baris 2: stok paling besar 2.147.483.647"),
    ("Madu,Makanan,25000,1," + str(10**12) + ",", "Baris 2: berat paling besar 2.147.483.647"),
    ("Madu,Makanan,25000,²,100,", "Baris 2: stok harus bilangan bulat"),
    ("Madu,Makanan,25000,1e309,100,", "Baris 2: stok harus bilangan bulat"),
    ("Madu," + "K" * 300 + ",25000,1,100,", "Baris 2: kategori terlalu panjang"),
    ("Madu,Makanan,25000,1,100," + "P" * 31, "Baris 2: pirt terlalu panjang"),
])
def test_an_import_row_past_a_column_names_its_line_and_imports_nothing(manager, unchanged, row, message):
    response = manager.post("/toko/kelola/produk/impor/", {"spreadsheet": _csv(row)})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_xlsx_cell_past_its_column_is_a_row_error_too(manager, unchanged):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["judul", "kategori", "harga", "stok", "berat_gram"])
    book.active.append(["Madu", "Makanan", "99999999999999999999", 1, 100])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "produk.xlsx"

    response = manager.post("/toko/kelola/produk/impor/", {"spreadsheet": upload})

    assert response.status_code == 400 and "Baris 2: harga paling besar" in response.content.decode()


# --- baskets and checkouts --------------------------------------------------------------------

@pytest.mark.parametrize("quantity", ["99999999999999999999", str(2**31), "10001", "-1", "1e309", "abc"])
def test_a_huge_quantity_never_reaches_the_basket(anonymous, unchanged, quantity):
    record = StockRecord.objects.filter(num_in_stock__gt=0).first()

    response = anonymous.post(f"/toko/basket/add/{record.product_id}/", {"quantity": quantity})

    assert response.status_code == 302
    assert not Line.objects.filter(quantity__gt=1000).exists()


@pytest.mark.parametrize("quantity", ["99999999999999999999", str(2**31), "1001", "-1", "abc"])
def test_a_huge_quantity_in_the_basket_page_is_refused(anonymous, unchanged, quantity):
    record = StockRecord.objects.filter(num_in_stock__gt=0).first()
    anonymous.post(f"/toko/basket/add/{record.product_id}/", {"quantity": "1"})
    line = Line.objects.order_by("-pk").first()

    response = anonymous.post("/toko/basket/", {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk), "form-0-quantity": quantity})

    assert response.status_code < 500
    line.refresh_from_db()
    assert line.quantity == 1


def _priciest_honey():
    """Honey at the highest price a stock record holds: a basket of many is far past what
    Oscar's order totals (12 digits with 2 decimals) can store."""
    record = StockRecord.objects.get(partner_sku="14.08.06.2001-madu-sialang")
    StockRecord.objects.filter(pk=record.pk).update(price=9_999_999_999, num_in_stock=2_000_000_000)
    return record.product


def test_a_basket_past_the_checkout_cap_is_sent_back_with_a_message(anonymous):
    honey = _priciest_honey()
    anonymous.post(f"/toko/basket/add/{honey.pk}/", {"quantity": "900"})
    before = row_counts()

    shown = anonymous.get("/toko/checkout/", follow=True)
    posted = anonymous.post("/toko/checkout/", {
        "name": "Siti", "phone": "081234567890", "email": "siti@example.test", "line1": "Jl. Sudirman 1",
        "village_code": "14.08.01.1001", "payment_method": "bank_transfer"}, follow=True)

    assert "melebihi batas satu checkout" in shown.content.decode()
    assert posted.status_code < 500 and "melebihi batas satu checkout" in posted.content.decode()
    assert row_counts() == before


def test_placing_a_basket_past_the_cap_writes_nothing(unchanged):
    basket = factories.basket((_priciest_honey(), 900))

    with pytest.raises(UserError, match="melebihi batas"):
        factories.place(basket)

    assert MAX_CHECKOUT_TOTAL < 10**10  # what Oscar's order totals hold


def test_shipping_that_carries_a_basket_past_the_cap_is_refused_too(unchanged):
    record = StockRecord.objects.get(partner_sku="14.08.06.2001-madu-sialang")
    shop = record.partner.bumkam
    Bumkam.objects.filter(pk=shop.pk).update(courier_per_kg_regency=2_147_483_647)  # the buyer lives elsewhere in Siak
    Product.objects.filter(pk=record.product_id).update(weight_grams=2_147_483_647)
    basket = factories.basket((record.product, 1))

    with pytest.raises(UserError, match="melebihi batas"):
        factories.place(basket, shipping={shop.pk: "courier"})


# --- the regency admin's and the manager's money forms ------------------------------------------

HUGE_AMOUNTS = [str(10**30), str(2**63), "-1", "1e309", "abc", "9" * 5000, ""]


@pytest.mark.parametrize("amount", HUGE_AMOUNTS)
def test_a_transfer_amount_past_any_column_records_nothing(regency_admin, amount):
    placed = factories.place(honey_and_rice())
    before = row_counts()

    response = regency_admin.post("/toko/kelola/transfer/", {"reference": placed.reference, "amount_received": amount},
                                  follow=True)

    assert response.status_code == 400
    error = re.search(r'transfer-error">([^<]+)<', response.content.decode())
    assert error and "jumlah" in error.group(1).lower(), response.content.decode()[-3000:]
    placed.refresh_from_db()
    assert placed.status == "awaiting_payment" and row_counts() == before


@pytest.mark.parametrize("amount", HUGE_AMOUNTS)
def test_a_refund_amount_past_any_column_refunds_nothing(manager, amount):
    from marketplace.payments.services import payment_confirm_bank_transfer

    placed = factories.place(honey_and_rice())
    payment_confirm_bank_transfer(checkout=placed, amount_received=placed.amount_due,
                                  acting_user=get_user_model().objects.get(username="admin"))
    order = placed.shop_orders.get(bumkam=bunga_raya_shop()).order
    before = row_counts()

    response = manager.post(f"/toko/kelola/pesanan/{order.number}/kembalikan/", {"amount": amount, "reason": "Rusak"},
                            follow=True)

    assert response.status_code == 200
    said = [str(message) for message in response.context["messages"]]
    assert said and all("jumlah" in message.lower() for message in said), said
    assert row_counts() == before


@pytest.mark.parametrize("typed,read", [
    ("10.000", 10000), ("Rp 66.897", 66897), ("66897", 66897), ("1.234.567", 1234567), (" 25000 ", 25000),
])
def test_amounts_are_read_as_every_page_writes_them(typed, read):
    """Django alone reads "10.000" as ten: a refund of Rp 10 for one of Rp 10.000."""
    from marketplace.forms import rupiah_field

    assert rupiah_field("Jumlah").clean(typed) == read


@pytest.mark.parametrize("typed", ["10.5", "10,000", "1.00", "10.0000", "Rp"])
def test_an_amount_that_could_mean_two_things_is_refused(typed):
    from django.core.exceptions import ValidationError

    from marketplace.forms import rupiah_field

    with pytest.raises(ValidationError):
        rupiah_field("Jumlah").clean(typed)
