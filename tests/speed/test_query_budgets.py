"""Every page a person reaches costs at most 20 SQL queries, and the same number whatever the
size of the catalogue (issue 14): each page is counted on the demo, then again after the
catalogue has grown (generated goods over every shop, a new flagship, more goods in the
village measured) and, for the lists of orders, after more orders; a page that asks a query
per card, per line or per order fails here naming the page and both counts."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from marketplace.payments.services import payment_confirm_bank_transfer
from shops.models import Bumkam
from tests import factories
from tests.marketplace.test_buying import checkout_data

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
BUDGET = 20
BUNGA_RAYA = "14.08.08.2001"
HONEY, RICE = "14.08.06.2001-madu-sialang", "14.08.08.2001-beras"


def queries_for(client, url) -> int:
    client.get(url)  # the first visit's caches (Wagtail's site roots, thumbnails) out of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def counts(client, urls: dict) -> dict:
    return {name: queries_for(client, url) for name, url in urls.items()}


def over_budget(small: dict, grown: dict) -> list[str]:
    return [f"{name}: {small[name]} queries on the demo, {grown[name]} on the grown catalogue"
            for name in small if grown[name] != small[name] or grown[name] > BUDGET]


def product(sku):
    return Product.objects.get(stockrecords__partner_sku=sku)


def grow_the_catalogue():
    """Generated goods over the demo's shops (indexed for search), and more of Bunga Raya's own,
    a flagship among them, so that the portal, the village and its storefront list more cards."""
    call_command("generate_catalogue", products=120, seed=14, stdout=io.StringIO())
    bunga_raya = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    for index in range(4):
        factories.product(bumkam=bunga_raya, title=f"Keripik tambahan {index}", is_flagship=index == 0)


def public_pages() -> dict:
    from cms.letters.models import IssuedLetter, LetterRequest
    from cms.letters.selectors import tracking_path, verification_path
    from cms.models import NewsIndexPage, NewsPage, ProfilePage, ServiceIndexPage, ServicePage, TransparencyPage

    village = {"url_path__contains": "/bunga-raya/"}
    news_index = NewsIndexPage.objects.live().get(**village)
    letter_page = ServicePage.objects.live().filter(**village).exclude(online_letter="").first()
    honey = product(HONEY)
    return {
        "portal": "/",
        "kampung list": "/kampung/",
        "village home": "/kampung/bunga-raya/",
        "village profile": ProfilePage.objects.live().get(**village).url,
        "news index": news_index.url,
        "news item": NewsPage.objects.live().filter(**village).first().url,
        "RSS feed": news_index.url + "rss/",
        "services index": ServiceIndexPage.objects.live().get(**village).url,
        "service page": ServicePage.objects.live().filter(**village).exclude(pk=letter_page.pk).first().url,
        "APBKam": TransparencyPage.objects.live().filter(**village).first().url,
        "letter form": letter_page.url + letter_page.reverse_subpage("letter_request"),
        "letter tracking": tracking_path(LetterRequest.objects.filter(kampung__code=BUNGA_RAYA).first()),
        "letter lookup": "/surat/lacak/",
        "letter verification": verification_path(IssuedLetter.objects.first().verification_code),
        "catalogue": "/toko/catalogue/",
        "category": honey.categories.first().get_absolute_url(),
        "product page": honey.get_absolute_url(),
        "village storefront": "/kampung/bunga-raya/toko/",
        "search": "/toko/search/?q=madu",
        "search with facets": "/toko/search/?q=keripik&kecamatan=14.08.08",
        "search with a filter": "/toko/search/?q=keripik&halal=on&sort_by=price-asc",
        "search of pages": "/toko/search/?q=surat&jenis=halaman",
        "empty basket": "/toko/basket/",
    }


def test_every_public_page_keeps_its_budget_as_the_catalogue_grows():
    urls = public_pages()
    small = counts(Client(), urls)

    grow_the_catalogue()

    assert over_budget(small, counts(Client(), urls)) == []


def a_buyer_with_a_basket_and_an_order():
    buyer = get_user_model().objects.create_user(username="siti", email="siti@example.test", password="x")
    honey, rice = product(HONEY), product(RICE)
    checkout = factories.place(factories.basket((honey, 1), (rice, 1), owner=buyer), user=buyer)
    client = Client()
    client.force_login(buyer)
    client.post(f"/toko/basket/add/{honey.pk}/", {"quantity": 1})
    client.post(f"/toko/basket/add/{rice.pk}/", {"quantity": 2})
    return buyer, client, checkout


def buyer_pages(client, checkout) -> dict:
    order = checkout.shop_orders.first().order
    return {
        "basket with lines": "/toko/basket/",
        "checkout": "/toko/checkout/",
        "checkout page of a placed order": checkout.get_absolute_url(),
        "buyer's orders": "/toko/accounts/orders/",
        "buyer's order": f"/toko/accounts/orders/{order.number}/",
    }


def review_queries(client) -> int:
    assert client.post("/toko/checkout/", checkout_data(product(HONEY), product(RICE))).status_code == 302
    return queries_for(client, "/toko/checkout/ringkasan/")


def test_a_buyers_basket_checkout_and_orders_keep_their_budget_as_catalogue_basket_and_orders_grow():
    buyer, client, checkout = a_buyer_with_a_basket_and_an_order()
    urls = buyer_pages(client, checkout)
    small = {**counts(client, urls), "checkout review": review_queries(client)}

    grow_the_catalogue()
    for _ in range(3):
        factories.place(factories.basket((product(HONEY), 1), (product(RICE), 1), owner=buyer), user=buyer)
    more_rice = Product.objects.filter(stockrecords__partner__bumkam__kampung__code=BUNGA_RAYA,
                                       stockrecords__num_in_stock__gt=5).exclude(pk=product(RICE).pk).first()
    client.post(f"/toko/basket/add/{more_rice.pk}/", {"quantity": 1})  # one more line, from a shop already in it
    grown = {**counts(client, urls), "checkout review": review_queries(client)}

    assert over_budget(small, grown) == []


def paid_orders(count: int):
    """Checkouts of rice (Bunga Raya) and honey, paid: they wait in the manager's first tab."""
    admin = get_user_model().objects.get(username="admin")
    for _ in range(count):
        checkout = factories.place(factories.basket((product(RICE), 1), (product(HONEY), 1)))
        payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)


def test_a_shop_managers_lists_and_the_letters_office_keep_their_budget_as_goods_and_orders_grow():
    paid_orders(1)
    manager, office = Client(), Client()
    manager.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))
    office.force_login(get_user_model().objects.get(username="editor.bungaraya"))
    manager_urls = {"manager's orders": "/toko/kelola/pesanan/", "manager's goods": "/toko/kelola/produk/",
                    "manager's shop profile": "/toko/kelola/toko/"}
    small = {**counts(manager, manager_urls), "letters office queue": queries_for(office, "/admin/surat/")}

    grow_the_catalogue()
    paid_orders(3)
    grown = {**counts(manager, manager_urls), "letters office queue": queries_for(office, "/admin/surat/")}

    assert over_budget(small, grown) == []
