"""Stored pages for anonymous visitors (marketplace.page_cache): served without rendering,
each visitor with their own CSRF token, and fresh on the first request after a change."""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.models import NewsPage
from marketplace.catalogue.services import stockrecord_update
from shops.constants import ShopStatus
from shops.models import Bumkam
from shops.services import bumkam_set_status
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]
BUNGA_RAYA = "14.08.08.2001"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def page_cache_on(settings, django_capture_on_commit_callbacks):
    """The test's changes commit as a request's would (their callbacks run)."""
    settings.PAGE_CACHE_SECONDS = 600


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")  # prices read "Rp 25.000" on screen


def visit(url, **extra):
    """A new anonymous visitor: no cookies."""
    with CaptureQueriesContext(connection) as queries:
        response = Client(**extra).get(url)
    assert response.status_code == 200, url
    return response, len(queries)


@pytest.fixture
def product(admin_user, django_capture_on_commit_callbacks):
    bumkam = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    with django_capture_on_commit_callbacks(execute=True):  # indexed for search, as once committed
        return factories.product(bumkam=bumkam, title="Kerupuk Udang Cache", price=25000, stock=10)


def committed(capture, change):
    with capture(execute=True):
        change()


@pytest.mark.parametrize("url", ["/", "/kampung/bunga-raya/", "/kampung/bunga-raya/toko/", "/toko/catalogue/",
                                 "/toko/search/?q=madu&kecamatan=14.08.06"])
def test_a_second_visitor_gets_the_stored_page_without_rendering_it(url):
    first, rendered = visit(url)
    second, stored = visit(url)

    assert second.content == first.content
    assert stored <= 2 < rendered  # the stored page and its tags' versions
    assert second["Cache-Control"] == "public, max-age=0, s-maxage=60" and second["X-Page-Cache"] == "stored"
    assert second["ETag"] == first["ETag"]


def test_a_repeat_visit_with_the_etag_gets_304():
    first, _ = visit("/")
    for asked in (first["ETag"], f'W/{first["ETag"]}', f'W/"lama", W/{first["ETag"]}', "*"):
        again = Client().get("/", HTTP_IF_NONE_MATCH=asked)
        assert again.status_code == 304, asked
        assert again.content == b""
    assert Client().get("/", HTTP_IF_NONE_MATCH='"lama"').status_code == 200


def test_a_link_from_a_chat_or_an_ad_is_served_the_stored_page_without_its_tags():
    rendered = visit("/toko/catalogue/?fbclid=IwAR0abc&utm_source=wa")[0]
    assert "ETag" not in rendered  # rendered with the tags in its links: not stored
    visit("/toko/catalogue/")
    page, queries = visit("/toko/catalogue/?fbclid=IwAR1xyz&utm_campaign=promo")
    assert queries <= 2 and "fbclid" not in text(page) and "utm_" not in text(page)


def test_listings_are_dropped_again_once_the_search_index_has_the_change(product,
                                                                         django_capture_on_commit_callbacks):
    """The catalogue reads the search index, which the worker writes after the change
    commits: a listing stored in between must not outlive the index's catching up."""
    from search.indexing import queue_products, sync_pending

    visit("/toko/catalogue/")
    with django_capture_on_commit_callbacks(execute=False):  # the change's own task not yet run
        queue_products([product.pk])
    assert visit("/toko/catalogue/")[1] <= 2
    committed(django_capture_on_commit_callbacks, sync_pending)
    assert visit("/toko/catalogue/")[1] > 2


def test_each_visitor_of_a_stored_product_page_gets_their_own_token_and_can_add_to_basket(product):
    url = product.get_absolute_url()
    assert 'id="add_to_basket_form"' in text(visit(url)[0])  # stored, with its form
    tokens = set()
    for _ in range(2):
        buyer = Client(enforce_csrf_checks=True)
        page = buyer.get(url)
        token = TOKEN.search(text(page))[1]
        tokens.add(token)
        assert page["Cache-Control"] == "private, max-age=0"  # the token is this visitor's only
        assert "ETag" not in page  # never "not modified": the browser's token cookie may have changed
        added = buyer.post(f"/toko/basket/add/{product.pk}/", {"csrfmiddlewaretoken": token, "quantity": 1})
        assert added.status_code == 302
        assert buyer.get("/toko/basket/").context["basket"].num_items == 1
    assert len(tokens) == 2


def test_a_price_change_shows_on_the_next_request_for_that_product(product, django_capture_on_commit_callbacks,
                                                                    admin_user):
    url = product.get_absolute_url()
    assert "Rp 25.000" in text(visit(url)[0])
    committed(django_capture_on_commit_callbacks,
              lambda: stockrecord_update(product=product, price=27500, stock=10, acting_user=admin_user))
    page = text(visit(url)[0])
    assert "Rp 27.500" in page and "Rp 25.000" not in page


def test_a_stock_change_shows_on_the_product_and_in_the_storefront(product, django_capture_on_commit_callbacks,
                                                                    admin_user):
    storefront = "/kampung/bunga-raya/toko/"
    assert "Kerupuk Udang Cache" in text(visit(storefront)[0])
    visit(product.get_absolute_url())
    committed(django_capture_on_commit_callbacks,
              lambda: stockrecord_update(product=product, price=25000, stock=0, acting_user=admin_user))
    assert 'id="add_to_basket_form"' not in text(visit(product.get_absolute_url())[0])
    card = text(visit(storefront)[0]).split("Kerupuk Udang Cache", 1)[1][:1500]
    assert "Stok habis" in card


