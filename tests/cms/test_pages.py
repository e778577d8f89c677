"""Every page of the demo answers, in Indonesian, with rupiah as `Rp 25.000`."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from cms.models import (
    KampungHomePage,
    KampungIndexPage,
    NewsIndexPage,
    NewsPage,
    PortalPage,
    ProfilePage,
    ServiceIndexPage,
    ServicePage,
    StorefrontPage,
    TransparencyPage,
)

pytestmark = pytest.mark.django_db
RUPIAH = re.compile(r"Rp\u00a0\d{1,3}(\.\d{3})+(?!,)")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


@pytest.mark.parametrize(
    "page_type, expected",
    [
        (PortalPage, "Produk unggulan kampung"),
        (KampungIndexPage, "Kecamatan Bunga Raya"),
        (KampungHomePage, "Jam pelayanan"),
        (NewsIndexPage, "Berita"),
        (NewsPage, "Kampung"),
        (ServiceIndexPage, "Surat keterangan pindah"),
        (ServicePage, "Persyaratan"),
        (ProfilePage, "Jumlah penduduk"),
        (TransparencyPage, "Realisasi kumulatif"),
        (StorefrontPage, "Tanya via WhatsApp"),
    ],
)
def test_every_page_type_answers_in_indonesian(client, page_type, expected):
    page = page_type.objects.live().filter(url_path__contains="/bunga-raya/").first() or page_type.objects.live().first()

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id"' in html
    assert expected in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html


def test_portal_shows_flagship_products_with_rupiah_prices(client):
    from oscar.core.loading import get_model

    flagships = get_model("catalogue", "Product").objects.filter(is_flagship=True)

    html = client.get("/").content.decode()

    shown = [p.title for p in flagships if p.get_absolute_url() in html]
    assert len(shown) == 8
    assert RUPIAH.search(html), "no price written as Rp 25.000"
    assert "IDR" not in html and "Rp25" not in html


def test_service_fee_of_nothing_says_free_in_rupiah(client):
    service = ServicePage.objects.live().filter(fee=0).first()

    html = client.get(service.url).content.decode()

    assert "Gratis (Rp\u00a00)" in html


def test_catalogue_product_basket_and_health_answer(client):
    from oscar.core.loading import get_model

    product = get_model("catalogue", "Product").objects.filter(title="Madu Sialang 500 ml").first()

    catalogue = client.get("/toko/catalogue/")
    detail = client.get(product.get_absolute_url())
    basket = client.get("/toko/basket/")
    health = client.get("/healthz")

    assert catalogue.status_code == detail.status_code == basket.status_code == 200
    assert "Semua produk" in catalogue.content.decode()
    assert RUPIAH.search(catalogue.content.decode())
    assert "Madu Sialang 500 ml" in detail.content.decode()
    assert RUPIAH.search(detail.content.decode())
    assert "Keranjang" in basket.content.decode()
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_a_product_goes_into_the_basket(client):
    from oscar.core.loading import get_model

    product = get_model("catalogue", "Product").objects.filter(title="Madu Sialang 500 ml").first()
    price = product.stockrecords.get().price

    response = client.post(f"/toko/basket/add/{product.pk}/", {"quantity": 2}, follow=True)

    assert response.status_code == 200
    html = client.get("/toko/basket/").content.decode()
    assert "Madu Sialang 500 ml" in html
    assert f"Rp\u00a0{int(price * 2):,}".replace(",", ".") in html


def test_no_page_of_the_demo_answers_5xx(client):
    """Follow every internal link from the portal, the directory and the catalogue."""
    seen, queue, failures = set(), ["/", "/kampung/", "/toko/catalogue/", "/toko/search/?q=madu"], []
    while queue and len(seen) < 400:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target = urlsplit(urljoin(url, href))
            if target.netloc or not target.path.startswith("/") or target.path.startswith(("/admin/", "/media/", "/static/", "/i18n/")):
                continue
            if "logout" in target.path:
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))

    assert len(seen) > 100
    assert failures == []


def test_news_index_is_paginated_and_filtered_by_tag(client):
    from cms.services import news_publish

    home = KampungHomePage.objects.get(kampung__code="14.08.08.2001")
    for n in range(12):
        news_publish(home=home, title=f"Kabar kampung nomor {n}", summary="", paragraphs=["Isi"], tags=["uji"])

    first = client.get("/kampung/bunga-raya/berita/").content.decode()
    second = client.get("/kampung/bunga-raya/berita/", {"page": 2}).content.decode()
    tagged = client.get("/kampung/bunga-raya/berita/", {"tag": "uji"}).content.decode()

    assert first.count('<li><a href="/kampung/bunga-raya/berita/') == 10
    assert "Halaman 1 dari 2" in first
    assert "Halaman 2 dari 2" in second
    assert "Kabar kampung nomor 11" in first and "Kabar kampung nomor 11" not in second
    assert tagged.count("Kabar kampung nomor") == 10  # 12 tagged, ten a page
    assert client.get("/kampung/bunga-raya/berita/", {"page": "x"}).status_code == 200


def test_the_directory_draws_known_village_locations_without_the_network(client):
    from shops.models import Kampung

    Kampung.objects.filter(code="14.08.08.2001").update(latitude="0.7600", longitude="102.2500")
    Kampung.objects.filter(code="14.08.07.2001").update(latitude="0.5700", longitude="101.7800")

    html = client.get("/kampung/").content.decode()

    svg = html.split('<figure class="village-map">', 1)[1].split("</figure>", 1)[0]
    assert svg.count("<circle") == 2
    assert 'href="/kampung/bunga-raya/"' in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_catalogue_does_not_query_per_product(client, django_assert_max_num_queries):
    client.get("/toko/catalogue/")  # thumbnails made once

    with django_assert_max_num_queries(40):  # 24 products a page; 81 before prefetching their shops
        response = client.get("/toko/catalogue/")

    assert response.context["paginator"].count >= 150
