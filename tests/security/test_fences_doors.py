"""The doors the attacker found open, each closed, and the owner still let in."""

import json

import pytest
from django.contrib.auth import get_user_model

from .fences_world import SECRET, build_village_b

pytestmark = pytest.mark.django_db


@pytest.fixture
def b():
    return build_village_b()


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_a_manager_looks_up_only_their_own_shops_products_but_the_regency_all(client, b):
    b.product.is_public = True  # the lookup offers only public products, even to the regency
    b.product.save(update_fields=["is_public"])
    login(client, "pengelola.bungaraya")

    looked_up = client.get("/toko/dashboard/catalogue/product-lookup/", {"q": "Rahasia"})
    own = client.get("/toko/dashboard/catalogue/product-lookup/", {"q": "Beras"})

    assert looked_up.status_code == 200
    assert SECRET not in looked_up.content.decode()
    assert "Beras" in own.content.decode()
    login(client, "admin")
    assert f"Produk {SECRET}" in client.get("/toko/dashboard/catalogue/product-lookup/", {"q": "Rahasia"}).content.decode()


def test_a_manager_still_lists_and_opens_only_their_own_products(client, b):
    login(client, "pengelola.bungaraya")

    listing = client.get("/toko/dashboard/catalogue/")
    other = client.get(f"/toko/dashboard/catalogue/products/{b.product.pk}/")

    assert listing.status_code == 200
    assert "Beras" in listing.content.decode()  # Bunga Raya's rice
    assert SECRET not in listing.content.decode()
    assert other.status_code in (302, 403, 404)


def test_the_admin_api_gives_an_editor_only_their_villages_images_and_documents(client, b):
    login(client, "editor.bungaraya")

    images = json.loads(client.get("/admin/api/main/images/").content)
    documents = json.loads(client.get("/admin/api/main/documents/").content)

    assert [i["title"] for i in images["items"]] == ["Lanskap Kampung Bunga Raya"]
    assert all(SECRET not in d["title"] for d in documents["items"])
    assert client.get(f"/admin/api/main/images/{b.image.pk}/").status_code == 404
    assert client.get(f"/admin/api/main/documents/{b.document.pk}/").status_code == 404


def test_the_admin_api_gives_the_regency_every_village(client, b):
    login(client, "admin")

    titles = [d["title"] for d in json.loads(client.get("/admin/api/main/documents/").content)["items"]]

    assert f"Dokumen {SECRET}" in titles


def test_a_bulk_action_on_another_villages_pages_names_none_of_them_and_does_nothing(client, b):
    login(client, "editor.bungaraya")
    url = f"/admin/bulk/wagtailcore/page/delete/?id={b.draft.pk}&id={b.home.pk}"

    shown = client.get(url)
    posted = client.post(url)

    assert SECRET not in shown.content.decode()
    assert b.home.title not in shown.content.decode()
    assert posted.status_code in (200, 302, 403)
    b.draft.refresh_from_db()  # still there
