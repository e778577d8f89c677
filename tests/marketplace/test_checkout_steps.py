"""The checkout's two steps as a buyer without JavaScript walks them: the address chosen from the
server's area lists, then the review of every figure before "Pesan sekarang"."""

import re

import pytest
from oscar.core.loading import get_model

from marketplace.checkout.models import Checkout
from marketplace.errors import UserError
from shops.models import Bumkam
from tests import factories
from tests.marketplace.test_buying import checkout_data, fill_basket

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
REVIEW = "/toko/checkout/ringkasan/"


def selected(html, select_id):
    """The value of the option selected in a <select>, as the browser would show it."""
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    chosen = re.search(r'<option value="([^"]*)" selected>', select)
    return chosen.group(1) if chosen else ""


def options(html, select_id):
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


def money(amount):
    return f"Rp\xa0{amount:,}".replace(",", ".")


def test_the_address_is_chosen_level_by_level_without_javascript_keeping_what_was_typed(client):
    fill_basket(client)

    first = client.get("/toko/checkout/").content.decode()
    # the buyer picks a kecamatan of the shop's regency (already chosen) and asks for its villages
    reloaded = client.post("/toko/checkout/", {"step": "area", "name": "Siti Aminah", "phone": "0812-7654-3210",
                                               "province": "14", "regency": "14.08", "district": "14.08.01"})

    assert "14" in options(first, "area-province") and selected(first, "area-regency") == "14.08"
    assert "14.08.01" in options(first, "area-district") and options(first, "area-village") == []
    assert "Pesan sekarang" not in first
    html = reloaded.content.decode()
    assert reloaded.status_code == 200
    assert selected(html, "area-district") == "14.08.01" and "14.08.01.1001" in options(html, "area-village")
    assert 'value="Siti Aminah"' in html and 'value="0812-7654-3210"' in html
    assert "invalid-feedback" not in html  # a reload is not a refusal


def test_changing_the_province_drops_the_levels_below_it_and_an_unfinished_area_is_refused(client):
    honey, rice = fill_basket(client)
    stale = {"province": "13", "regency": "14.08", "district": "14.08.01", "village_code": "14.08.01.1001"}

    reloaded = client.post("/toko/checkout/", {"step": "area", **stale}).content.decode()
    submitted = client.post("/toko/checkout/", checkout_data(honey, rice, name="Siti Aminah", **stale))

    assert selected(reloaded, "area-province") == "13" and all(code.startswith("13.") for code in
                                                                 options(reloaded, "area-regency"))
    assert options(reloaded, "area-district") == [] and options(reloaded, "area-village") == []
    assert submitted.status_code == 400
    html = submitted.content.decode()
    assert "Pilih provinsi, kabupaten/kota, kecamatan dan desa/kelurahan dari daftar." in html
    assert 'value="Siti Aminah"' in html and selected(html, "area-province") == "13"
    assert not Checkout.objects.exists()