def test_a_bulk_allocation_reaches_the_stored_page_through_goods_changed(product, django_capture_on_commit_callbacks):
    from marketplace.catalogue.signals import goods_changed

    url = product.get_absolute_url()
    visit(url)

    def sell_out():
        product.stockrecords.update(num_in_stock=0)
        goods_changed.send(sender=None, product_ids=[product.pk])

    committed(django_capture_on_commit_callbacks, sell_out)
    assert 'id="add_to_basket_form"' not in text(visit(url)[0])


def test_a_publish_shows_on_the_next_request_for_that_page(django_capture_on_commit_callbacks):
    news = NewsPage.objects.live().filter(url_path__contains="/bunga-raya/").first()
    url = news.url
    visit(url)

    def publish():
        news.title = "Judul baru setelah terbit"
        news.save_revision().publish()

    committed(django_capture_on_commit_callbacks, publish)
    assert "Judul baru setelah terbit" in text(visit(url)[0])


def test_a_frozen_shop_leaves_the_stored_pages(product, django_capture_on_commit_callbacks, admin_user):
    storefront = "/kampung/bunga-raya/toko/"
    assert "Kerupuk Udang Cache" in text(visit(storefront)[0])
    assert 'id="add_to_basket_form"' in text(visit(product.get_absolute_url())[0])
    committed(django_capture_on_commit_callbacks,
              lambda: bumkam_set_status(bumkam=Bumkam.objects.get(kampung__code=BUNGA_RAYA), status=ShopStatus.SUSPENDED, acting_user=admin_user))
    assert "Kerupuk Udang Cache" not in text(Client().get(storefront))
    assert 'id="add_to_basket_form"' not in text(Client().get(product.get_absolute_url()))


def test_a_stock_change_shows_in_a_stored_search(product, django_capture_on_commit_callbacks, admin_user):
    url = "/toko/search/?q=kerupuk+udang+cache"
    assert "Stok habis" not in text(visit(url)[0]).split("Kerupuk Udang Cache", 1)[1][:1500]
    committed(django_capture_on_commit_callbacks,
              lambda: stockrecord_update(product=product, price=25000, stock=0, acting_user=admin_user))
    found = text(visit(url + "&habis=on")[0])
    assert "Stok habis" in found.split("Kerupuk Udang Cache", 1)[1][:1500]
    assert "Kerupuk Udang Cache" not in text(visit(url)[0]).split("search-results", 1)[1]


def test_a_stock_change_leaves_a_news_page_stored(product, django_capture_on_commit_callbacks, admin_user):
    news = NewsPage.objects.live().first()
    visit(news.url)
    committed(django_capture_on_commit_callbacks,
              lambda: stockrecord_update(product=product, price=30000, stock=3, acting_user=admin_user))
    assert visit(news.url)[1] <= 2


def test_a_change_rolled_back_keeps_the_page(product, admin_user):
    url = product.get_absolute_url()
    visit(url)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            stockrecord_update(product=product, price=99000, stock=10, acting_user=admin_user)
            raise RuntimeError
    page, queries = visit(url)
    assert queries <= 2 and "Rp 25.000" in text(page)


def test_signed_in_visitors_and_baskets_are_never_served_a_stored_page(product, admin_user):
    visit("/")
    member = Client()
    member.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        assert member.get("/").status_code == 200
    assert len(queries) > 2

    buyer = Client()
    buyer.post(f"/toko/basket/add/{product.pk}/", {"quantity": 1})
    page = buyer.get(product.get_absolute_url())
    assert "ETag" not in page  # rendered for this buyer, with their basket in the header


@pytest.mark.parametrize("url", ["/toko/basket/", "/surat/lacak/", "/toko/accounts/login/"])
def test_live_pages_are_never_stored(url):
    visit(url)
    page = visit(url)[0]
    assert "ETag" not in page  # only a stored page carries one
    assert "private" in page["Cache-Control"]  # nor may a cache in between keep it


def test_with_the_shared_cache_away_pages_are_rendered_and_changes_still_save(settings, product, admin_user,
                                                                               django_capture_on_commit_callbacks):
    settings.CACHES = {**settings.CACHES, "pages": {  # Valkey down: nothing listens there
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}
    for _ in range(2):
        page, queries = visit(product.get_absolute_url())
        assert queries > 2 and "Rp 25.000" in text(page)
    committed(django_capture_on_commit_callbacks,
              lambda: stockrecord_update(product=product, price=26000, stock=10, acting_user=admin_user))
    assert "Rp 26.000" in text(visit(product.get_absolute_url())[0])


def test_a_rendition_made_while_a_page_renders_does_not_make_it_stale(django_capture_on_commit_callbacks):
    """The first visit makes the pictures' renditions: the page it stores must still be served."""
    from wagtail.images import get_image_model

    get_image_model().get_rendition_model().objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        visit("/kampung/bunga-raya/")
    assert visit("/kampung/bunga-raya/")[1] <= 2


def test_a_stored_page_comes_compressed_once_to_a_browser_that_takes_gzip():
    import gzip

    plain, _ = visit("/kampung/bunga-raya/")
    packed, queries = visit("/kampung/bunga-raya/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert queries <= 2 and packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] == "W/" + plain["ETag"]
    again = Client().get("/kampung/bunga-raya/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304
