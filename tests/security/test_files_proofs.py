"""Transfer proofs: hostile uploads refused or made inert, the file private to the buyer,
the checkout's shops and the regency admin, and no uploads once the checkout is closed."""

import importlib
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.utils import timezone
from PIL import Image

from marketplace.constants import CheckoutStatus
from marketplace.checkout.models import Checkout
from tests.factories.uploads import (
    SCRIPT,
    SVG,
    bomb_png,
    image_bytes,
    jpeg_with_exif,
    pdf_bytes,
    truncated_jpeg,
    upload,
    zip_bytes,
)
from tests.marketplace.test_buying import checkout_data, fill_basket, place_through_review

pytestmark = pytest.mark.django_db
RANDOM_PROOF = re.compile(r"^bukti-transfer/[0-9a-f]{32}\.(png|jpg|webp|pdf)$")
ANY_OF = "Kirim foto JPEG, PNG atau WebP, atau berkas PDF."


@pytest.fixture(autouse=True)
def file_roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings


@pytest.fixture
def buyer(client):
    """A guest who has placed a bank-transfer checkout in this browser; its page's address."""
    honey, rice = fill_basket(client)
    url = place_through_review(client, checkout_data(honey, rice))["Location"]
    client.checkout = Checkout.objects.get(reference=url.strip("/").split("/")[-1])
    client.url = url
    return client


def proof_url(checkout):
    return f"/toko/bukti-transfer/{checkout.pk}/"


def files_under(root) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


