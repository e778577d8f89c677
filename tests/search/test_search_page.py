"""What a buyer sees on /toko/search/: facet counts that are the catalogue's own, filters that
combine in the address and are named when they cannot be used, a page for any query, and the
village sites' news and service pages in a tab of their own."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import F
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model
from wagtail.models import Page, PageViewRestriction

from cms.models import KampungHomePage, NewsPage
from cms.services import news_publish
from marketplace.catalogue.selectors import products_for_sale
from shops.models import Kecamatan

Category = get_model("catalogue", "Category")
pytestmark = pytest.mark.django_db
SEARCH = "/toko/search/"


# --- what the page shows -------------------------------------------------------------------

def page_of(client, params) -> str:
    response = client.get(SEARCH, params)
    assert response.status_code == 200, params
    return response.content.decode()


def total(text: str) -> int:
    return int(re.search(r'class="search-total">(\d+) ', text).group(1))


def facet(text: str, name: str) -> dict[str, tuple[int, str]]:
    """{label: (count, href)} of one facet, as the buyer reads it."""
    section = re.search(rf'aria-labelledby="facet-{name}">(.*?)</section>', text, re.S).group(1)
    found = {}
    for href, inner in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', section, re.S):
        label = re.sub(r"<[^>]+>|✓|\bhapus\b", "", inner.split('<span class="facet-count">')[0]).strip()
        count = int(re.search(r'facet-count">\((\d+)\)', inner).group(1))
        found[html.unescape(label)] = (count, html.unescape(href))
    return found


def params_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


# --- the same counts from the catalogue itself ---------------------------------------------

def on_sale(**filters):
    """Products for sale with some left, as a buyer's results list them."""
    return (products_for_sale(**filters).filter(stockrecords__price__isnull=False)
            .filter(stockrecords__num_in_stock__gt=Coalesce(F("stockrecords__num_allocated"), 0)))


def halal(products):
    return products.exclude(halal_number="").exclude(halal_number__isnull=True)


def in_category(products, category):
    return products.filter(categories__path__startswith=category.path).distinct()


# --- facet counts ----------------------------------------------------------------------------

def test_the_kecamatan_counts_of_the_whole_catalogue_are_the_catalogues_own(client):
    text = page_of(client, {"q": ""})
    shown = facet(text, "kecamatan")

    assert total(text) == on_sale().count() > 0
    assert len(shown) >= 2
    for kecamatan in Kecamatan.objects.filter(name__in=shown):
        assert shown[kecamatan.name][0] == on_sale(kecamatan_code=kecamatan.code).count(), kecamatan.name


def test_category_and_halal_counts_within_a_kecamatan_are_the_catalogues_own(client):
    busiest = max(Kecamatan.objects.all(), key=lambda k: on_sale(kecamatan_code=k.code).count())
    text = page_of(client, {"kecamatan": busiest.code})
    here = on_sale(kecamatan_code=busiest.code)

    assert total(text) == here.count()
    for name, (count, _) in facet(text, "category").items():
        category = Category.objects.filter(name=name).first()
        assert count == in_category(here, category).count(), name
    assert facet(text, "flags")["Bersertifikat halal"][0] == halal(here).count()


def test_facet_links_combine_filters_in_the_address_and_keep_the_words(client):
    text = page_of(client, {"q": "keripik"})
    name, (count, href) = next(iter(facet(text, "kecamatan").items()))
    kecamatan = Kecamatan.objects.get(name=name)

    narrowed = page_of(client, {key: values[0] for key, values in params_of(href).items()})
    category_name, (category_count, category_href) = next(iter(facet(narrowed, "category").items()))
    both = params_of(category_href)

    assert params_of(href)["q"] == ["keripik"] and params_of(href)["kecamatan"] == [kecamatan.code]
    assert total(narrowed) == count
    assert both["q"] == ["keripik"] and both["kecamatan"] == [kecamatan.code] and "kategori" in both
    combined = page_of(client, {key: values[0] for key, values in both.items()})
    assert total(combined) == category_count
    # the chosen kecamatan is marked, and its link takes it off again
    chosen = facet(combined, "kecamatan")[kecamatan.name]
    assert 'aria-current="true"' in combined
    assert "kecamatan" not in params_of(chosen[1]) and params_of(chosen[1])["q"] == ["keripik"]


