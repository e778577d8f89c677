"""Managers file goods under the regency's category tree; a name without a slug is refused."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")


def category_form(client, **values):
    """Oscar's dashboard form for a new category as the admin's browser would send it."""
    from wagtail.test.utils.form_data import querydict_from_html

    html = client.get("/toko/dashboard/catalogue/categories/create/").content.decode()
    data = querydict_from_html(html, form_id="create_update_category_form")
    for name, value in values.items():
        data[name] = value
    return data


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize("name", ["!!!", " > ", "---", "★★★", "...", "@#$%"])
def test_a_symbol_only_category_in_the_import_is_a_row_error_naming_the_line(client, name):
    login(client, "pengelola.bungaraya")
    count = Category.objects.count()
    csv = f"judul,kategori,harga,stok,berat_gram\nKue Bangkit,Minuman > Kopi,20000,5,250\nKue Rusak,\"{name}\",20000,5,250\n"

    response = client.post("/toko/kelola/produk/impor/", {
        "spreadsheet": SimpleUploadedFile("produk.csv", csv.encode(), content_type="text/csv")})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Baris 3:" in html and ("huruf atau angka" in html or "tidak boleh kosong" in html)
    assert Category.objects.count() == count and not Product.objects.filter(title="Kue Bangkit").exists()


def test_an_unknown_category_in_the_import_is_a_row_error_not_a_new_category(client):
    login(client, "pengelola.bungaraya")
    count = Category.objects.count()
    csv = "judul,kategori,harga,stok,berat_gram\nKue Bangkit,Kue kering > Bangkit,20000,5,250\n"

    response = client.post("/toko/kelola/produk/impor/", {
        "spreadsheet": SimpleUploadedFile("produk.csv", csv.encode(), content_type="text/csv")})

    assert response.status_code == 400
    assert "Baris 2: kategori \u201cKue kering &gt; Bangkit\u201d tidak ada dalam daftar kategori kabupaten" in \
        response.content.decode()
    assert Category.objects.count() == count


def test_the_import_finds_a_category_by_its_path_or_its_unique_name_whatever_the_case(client):
    login(client, "pengelola.bungaraya")
    csv = "judul,kategori,harga,stok,berat_gram\nKopi A,minuman >  KOPI,20000,5,250\nKopi B,Kopi,20000,5,250\n"

    response = client.post("/toko/kelola/produk/impor/", {
        "spreadsheet": SimpleUploadedFile("produk.csv", csv.encode(), content_type="text/csv")})

    assert response.status_code == 302
    assert {c.name for p in Product.objects.filter(title__in=["Kopi A", "Kopi B"]) for c in p.categories.all()} == {"Kopi"}


def test_the_product_form_offers_only_existing_categories(client):
    login(client, "pengelola.bungaraya")
    count = Category.objects.count()

    page = client.get("/toko/kelola/produk/baru/").content.decode()
    response = client.post("/toko/kelola/produk/baru/", {
        "title": "Kue", "category": "!!!", "price": "20000", "stock": "1", "weight_grams": "100"})

    assert "Minuman &gt; Kopi" in page
    assert response.status_code == 400 and "Pilih kategori dari daftar." in response.content.decode()
    assert Category.objects.count() == count


def test_a_manager_cannot_create_categories_in_oscars_dashboard(client):
    login(client, "pengelola.bungaraya")
    count = Category.objects.count()

    page = client.get("/toko/dashboard/catalogue/categories/create/")
    post = client.post("/toko/dashboard/catalogue/categories/create/", {"name": "Kategori Liar", "_position": "first-child"})

    assert page.status_code in (302, 403) and post.status_code in (302, 403)
    assert Category.objects.count() == count


def test_the_regency_admin_is_refused_a_symbol_only_category_with_a_message(client):
    login(client, "admin")
    count = Category.objects.count()

    response = client.post("/toko/dashboard/catalogue/categories/create/", category_form(client, name="!!!"))

    assert response.status_code == 200
    assert "harus memuat huruf atau angka" in response.content.decode()
    assert Category.objects.count() == count


def test_the_regency_admin_adds_a_category_in_the_dashboard(client):
    login(client, "admin")

    response = client.post("/toko/dashboard/catalogue/categories/create/",
                           category_form(client, name="Kain Tenun Siak", description="<p onclick=alert(1)>Anyaman</p>"))

    assert response.status_code == 302, response.content.decode()[-3000:]
    category = Category.objects.get(name="Kain Tenun Siak")
    assert category.slug == "kain-tenun-siak" and category.description == "<p>Anyaman</p>"


def test_a_service_refuses_managers_and_symbol_names():
    from django.core.exceptions import PermissionDenied, ValidationError

    from marketplace.catalogue.services import category_ensure

    with pytest.raises(PermissionDenied):
        category_ensure(breadcrumb="Kerajinan", acting_user=get_user_model().objects.get(username="pengelola.bungaraya"))
    with pytest.raises(ValidationError, match="huruf atau angka"):
        category_ensure(breadcrumb="Kerajinan > ***", acting_user=get_user_model().objects.get(username="admin"))
    with pytest.raises(ValidationError):
        Category.add_root(name="%%%")


def test_a_category_left_with_an_empty_slug_breaks_no_page(client):
    import importlib

    from django.apps import apps
    from django.core.cache import cache

    category = Category.objects.get(name="Kopi")
    Category.objects.filter(pk=category.pk).update(slug="")  # as an old symbol-only category was stored
    cache.clear()
    urls = ["/", "/kampung/bunga-raya/", "/toko/", "/toko/search/?q=kopi", "/toko/catalogue/",
            Product.objects.filter(categories=category).first().get_absolute_url()]

    for url in urls:
        assert client.get(url, follow=True).status_code == 200, url
    category.refresh_from_db()
    assert client.get(category.get_absolute_url()).status_code == 200

    importlib.import_module("marketplace.oscar.catalogue.migrations.0034_content_clean_descriptions_and_slugs") \
        .clean_existing(apps, None)
    assert Category.objects.get(pk=category.pk).slug == f"kategori-{category.pk}"
