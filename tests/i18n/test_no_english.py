"""Every page of the journeys reads in Bahasa Indonesia: Oscar's pages and dashboard included.

The crawl reads what a person sees (text, placeholders, button labels, alt text; not scripts)
and fails naming the page and the English it found."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from tests import factories

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")

# English that Oscar and Django write and that must never reach a user; whole words, case as written.
ENGLISH = [
    "available", "Add to", "add to", "basket", "Basket", "Order", "Orders", "Re-order", "Image Not Available",
    "Profile", "Search", "search", "Sort by", "Dashboard", "Delete", "Edit", "Login", "Logout", "Log in",
    "Register", "Account", "Continue", "Checkout", "checkout", "Proceed", "Update", "Remove", "Save",
    "Price", "Quantity", "Product", "Products", "products", "Home", "Address", "address", "Wish list",
    "Wish List", "wishlist", "Password", "Customer", "View", "Show", "Results", "results", "Reports",
    "Catalogue", "Stock", "Submit", "Cancel", "Please", "please", "You", "you", "Your", "your", "The",
    "the", "There", "with", "and", "for", "from", "of", "is", "are", "not", "All", "all",
    "Total orders", "Total products", "Order total", "Basket total", "Shipping", "shipping",
    "Delivery", "Free", "Date", "Number", "Items", "Back", "Next", "Previous", "previous",
    "next", "Page", "page", "Go", "Offers", "Browse", "Details", "Description", "Reviews", "Recently viewed",
    "Notifications", "Alerts", "Change", "change", "Apply", "Actions", "Options", "Category", "Categories",
    "Open", "Close", "Toggle", "Navigation", "Go to", "Welcome", "Yes", "Partner", "Partners", "Summary",
    "Performance", "Sales", "Users", "Statistics", "Download", "Export", "Import", "Select",
    "Selected", "Create", "Add", "New", "Name", "Title", "Type", "Email address",
    "Warning", "Error", "Success", "Peforma", "Total orderan", "Urutan #", "proses untuk proses akhir",
    "Profil dihapus",
]
# Proper names and Indonesian words that contain one of the above.
ALLOWED = ["WhatsApp", "Oscar", "Stripe", "Wagtail", "Riau", "Siak"]

PATTERN = re.compile("|".join(rf"(?<![\w-]){re.escape(word)}(?![\w-])" for word in sorted(ENGLISH, key=len, reverse=True)))


class VisibleText(HTMLParser):
    SKIP = {"script", "style", "template", "noscript-ignored"}
    SHOWN_ATTRIBUTES = ("placeholder", "alt", "title", "aria-label")

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        attrs = dict(attrs)
        self.parts.extend(attrs[name] for name in self.SHOWN_ATTRIBUTES if attrs.get(name))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_on(html):
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    for name in ALLOWED:
        text = text.replace(name, "")
    return sorted({match.group(0) for match in PATTERN.finditer(text)}), text


def crawl(client, urls):
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), f"{url} answered {response.status_code}"
        words, text = english_on(response.content.decode())
        if words:
            found[url] = words
    return found


def buyer_with_an_order(client):
    buyer = get_user_model().objects.create_user(username="siti", email="siti@example.test", password="x",
                                                 first_name="Siti", last_name="Aminah")
    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    checkout = factories.place(factories.basket((honey, 1), (rice, 1), owner=buyer), user=buyer)
    client.force_login(buyer)
    client.post(f"/toko/basket/add/{honey.pk}/", {"quantity": 1})
    client.post(f"/toko/basket/add/{rice.pk}/", {"quantity": 2})
    return checkout, honey



def pages_of_a_buyer(client):
    checkout, honey = buyer_with_an_order(client)
    order = checkout.shop_orders.first().order
    return [
        "/", "/kampung/", "/kampung/bunga-raya/", "/toko/catalogue/", honey.categories.first().get_absolute_url(),
        honey.get_absolute_url(), "/toko/search/?q=madu", "/toko/basket/", "/toko/checkout/",
        f"/toko/pesanan/{checkout.reference}/", "/toko/accounts/profile/", "/toko/accounts/orders/",
        f"/toko/accounts/orders/{order.number}/", "/toko/accounts/addresses/", "/toko/accounts/wishlists/",
        "/toko/accounts/profile/edit/", "/toko/accounts/change-password/", "/toko/tidak-ada/",
    ], checkout


def test_a_buyers_pages_read_in_indonesian(client):
    from tests.marketplace.test_buying import checkout_data

    urls, _ = pages_of_a_buyer(client)
    before_the_review = crawl(client, urls)
    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    assert client.post("/toko/checkout/", checkout_data(honey, rice)).status_code == 302

    assert before_the_review == {}
    assert crawl(client, ["/toko/checkout/ringkasan/", "/toko/lacak-pesanan/"]) == {}


def test_a_guests_pages_read_in_indonesian(client):
    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    client.post(f"/toko/basket/add/{honey.pk}/", {"quantity": 1})

    assert crawl(client, ["/", "/toko/catalogue/", honey.get_absolute_url(), "/toko/basket/", "/toko/checkout/",
                          "/toko/accounts/login/", "/toko/password-reset/", "/toko/daftar-bumkam/"]) == {}


def test_the_search_pages_read_in_indonesian(client):
    """Both tabs of results, a corrected typo, a query that finds nothing, filters in use and refused."""
    assert crawl(client, [
        "/toko/search/?q=madu", "/toko/search/?q=madu&jenis=halaman", "/toko/search/?q=sktm&jenis=halaman",
        "/toko/search/?q=", "/toko/search/?q=&jenis=halaman&page=2", "/toko/search/?q=kerupk",
        "/toko/search/?q=madu+xyzzyq", "/toko/search/?q=keripik&halal=on&pirt=on&habis=on&sort_by=best-selling",
        "/toko/search/?kecamatan=99&kampung=x&kategori=y&min_price=50000&max_price=1&sort_by=z&jenis=w",
        "/toko/search/saran/?q=kripik",
    ]) == {}


def test_a_managers_pages_read_in_indonesian(client):
    _, checkout = pages_of_a_buyer(client)
    manager = get_user_model().objects.get(username="pengelola.bungaraya")
    order = checkout.shop_orders.get(bumkam__managers=manager).order
    product = Product.objects.filter(stockrecords__partner__bumkam__managers=manager).first()
    client.force_login(manager)

    assert crawl(client, [
        "/toko/kelola/pesanan/", "/toko/kelola/pesanan/?tab=semua", f"/toko/kelola/pesanan/{order.number}/cetak/",
        "/toko/kelola/produk/", f"/toko/kelola/produk/{product.pk}/",
        "/toko/kelola/produk/baru/", "/toko/kelola/produk/impor/", "/toko/kelola/toko/",
        "/toko/dashboard/", "/toko/dashboard/orders/", f"/toko/dashboard/orders/{order.number}/",
        "/toko/dashboard/catalogue/", f"/toko/dashboard/catalogue/products/{product.pk}/",
    ]) == {}


def test_the_regency_admins_pages_read_in_indonesian(client):
    _, checkout = pages_of_a_buyer(client)
    order = checkout.shop_orders.first().order
    client.force_login(get_user_model().objects.get(username="admin"))

    assert crawl(client, [
        "/toko/kelola/transfer/", "/toko/kelola/komplain/", "/toko/kelola/penyelesaian/", "/toko/kelola/pembayaran/",
        "/toko/dashboard/", "/toko/dashboard/orders/", f"/toko/dashboard/orders/{order.number}/",
        "/toko/dashboard/catalogue/", "/toko/dashboard/reports/", "/toko/dashboard/reports/?report_type=order_report",
    ]) == {}