def test_each_filter_in_use_has_its_own_remove_link_and_one_removes_them_all(client):
    kecamatan = Kecamatan.objects.filter(code__in=on_sale().values("stockrecords__partner__bumkam__kampung__kecamatan__code")).first()
    text = page_of(client, {"q": "madu", "kecamatan": kecamatan.code, "halal": "on", "sort_by": "best-selling"})
    applied = re.search(r'<section class="search-applied".*?</section>', text, re.S).group(0)
    removes = dict((html.unescape(label), html.unescape(href)) for label, href in
                   re.findall(r'<strong>(.*?)</strong> <a href="([^"]+)"[^>]*>Hapus saringan</a>', applied))
    everything = html.unescape(re.search(r'<a href="([^"]+)"[^>]*>Hapus semua saringan</a>', applied).group(1))

    assert set(removes) == {f"Kecamatan: {kecamatan.name}", "Bersertifikat halal"}
    assert params_of(removes["Bersertifikat halal"]) == {"q": ["madu"], "kecamatan": [kecamatan.code],
                                                        "sort_by": ["best-selling"]}
    assert params_of(everything) == {"q": ["madu"], "sort_by": ["best-selling"]}


def test_sorting_by_terlaris_keeps_the_words_and_filters(client):
    text = page_of(client, {"q": "keripik", "halal": "on"})
    best = html.unescape(re.search(r'<a href="([^"]+)" rel="nofollow">Terlaris</a>', text).group(1))

    assert params_of(best) == {"q": ["keripik"], "halal": ["on"], "sort_by": ["best-selling"]}
    sorted_page = page_of(client, {key: values[0] for key, values in params_of(best).items()})
    assert re.search(r'aria-current="true" class="selected">Terlaris<', sorted_page)
    assert total(sorted_page) == total(text)


# --- filters that cannot be used --------------------------------------------------------------

def test_a_minimum_above_the_maximum_is_named_and_the_other_filters_stay(client):
    text = page_of(client, {"min_price": "50.000", "max_price": "10000", "halal": "on"})

    assert "Harga maksimum harus lebih besar dari harga minimum (Rp 50.000)" in html.unescape(text)
    assert total(text) == halal(on_sale()).filter(stockrecords__price__gte=50000).count()
    assert "Harga dari Rp 50.000" in text and "<strong>Bersertifikat halal</strong>" in text
    assert 'name="max_price" value="10000"' in text  # what was typed is still there to correct


@pytest.mark.parametrize("params,named", [
    ({"kecamatan": "99.99.99", "halal": "on"}, "Kecamatan “99.99.99” tidak dikenal"),
    ({"kategori": "abc", "halal": "on"}, "Kategori “abc” tidak dikenal"),
    ({"kategori": "999999", "halal": "on"}, "Kategori “999999” tidak dikenal"),
    ({"kampung": "atlantis", "halal": "on"}, "Kampung “atlantis” tidak dikenal"),
    ({"min_price": "murah", "halal": "on"}, "Harga minimum: isi bilangan bulat"),
    ({"sort_by": "acak", "halal": "on"}, "Urutan “acak” tidak dikenal"),
])
def test_a_bogus_filter_is_named_and_the_others_still_apply(client, params, named):
    text = html.unescape(page_of(client, params))

    assert named in text
    assert "saringan lainnya tetap berlaku" in text
    assert total(text) == halal(on_sale()).count()


# --- any query gives a page -------------------------------------------------------------------

def test_an_empty_query_shows_the_catalogue(client):
    text = page_of(client, {"q": ""})

    assert total(text) == on_sale().count() > 0
    assert "Tidak ada produk yang cocok" not in text


@pytest.mark.parametrize("q", [
    "keripik " * 1250,  # 10,000 characters
    "!!!???...,,,;;;---",
    "'; DROP TABLE catalogue_product; --",
    "1' OR '1'='1",
    '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "🍍🍯🛶",
    "%",
])
@pytest.mark.parametrize("jenis", ["", "halaman"])
def test_an_absurd_query_gives_a_page(client, q, jenis):
    response = client.get(SEARCH, {"q": q, "jenis": jenis})

    assert response.status_code == 200
    text = response.content.decode()
    assert "<script>alert" not in text and "<img src=x" not in text
    assert re.search(r'Produk <span class="search-tab-count">\(\d+\)', text)
    assert re.search(r'Berita dan layanan <span class="search-tab-count">\(\d+\)', text)


