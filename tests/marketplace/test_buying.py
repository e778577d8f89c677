"""The buyer's pages: checkout for several shops, the order page, proof upload; managers and admins."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from PIL import Image

from marketplace.checkout.models import Checkout

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")


def fill_basket(client):
    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    client.post(f"/toko/basket/add/{honey.pk}/", {"quantity": 1})
    client.post(f"/toko/basket/add/{rice.pk}/", {"quantity": 2})
    return honey, rice


def checkout_data(honey, rice, **overrides):
    data = {
        "name": "Siti Aminah", "phone": "081234567890", "email": "siti@example.test",
        "line1": "Jl. Sultan Syarif Kasim No. 5", "village_code": "14.08.01.1001", "postcode": "28773",
        f"shipping_{honey.shop.pk}": "courier", f"shipping_{rice.shop.pk}": "pickup",
        "payment_method": "bank_transfer",
    }
    data.update(overrides)
    return data


def place_through_review(client, data):
    """The buyer's two steps: the form, then "Pesan sekarang" on the review with the amount it shows."""
    form = client.post("/toko/checkout/", data)
    assert form.status_code == 302 and form["Location"] == "/toko/checkout/ringkasan/", (
        form.context["form"].errors if form.context else form.status_code)
    review = client.get(form["Location"])
    assert review.status_code == 200
    return client.post(form["Location"], {"amount_due": review.context["quote"].amount_due})


def test_an_empty_basket_is_sent_back_to_the_basket(client):
    response = client.get("/toko/checkout/")

    assert response.status_code == 302 and response["Location"] == "/toko/basket/"


def test_checkout_asks_each_shop_how_to_ship(client):
    fill_basket(client)

    before = client.get("/toko/checkout/").content.decode()
    chosen = client.post("/toko/checkout/", {"step": "area", "village_code": "14.08.01.1001"}).content.decode()

    for html in (before, chosen):
        assert "Pengiriman dari BUMKam Dayun Sakti" in html
        assert "Pengiriman dari BUMKam Bunga Raya Sejahtera" in html
    # before the village is chosen the courier's price depends on it (shipping by destination)
    assert re.search(r"Kurir \(menurut desa tujuan, dari Rp \d{1,3}(\.\d{3})+/kg\)", before)
    assert "Ambil di kantor kampung (Rp 0)" in chosen
    assert re.search(r"Kurir \(Rp \d{1,3}(\.\d{3})+\)", chosen)


