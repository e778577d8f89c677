"""Shipping by destination: a courier rate per zone read from the official codes, every started
kilogram charged and at least the zone's minimum; pickup with its place and hours."""

import re

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from marketplace.checkout.shipping import courier_zone, shipping_charge
from marketplace.errors import UserError
from shops.models import Bumkam
from tests import factories

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")

BUNGA_RAYA = "14.08.08.2001"
# where the buyer lives, seen from Bunga Raya (Kecamatan Bunga Raya, Kabupaten Siak, Riau)
JATI_BARU = "14.08.08.2002"  # the same kecamatan
KAMPUNG_DALAM = "14.08.01.1001"  # Kecamatan Siak: the same regency
JADIREJO = "14.71.01.1002"  # Kota Pekanbaru: the same province
GAMBIR = "31.71.01.1001"  # Jakarta: elsewhere

RATES = {"courier_per_kg_kecamatan": 6000, "courier_minimum_kecamatan": 10000,
         "courier_per_kg_regency": 9000, "courier_minimum_regency": 10000,
         "courier_per_kg_province": 14000, "courier_minimum_province": 15000,
         "courier_per_kg_elsewhere": 25000, "courier_minimum_elsewhere": 25000}


def bunga_raya(**rates) -> Bumkam:
    shop = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    for field, value in {**RATES, **rates}.items():
        setattr(shop, field, value)
    return shop


def courier(shop, village, grams):
    return shipping_charge(bumkam=shop, method="courier", weight_grams=grams, village_code=village).amount


@pytest.mark.parametrize("village, zone", [
    (BUNGA_RAYA, "kecamatan"), (JATI_BARU, "kecamatan"), (KAMPUNG_DALAM, "regency"),
    (JADIREJO, "province"), (GAMBIR, "elsewhere"),
])
def test_the_zone_is_read_from_the_official_codes(village, zone):
    assert courier_zone(from_code=BUNGA_RAYA, to_code=village) == zone


def test_each_zone_charges_its_own_rate_per_started_kilogram():
    shop = bunga_raya()

    assert [courier(shop, village, 2500) for village in (JATI_BARU, KAMPUNG_DALAM, JADIREJO, GAMBIR)] == [
        3 * 6000, 3 * 9000, 3 * 14000, 3 * 25000]


@pytest.mark.parametrize("grams, kilos", [(1, 1), (999, 1), (1000, 1), (1001, 2), (2000, 2), (2001, 3)])
def test_every_started_kilogram_is_charged(grams, kilos):
    shop = bunga_raya(courier_minimum_regency=0)

    assert courier(shop, KAMPUNG_DALAM, grams) == kilos * 9000


def test_a_light_parcel_pays_the_zones_minimum_and_a_heavy_one_its_weight():
    shop = bunga_raya()

    assert courier(shop, JATI_BARU, 300) == 10000  # 1 kg × Rp 6.000 is under the minimum
    assert courier(shop, JATI_BARU, 1800) == 12000  # 2 kg × Rp 6.000 is above it
    assert courier(shop, GAMBIR, 300) == 25000


def test_a_zone_without_a_rate_is_not_served_and_the_message_names_the_shop_and_the_place():
    shop = bunga_raya(courier_per_kg_elsewhere=0, courier_minimum_elsewhere=25000)

    with pytest.raises(UserError) as refused:
        courier(shop, GAMBIR, 500)

    assert str(refused.value).startswith(
        "BUMKam Bunga Raya Sejahtera belum mengirim lewat kurir ke Gambir, Kota Administrasi Jakarta Pusat")
    assert courier(shop, JADIREJO, 500) == 15000  # the province is still served


