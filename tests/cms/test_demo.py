import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from cms.demo import LOGINS
from cms.models import KampungHomePage, NewsPage, ServicePage
from shops.models import Bumkam, Producer

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Bumkam, Producer, Product, ProductImage, StockRecord, KampungHomePage, NewsPage, ServicePage)
    }


def test_the_demo_holds_at_least_20_selling_kampung_with_150_products():
    shops = Bumkam.objects.select_related("partner", "kampung")
    assert shops.count() >= 20
    assert Product.objects.count() >= 150
    for shop in shops:
        products = Product.objects.filter(stockrecords__partner=shop.partner)
        assert shop.is_selling, shop
        assert 3 <= products.count() <= 10, shop
        assert products.filter(is_flagship=True).count() == 1, f"{shop} needs one flagship"
        for product in products:
            record = product.stockrecords.get()
            assert record.price > 0 and record.price == int(record.price)
            assert record.num_in_stock > 0
            assert product.primary_image().original.name.endswith(".jpg")


def test_the_products_are_what_a_person_from_riau_recognises():
    titles = set(Product.objects.values_list("title", flat=True))
    for known in ("Keripik Nenas 200 g", "Madu Sialang 500 ml", "Ikan Salai Selais 250 g",
                  "Gula Aren Cetak 1 kg", "Kain Tenun Songket Siak", "Kopi Robusta Siak 250 g"):
        assert known in titles


def test_product_pictures_are_real_images_drawn_at_seed_time():
    from PIL import Image

    image = ProductImage.objects.first()
    with image.original.open("rb") as f, Image.open(f) as picture:
        assert picture.format == "JPEG"
        assert picture.size == (640, 640)
        assert len(picture.getcolors(maxcolors=100000)) > 50  # drawn, not a flat placeholder


def test_every_seeded_kampung_has_a_site_with_news_and_services():
    for shop in Bumkam.objects.select_related("kampung"):
        home = KampungHomePage.objects.get(kampung=shop.kampung)
        assert home.live and home.url == f"/kampung/{shop.kampung.slug}/"
        assert NewsPage.objects.live().descendant_of(home).count() >= 2
        assert ServicePage.objects.live().descendant_of(home).count() >= 2


def test_loading_the_demo_again_adds_nothing():
    before = counts()

    call_command("load_demo", verbosity=0)

    assert counts() == before


def test_demo_accounts_can_sign_in(client):
    for login in LOGINS:
        assert client.login(username=login.username, password=login.password), login.role
        client.logout()
