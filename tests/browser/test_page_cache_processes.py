"""Stored pages across processes: two servers share one page cache, and a change committed
by a third process (an editor, the shop dashboard, the checkout) shows on the very next
request to either of them: a price, a stock level, a publish, a shop frozen."""

import re
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from oscar.core.loading import get_model

from cms.models import NewsPage
from marketplace.catalogue.services import stockrecord_update
from shops.constants import ShopStatus
from shops.models import Bumkam
from shops.services import bumkam_set_status

from .conftest import serve

Product = get_model("catalogue", "Product")
BUNGA_RAYA = "14.08.08.2001"


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker, socket_enabled_session):
    """Two gunicorn processes of one worker each, with the page cache on."""
    servers = [serve(workers=1, threads=2, PAGE_CACHE_SECONDS="600") for _ in range(2)]
    yield [url for _server, url in servers]
    for server, _url in servers:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def committed(django_db_blocker):
    """Writes from this process commit, as another process's would."""
    with django_db_blocker.unblock():
        yield


def get(url) -> tuple[str, str]:
    """Both servers behind one public address, as behind a proxy."""
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Host": "127.0.0.1"}), timeout=20) as response:
        return response.read().decode().replace("\xa0", " "), response.headers.get("X-Page-Cache", "")


def stored_by_both(servers, path) -> str:
    """The page as the first server stored it; the second serves that stored copy."""
    first, _ = get(servers[0] + path)
    second, stored = get(servers[1] + path)
    assert stored == "stored", path
    return first


def test_a_price_and_a_stock_change_show_on_the_next_request_to_either_process(two_servers, committed):
    product = Product.objects.filter(stockrecords__partner__bumkam__kampung__code=BUNGA_RAYA,
                                     stockrecords__num_in_stock__gt=2).filter(
        Q(stockrecords__num_allocated=0) | Q(stockrecords__num_allocated__isnull=True)).order_by("pk").first()
    admin = get_user_model().objects.get(username="admin")
    record = product.stockrecords.get()
    price, stock = int(record.price), record.num_in_stock
    path, storefront = product.get_absolute_url(), "/kampung/bunga-raya/toko/"
    assert "Rp " in stored_by_both(two_servers, path)
    stored_by_both(two_servers, storefront)
    try:
        stockrecord_update(product=product, price=price + 1000, stock=stock, acting_user=admin)
        new_price = f"Rp {price + 1000:,}".replace(",", ".")
        assert new_price in get(two_servers[1] + path)[0]
        assert new_price in get(two_servers[0] + storefront)[0]

        stockrecord_update(product=product, price=price, stock=0, acting_user=admin)
        assert 'id="add_to_basket_form"' not in get(two_servers[0] + path)[0]
        card = get(two_servers[1] + storefront)[0].split(product.title, 1)[1][:1500]
        assert "Stok habis" in card
    finally:
        stockrecord_update(product=product, price=price, stock=stock, acting_user=admin)


def test_a_publish_shows_on_the_next_request_to_either_process(two_servers, committed):
    news = NewsPage.objects.live().filter(url_path__contains="/bunga-raya/").first()
    title, path = news.title, news.url
    stored_by_both(two_servers, path)
    stored_by_both(two_servers, "/kampung/bunga-raya/")
    try:
        news.title = "Kabar terbaru: pasar murah Bunga Raya"
        news.save_revision().publish()
        assert "Kabar terbaru: pasar murah Bunga Raya" in get(two_servers[1] + path)[0]
        assert "Kabar terbaru: pasar murah Bunga Raya" in get(two_servers[0] + "/kampung/bunga-raya/")[0]
    finally:
        news.title = title
        news.save_revision().publish()
    assert "Kabar terbaru" not in get(two_servers[0] + path)[0]


def test_a_frozen_shop_leaves_the_next_page_of_either_process(two_servers, committed):
    shop = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    product = Product.objects.filter(stockrecords__partner__bumkam=shop, stockrecords__num_in_stock__gt=0).first()
    assert product.title in stored_by_both(two_servers, "/kampung/bunga-raya/toko/")
    assert 'id="add_to_basket_form"' in stored_by_both(two_servers, product.get_absolute_url())
    try:
        bumkam_set_status(bumkam=shop, status=ShopStatus.SUSPENDED)
        assert product.title not in get(two_servers[1] + "/kampung/bunga-raya/toko/")[0]
        assert 'id="add_to_basket_form"' not in get(two_servers[0] + product.get_absolute_url())[0]
    finally:
        bumkam_set_status(bumkam=shop, status=ShopStatus.APPROVED)
    assert product.title in get(two_servers[0] + "/kampung/bunga-raya/toko/")[0]


def test_each_process_gives_a_visitor_their_own_token(two_servers):
    path = "/toko/catalogue/"
    page = get(two_servers[0] + path)[0]
    product_path = re.search(r'href="(/toko/catalogue/[^"/]+_\d+/)"', page)[1]
    tokens = set()
    for server in two_servers * 2:
        with urllib.request.urlopen(urllib.request.Request(server + product_path, headers={"Host": "127.0.0.1"}),
                                    timeout=20) as response:
            body = response.read().decode()
            cookie = response.headers.get("Set-Cookie", "")
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', body)[1])
        assert cookie.startswith("csrftoken=")
    assert len(tokens) == 4
