"""Sitemap, feeds, JSON-LD and the sites name the address the site is served at."""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.contrib.sites.models import Site as DjangoSite
from wagtail.models import Site

from cms.models import KampungHomePage, NewsPage

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
WRONG = ("localhost", "example.com")


@pytest.fixture
def host(settings):
    return urlsplit(settings.SITE_URL).netloc


def test_migrate_sets_both_sites_to_site_url(settings, host):
    assert DjangoSite.objects.get(pk=settings.SITE_ID).domain == host
    assert Site.objects.get(is_default_site=True).root_url == settings.SITE_URL


def test_sitemap_names_the_served_host(client, settings, host):
    root = ET.fromstring(client.get("/sitemap.xml", HTTP_HOST=host).content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]

    assert locations and all(loc.startswith(settings.SITE_URL + "/") for loc in locations)
    assert f"{settings.SITE_URL}/kampung/bunga-raya/apbkam/" in locations


@pytest.mark.parametrize("path", ["/berita/rss/", "/berita/atom/", "/kampung/bunga-raya/berita/rss/"])
def test_feeds_name_the_served_host(client, settings, host, path):
    body = client.get(path, HTTP_HOST=host).content.decode()

    links = re.findall(r"https?://[^\s\"'<>]+", body)
    ours = [link for link in links if "/kampung/" in link]
    assert ours and all(link.startswith(settings.SITE_URL + "/") for link in ours)
    assert not any(wrong in body for wrong in WRONG)


def json_ld(html):
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_json_ld_names_the_served_host(client, settings, host):
    news = NewsPage.objects.live().filter(url_path__contains="/bunga-raya/").first()

    html = client.get(news.url, HTTP_HOST=host).content.decode()

    [article] = json_ld(html)
    assert article["url"].startswith(settings.SITE_URL + "/kampung/bunga-raya/berita/")
    assert article["publisher"]["url"] == settings.SITE_URL + "/kampung/bunga-raya/"
    assert not any(wrong in json.dumps(article) for wrong in WRONG)


def test_a_kampung_on_its_own_hostname_names_its_own_host(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "bungaraya.siakkab.go.id"]
    home = KampungHomePage.objects.get(kampung__code="14.08.08.2001")
    Site.objects.create(hostname="bungaraya.siakkab.go.id", port=443, root_page=home, site_name=home.title)

    sitemap = ET.fromstring(client.get("/sitemap.xml", HTTP_HOST="bungaraya.siakkab.go.id", secure=True).content)
    feed = client.get("/berita/rss/", HTTP_HOST="bungaraya.siakkab.go.id", secure=True).content.decode()
    page = client.get("/", HTTP_HOST="bungaraya.siakkab.go.id", secure=True).content.decode()

    locations = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert locations and all(loc.startswith("https://bungaraya.siakkab.go.id/") for loc in locations)
    assert "<link>https://bungaraya.siakkab.go.id/berita/</link>" in feed
    assert json_ld(page)[0]["url"] == "https://bungaraya.siakkab.go.id/"