def test_a_courier_price_needs_a_known_village_and_a_shop_without_rates_has_no_courier():
    with pytest.raises(UserError, match="Pilih desa/kelurahan tujuan"):
        courier(bunga_raya(), "", 500)
    with pytest.raises(UserError, match="Pilih desa/kelurahan tujuan"):
        courier(bunga_raya(), "14.08.08.9999", 500)
    no_rates = bunga_raya(**{field: 0 for field in RATES})
    with pytest.raises(UserError, match="tidak melayani cara kirim itu"):
        courier(no_rates, JATI_BARU, 500)
    assert shipping_charge(bumkam=no_rates, method="pickup", weight_grams=500, village_code=GAMBIR).amount == 0


def test_a_placed_checkout_charges_the_buyers_zone_and_refuses_an_unserved_one():
    from marketplace.checkout.services import checkout_place

    shop = bunga_raya(courier_per_kg_elsewhere=0)
    shop.save()
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    kilos = -(-rice.weight_grams // 1000)

    def place(village):
        return checkout_place(basket=factories.basket((rice, 1)), email="siti@example.test",
                              address=factories.address(village_code=village), shipping={shop.pk: "courier"},
                              payment_method="bank_transfer", user=None)

    near, far = place(JATI_BARU), place(JADIREJO)
    with pytest.raises(UserError, match="belum mengirim lewat kurir ke Gambir"):
        place(GAMBIR)

    assert int(near.shop_orders.get().order.shipping_incl_tax) == max(kilos * 6000, 10000)
    assert int(far.shop_orders.get().order.shipping_incl_tax) == max(kilos * 14000, 15000)
    assert far.total == int(far.shop_orders.get().order.total_incl_tax)


# --- the manager's shop profile -----------------------------------------------------------------

PROFILE = {"story": "Beras pulen dari Bunga Raya.", "whatsapp": "0812-1111-2222", "allows_pickup": "on",
           "pickup_address": "Kantor BUMKam Bunga Raya, Jl. Poros No. 1", "pickup_hours": "Senin-Sabtu 08.00-16.00",
           "courier_per_kg_kecamatan": "6.000", "courier_minimum_kecamatan": "10.000",
           "courier_per_kg_regency": "Rp 9.000", "courier_minimum_regency": "10000",
           "courier_per_kg_province": "14.000", "courier_minimum_province": "15.000",
           "courier_per_kg_elsewhere": "", "courier_minimum_elsewhere": ""}


@pytest.fixture
def manager(client):
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))
    return client


def test_the_manager_sets_rates_by_zone_as_amounts_are_written_and_pickup_hours(manager):
    response = manager.post("/toko/kelola/toko/", PROFILE)

    assert response.status_code == 302
    shop = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    assert [shop.courier_rate(zone) for zone in ("kecamatan", "regency", "province", "elsewhere")] == [
        (6000, 10000), (9000, 10000), (14000, 15000), (0, 0)]
    assert shop.pickup_hours == "Senin-Sabtu 08.00-16.00"
    page = manager.get("/toko/kelola/toko/").content.decode()
    assert 'value="6.000"' in page and 'value="14.000"' in page  # shown back as written


@pytest.mark.parametrize("field, value, message", [
    ("courier_per_kg_province", "-5", "Jumlah minimal Rp 0."),
    ("courier_per_kg_province", "14.000.000", "Jumlah paling besar Rp 1.000.000."),
    ("courier_minimum_elsewhere", "99999999999", "Jumlah paling besar Rp 5.000.000."),
    ("courier_per_kg_regency", "9,5", "Isi jumlah dalam rupiah, mis. 25.000 atau 25000."),
])
def test_a_bad_rate_is_refused_with_400_and_everything_typed_is_kept(manager, field, value, message):
    before = Bumkam.objects.get(kampung__code=BUNGA_RAYA)

    response = manager.post("/toko/kelola/toko/", {**PROFILE, field: value})

    assert response.status_code == 400
    page = response.content.decode().replace("\xa0", " ")
    assert message in page
    assert f'value="{value}"' in page  # the bad value stays in its box to be corrected
    assert "Senin-Sabtu 08.00-16.00" in page and 'value="6.000"' in page and "Jl. Poros No. 1" in page
    after = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    assert [getattr(after, f) for f in RATES] == [getattr(before, f) for f in RATES]
    assert after.pickup_hours == before.pickup_hours and after.story == before.story