def test_a_nul_byte_gives_an_indonesian_page_with_a_way_home(client):
    response = client.get(SEARCH, {"q": "kripik\x00nenas"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "karakter NUL" in text and '<a href="/">Kembali ke beranda</a>' in text


def test_a_typo_is_corrected_and_a_nonsense_word_gets_a_did_you_mean(client):
    corrected = page_of(client, {"q": "kerupk"})
    assert "Menampilkan hasil untuk" in corrected and total(corrected) > 0

    nothing = page_of(client, {"q": "madu xyzzyq"})
    assert total(nothing) == 0 and "Tidak ada produk yang cocok" in nothing

    unknown = page_of(client, {"q": "madoe", "halal": "on"})
    assert total(unknown) == 0
    href = html.unescape(re.search(r'Maksud Anda: <a href="([^"]+)">madu</a>\?', unknown).group(1))
    assert params_of(href) == {"q": ["madu"], "halal": ["on"]}  # the buyer's filters stay


# --- news and service pages -------------------------------------------------------------------

def bunga_raya():
    return KampungHomePage.objects.get(kampung__slug="bunga-raya")


def page_titles(client, q) -> list[str]:
    text = page_of(client, {"q": q, "jenis": "halaman"})
    return [html.unescape(title) for title in re.findall(r'<h2 class="h5"><a href="[^"]+">(.*?)</a>', text)]


def test_the_pages_tab_finds_a_news_page_with_its_village_snippet_and_date(client):
    news = news_publish(home=bunga_raya(), title="Pentas kompang di balai kampung", summary="Grup kompang "
                        "remaja tampil menyambut tamu kabupaten.", paragraphs=["Meriah."])
    text = page_of(client, {"q": "kompang", "jenis": "halaman"})

    assert page_titles(client, "kompang") == [news.title]
    hit = re.search(r'<ul class="search-pages">(.*?)</ul>', text, re.S).group(1)
    assert bunga_raya().title in hit and "Grup kompang remaja tampil" in hit
    assert f'datetime="{news.date:%Y-%m-%d}"' in hit
    assert re.search(r"Berita dan layanan <span class=\"search-tab-count\">\(1\)", text)


def test_the_pages_tab_finds_every_villages_service_page(client):
    services = Page.objects.live().public().filter(title="Surat keterangan tidak mampu (SKTM)").count()

    assert services > 1
    assert page_titles(client, "sktm").count("Surat keterangan tidak mampu (SKTM)") == services


def test_drafts_unpublished_and_private_pages_are_never_found(client):
    home = bunga_raya()
    public = news_publish(home=home, title="Lomba perahu naga", summary="Lomba perahu naga di sungai.",
                          paragraphs=["Ramai."])
    private = news_publish(home=home, title="Rapat perahu naga tertutup", summary="Rapat perahu naga.",
                           paragraphs=["Untuk pengurus."])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    unpublished = news_publish(home=home, title="Jadwal perahu naga lama", summary="Jadwal perahu naga.",
                               paragraphs=["Lama."])
    unpublished.unpublish()
    draft = NewsPage(title="Perahu naga rancangan", summary="Belum terbit: perahu naga.", live=False)
    public.get_parent().add_child(instance=draft)
    draft.save_revision()
    public.summary = "Lomba perahu naga di sungai, sekarang dengan zamrudkuning."
    public.save_revision()  # a draft change of a live page: its words are not published yet

    assert page_titles(client, "perahu naga") == ["Lomba perahu naga"]
    assert page_titles(client, "zamrudkuning") == []
    assert "zamrudkuning" not in page_of(client, {"q": "perahu", "jenis": "halaman"})


def test_each_tab_shows_the_count_of_the_other(client):
    text = page_of(client, {"q": "sktm"})

    pages = int(re.search(r'Berita dan layanan <span class="search-tab-count">\((\d+)\)', text).group(1))
    products = int(re.search(r'Produk <span class="search-tab-count">\((\d+)\)', text).group(1))
    assert pages == len(page_titles(client, "sktm")) > 0
    assert products == total(text)


# --- the one search box and its suggestions -----------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/kampung/", "/kampung/bunga-raya/", "/kampung/bunga-raya/layanan/",
                                 "/toko/catalogue/", SEARCH])
def test_the_portal_the_village_sites_and_the_shop_share_one_search_box(client, url):
    response = client.get(url, follow=True)
    text = response.content.decode()

    assert response.status_code == 200
    assert text.count('<form class="site-search" method="get" action="/toko/search/" role="search" '
                      'data-suggest="/toko/search/saran/">') == 1
    assert 'name="q" id="site-q"' in text


def test_suggestions_answer_names_as_json_even_for_a_spelling_variant(client):
    response = client.get("/toko/search/saran/", {"q": "kripik"})
    data = response.json()

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert data["suggestions"] and all("keripik" in name.lower() for name in data["suggestions"])
    assert client.get("/toko/search/saran/", {"q": "<script>"}).json() == {"q": "script", "suggestions": []}
    assert client.get("/toko/search/saran/", {"q": ""}).json() == {"q": "", "suggestions": []}


