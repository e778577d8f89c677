"""Product photos and Wagtail images: checked by what they contain, re-encoded, named at
random with their real format's extension; a broken image is a form error, never a 500."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from oscar.core.loading import get_class, get_model
from PIL import Image

from tests.factories.uploads import SCRIPT, bomb_png, image_bytes, jpeg_with_exif, truncated_jpeg, upload
from tests.marketplace.test_listing import listing

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
RANDOM_IMAGE = re.compile(r"[0-9a-f]{32}\.(jpg|png|webp)$")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def manager(client):
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))
    return client


@pytest.fixture
def admin(client):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def stored_image(field_file):
    field_file.open("rb")
    try:
        content = field_file.read()
    finally:
        field_file.close()
    return content, Image.open(io.BytesIO(content))


def test_a_product_photo_is_re_encoded_upright_without_metadata_under_a_random_name(manager):
    photo = jpeg_with_exif() + SCRIPT

    response = manager.post("/toko/kelola/produk/baru/", listing(image=upload("../dodol<x>.html.jpg", photo, "image/jpeg")))

    assert response.status_code == 302
    original = Product.objects.get(title="Dodol Ketan 300 g").primary_image().original
    assert RANDOM_IMAGE.search(original.name) and original.name.endswith(".jpg")
    content, image = stored_image(original)
    assert image.format == "JPEG" and image.size == (200, 300)
    assert not image.getexif() and b"KameraRahasia" not in content and b"<script" not in content


def test_a_photo_takes_the_extension_of_its_real_format(manager):
    response = manager.post("/toko/kelola/produk/baru/", listing(
        image=upload("dodol.jpg", image_bytes("PNG", (400, 400)), "image/jpeg")))

    assert response.status_code == 302
    name = Product.objects.get(title="Dodol Ketan 300 g").primary_image().original.name
    assert name.endswith(".png") and RANDOM_IMAGE.search(name)


@pytest.mark.parametrize("content, message", [
    (truncated_jpeg(), "bukan foto yang bisa dibaca"),
    (bomb_png(), "25 megapiksel"),
    (SCRIPT, "bukan foto yang bisa dibaca"),
])
def test_a_broken_product_photo_is_a_form_error(manager, content, message):
    count = Product.objects.count()

    response = manager.post("/toko/kelola/produk/baru/", listing(image=upload("dodol.jpg", content, "image/jpeg")))

    assert response.status_code == 400 and message in response.content.decode()
    assert Product.objects.count() == count


def test_the_oscar_dashboard_image_form_goes_through_the_same_door():
    ProductImageForm = get_class("dashboard.catalogue.forms", "ProductImageForm")
    product = Product.objects.filter(images__isnull=True).first() or Product.objects.first()

    def form(name, content):
        return ProductImageForm(data={"images-9-product": product.pk, "images-9-display_order": 9,
                                      "images-9-caption": ""},
                                files={"images-9-original": upload(name, content, "image/jpeg")},
                                prefix="images-9")

    truncated, photo = form("rusak.jpg", truncated_jpeg()), form("foto.jpg", jpeg_with_exif((400, 300)) + SCRIPT)

    assert not truncated.is_valid() and "original" in truncated.errors
    assert photo.is_valid(), photo.errors
    saved = photo.save()
    assert RANDOM_IMAGE.search(saved.original.name) and saved.original.name.endswith(".jpg")
    content, image = stored_image(saved.original)
    assert image.size == (300, 400) and not image.getexif() and b"<script" not in content


def test_a_product_image_saved_by_code_is_checked_too():
    product = Product.objects.first()

    with pytest.raises(ValidationError):
        ProductImage.objects.create(product=product, original=ContentFile(SCRIPT, name="x.jpg"), display_order=7)
    image = ProductImage.objects.create(product=product, display_order=8,
                                        original=ContentFile(image_bytes("WEBP", (300, 300)), name="foto.html"))

    assert image.original.name.endswith(".webp") and RANDOM_IMAGE.search(image.original.name)


def test_a_shop_logo_is_re_encoded_under_a_random_name(manager):
    from shops.models import Bumkam

    bumkam = Bumkam.objects.get(managers__username="pengelola.bungaraya")
    data = {"story": "Beras kampung", "whatsapp": "", "pickup_address": "Kantor kampung", "allows_pickup": "on",
            "bank_name": bumkam.bank_name, "bank_account_number": bumkam.bank_account_number,
            "bank_account_holder": bumkam.bank_account_holder}

    response = manager.post("/toko/kelola/toko/", {**data, "logo": upload("logo.jpg", image_bytes("PNG", (300, 300)),
                                                                           "image/jpeg")})

    assert response.status_code == 302, re.findall(r'class="(?:text-danger|alert alert-danger)">([^<]*)', response.content.decode())
    bumkam.refresh_from_db()
    assert bumkam.logo.name.startswith("bumkam/logo/") and RANDOM_IMAGE.search(bumkam.logo.name)
    assert bumkam.logo.name.endswith(".png")  # named by what it is, not by what it was called


# --- Wagtail's image upload ----------------------------------------------------------


def root_collection():
    from wagtail.models import Collection

    return Collection.get_first_root_node().pk


@pytest.mark.parametrize("content, messages", [
    (truncated_jpeg(), ["rusak atau terpotong"]),
    (bomb_png(), ["piksel", "pixels"]),
], ids=["truncated", "bomb"])
def test_a_broken_image_in_wagtails_upload_is_a_form_error(admin, content, messages):
    from wagtail.images.models import Image as WagtailImage

    count = WagtailImage.objects.count()

    response = admin.post("/admin/images/add/", {"title": "Rusak", "collection": root_collection(),
                                                 "file": upload("rusak.jpg", content, "image/jpeg")})

    assert response.status_code in (200, 400)
    assert any(message in response.content.decode() for message in messages)
    assert WagtailImage.objects.count() == count


@pytest.mark.parametrize("content", [truncated_jpeg(), bomb_png()], ids=["truncated", "bomb"])
def test_a_broken_image_in_wagtails_multiple_upload_is_refused(admin, content):
    from wagtail.images.models import Image as WagtailImage

    count = WagtailImage.objects.count()

    response = admin.post("/admin/images/multiple/add/", {"collection": root_collection(),
                                                          "files[]": upload("rusak.jpg", content, "image/jpeg")})

    assert response.status_code == 200
    assert response.json()["success"] is False and response.json()["error_message"]
    assert WagtailImage.objects.count() == count


def test_a_good_image_still_uploads_to_wagtail(admin):
    from wagtail.images.models import Image as WagtailImage

    response = admin.post("/admin/images/multiple/add/", {"collection": root_collection(),
                                                          "files[]": upload("sawah.jpg", image_bytes("JPEG"), "image/jpeg")})

    assert response.status_code == 200 and response.json()["success"] is True
    assert WagtailImage.objects.filter(title="sawah.jpg").exists()
