import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, Page, Site

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
from cms.services import editor_group_name
from shops.models import Kampung, Kecamatan, Regency

pytestmark = pytest.mark.django_db

SECTIONS = {NewsIndexPage, ServiceIndexPage, ProfilePage, TransparencyPage, StorefrontPage}


@pytest.mark.parametrize(
    "page_type, parents, children",
    [
        (PortalPage, {Page}, {KampungIndexPage}),
        (KampungIndexPage, {PortalPage}, {KampungHomePage}),
        (KampungHomePage, {KampungIndexPage}, SECTIONS),
        (NewsIndexPage, {KampungHomePage}, {NewsPage}),
        (NewsPage, {NewsIndexPage}, set()),
        (ServiceIndexPage, {KampungHomePage}, {ServicePage}),
        (ServicePage, {ServiceIndexPage}, set()),
        (ProfilePage, {KampungHomePage}, set()),
        (TransparencyPage, {KampungHomePage}, set()),
        (StorefrontPage, {KampungHomePage}, set()),
    ],
)
def test_the_page_tree_is_written_down_in_the_models(page_type, parents, children):
    assert set(page_type.allowed_parent_page_models()) == parents
    assert set(page_type.allowed_subpage_models()) == children


def test_a_village_has_one_of_each_section():
    home = KampungHomePage.objects.get(kampung__code="14.08.08.2001")

    assert not ProfilePage.can_create_at(home)
    assert not NewsIndexPage.can_create_at(home)
    assert not PortalPage.can_create_at(Page.get_first_root_node())  # one portal only


def test_every_kampung_of_the_regency_has_its_site_editor_group_and_collection():
    kampung = Kampung.objects.filter(kecamatan__regency__code="14.08")

    assert KampungHomePage.objects.filter(kampung__in=kampung).count() == 131
    for village in kampung.order_by("?")[:5]:
        home = village.home_page
        assert {type(p.specific) for p in home.get_children()} == SECTIONS
        assert Group.objects.filter(name=editor_group_name(village)).exists()
        assert Collection.objects.filter(name=str(village)).exists()


def test_the_regency_admin_creates_a_kampung_from_its_official_code(admin_client):
    regency = Regency.objects.create(code="35.10", name="Kabupaten Banyuwangi", province_name="Jawa Timur")
    Kecamatan.objects.create(code="35.10.01", name="Pesanggaran", regency=regency)

    response = admin_client.post("/admin/kampung/new/", {"code": "35.10.01.2001", "slug": ""})

    assert response.status_code == 302
    kampung = Kampung.objects.get(code="35.10.01.2001")
    assert kampung.kecamatan.name == "Pesanggaran"
    assert kampung.home_page.url == f"/kampung/{kampung.slug}/"
    assert admin_client.get(kampung.home_page.url).status_code == 200
    assert Group.objects.filter(name=editor_group_name(kampung)).exists()


@pytest.mark.parametrize("code, message", [
    ("99.99.99.9999", "tidak ada dalam data wilayah Kemendagri"),
    ("35.10.02.2001", "belum dibuat"),
])
def test_an_unknown_or_unprepared_code_is_refused_clearly(admin_client, code, message):
    kampung_before = Kampung.objects.count()

    response = admin_client.post("/admin/kampung/new/", {"code": code, "slug": ""})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Kampung.objects.count() == kampung_before


def test_a_village_host_name_serves_the_same_pages(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "bungaraya.siakkab.test"]
    home = KampungHomePage.objects.get(kampung__code="14.08.08.2001")
    Site.objects.create(hostname="bungaraya.siakkab.test", port=80, root_page=home, site_name="Kampung Bunga Raya")

    own_home = client.get("/", HTTP_HOST="bungaraya.siakkab.test")
    own_news = client.get("/berita/", HTTP_HOST="bungaraya.siakkab.test")
    under_portal = client.get("/kampung/bunga-raya/berita/")

    assert own_home.status_code == own_news.status_code == under_portal.status_code == 200
    assert "<h1>Kampung Bunga Raya</h1>" in own_home.content.decode().replace("\n", "")
    news = NewsPage.objects.live().descendant_of(home).first()
    assert news.title in own_news.content.decode()
    assert news.title in under_portal.content.decode()
    assert client.get("/kampung/bunga-raya/", HTTP_HOST="localhost").status_code == 200