def test_after_bad_input_everything_typed_and_chosen_comes_back(client):
    honey, rice = fill_basket(client)

    response = client.post("/toko/checkout/", checkout_data(honey, rice, phone="12ab", postcode="28"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Tulis nomor HP Indonesia" in html and "Kode pos lima angka." in html
    assert [selected(html, f"area-{level}") for level in ("province", "regency", "district", "village")] == [
        "14", "14.08", "14.08.01", "14.08.01.1001"]
    assert 'value="12ab"' in html and 'value="Jl. Sultan Syarif Kasim No. 5"' in html
    assert re.search(rf'name="shipping_{honey.shop.pk}" value="courier"[^>]*checked', html)
    assert re.search(r'name="payment_method" value="bank_transfer"[^>]*checked', html)
    assert "checkout_review" not in client.session


def test_the_review_shows_each_shops_goods_shipping_the_unique_code_and_the_total(client):
    honey, rice = fill_basket(client)
    Bumkam.objects.filter(pk=honey.shop.pk).update(**factories.flat_courier(9000))

    response = client.post("/toko/checkout/", checkout_data(honey, rice))
    review = client.get(REVIEW)

    assert response.status_code == 302 and response["Location"] == REVIEW
    assert not Checkout.objects.exists()  # nothing placed yet
    quote, html = review.context["quote"], review.content.decode()
    shops = {item.part.bumkam.name: item for item in quote.parts}
    assert set(shops) == {"BUMKam Dayun Sakti", "BUMKam Bunga Raya Sejahtera"}
    assert shops["BUMKam Dayun Sakti"].charge.amount == 9000 and shops["BUMKam Bunga Raya Sejahtera"].charge.amount == 0
    assert "Madu Sialang 500 ml" in html and "Ongkos kirim: Kurir" in html and "Ongkos kirim: Ambil di kantor kampung" in html
    assert money(9000) in html
    assert 1 <= quote.unique_code <= 999 and quote.amount_due == quote.total + quote.unique_code
    assert f'<span class="unique-code">{quote.unique_code}</span>' in html and money(quote.amount_due) in html
    assert "Pesan sekarang" in html and "Kampung Dalam, Kecamatan Siak" in html  # 14.08.01.1001, by its name
    assert "0812-3456-7890" in html  # the phone as people read it, kept as 6281234567890
    rice_shop = Bumkam.objects.get(pk=rice.shop.pk)
    assert "Ambil di" in html and rice_shop.pickup_place.split(",")[0] in html  # where to collect, before committing
    if rice_shop.pickup_hours:
        assert rice_shop.pickup_hours in html

    placed = client.post(REVIEW, {"amount_due": quote.amount_due})

    checkout = Checkout.objects.get()
    assert placed["Location"] == checkout.get_absolute_url()
    assert (checkout.unique_code, checkout.amount_due) == (quote.unique_code, quote.amount_due)
    assert money(quote.amount_due) in client.get(placed["Location"]).content.decode()


def test_back_from_the_review_everything_is_as_the_buyer_left_it(client):
    honey, rice = fill_basket(client)
    client.post("/toko/checkout/", checkout_data(honey, rice, phone="0812 7654 3210"))
    code = client.get(REVIEW).context["quote"].unique_code

    html = client.get("/toko/checkout/").content.decode()
    again = client.post("/toko/checkout/", checkout_data(honey, rice, line1="Jl. Baru 7"))

    assert 'value="0812 7654 3210"' in html and 'value="Siti Aminah"' in html
    assert selected(html, "area-village") == "14.08.01.1001"
    assert re.search(rf'name="shipping_{honey.shop.pk}" value="courier"[^>]*checked', html)
    assert again["Location"] == REVIEW
    review = client.get(REVIEW)
    assert "Jl. Baru 7" in review.content.decode() and review.context["quote"].unique_code == code


def test_the_review_is_reached_only_through_the_form(client):
    fill_basket(client)

    response = client.get(REVIEW, follow=True)

    assert response.redirect_chain[-1][0] == "/toko/checkout/"
    assert "Isi alamat, cara kirim dan cara bayar dulu." in response.content.decode()


def test_a_review_gone_stale_is_shown_again_and_nothing_is_placed(client):
    honey, rice = fill_basket(client)
    client.post("/toko/checkout/", checkout_data(honey, rice))
    quote = client.get(REVIEW).context["quote"]
    record = StockRecord.objects.get(product=rice)
    StockRecord.objects.filter(pk=record.pk).update(price=record.price + 1000)

    response = client.post(REVIEW, {"amount_due": quote.amount_due}, follow=True)

    assert not Checkout.objects.exists()
    assert response.redirect_chain[-1][0] == REVIEW
    assert "berubah sejak ringkasan" in response.content.decode()
    assert response.context["quote"].total != quote.total  # the new figures, to check before ordering


def test_a_unique_code_taken_meanwhile_is_replaced_before_anything_is_placed(client):
    honey, rice = fill_basket(client)
    client.post("/toko/checkout/", checkout_data(honey, rice))
    quote = client.get(REVIEW).context["quote"]
    other = factories.place(factories.basket((honey, 1), (rice, 2)), shipping={honey.shop.pk: "courier",
                                                                               rice.shop.pk: "pickup"})
    Checkout.objects.filter(pk=other.pk).update(unique_code=quote.unique_code)  # the other buyer drew the same

    response = client.post(REVIEW, {"amount_due": quote.amount_due}, follow=True)

    assert other.total == quote.total
    assert Checkout.objects.count() == 1
    assert response.redirect_chain[-1][0] == REVIEW
    assert response.context["quote"].unique_code != quote.unique_code


def test_a_basket_gone_out_of_stock_is_refused_on_the_review_with_a_message(client):
    honey, rice = fill_basket(client)
    client.post("/toko/checkout/", checkout_data(honey, rice))
    quote = client.get(REVIEW).context["quote"]
    StockRecord.objects.filter(product=rice).update(num_allocated=0, num_in_stock=1)

    response = client.post(REVIEW, {"amount_due": quote.amount_due})

    assert response.status_code == 400
    assert "Stok tidak cukup" in response.content.decode() and not Checkout.objects.exists()
    assert "Pesan sekarang" in response.content.decode()


def test_cash_on_delivery_is_offered_only_when_every_shop_takes_it(client, cod_allowed):
    honey, rice = fill_basket(client)

    offered = client.get("/toko/checkout/").content.decode()
    Bumkam.objects.filter(pk=rice.shop.pk).update(allows_cash_on_delivery=False)
    withheld = client.get("/toko/checkout/").content.decode()
    refused = client.post("/toko/checkout/", checkout_data(honey, rice, payment_method="cod"))

    assert 'value="cod"' in offered
    assert 'value="cod"' not in withheld
    # with only the transfer left (no Stripe keys in tests) it is chosen already
    assert re.search(r'name="payment_method" value="bank_transfer"[^>]*checked', withheld)
    assert not re.search(r'name="payment_method" value="bank_transfer"[^>]*checked', offered)
    assert "Bayar di tempat (COD) tidak tersedia: BUMKam Bunga Raya Sejahtera tidak melayaninya." in withheld
    assert refused.status_code == 400
    assert "Cara bayar itu tidak dilayani semua toko di keranjang" in refused.content.decode()


def test_a_shop_that_cannot_ship_to_the_village_says_so(client, monkeypatch):
    import marketplace.checkout.forms as checkout_forms

    honey, rice = fill_basket(client)
    real = checkout_forms.shipping_charge

    def nothing_to_kampung_dalam(*, bumkam, village_code, **kwargs):
        if bumkam.pk == honey.shop.pk and village_code == "14.08.01.1001":
            raise UserError("tidak melayani")
        return real(bumkam=bumkam, village_code=village_code, **kwargs)

    monkeypatch.setattr(checkout_forms, "shipping_charge", nothing_to_kampung_dalam)

    page = client.post("/toko/checkout/", {"step": "area", "village_code": "14.08.01.1001"}).content.decode()
    refused = client.post("/toko/checkout/", checkout_data(honey, rice))

    assert "Toko ini belum bisa mengirim ke desa/kelurahan yang Anda pilih." in page
    assert refused.status_code == 400
    assert "BUMKam Dayun Sakti belum bisa mengirim ke desa/kelurahan ini" in refused.content.decode()

