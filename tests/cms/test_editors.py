"""The editor of one kampung works in that kampung's tree and sees nothing of another."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from cms.models import KampungHomePage, NewsIndexPage, NewsPage
from cms.services import editor_group_name

pytestmark = pytest.mark.django_db
BUNGA_RAYA, KERINCI_KANAN = "14.08.08.2001", "14.08.07.2001"


def home(code):
    return KampungHomePage.objects.get(kampung__code=code)


@pytest.fixture
def editor_client(client):
    client.login(username="editor.bungaraya", password="pasar-kampung-2026")
    return client


@pytest.fixture
def other_editor(db):
    user = get_user_model().objects.create_user("editor.kerincikanan", "ek@siakkab.test", "rahasia-kampung")
    user.groups.add(Group.objects.get(name=editor_group_name(home(KERINCI_KANAN).kampung)))
    return user


def test_an_editor_edits_their_own_village(editor_client):
    own = home(BUNGA_RAYA)
    news_index = NewsIndexPage.objects.child_of(own).get()

    assert editor_client.get("/admin/").status_code == 200
    assert editor_client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    assert editor_client.get(f"/admin/pages/add/cms/newspage/{news_index.pk}/").status_code == 200


@pytest.mark.parametrize("url", [
    "/admin/pages/{home}/edit/",
    "/admin/pages/{news}/edit/",
    "/admin/pages/add/cms/newspage/{news_index}/",
    "/admin/pages/{news}/delete/",
    "/admin/pages/{news}/unpublish/",
    "/admin/pages/{home}/move/",
    "/admin/pages/{news}/copy/",
])
def test_another_villages_pages_are_closed_and_unchanged(editor_client, url):
    other = home(KERINCI_KANAN)
    news_index = NewsIndexPage.objects.child_of(other).get()
    news = NewsPage.objects.child_of(news_index).first()
    url = url.format(home=other.pk, news=news.pk, news_index=news_index.pk)
    before = (other.title, news.title, news.live, NewsPage.objects.count(), news.revisions.count())

    opened = editor_client.get(url)
    posted = editor_client.post(url, {"title": "Diretas", "slug": "diretas", "action-publish": "1"})

    for response in (opened, posted):
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] in ("/admin/", "/admin/login/") or "/admin/login/" in response["Location"]
    other.refresh_from_db()
    news.refresh_from_db()
    assert (other.title, news.title, news.live, NewsPage.objects.count(), news.revisions.count()) == before


def test_the_explorer_and_page_chooser_offer_nothing_of_another_village(editor_client):
    own, other = home(BUNGA_RAYA), home(KERINCI_KANAN)
    other_ids = set(Page.objects.descendant_of(other, inclusive=True).values_list("pk", flat=True))

    listing = editor_client.get(f"/admin/pages/{own.get_parent().pk}/", follow=True)  # to their own home
    chooser = editor_client.get(f"/admin/choose-page/{own.get_parent().pk}/")
    search = editor_client.get("/admin/choose-page/search/", {"q": "Berita"})
    admin_search = editor_client.get("/admin/pages/search/", {"q": "Berita"})

    for response in (listing, chooser, search, admin_search):
        assert response.status_code == 200
        html = response.content.decode()
        assert other.title not in html
        assert not any(f"/admin/pages/{pk}/" in html for pk in other_ids)
    assert "Berita" in search.content.decode()  # the editor's own news index is offered


def test_image_and_document_choosers_offer_only_the_villages_collection(editor_client):
    own_collection = Collection.objects.get(name=str(home(BUNGA_RAYA).kampung))
    other_collection = Collection.objects.get(name=str(home(KERINCI_KANAN).kampung))
    Document = get_document_model()
    Document.objects.create(title="Formulir SKTM Bunga Raya", collection=own_collection,
                            file=ContentFile(b"%PDF-1.4", name="sktm-bungaraya.pdf"))
    Document.objects.create(title="Formulir SKTM Kerinci Kanan", collection=other_collection,
                            file=ContentFile(b"%PDF-1.4", name="sktm-kerinci.pdf"))
    other_image = get_image_model().objects.filter(collection=other_collection).get()

    images = editor_client.get("/admin/images/chooser/").content.decode()
    documents = editor_client.get("/admin/documents/chooser/").content.decode()

    assert "Lanskap Kampung Bunga Raya" in images
    assert other_image.title not in images
    assert "Formulir SKTM Bunga Raya" in documents
    assert "Formulir SKTM Kerinci Kanan" not in documents
    assert editor_client.get(f"/admin/images/{other_image.pk}/").status_code in (302, 403)


def test_village_editors_cannot_manage_users(editor_client):
    from django.urls import reverse

    for name in ("wagtailusers_users:index", "wagtailusers_users:add", "wagtailusers_groups:index"):
        url = reverse(name)
        response = editor_client.get(url)
        assert response.status_code in (302, 403), url


def test_two_editors_are_fenced_from_each_other(client, other_editor):
    client.force_login(other_editor)

    assert client.get(f"/admin/pages/{home(KERINCI_KANAN).pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{home(BUNGA_RAYA).pk}/edit/").status_code in (302, 403)


def test_the_regency_admin_sees_every_village(admin_client):
    from django.contrib.auth import get_user_model

    admin_client.force_login(get_user_model().objects.get(username="admin"))
    for code in (BUNGA_RAYA, KERINCI_KANAN):
        assert admin_client.get(f"/admin/pages/{home(code).pk}/edit/").status_code == 200
    assert admin_client.get("/admin/users/").status_code == 200