# --- what the fresh-eyes walk found -------------------------------------------------------------

@pytest.mark.parametrize("page", ["9223372036854775807", "99999999999999999999999", "-1", "abc"])
def test_any_page_number_gives_a_page(client, page):
    for jenis in ("", "halaman"):
        for path in (SEARCH, "/toko/catalogue/"):
            response = client.get(path, {"q": "madu" if path == SEARCH else "", "page": page, "jenis": jenis})
            assert response.status_code == 200, (path, page, jenis)


def test_a_phone_set_to_english_still_reads_indonesian(client):
    product = products_for_sale().first()

    response = client.get(product.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = response.content.decode()

    assert response["Content-Language"] == "id" and '<html lang="id"' in text
    assert "Add to cart" not in text and "Write a review" not in text and "In stock" not in text


def test_a_typo_of_a_spelling_variant_is_corrected_to_the_catalogues_word(client):
    text = page_of(client, {"q": "keripik nanass"})

    assert "Menampilkan hasil untuk <strong>keripik nenas</strong>" in text
    assert total(text) >= products_for_sale().filter(title__icontains="keripik nenas").count() > 0
    assert re.search(r'<h3>([^<]+)</h3>', text).group(1) == "Keripik Nenas 200 g"


@pytest.mark.parametrize("typed", ["krip", "kripik na"])
def test_suggestions_follow_a_half_typed_variant_to_the_catalogues_spelling(client, typed):
    names = client.get("/toko/search/saran/", {"q": typed}).json()["suggestions"]

    assert names and names[0].startswith("Keripik")
    if typed == "kripik na":
        assert names[0].startswith("Keripik Nenas")


def test_did_you_mean_keeps_the_filters(client):
    text = page_of(client, {"q": "mdu", "halal": "on", "sort_by": "price-asc"})
    href = html.unescape(re.search(r'Maksud Anda: <a href="([^"]+)"', text).group(1))

    assert params_of(href) == {"q": ["madu"], "halal": ["on"], "sort_by": ["price-asc"]}


def test_a_query_of_only_emoji_says_it_had_nothing_to_search_by(client):
    text = page_of(client, {"q": "🍯!!!"})

    assert "Kata pencarian tidak berisi huruf atau angka" in text
    assert total(text) == products_for_sale().count()


def test_the_pages_tab_keeps_the_kampung_filter(client):
    everywhere = page_titles(client, "sktm")
    text = page_of(client, {"q": "sktm", "jenis": "halaman", "kampung": "bunga-raya"})

    assert len(everywhere) > 1
    assert text.count("Surat keterangan tidak mampu (SKTM)") >= 1
    assert re.search(r'Berita dan layanan <span class="search-tab-count">\(1\)', text)


def test_no_product_but_a_page_points_to_the_pages_tab(client):
    text = page_of(client, {"q": "sktm"})

    assert total(text) == 0
    assert "hasil di Berita dan layanan" in text


def test_the_kampung_list_waits_for_a_kecamatan_and_the_facet_shows_the_busiest_kampung(client, monkeypatch):
    """A province has a thousand villages: neither a select of all of them nor a facet link to
    each fits a phone or a fast page."""
    from search import facets

    everywhere = page_of(client, {"q": ""})
    assert 'name="kampung"' not in everywhere  # the filter form asks for the kecamatan first
    all_kampung = facet(everywhere, "kampung")
    monkeypatch.setattr(facets, "KAMPUNG_FACET_MAX", 2)
    busiest = facet(page_of(client, {"q": ""}), "kampung")
    assert len(busiest) == 2
    assert sorted(count for count, _href in busiest.values()) == sorted(
        count for count, _href in all_kampung.values())[-2:]
    assert "pilih kecamatan untuk melihat semua kampungnya" in page_of(client, {"q": ""})

    siak = Kecamatan.objects.get(code="14.08.08")  # Bunga Raya's
    narrowed = page_of(client, {"q": "", "kecamatan": siak.code})
    options = re.search(r'<select name="kampung"[^>]*>(.*?)</select>', narrowed, re.S).group(1)
    assert "Bunga Raya" in options and all(
        name not in options for name in ("Kerinci Kanan", "Dayun"))  # other kecamatan's villages
    assert "pilih kecamatan" not in narrowed
    # a kampung's own link still filters without a kecamatan in the address
    assert total(page_of(client, {"q": "", "kampung": "bunga-raya"})) > 0