def login(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_a_proof_is_kept_privately_under_a_random_name_without_metadata_or_trailer(buyer, file_roots):
    photo = jpeg_with_exif() + b"<script>alert(1)</script>"

    response = buyer.post(buyer.url, {"proof": upload("../../etc/bukti\x00.html.jpg", photo, "image/jpeg")})

    assert response.status_code == 302
    buyer.checkout.refresh_from_db()
    name = buyer.checkout.payment_proof.name
    assert RANDOM_PROOF.match(name) and "bukti" not in name.split("/")[-1]
    stored = Path(file_roots.PRIVATE_MEDIA_ROOT) / name
    assert stored.is_file()
    assert files_under(file_roots.MEDIA_ROOT) == []  # nothing of the buyer's under public media
    content = stored.read_bytes()
    assert b"<script" not in content and b"KameraRahasia" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (200, 300)  # the EXIF orientation applied, then dropped
        assert not image.getexif()


@pytest.mark.parametrize("name, content, content_type, message", [
    ("bukti.pdf", SCRIPT, "application/pdf", ANY_OF),
    ("bukti.html", SCRIPT, "text/html", ANY_OF),
    ("bukti.svg", SVG, "image/svg+xml", ANY_OF),
    ("bukti.zip", zip_bytes(), "application/zip", ANY_OF),
    ("bukti.pdf", b"%PDF-1.7\n" + SCRIPT, "application/pdf", "Berkas PDF ini rusak atau tidak bisa dibaca."),
    ("bukti.gif", image_bytes("GIF"), "image/gif", "Foto harus JPEG, PNG atau WebP, bukan GIF."),
    ("bom.png", bomb_png(), "image/png", "paling banyak 25 megapiksel"),
    ("terpotong.jpg", truncated_jpeg(), "image/jpeg", ANY_OF),
    ("kosong.png", b"", "image/png", "kosong"),
    ("besar.png", b"\x89PNG" + b"\0" * (6 * 1024 * 1024), "image/png", "paling banyak 5 MB"),
])
def test_hostile_proofs_are_refused_with_a_clear_message(buyer, file_roots, name, content, content_type, message):
    response = buyer.post(buyer.url, {"proof": upload(name, content, content_type)})

    assert response.status_code == 400
    assert message in response.content.decode()
    buyer.checkout.refresh_from_db()
    assert not buyer.checkout.payment_proof
    assert files_under(file_roots.PRIVATE_MEDIA_ROOT) == [] and files_under(file_roots.MEDIA_ROOT) == []


def test_a_pdf_carrying_html_is_served_only_as_a_pdf_download(buyer):
    polyglot = pdf_bytes(trailer=b"\n" + SCRIPT)

    buyer.post(buyer.url, {"proof": upload("bukti.html", polyglot, "text/html")})
    response = buyer.get(proof_url(buyer.checkout))

    buyer.checkout.refresh_from_db()
    assert buyer.checkout.payment_proof.name.endswith(".pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_photo_proof_is_served_inline_as_the_image_it_is(buyer):
    buyer.post(buyer.url, {"proof": upload("bukti.pdf", image_bytes("PNG"), "application/pdf")})

    response = buyer.get(proof_url(buyer.checkout))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.format == "PNG"


@pytest.mark.parametrize("username", [None, "pembeli.lain", "pengelola.kerincikanan", "editor.bungaraya"])
def test_a_proof_is_hidden_from_everyone_else(buyer, username):
    buyer.post(buyer.url, {"proof": upload("bukti.png", image_bytes("PNG"), "image/png")})
    if username == "pembeli.lain":  # another buyer, signed in, with a checkout of their own
        get_user_model().objects.create_user("pembeli.lain", "lain@example.test", "rahasia-lain")
    other = login(username) if username else Client()

    response = other.get(proof_url(buyer.checkout))

    assert response.status_code == 404
    assert b"PNG" not in response.content


@pytest.mark.parametrize("username", ["pengelola.bungaraya", "admin"])
def test_the_checkouts_shop_manager_and_the_regency_admin_see_the_proof(buyer, username):
    buyer.post(buyer.url, {"proof": upload("bukti.png", image_bytes("PNG"), "image/png")})

    response = login(username).get(proof_url(buyer.checkout))

    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_the_admins_transfer_page_links_the_private_view_not_media(buyer):
    buyer.post(buyer.url, {"proof": upload("bukti.png", image_bytes("PNG"), "image/png")})

    html = login("admin").get("/toko/kelola/transfer/").content.decode()

    assert f'href="{proof_url(buyer.checkout)}"' in html
    assert "/media/" not in html and buyer.checkout.reference in html


def test_the_buyer_opening_the_checkout_in_another_browser_sees_the_proof(buyer):
    buyer.post(buyer.url, {"proof": upload("bukti.png", image_bytes("PNG"), "image/png")})
    phone = Client()

    before = phone.get(proof_url(buyer.checkout))
    phone.get(buyer.url)  # the link from the order e-mail: the reference is the key
    after = phone.get(proof_url(buyer.checkout))

    assert before.status_code == 404 and after.status_code == 200


@pytest.mark.parametrize("change", [
    {"status": CheckoutStatus.PAID},
    {"status": CheckoutStatus.EXPIRED},
    {"expires_at": timezone.now() - timezone.timedelta(minutes=1)},
])
def test_a_closed_checkout_takes_no_proof(buyer, file_roots, change):
    Checkout.objects.filter(pk=buyer.checkout.pk).update(**change)

    response = buyer.post(buyer.url, {"proof": upload("bukti.png", image_bytes("PNG"), "image/png")})

    assert response.status_code == 400
    assert "bukti transfer tidak diterima lagi" in response.content.decode()
    buyer.checkout.refresh_from_db()
    assert not buyer.checkout.payment_proof and files_under(file_roots.PRIVATE_MEDIA_ROOT) == []


def test_a_replaced_proof_is_deleted(buyer, file_roots, django_capture_on_commit_callbacks):
    buyer.post(buyer.url, {"proof": upload("satu.png", image_bytes("PNG"), "image/png")})
    buyer.checkout.refresh_from_db()
    first = Path(file_roots.PRIVATE_MEDIA_ROOT) / buyer.checkout.payment_proof.name

    with django_capture_on_commit_callbacks(execute=True):
        response = buyer.post(buyer.url, {"proof": upload("dua.jpg", image_bytes("JPEG"), "image/jpeg")})

    buyer.checkout.refresh_from_db()
    assert response.status_code == 302
    assert not first.exists()
    assert files_under(file_roots.PRIVATE_MEDIA_ROOT) == [
        Path(file_roots.PRIVATE_MEDIA_ROOT) / buyer.checkout.payment_proof.name]


def test_too_many_proofs_for_one_checkout_get_429(buyer, settings):
    settings.PROOF_UPLOADS_PER_HOUR_PER_CHECKOUT = 5
    statuses = [buyer.post(buyer.url, {"proof": upload("bukti.png", image_bytes("PNG"), "image/png")}).status_code
                for _ in range(5)]

    response = buyer.post(buyer.url, {"proof": upload("bukti.png", image_bytes("PNG"), "image/png")})

    assert statuses == [302] * 5
    assert response.status_code == 429
    assert "Terlalu banyak unggahan bukti transfer" in response.content.decode()


def test_too_many_proofs_from_one_address_get_429_even_refused_ones(buyer, settings):
    settings.PROOF_UPLOADS_PER_HOUR_PER_IP = 3
    for _ in range(3):
        buyer.post(buyer.url, {"proof": upload("bukti.html", SCRIPT, "text/html")})

    response = buyer.post(buyer.url, {"proof": upload("bukti.png", image_bytes("PNG"), "image/png")})

    assert response.status_code == 429
    buyer.checkout.refresh_from_db()
    assert not buyer.checkout.payment_proof


def test_the_migration_moves_public_proofs_into_private_storage(buyer, file_roots, django_capture_on_commit_callbacks):
    from django.apps import apps

    second = Client()
    honey, rice = fill_basket(second)
    place_through_review(second, checkout_data(honey, rice, email="kedua@example.test"))
    other = Checkout.objects.get(email="kedua@example.test")
    public = FileSystemStorage(location=file_roots.MEDIA_ROOT)
    Checkout.objects.filter(pk=buyer.checkout.pk).update(
        payment_proof=public.save("bukti-transfer/2025/01/foto.png", io.BytesIO(image_bytes("PNG"))))
    Checkout.objects.filter(pk=other.pk).update(
        payment_proof=public.save("bukti-transfer/2025/01/serangan.html", io.BytesIO(SCRIPT)))
    migration = importlib.import_module("marketplace.migrations.0008_files_private_payment_proofs")

    with django_capture_on_commit_callbacks(execute=True):
        migration.move_proofs_to_private_storage(apps, None)

    buyer.checkout.refresh_from_db()
    other.refresh_from_db()
    assert files_under(file_roots.MEDIA_ROOT) == []
    assert RANDOM_PROOF.match(buyer.checkout.payment_proof.name)
    assert (Path(file_roots.PRIVATE_MEDIA_ROOT) / buyer.checkout.payment_proof.name).is_file()
    assert re.match(r"^bukti-transfer/[0-9a-f]{32}\.bin$", other.payment_proof.name)
    response = login("admin").get(proof_url(other))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_refused_files_do_not_use_up_the_checkouts_own_uploads(buyer, settings):
    settings.PROOF_UPLOADS_PER_HOUR_PER_CHECKOUT = 2
    for _ in range(4):
        assert buyer.post(buyer.url, {"proof": upload("bukti.html", SCRIPT, "text/html")}).status_code == 400

    response = buyer.post(buyer.url, {"proof": upload("bukti.png", image_bytes("PNG"), "image/png")})

    assert response.status_code == 302
    buyer.checkout.refresh_from_db()
    assert buyer.checkout.payment_proof
