"""A product photo's file outlives its row until the deletion commits."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from oscar.core.loading import get_model

from shops.models import Bumkam
from tests import factories
from tests.factories.uploads import image_bytes

ProductImage = get_model("catalogue", "ProductImage")
pytestmark = pytest.mark.django_db


def photographed_product():
    product = factories.product(bumkam=Bumkam.objects.get(kampung__code="14.08.08.2001"))
    image = ProductImage(product=product, caption=product.title, display_order=0)
    image.original.save("uji.png", ContentFile(image_bytes()), save=True)
    return image


def test_a_photo_deleted_in_a_transaction_that_rolls_back_keeps_its_file(django_capture_on_commit_callbacks):
    image = photographed_product()
    name = image.original.name

    with django_capture_on_commit_callbacks(execute=False):  # the transaction never commits
        image.delete()

    assert default_storage.exists(name)
    default_storage.delete(name)


def test_a_photo_deleted_for_good_takes_its_file_with_it(django_capture_on_commit_callbacks):
    image = photographed_product()
    name = image.original.name

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert not default_storage.exists(name)
