"""One door to an order: Oscar's own checkout pages are not routed, only ours is.

Oscar's pages used to take a registered buyer from shipping address to preview to
"place order", giving an Oscar order with no checkout, no shop order, no payment, and
stock allocated outside our lock. Every address Oscar's checkout app would route is
taken from Oscar's own app config, so a page Oscar adds tomorrow is tried tomorrow.
"""

import re

import oscar.apps.checkout
import pytest
from django.contrib.auth import get_user_model
from django.urls import resolve, reverse
from oscar.apps.checkout.apps import CheckoutConfig as OscarCheckoutConfig
from oscar.core.loading import get_model

from marketplace.checkout import views
from marketplace.checkout.models import Checkout
from tests.marketplace.test_buying import checkout_data, place_through_review

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
StockRecord = get_model("partner", "StockRecord")

OUR_CHECKOUT = "/toko/checkout/"
HONEY, RICE = "14.08.06.2001-madu-sialang", "14.08.08.2001-beras"


def oscar_checkout_routes():
    """(name, route) of every URL Oscar's unforked checkout app would serve under /toko/checkout/."""
    config = OscarCheckoutConfig("checkout", oscar.apps.checkout)
    config.ready()
    return [(p.name, str(p.pattern)) for p in config.get_urls()]


ROUTES = oscar_checkout_routes()


def test_the_routes_tried_are_all_of_oscars_checkout():
    assert {name for name, _ in ROUTES} == {
        "index", "shipping-address", "user-address-update", "user-address-delete", "shipping-method",
        "payment-method", "payment-details", "preview", "thank-you",
    }


@pytest.fixture
def buyer(client):
    """A registered buyer, logged in, with a saved address and honey and rice in the basket."""
    user = get_user_model().objects.create_user(username="pembeli", email="pembeli@example.test", password="x")
    client.force_login(user)
    address = UserAddress.objects.create(user=user, first_name="Siti", last_name="Aminah",
                                         line1="Jl. Sultan Syarif Kasim No. 5", line4="Siak", postcode="28773",
                                         country=Country.objects.get(pk="ID"), phone_number="+6281234567890")
    for sku, quantity in ((HONEY, 1), (RICE, 2)):
        product = Product.objects.get(stockrecords__partner_sku=sku)
        assert client.post(f"/toko/basket/add/{product.pk}/", {"quantity": quantity}).status_code == 302
    return user, address


def placed_and_allocated():
    """What placing an order changes: Oscar orders, our checkouts, and every stock allocation."""
    return Order.objects.count(), Checkout.objects.count(), dict(StockRecord.objects.values_list("pk", "num_allocated"))


# What Oscar's pages accept, all the way to "place order".
OSCAR_POSTS = [
    {"first_name": "Siti", "last_name": "Aminah", "line1": "Jl. Sultan Syarif Kasim No. 5", "line4": "Siak",
     "postcode": "28773", "country": "ID", "phone_number": "+6281234567890"},
    {"method_code": "free-shipping"},
    {"action": "place_order"},
    {},
]


def closed(response) -> bool:
    return response.status_code == 404 or (response.status_code in (301, 302)
                                           and response["Location"] == OUR_CHECKOUT)


@pytest.mark.parametrize("name,route", [r for r in ROUTES if r[0] != "index"], ids=[n for n, _ in ROUTES if n != "index"])
def test_oscars_checkout_page_is_gone_and_a_post_places_nothing(client, buyer, name, route):
    user, address = buyer
    url = OUR_CHECKOUT + re.sub(r"<int:pk>", str(address.pk), route)
    before = placed_and_allocated()

    answers = [client.get(url)] + [client.post(url, data) for data in OSCAR_POSTS]

    assert all(closed(r) for r in answers), [(r.status_code, r.get("Location")) for r in answers]
    assert placed_and_allocated() == before
    assert UserAddress.objects.filter(pk=address.pk, user=user).exists()  # "delete" deleted nothing
    assert client.get("/toko/basket/").context["basket"].num_items == 3  # the basket is still open


def test_the_whole_walk_through_oscars_pages_to_place_order_places_nothing(client, buyer):
    """The walk the issue describes: shipping address, method, payment, preview, place order."""
    before = placed_and_allocated()
    walk = [("get", "", None), ("post", "shipping-address/", OSCAR_POSTS[0]), ("get", "shipping-method/", None),
            ("post", "shipping-method/", OSCAR_POSTS[1]), ("get", "payment-method/", None),
            ("get", "payment-details/", None), ("get", "preview/", None), ("post", "preview/", OSCAR_POSTS[2]),
            ("post", "payment-details/", OSCAR_POSTS[2]), ("get", "thank-you/", None)]

    answers = [(path, getattr(client, method)(OUR_CHECKOUT + path, data)) for method, path, data in walk]

    assert placed_and_allocated() == before
    assert all(closed(r) for path, r in answers if path), [(p, r.status_code, r.get("Location")) for p, r in answers]


def test_checkout_index_is_our_checkout_and_oscars_posts_to_it_place_nothing(client, buyer):
    assert resolve(reverse("checkout:index")).func is views.checkout
    assert reverse("checkout:index") == reverse("marketplace:checkout") == OUR_CHECKOUT
    before = placed_and_allocated()

    page = client.get(OUR_CHECKOUT)
    answers = [client.post(OUR_CHECKOUT, data) for data in OSCAR_POSTS]

    assert page.status_code == 200 and "Pengiriman dari BUMKam Dayun Sakti" in page.content.decode()
    assert all(r.status_code == 400 for r in answers)  # our form, which wants our fields
    assert placed_and_allocated() == before


def test_the_baskets_checkout_buttons_lead_to_our_checkout(client, buyer):
    html = client.get("/toko/basket/").content.decode()

    buttons = re.findall(r'<a href="([^"]*checkout[^"]*)" class="btn', html)
    assert len(buttons) >= 2 and set(buttons) == {OUR_CHECKOUT}  # the basket's and the mini-basket's
    page = client.get(buttons[0])
    assert page.status_code == 200 and page.resolver_match.func is views.checkout


def test_a_registered_buyer_still_places_an_order_through_our_checkout(client, buyer):
    honey = Product.objects.get(stockrecords__partner_sku=HONEY)
    rice = Product.objects.get(stockrecords__partner_sku=RICE)
    allocated = honey.stockrecords.get().num_allocated or 0

    response = place_through_review(client, checkout_data(honey, rice))

    checkout = Checkout.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/toko/pesanan/{checkout.reference}/"
    assert checkout.shop_orders.count() == 2 == Order.objects.count()
    assert honey.stockrecords.get().num_allocated == allocated + 1
    assert client.get(response["Location"]).status_code == 200


def test_the_checkout_context_processor_still_answers(client, buyer, settings):
    response = client.get("/toko/basket/")

    assert response.context["anon_checkout_allowed"] is settings.OSCAR_ALLOW_ANON_CHECKOUT
