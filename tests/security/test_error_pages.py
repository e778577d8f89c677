"""Error pages speak Indonesian, fit a phone and carry the Content-Security-Policy."""

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_in_indonesian_with_the_policy(client):
    response = client.get("/toko/bukti-transfer/999999999/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman tidak ditemukan" in body and 'name="viewport"' in body
    assert "Not Found" not in body
    assert "script-src" in response["Content-Security-Policy"]


def test_a_nul_byte_answers_400_in_indonesian(client):
    response = client.get("/toko/search/?q=a%00b")

    assert response.status_code == 400
    assert "Bad Request" not in response.content.decode()


def test_a_manager_on_a_regency_page_is_refused_in_indonesian(client):
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))

    response = client.get("/toko/kelola/penyelesaian/?format=csv")

    assert response.status_code == 403
    body = response.content.decode()
    assert "Anda tidak berhak membuka halaman ini" in body and "Forbidden" not in body


def test_an_expired_form_says_so_in_indonesian():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/toko/accounts/login/", {"login-username": "a@b.test", "login-password": "x"})

    assert response.status_code == 403
    assert "Formulir ini sudah kedaluwarsa" in response.content.decode()


def test_the_server_error_page_needs_no_context_and_speaks_indonesian():
    html = render_to_string("500.html")

    assert "Maaf, terjadi kesalahan di server kami" in html and "Data yang sudah Anda simpan tetap aman" in html