def test_a_minimum_without_a_rate_per_kg_and_no_way_to_ship_are_explained(manager):
    minimum_only = manager.post("/toko/kelola/toko/", {**PROFILE, "courier_minimum_elsewhere": "25.000"})
    nothing = manager.post("/toko/kelola/toko/", {**PROFILE, "allows_pickup": "", **{f: "" for f in RATES}})

    assert minimum_only.status_code == 400
    assert "Isi juga ongkos per kg" in minimum_only.content.decode()
    assert nothing.status_code == 400
    assert "Pilih paling sedikit satu cara kirim" in nothing.content.decode()


def test_the_regency_admin_sets_the_same_rates_and_hours_in_wagtail(client):
    shop = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    client.force_login(get_user_model().objects.get(username="admin"))
    edit = client.get(f"/admin/bumkam/edit/{shop.pk}/")
    form = {k: v for k, v in edit.context["form"].initial.items() if v is not None and k not in ("logo", "managers")}
    form.update(allows_pickup="on", managers=[str(m.pk) for m in shop.managers.all()],
                courier_per_kg_elsewhere="27.500", courier_minimum_elsewhere="30.000", pickup_hours="Setiap hari 07.00-17.00")

    bad = client.post(f"/admin/bumkam/edit/{shop.pk}/", {**form, "courier_per_kg_province": "-1"})
    good = client.post(f"/admin/bumkam/edit/{shop.pk}/", form)

    assert bad.status_code == 200 and "Jumlah minimal Rp 0." in bad.content.decode()  # Wagtail re-shows the form
    assert good.status_code == 302
    shop.refresh_from_db()
    assert shop.courier_rate("elsewhere") == (27500, 30000) and shop.pickup_hours == "Setiap hari 07.00-17.00"


# --- what the buyer reads ---------------------------------------------------------------------------

def test_the_product_page_gives_the_lowest_courier_rate_and_the_pickup_place_and_hours(client):
    shop = bunga_raya(courier_per_kg_kecamatan=7000, courier_per_kg_regency=6500)
    shop.pickup_address, shop.pickup_hours = "Kantor BUMKam, Jl. Poros No. 1", "Senin-Jumat 08.00-15.00"
    shop.save()
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")

    html = client.get(rice.get_absolute_url()).content.decode().replace("\xa0", " ")
    offer = re.sub(r"\s+", " ", re.search(r'<td class="shipping-offer">(.*?)</td>', html, re.S).group(1))

    assert "Kurir dari Rp 6.500/kg, menurut tujuan" in offer
    assert "Kantor BUMKam, Jl. Poros No. 1" in offer and "Senin-Jumat 08.00-15.00" in offer


def test_the_buyers_order_page_says_where_and_when_to_pick_up(client):
    shop = bunga_raya()
    shop.pickup_address, shop.pickup_hours = "Kantor BUMKam, Jl. Poros No. 1", "Senin-Sabtu 08.00-16.00"
    shop.save()
    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    checkout = factories.place(factories.basket((honey, 1), (rice, 1)),
                               shipping={shop.pk: "pickup", honey.shop.pk: "courier"})

    html = client.get(checkout.get_absolute_url()).content.decode()
    parts = {name: section for section in html.split("<section")[1:]
             for name in (shop.name, honey.shop.name) if f">{name} <small" in section}

    assert "Kantor BUMKam, Jl. Poros No. 1" in parts[shop.name] and "Senin-Sabtu 08.00-16.00" in parts[shop.name]
    assert "pickup-place" not in parts[honey.shop.name]  # sent by courier: nothing to pick up
    assert shop.pickup_text == "Kantor BUMKam, Jl. Poros No. 1 · Senin-Sabtu 08.00-16.00"