def test_bad_checkout_input_gets_clear_messages_and_places_nothing(client):
    honey, rice = fill_basket(client)

    response = client.post("/toko/checkout/", checkout_data(honey, rice, phone="12ab", village_code="99.99", email="x"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Tulis nomor HP Indonesia, mis. 0812-7654-3210" in html
    assert "Pilih provinsi, kabupaten/kota, kecamatan dan desa/kelurahan dari daftar." in html
    assert not Checkout.objects.exists()


def test_a_buyer_checks_out_two_villages_at_once_and_pays_once(client):
    honey, rice = fill_basket(client)

    response = place_through_review(client, checkout_data(honey, rice))

    assert response.status_code == 302
    checkout = Checkout.objects.get()
    assert response["Location"] == f"/toko/pesanan/{checkout.reference}/"
    html = client.get(response["Location"]).content.decode()
    numbers = list(checkout.shop_orders.values_list("order__number", flat=True))
    assert len(numbers) == 2 and all(n in html for n in numbers)
    assert f"Rp\u00a0{checkout.amount_due:,}".replace(",", ".") in html
    for number in numbers:  # "Pesan via WhatsApp" carries the real order number
        assert re.search(rf'href="https://wa\.me/\d+\?text=[^"]*{number}', html)
    assert client.get("/toko/basket/").content.decode().count("shop-subtotal") == 0  # the basket was submitted


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_buyer_uploads_a_transfer_proof_and_bad_files_are_refused(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    honey, rice = fill_basket(client)
    url = place_through_review(client, checkout_data(honey, rice))["Location"]

    bad = client.post(url, {"proof": SimpleUploadedFile("bukti.png", b"bukan gambar", content_type="image/png")})
    good = client.post(url, {"proof": SimpleUploadedFile("bukti.png", png_bytes(), content_type="image/png")})

    assert bad.status_code == 400
    assert "Kirim foto JPEG, PNG atau WebP, atau berkas PDF." in bad.content.decode()
    assert good.status_code == 302
    assert Checkout.objects.get().payment_proof.name.endswith(".png")


def test_managers_see_and_move_only_their_shops_orders(client):
    honey, rice = fill_basket(client)
    place_through_review(client, checkout_data(honey, rice, payment_method="bank_transfer"))
    checkout = Checkout.objects.get()
    rice_order = checkout.shop_orders.get(bumkam=rice.shop).order
    honey_order = checkout.shop_orders.get(bumkam=honey.shop).order
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))

    page = client.get("/toko/kelola/pesanan/?tab=semua").content.decode()
    other = client.post(f"/toko/kelola/pesanan/{honey_order.number}/", {"status": "Dibatalkan"})

    assert rice_order.number in page and honey_order.number not in page
    assert other.status_code == 403
    honey_order.refresh_from_db()
    assert honey_order.status == "Menunggu pembayaran"


def test_the_regency_admin_confirms_a_transfer_only_with_the_right_amount(client):
    honey, rice = fill_basket(client)
    place_through_review(client, checkout_data(honey, rice))
    checkout = Checkout.objects.get()
    client.force_login(get_user_model().objects.get(username="admin"))

    wrong = client.post("/toko/kelola/transfer/", {"reference": checkout.reference, "amount_received": checkout.total}, follow=True)
    checkout.refresh_from_db()
    assert "tidak sama dengan tagihan" in wrong.content.decode() and checkout.status == "awaiting_payment"

    client.post("/toko/kelola/transfer/", {"reference": checkout.reference, "amount_received": checkout.amount_due})
    checkout.refresh_from_db()
    assert checkout.status == "paid"


def test_a_buyer_enumerating_ids_sees_nothing_of_another_buyers(client):
    User = get_user_model()
    alice = User.objects.create_user("alice", "alice@example.test", "rahasia-alice")
    bob = User.objects.create_user("bob", "bob@example.test", "rahasia-bob")
    client.force_login(alice)
    honey, rice = fill_basket(client)
    place_through_review(client, checkout_data(honey, rice, email="alice@example.test"))
    alice_numbers = list(Order.objects.filter(user=alice).values_list("number", flat=True))
    assert len(alice_numbers) == 2
    client.force_login(bob)

    seen = []
    for guess in [*alice_numbers, *(str(100000 + n) for n in range(1000))]:
        if client.get(f"/toko/accounts/orders/{guess}/").status_code == 200:
            seen.append(guess)
    for pk in range(1, 1001):
        if client.get(f"/toko/accounts/addresses/{pk}/").status_code == 200:
            seen.append(f"address {pk}")

    assert seen == []
    assert alice_numbers[0] not in client.get("/toko/accounts/orders/").content.decode()


def test_a_buyer_cannot_touch_another_buyers_basket_lines_by_id(client):
    from django.test import Client

    alice = Client()
    honey, rice = fill_basket(alice)
    Line = get_model("basket", "Line")
    alice_lines = list(Line.objects.filter(product__in=[honey, rice]).values_list("pk", "quantity"))

    for pk, _quantity in alice_lines:
        client.post("/toko/basket/", {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-MIN_NUM_FORMS": 0,
                                      "form-MAX_NUM_FORMS": 1000, "form-0-id": pk, "form-0-quantity": 0})
    for pk in range(1, 1001):
        client.post("/toko/basket/", {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-id": pk,
                                      "form-0-quantity": 0})

    assert list(Line.objects.filter(pk__in=[pk for pk, _ in alice_lines]).values_list("pk", "quantity")) == alice_lines
    assert "Madu Sialang 500 ml" in alice.get("/toko/basket/").content.decode()


def test_the_buyers_order_history_lists_each_shops_order_with_its_status(client):
    buyer = get_user_model().objects.create_user("siti", "siti@example.test", "rahasia-siti")
    client.force_login(buyer)
    honey, rice = fill_basket(client)
    place_through_review(client, checkout_data(honey, rice))

    html = client.get("/toko/accounts/orders/").content.decode()

    for order in Order.objects.filter(user=buyer):
        assert order.number in html
    assert html.count("Menunggu pembayaran") >= 2


def test_managers_and_the_regency_admin_find_their_pages_from_the_menu(client):
    buyer_page = client.get("/toko/catalogue/").content.decode()
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))
    manager_page = client.get("/toko/catalogue/").content.decode()
    orders_page = client.get("/toko/kelola/pesanan/").content.decode()

    assert "Kelola toko" not in buyer_page and "Kelola toko" in manager_page
    for label in ("Pesanan", "Produk baru", "Impor produk", "Profil toko", "Penyelesaian", "Pembayaran ke BUMKam"):
        assert f">{label}</a>" in orders_page
    assert "Transfer masuk" not in orders_page
    client.force_login(get_user_model().objects.get(username="admin"))
    assert ">Transfer masuk</a>" in client.get("/toko/kelola/pembayaran/").content.decode()
