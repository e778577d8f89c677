"""One menu, a basket that tells the truth, Indonesian flash and error pages, and the compiled
catalogue that Django reads being the one in the .po."""

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
HONEY, RICE = "14.08.06.2001-madu-sialang", "14.08.08.2001-beras"


def product(sku):
    return Product.objects.get(stockrecords__partner_sku=sku)


def header(html):
    return html[html.index('<header class="site-header">'):html.index("</header>")]


def menu_links(html):
    return re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', header(html))


def test_a_manager_has_one_menu_with_each_entry_once(client):
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))

    for path in ("/", "/kampung/bunga-raya/", "/toko/catalogue/", "/toko/basket/"):
        html = client.get(path).content.decode()
        labels = [label.strip() for _, label in menu_links(html)]
        assert html.count("<summary") - html.count('class="facet-filters') == 1, path  # one menu button
        assert "navbar-toggler" not in html, path
        assert len(labels) == len(set(labels)), f"{path}: {labels}"
        for label in ("Beranda", "Kampung", "Belanja", "Akun saya", "Kelola toko", "Dasbor", "Keluar", "Keranjang"):
            assert label in labels, f"{path} has no {label}"


def test_a_visitor_is_offered_to_sign_in_and_no_language_picker(client):
    html = client.get("/toko/catalogue/").content.decode()

    assert "Masuk atau daftar" in header(html)
    assert "Kelola toko" not in html and "Akun saya" not in html
    assert 'name="language"' not in html and "English" not in html


def test_the_basket_shows_each_shop_once_and_says_shipping_comes_at_checkout(client):
    honey, rice = product(HONEY), product(RICE)
    client.post(f"/toko/basket/add/{honey.pk}/", {"quantity": 1})
    client.post(f"/toko/basket/add/{rice.pk}/", {"quantity": 2})

    html = client.get("/toko/basket/").content.decode()

    assert html.count('class="basket-shop ') == 2
    assert html.count("BUMKam Dayun Sakti") == html.count("BUMKam Bunga Raya Sejahtera") == 1
    assert html.count(f'href="{honey.get_absolute_url()}">Madu Sialang 500 ml</a>') == 1
    assert "Gratis pengiriman" not in html and "Rp 0" not in html.replace("\u00a0", " ")
    assert "Ongkos kirim dihitung saat memesan, sesuai alamat tujuan" in html


def test_adding_to_the_basket_is_told_in_indonesian(client):
    response = client.post(f"/toko/basket/add/{product(RICE).pk}/", {"quantity": 2}, follow=True)

    html = response.content.decode()
    assert "sudah masuk keranjang" in html and "Total keranjang Anda sekarang" in html
    assert "salinan" not in html and "PROSES PEMBELIAN" not in html and "your basket" not in html


def test_removing_a_line_reloads_the_basket_with_a_fresh_header_total(client):
    honey, rice = product(HONEY), product(RICE)
    client.post(f"/toko/basket/add/{honey.pk}/", {"quantity": 1})
    client.post(f"/toko/basket/add/{rice.pk}/", {"quantity": 2})
    page = client.get("/toko/basket/").content.decode()
    form = {name: value for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}
    form.update({name: value for name, value in re.findall(r'name="(form-\d+-quantity)"[^>]*value="(\d+)"', page)})
    honey_form = re.findall(r'name="(form-\d+)-id"', page[:page.index('">Madu Sialang 500 ml</a>')])[-1]
    remove = re.search(rf'<button[^>]*name="({honey_form}-DELETE)" value="on"', page)

    response = client.post("/toko/basket/", {**form, remove.group(1): "on"})
    after = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    rice_total = f"Rp\u00a0{int(rice.stockrecords.get().price) * 2:,}".replace(",", ".")
    assert re.search(r'class="site-basket-total">([^<]+)<', header(after)).group(1) == rice_total
    assert f'href="{honey.get_absolute_url()}">Madu Sialang 500 ml</a>' not in after
    assert "oscar.basket.init" not in after  # no AJAX swap that leaves the header behind


def test_search_filters_fold_away_and_the_results_come_first_on_a_phone(client):
    html = client.get("/toko/search/", {"q": "madu"}).content.decode()

    assert re.search(r'<details class="facet-filters[^"]*" data-open-wide>\s*<summary', html)
    assert 'class="product-grid"' in html


def test_wagtails_report_headers_get_no_shop_search_box(admin_client):
    from search.forms import SearchForm

    for path in ("/admin/reports/locked/", "/admin/reports/aging-pages/", "/admin/reports/site-history/"):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert not isinstance(response.context.get("search_form"), SearchForm), path
        assert "Cari produk kampung" not in response.content.decode(), path


def test_a_stale_form_gets_the_indonesian_403_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/toko/basket/add/{product(HONEY).pk}/", {"quantity": 1})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulir ini sudah kedaluwarsa" in html and 'name="viewport"' in html
    assert "CSRF verification failed" not in html


def test_an_unknown_page_gets_the_indonesian_404_page(client):
    response = client.get("/toko/tidak-ada-di-sini/")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_the_compiled_catalogue_is_the_po_file():
    """Django reads the committed .mo (CI has no msgfmt): it must hold exactly what the .po says."""
    folder = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES"
    with open(folder / "django.po", "rb") as po_file, open(folder / "django.mo", "rb") as mo_file:
        po, mo = read_po(po_file), read_mo(mo_file)

    def entries(catalog):
        def text(value):
            return value.decode() if isinstance(value, bytes) else value

        return {(text(m.context), m.id if isinstance(m.id, str) else m.id[0]):
                m.string if isinstance(m.string, str) else tuple(m.string) for m in catalog if m.id}

    assert entries(mo) == entries(po)
    assert len(entries(po)) > 250


def test_oscars_wrong_indonesian_is_overridden():
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    with translation.override("id"):
        assert gettext("In stock (%d available)") % 21 == "Tersedia (stok 21)"
        assert gettext("Proceed to checkout") == "Lanjut ke pembayaran"
        assert gettext("Delete profile") == "Hapus profil"
        assert gettext("Total orders") == "Jumlah pesanan"
        assert gettext("Offer performance") == "Kinerja penawaran"
        assert pgettext("Buy again", "Re-order") == "Pesan lagi"
        assert gettext("Order") == "Pesanan"  # not Django's "Urutan"


def test_a_product_without_a_photo_shows_a_picture_without_english():
    """Oscar's placeholder is a JPEG that reads "Image Not Available"."""
    from django.contrib.staticfiles import finders
    from oscar.apps.catalogue.abstract_models import MissingProductImage

    name = MissingProductImage().name

    assert name == "tanpa-foto.png"
    assert finders.find(f"oscar/img/{name}").endswith("marketplace/static/oscar/img/tanpa-foto.png")
