import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from cms.models import KampungHomePage, NewsPage, ServicePage, TransparencyPage

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.json_ld, self.srcsets, self._in_ld = {}, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
        if tag == "img" and attrs.get("srcset"):
            self.srcsets.append(attrs["srcset"])

    def handle_endtag(self, tag):
        self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))


def parse(response):
    head = Head()
    head.feed(response.content.decode())
    return head


def test_village_feeds_are_valid_rss_and_atom_with_the_villages_news(client):
    home = KampungHomePage.objects.get(kampung__code="14.08.08.2001")
    news = list(NewsPage.objects.live().descendant_of(home).order_by("-date"))

    rss = ET.fromstring(client.get("/kampung/bunga-raya/berita/rss/").content)
    atom = ET.fromstring(client.get("/kampung/bunga-raya/berita/atom/").content)

    assert [item.findtext("title") for item in rss.iter("item")] == [n.title for n in news]
    assert [entry.findtext(f"{ATOM}title") for entry in atom.iter(f"{ATOM}entry")] == [n.title for n in news]
    assert rss.find("channel/link").text.endswith("/kampung/bunga-raya/berita/")


def test_the_regency_feed_carries_news_of_every_village(client):
    rss = ET.fromstring(client.get("/berita/rss/").content)
    atom = ET.fromstring(client.get("/berita/atom/").content)

    links = [item.findtext("link") for item in rss.iter("item")]
    assert len(links) == 20
    assert len({re.search(r"/kampung/([^/]+)/", link).group(1) for link in links}) > 3
    assert len(list(atom.iter(f"{ATOM}entry"))) == 20


def test_sitemap_lists_every_live_page(client, settings):
    from wagtail.models import Page

    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = {loc.text for loc in root.iter(f"{SITEMAP}loc")}

    live = Page.objects.live().filter(depth__gt=1)
    assert len(locations) == live.count()
    assert f"{settings.SITE_URL}/kampung/bunga-raya/apbkam/" in locations


def test_village_home_tells_search_engines_and_chats_who_it_is(client, settings):
    home = KampungHomePage.objects.get(kampung__code="14.08.08.2001")

    head = parse(client.get(home.url))

    assert "Situs resmi Kampung Bunga Raya" in head.meta["description"]
    assert head.meta["og:title"] == "Kampung Bunga Raya"
    assert head.meta["og:url"] == f"{settings.SITE_URL}/kampung/bunga-raya/"
    assert head.meta["og:image"].startswith(f"{settings.SITE_URL}/media/images/")
    organisation = head.json_ld[0]
    assert organisation["@type"] == "GovernmentOrganization"
    assert organisation["areaServed"]["identifier"] == "14.08.08.2001"
    assert any("480w" in s and "960w" in s for s in head.srcsets), "hero image without srcset"


def test_news_article_is_a_news_article(client):
    news = NewsPage.objects.live().filter(url_path__contains="/bunga-raya/").first()

    head = parse(client.get(news.url))

    article = head.json_ld[0]
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == news.title
    assert article["datePublished"].startswith(news.date.isoformat())
    assert article["publisher"]["name"] == "Pemerintah Kampung Bunga Raya"
    assert head.meta["og:type"] == "article"
    assert head.meta["description"] == news.summary


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    news = NewsPage.objects.live().first()
    news.title = '</script><script>alert("x")</script>'
    news.save_revision().publish()

    html = client.get(news.url).content.decode()

    assert '<script>alert("x")</script>' not in html
    assert parse(client.get(news.url)).json_ld[0]["headline"] == news.title


def figures_on_page(html):
    """Every row of the budget tables as the visitor reads it: name and numbers."""
    rows = re.findall(r'<tr class="budget-(?:row|total)[^"]*">(.*?)</tr>', html, re.S)
    result = []
    for row in rows:
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        money = [int(c.replace("Rp\u00a0", "").replace(".", "")) for c in cells[1:7]]
        result.append([cells[0], *money, cells[7].replace("\u00a0%", "").replace("&nbsp;%", "").replace(",", ".")])
    return result


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_transparency_csv_holds_the_figures_of_the_page(client, year):
    page = TransparencyPage.objects.live().filter(url_path__contains="/bunga-raya/").get()

    html = client.get(page.url, {"tahun": year}).content.decode()
    download = client.get(f"{page.url}csv/", {"tahun": year})

    assert download["Content-Type"].startswith("text/csv")
    assert f"apbkam-bunga-raya-{year}.csv" in download["Content-Disposition"]
    table = list(csv.reader(io.StringIO(download.content.decode())))
    assert table[0][:4] == ["Tahun", "Jenis", "Uraian", "Anggaran"]
    from_csv = [[r[2], *map(int, r[3:9]), r[9]] for r in table[1:]]
    assert from_csv == figures_on_page(html)
    assert all(int(r[0]) == year for r in table[1:])
    assert len(from_csv) == 13  # 10 lines and 3 totals


def test_transparency_totals_and_percentages_add_up(client):
    page = TransparencyPage.objects.live().filter(url_path__contains="/bunga-raya/").get()
    lines = page.budget_lines.filter(year=2025, kind="belanja")

    rows = figures_on_page(client.get(page.url, {"tahun": 2025}).content.decode())

    total = next(r for r in rows if r[0] == "Jumlah Belanja")
    assert total[1] == sum(line.planned for line in lines)
    realised = sum(sum(line.quarters) for line in lines)
    assert total[6] == realised
    assert total[7] == f"{realised * 100 / total[1]:.1f}"
    chart = client.get(page.url, {"tahun": 2025}).content.decode()
    all_lines = figures_on_page(chart)
    assert chart.count('class="budget-bar-row"') == len([r for r in all_lines if not r[0].startswith("Jumlah ")])


def test_an_unknown_budget_year_shows_the_latest(client):
    page = TransparencyPage.objects.live().filter(url_path__contains="/bunga-raya/").get()

    response = client.get(page.url, {"tahun": "abc"})

    assert response.status_code == 200
    assert "Belanja 2026" in response.content.decode()


def test_service_directory_lists_each_service_with_its_villages(client):
    html = client.get("/layanan/").content.decode()

    assert "Surat keterangan tidak mampu (SKTM)" in html
    sktm = ServicePage.objects.live().filter(title="Surat keterangan tidak mampu (SKTM)")
    assert sktm.count() >= 20
    assert all(page.url in html for page in sktm)


def test_robots_txt_keeps_crawlers_off_personal_pages_and_points_at_the_sitemap(client, settings):
    settings.SITE_URL = "https://pasar.siakkab.go.id"
    response = client.get("/robots.txt")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for private in ("/surat/", "/verifikasi/", "/admin/", "/toko/kelola/", "/toko/checkout/"):
        assert f"Disallow: {private}" in lines
    assert "Sitemap: https://pasar.siakkab.go.id/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the portal, villages and shop stay crawlable
