"""Mail to an address typed by an anonymous visitor: no account enumeration, and a limit
per address and per client."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
REFUSED = "Tidak ada e-mail yang dikirim"


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """Posts the registration form; its mail leaves on commit, as in a real request."""
    def post(client, email, ip="10.2.2.2"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/toko/accounts/login/", {
                "registration-email": email, "registration-password1": "sandi-baru-kuat-2026",
                "registration-password2": "sandi-baru-kuat-2026", "registration-redirect_url": "",
                "registration_submit": "Daftar",
            }, REMOTE_ADDR=ip, follow=True)
    return post


def visible(response):
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r"<script.*?</script>", "", html, flags=re.S)


def test_registration_answers_alike_for_a_taken_and_a_new_address(register):
    from django.test import Client

    taken = register(Client(), "admin@siakkab.test")
    new = register(Client(), "warga.baru@example.test")

    assert taken.status_code == new.status_code == 200
    assert taken.redirect_chain == new.redirect_chain
    assert visible(taken) == visible(new)
    assert "Periksa e-mail Anda untuk melanjutkan" in visible(new)
    assert "already exists" not in visible(taken) and "sudah terdaftar" not in visible(taken)


def test_the_owner_of_a_taken_address_is_told_and_nothing_changes(client, register):
    admin = get_user_model().objects.get(email="admin@siakkab.test")
    before = admin.password

    register(client, "ADMIN@siakkab.test")

    admin.refresh_from_db()
    assert admin.password == before and admin.is_active
    assert get_user_model().objects.filter(email__iexact="admin@siakkab.test").count() == 1
    assert not client.session.get("_auth_user_id")
    [message] = mail.outbox
    assert message.to == ["admin@siakkab.test"]
    assert "sudah punya akun" in message.body


def test_a_new_address_confirms_by_mail_and_then_can_sign_in(client, settings, register):
    register(client, "warga.baru@example.test")

    user = get_user_model().objects.get(email="warga.baru@example.test")
    assert not user.is_active and not client.session.get("_auth_user_id")
    [message] = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(settings.SITE_URL + "/toko/accounts/aktifkan/")

    response = client.get(link.removeprefix(settings.SITE_URL))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active and client.session["_auth_user_id"] == str(user.pk)
    assert client.get(link.removeprefix(settings.SITE_URL)).status_code == 400  # used once


def test_registration_mail_is_limited_per_address(client, register):
    for _ in range(3):
        assert register(client, "sasaran@example.test", ip="10.2.2.3").status_code == 200
    sent = len(mail.outbox)

    response = register(client, "sasaran@example.test", ip="10.2.2.4")

    assert response.status_code == 429
    assert REFUSED in response.content.decode()
    assert len(mail.outbox) == sent


def alert(client, product, email, ip="10.3.3.3"):
    """Oscar's alert mail goes through the outbox, delivered once the request's work commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/toko/accounts/alerts/create/{product.pk}/", {"email": email}, REMOTE_ADDR=ip)


def test_the_fourth_stock_alert_to_one_address_within_the_hour_is_refused(client):
    products = list(Product.objects.filter(is_public=True).order_by("pk")[:4])
    for product in products[:3]:
        assert alert(client, product, "korban@example.test").status_code != 429
    sent = len(mail.outbox)
    assert sent == 1  # Oscar itself mails no more until the first alert is confirmed

    response = alert(client, products[3], "korban@example.test", ip="10.3.3.4")

    assert response.status_code == 429
    assert REFUSED in response.content.decode()
    assert len(mail.outbox) == sent


def test_stock_alerts_from_one_client_are_limited_whatever_the_address(client):
    product = Product.objects.filter(is_public=True).order_by("pk").first()
    for number in range(20):
        assert alert(client, product, f"orang{number}@example.test").status_code == 302
    assert len(mail.outbox) == 20

    response = alert(client, product, "orang20@example.test")

    assert response.status_code == 429
    assert len(mail.outbox) == 20
    assert alert(client, product, "orang21@example.test", ip="10.3.3.9").status_code == 302


def reset(client, email, ip="10.4.4.4"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/toko/password-reset/", {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_is_limited_per_address_whether_or_not_it_has_an_account(client):
    for email in ("admin@siakkab.test", "tidak.ada@example.test"):
        for _ in range(3):
            assert reset(client, email).status_code == 302
        sent = len(mail.outbox)

        response = reset(client, email, ip="10.4.4.5")

        assert response.status_code == 429
        assert len(mail.outbox) == sent
    assert len(mail.outbox) == 3  # only the address with an account got mail


@pytest.fixture
def public_https_site(settings):
    """Production's address; the Django Site's in-process cache must not outlive the test."""
    from django.contrib.sites.models import Site

    from marketplace.sites import sites_configure

    settings.SITE_URL = "https://pasar.siakkab.go.id"
    settings.OSCAR_URL_SCHEMA = "https"
    sites_configure()
    yield
    Site.objects.clear_cache()


def test_password_reset_links_to_the_public_https_address(client, public_https_site):
    reset(client, "admin@siakkab.test")

    [message] = mail.outbox
    links = re.findall(r"https?://[^\s\"'<>]+", message.body)
    assert links and all(link.startswith("https://pasar.siakkab.go.id/") for link in links)
    assert "/toko/password-reset/confirm/" in links[0]
    assert "example.com" not in message.body and "localhost" not in message.body


def test_a_stock_alert_mail_escapes_the_title_a_manager_wrote_and_speaks_indonesian(client):
    product = Product.objects.filter(is_public=True).order_by("pk").first()
    Product.objects.filter(pk=product.pk).update(
        title='Madu <a href="http://phish.example/login">Menangkan hadiah</a><img src="http://track.example/p.gif">')

    alert(client, product, "pembaca@example.test", ip="10.3.3.9")

    message = mail.outbox[-1]
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    assert '<a href="http://phish.example' not in html and "<img" not in html
    assert "&lt;a href=" in html
    assert "Pastikan pemberitahuan stok" in message.subject
    assert "Seseorang (semoga Anda sendiri)" in message.body
