import json
import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from shops.services import bumkam_approve
from tests import factories

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")


def test_a_pending_shop_sells_nothing_until_a_regency_admin_approves_it(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # committed: the search index follows
        bumkam = factories.shop(approved=False)
        product = factories.product(bumkam=bumkam, title="Keripik Pending")

    page = client.get(product.get_absolute_url()).content.decode()
    client.post(f"/toko/basket/add/{product.pk}/", {"quantity": 1})

    assert "Toko BUMKam ini belum dibuka" in page
    assert "Keripik Pending" not in client.get("/toko/basket/").content.decode()
    assert product.get_absolute_url() not in client.get("/toko/search/", {"q": "Keripik Pending"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        bumkam_approve(bumkam=bumkam)

    client.post(f"/toko/basket/add/{product.pk}/", {"quantity": 1})
    assert "Keripik Pending" in client.get("/toko/basket/").content.decode()
    assert product.get_absolute_url() in client.get("/toko/search/", {"q": "Keripik Pending"}).content.decode()


def test_the_product_page_says_where_it_comes_from_and_how_to_ask(client):
    product = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    bumkam = product.shop

    html = client.get(product.get_absolute_url()).content.decode()

    assert "Kampung Dayun" in html and "Kecamatan Dayun" in html
    assert product.producer.name in html
    assert product.halal_number in html
    assert f"Kurir dari Rp\u00a0{bumkam.courier_lowest_per_kg:,}".replace(",", ".") + "/kg" in html
    whatsapp = re.search(r'href="(https://wa\.me/[^"]+)"', html).group(1)
    assert whatsapp.startswith(f"https://wa.me/{bumkam.whatsapp}?text=")
    assert "Madu Sialang 500 ml" in unquote(whatsapp)
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "Product"
    assert ld["offers"]["price"] == int(product.stockrecords.get().price)
    assert ld["offers"]["priceCurrency"] == "IDR"
    assert ld["offers"]["availability"] == "https://schema.org/InStock"
    assert ld["offers"]["seller"]["name"] == bumkam.name


def test_one_basket_holds_goods_of_several_villages_grouped_by_shop(client):
    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")

    client.post(f"/toko/basket/add/{honey.pk}/", {"quantity": 2})
    client.post(f"/toko/basket/add/{rice.pk}/", {"quantity": 1})
    html = client.get("/toko/basket/").content.decode()

    assert "Belanja dari 2 toko kampung" in html
    assert "BUMKam Dayun Sakti" in html and "BUMKam Bunga Raya Sejahtera" in html
    subtotals = re.findall(r'<span class="shop-subtotal">Rp\u00a0([\d.]+)</span>', html)
    expected = {int(honey.stockrecords.get().price) * 2, int(rice.stockrecords.get().price)}
    assert {int(s.replace(".", "")) for s in subtotals} == expected


@pytest.fixture
def manager_client(client):
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))
    return client


def test_a_manager_sees_and_changes_only_their_shops_products(manager_client):
    own = Product.objects.filter(stockrecords__partner__bumkam__kampung__code="14.08.08.2001")
    other = Product.objects.filter(stockrecords__partner__bumkam__kampung__code="14.08.07.2001").first()

    listing = manager_client.get("/toko/dashboard/catalogue/", {"page": 1})
    edit_own = manager_client.get(f"/toko/dashboard/catalogue/products/{own.first().pk}/")
    edit_other = manager_client.get(f"/toko/dashboard/catalogue/products/{other.pk}/")
    post_other = manager_client.post(f"/toko/dashboard/catalogue/products/{other.pk}/", {"title": "Diretas"})
    delete_other = manager_client.post(f"/toko/dashboard/catalogue/products/{other.pk}/delete/")

    assert listing.status_code == 200
    html = listing.content.decode()
    assert all(p.title in html for p in own)
    assert other.title not in html or other.title in {p.title for p in own}
    assert edit_own.status_code == 200
    assert edit_other.status_code in (403, 404)
    assert post_other.status_code in (403, 404)
    assert delete_other.status_code in (403, 404)
    other.refresh_from_db()
    assert other.title != "Diretas"


def test_a_buyer_cannot_open_the_dashboard(client):
    get_user_model().objects.create_user("pembeli", "pembeli@example.test", "rahasia-pembeli")
    client.login(username="pembeli", password="rahasia-pembeli")

    response = client.get("/toko/dashboard/")

    assert response.status_code in (302, 403)


def test_a_manager_added_in_the_admin_gets_the_dashboard_of_that_shop_only(client):
    user = get_user_model().objects.create_user("pengelola.baru", "baru@siakkab.test", "rahasia-baru")
    bumkam = factories.shop()
    own = factories.product(bumkam=bumkam, title="Produk toko baru")

    bumkam.managers.add(user)  # as the Wagtail BUMKam form saves it
    client.force_login(user)

    assert client.get("/toko/dashboard/").status_code == 200
    assert client.get(f"/toko/dashboard/catalogue/products/{own.pk}/").status_code == 200
    other = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    assert client.get(f"/toko/dashboard/catalogue/products/{other.pk}/").status_code in (403, 404)

    bumkam.managers.remove(user)
    assert client.get(f"/toko/dashboard/catalogue/products/{own.pk}/").status_code in (403, 404)
