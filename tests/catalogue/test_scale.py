"""`manage.py generate_catalogue`: a catalogue at scale for the search benchmark, believable
goods over the demo's shops and categories, and found by a search once it has run."""

import io

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from search.backends import ProductQuery, get_backend
from search.models import ProductDocument

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def test_generated_products_are_for_sale_in_the_demo_shops_and_found_by_a_search():
    before = Product.objects.count()

    call_command("generate_catalogue", products=400, seed=5, stdout=io.StringIO())

    records = StockRecord.objects.filter(partner_sku__contains="-skala-5-").select_related("product", "partner")
    products = Product.objects.filter(stockrecords__in=records)
    assert Product.objects.count() == before + 400 == products.count() + before
    assert ProductCategory.objects.filter(product__in=products).count() == 400
    assert len({record.partner_id for record in records}) > 10  # spread over the demo's shops
    assert ProductCategory.objects.filter(product__in=products).values("category").distinct().count() > 10
    assert 0 < records.filter(num_in_stock=0).count() < 100  # some sold out
    assert 0 < products.exclude(halal_number="").count() < 400
    assert 0 < products.exclude(pirt_number="").count() < 400
    assert len(set(products.values_list("title", flat=True))) > 100
    assert ProductDocument.objects.filter(product__in=products).count() == 400  # the index was rebuilt

    record = records.filter(num_in_stock__gt=0).order_by("pk").last()
    shop = record.partner.bumkam
    found = get_backend().search_products(
        ProductQuery(text=record.product.title, kampung_slug=shop.kampung.slug), limit=100)
    assert record.product in found.products


def test_a_second_run_with_the_same_numbers_adds_nothing():
    call_command("generate_catalogue", products=50, seed=6, stdout=io.StringIO())
    count = Product.objects.count()

    call_command("generate_catalogue", products=50, seed=6, stdout=io.StringIO())

    assert Product.objects.count() == count


def test_generated_products_get_a_photo_of_their_own_with_its_renditions_ready():
    from oscar.core.thumbnails import get_thumbnailer
    from sorl.thumbnail.models import KVStore

    from marketplace.catalogue.scale import RENDITIONS, catalogue_generate, photos_generate

    ProductImage = get_model("catalogue", "ProductImage")
    catalogue_generate(products=20, seed=7)

    assert photos_generate(seed=7) == 20
    assert photos_generate(seed=7) == 0  # nothing twice

    images = list(ProductImage.objects.filter(product__stockrecords__partner_sku__contains="-skala-7-"))
    assert len(images) == 20 and len({image.original.name for image in images}) == 20
    stored = KVStore.objects.count()
    for image in images[:3]:
        for size, options in RENDITIONS:  # what a page asks for is found, not made
            thumbnail = get_thumbnailer().generate_thumbnail(image.original, size=size, **options)
            assert thumbnail.exists() and max(thumbnail.size) <= max(map(int, size.split("x")))
    assert KVStore.objects.count() == stored


def test_a_demo_photo_whose_file_is_gone_is_not_used_for_generated_products():
    """A browser test may replace a demo photo (its file deleted after the commit) before the
    benchmark's small run borrows the demo's photos."""
    from marketplace.catalogue.scale import catalogue_generate, photos_generate

    ProductImage = get_model("catalogue", "ProductImage")
    demo = ProductImage.objects.select_related("product").first().product
    ProductImage.objects.create(product=demo, original="images/products/hilang.jpg", display_order=9)
    catalogue_generate(products=5, seed=8)

    assert photos_generate(seed=8) == 5
    linked = ProductImage.objects.filter(product__stockrecords__partner_sku__contains="-skala-8-")
    assert all(image.original.storage.exists(image.original.name) for image in linked)
