"""Every HTML page carries a strict Content-Security-Policy, whoever asks and whatever the status."""

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")

PUBLIC = ["/", "/kampung/bunga-raya/", "/kampung/bunga-raya/berita/", "/toko/catalogue/", "/toko/search/?q=madu",
          "/toko/basket/", "/toko/checkout/", "/toko/accounts/login/", "/halaman-yang-tidak-ada/",
          "/toko/catalogue/tidak-ada_999999/"]
MANAGER = ["/toko/kelola/produk/baru/", "/toko/kelola/produk/impor/", "/toko/kelola/toko/", "/toko/kelola/pesanan/",
           "/toko/dashboard/", "/toko/dashboard/catalogue/"]
ADMIN = ["/admin/", "/admin/pages/", "/toko/dashboard/catalogue/categories/", "/toko/kelola/transfer/",
         "/toko/kelola/penyelesaian/"]


def policy(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in (p.strip() for p in header.split(";")) if part}


def assert_strict(response, url):
    directives = policy(response)
    assert directives, f"{url} ({response.status_code}) has no Content-Security-Policy"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'", url
    assert directives["frame-ancestors"] == "'self'" and directives["form-action"] == "'self'", url
    if not url.startswith("/admin/"):
        assert "'unsafe-inline'" not in directives["script-src"], url
        assert "'unsafe-eval'" not in directives["script-src"], url


def visit(client, urls):
    for url in urls:
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            assert_strict(response, url)
        yield url, response


def test_anonymous_pages_and_error_pages_carry_the_policy(client):
    product = Product.objects.filter(is_public=True).first()

    statuses = dict(visit(client, [*PUBLIC, product.get_absolute_url()]))

    assert statuses["/halaman-yang-tidak-ada/"].status_code == 404
    assert statuses["/toko/catalogue/tidak-ada_999999/"].status_code == 404


def test_manager_pages_carry_the_policy(client):
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))

    for url, response in visit(client, MANAGER):
        assert response.status_code == 200, url


def test_admin_pages_carry_the_policy_and_only_wagtail_relaxes_inline_scripts(client):
    client.force_login(get_user_model().objects.get(username="admin"))

    responses = dict(visit(client, ADMIN))

    assert all(r.status_code == 200 for r in responses.values()), {u: r.status_code for u, r in responses.items()}
    assert "'unsafe-inline'" in policy(responses["/admin/"])["script-src"]
    assert "nonce-" not in policy(responses["/admin/"])["script-src"]  # a nonce would void 'unsafe-inline'


def test_an_inline_script_carries_the_nonce_of_its_response(manager):
    response = manager.get("/toko/dashboard/")  # Oscar's dashboard still starts its scripts inline

    nonce = policy(response)["script-src"].split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "onclick=" not in response.content.decode() and "onload=" not in response.content.decode()


def test_the_shops_public_pages_have_no_inline_script_and_no_nonce(client):
    """A page without a nonce can be stored whole for the next visitor (marketplace.page_cache)."""
    for url in ("/toko/catalogue/", "/toko/basket/", "/kampung/bunga-raya/"):
        response = client.get(url)
        assert "nonce-" not in policy(response)["script-src"], url
        assert "<script nonce=" not in response.content.decode() and "<script>" not in response.content.decode()
