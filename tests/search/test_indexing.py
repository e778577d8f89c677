"""The index follows every committed change within one task run, and never what was rolled back.

Tasks run at once in tests (ImmediateBackend); a change's task is enqueued when its
transaction commits, which inside a test happens at the end of
`django_capture_on_commit_callbacks(execute=True)`.
"""

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.catalogue.selectors import products_for_sale
from marketplace.catalogue.services import product_publish, stockrecord_update
from marketplace.constants import OrderStatus
from marketplace.orders.services import shop_order_advance
from marketplace.worker import worker_sweep
from search.backends import PRICE_BANDS, ProductQuery, get_backend
from search.indexing import sync_pending
from search.models import IndexChange, ProductDocument
from shops.constants import ShopStatus
from shops.models import Bumkam, Kecamatan
from shops.services import bumkam_set_status
from tests import factories

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
User = get_user_model()

HONEY = "14.08.06.2001-madu-sialang"  # Dayun's honey
BUNGA_RAYA = "14.08.08.2001"  # pengelola.bungaraya's kampung


class Rollback(Exception):
    pass


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` commits what the block did, as far as the index can tell."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def admin():
    return User.objects.get(username="admin")


@pytest.fixture
def manager():
    return User.objects.get(username="pengelola.bungaraya")


def found(text="", **filters) -> list[int]:
    """Every product id a search lists (all pages)."""
    return [product.pk for product in get_backend().search_products(
        ProductQuery(text=text, **filters), limit=1000).products]


def sku(code) -> Product:
    return Product.objects.get(stockrecords__partner_sku=code)


def indexed(product) -> ProductDocument | None:
    return ProductDocument.objects.filter(product_id=product.pk).first()


def a_bunga_raya_product():
    return Product.objects.filter(stockrecords__partner__bumkam__kampung__code=BUNGA_RAYA).order_by("pk").first()


# -- commits, rollbacks, deletions

def test_a_new_product_is_found_once_its_save_commits(committed):
    shop = Bumkam.objects.get(kampung__code=BUNGA_RAYA)

    with committed():
        product = factories.product(bumkam=shop, title="Lempok Durian Zambrut")

    assert found("lempok zambrut") == [product.pk]
    assert indexed(product).title == "Lempok Durian Zambrut"
    assert not IndexChange.objects.filter(product_id=product.pk, done_at=None).exists()


def test_a_rolled_back_save_reaches_neither_the_index_nor_its_journal(committed):
    shop = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    honey = sku(HONEY)
    title, journal = honey.title, IndexChange.objects.count()

    with committed():
        try:
            with transaction.atomic():
                made = factories.product(bumkam=shop, title="Dodol Pisang Gagal")
                honey.title = "Madu Yang Tidak Jadi"
                honey.save()
                raise Rollback
        except Rollback:
            pass

    assert not Product.objects.filter(pk=made.pk).exists()
    assert not ProductDocument.objects.filter(product_id=made.pk).exists()
    assert not IndexChange.objects.filter(product_id=made.pk).exists()
    assert IndexChange.objects.count() == journal
    assert indexed(honey).title == title
    assert found("dodol gagal") == [] and honey.pk not in found("tidak jadi")


def test_a_deleted_product_leaves(committed):
    honey = sku(HONEY)
    assert honey.pk in found("madu")

    with committed():
        honey.delete()

    assert honey.pk not in found("madu") and indexed(honey) is None


def test_an_unpublished_product_leaves_and_comes_back_when_shown(committed, manager):
    product = a_bunga_raya_product()
    assert product.pk in found(product.title)

    with committed():
        product_publish(product=product, is_public=False, acting_user=manager)
    gone = found(product.title, include_sold_out=True)
    with committed():
        product_publish(product=product, is_public=True, acting_user=manager)

    assert product.pk not in gone
    assert product.pk in found(product.title)


# -- stock

def test_stock_set_to_zero_by_the_manager_leaves_the_results_until_restocked(committed, manager):
    product = a_bunga_raya_product()
    price = int(product.stockrecords.get().price)

    with committed():
        stockrecord_update(product=product, price=price, stock=0, acting_user=manager)
    sold_out = found(product.title), found(product.title, include_sold_out=True)
    with committed():
        stockrecord_update(product=product, price=price, stock=7, acting_user=manager)

    assert product.pk not in sold_out[0]
    assert product.pk in sold_out[1]
    assert product.pk in found(product.title)


def test_stock_allocated_to_nothing_by_a_checkout_leaves_and_a_cancelled_order_brings_it_back(committed, admin):
    honey = sku(HONEY)
    record = honey.stockrecords.get()
    everything = record.num_in_stock - (record.num_allocated or 0)

    with committed():
        checkout = factories.place(factories.basket((honey, everything)))
    allocated_away = found("madu sialang")
    with committed():
        shop_order_advance(shop_order=checkout.shop_orders.get(), status=OrderStatus.CANCELLED, acting_user=admin)

    assert honey.pk not in allocated_away
    assert honey.pk in found("madu sialang")


def test_sold_counts_order_the_best_selling_and_a_cancelled_order_is_not_a_sale(committed, admin):
    honey = sku(HONEY)
    sold_before = indexed(honey).sold

    with committed():
        checkout = factories.place(factories.basket((honey, 3)))
    best = found(sort="best-selling")
    sold = indexed(honey).sold
    with committed():
        shop_order_advance(shop_order=checkout.shop_orders.get(), status=OrderStatus.CANCELLED, acting_user=admin)

    assert sold == sold_before + 3
    assert [pk for pk in best if indexed(Product(pk=pk)).sold > sold] == best[:best.index(honey.pk)]
    assert all(indexed(Product(pk=pk)).sold <= sold for pk in best[best.index(honey.pk):])
    assert indexed(honey).sold == sold_before


# -- shops, places, categories, producers

@pytest.mark.parametrize("status", [ShopStatus.SUSPENDED, ShopStatus.PENDING])
def test_a_frozen_shop_takes_all_its_products_out_and_approval_brings_them_back(committed, admin, status):
    shop = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    own = set(products_for_sale(shop=shop).values_list("pk", flat=True))
    assert own and own <= set(found())

    with committed():
        bumkam_set_status(bumkam=shop, status=status, acting_user=admin)
    frozen, documents_left = set(found(include_sold_out=True)), ProductDocument.objects.filter(shop_id=shop.pk).count()
    with committed():
        bumkam_set_status(bumkam=shop, status=ShopStatus.APPROVED, acting_user=admin)

    assert not own & frozen and documents_left == 0
    assert own <= set(found())


def test_a_shop_profile_edit_that_no_document_holds_queues_nothing(committed):
    shop = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    journal = IndexChange.objects.count()

    with committed():
        shop.pickup_hours = "Senin-Jumat 09.00-15.00"
        shop.save(update_fields=["pickup_hours"])
        shop.whatsapp = "6281311112222"
        shop.save()

    assert IndexChange.objects.count() == journal


def test_a_category_renamed_is_found_by_its_new_name_with_everything_filed_below_it(committed):
    honey = sku(HONEY)
    category = honey.categories.get()
    parent = category.get_parent() or category

    with committed():
        parent.name = "Hasil Hutan Zamrud"
        parent.save()

    hits = found("zamrud")
    assert honey.pk in hits
    below = Product.objects.filter(categories__path__startswith=parent.path).filter(
        pk__in=ProductDocument.objects.values("product_id")).values_list("pk", flat=True)
    assert set(below) <= set(found("zamrud", include_sold_out=True))


def test_a_producer_or_kecamatan_renamed_is_found_by_its_new_name(committed):
    honey = sku(HONEY)
    kecamatan = Kecamatan.objects.get(kampung__bumkam__partner__stockrecords__product=honey)

    with committed():
        producer = honey.producer
        producer.name = "Lebah Hutan Kuantan"
        producer.save()
        kecamatan.name = "Dayun Permai"
        kecamatan.save()

    assert honey.pk in found("kuantan")
    assert honey.pk in found("permai")


def test_a_change_made_in_oscars_dashboard_is_indexed(committed, client, manager):
    product = a_bunga_raya_product()
    client.force_login(manager)
    url = f"/toko/dashboard/catalogue/products/{product.pk}/"
    form = BeautifulSoup(client.get(url).content, "html.parser").find("form", id="create_update_product_form")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "file") or (
                field.get("type") == "checkbox" and not field.has_attr("checked")):
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.name == "textarea":
            data[name] = field.text
        else:
            data[name] = field.get("value", "on" if field.get("type") == "checkbox" else "")
    data["title"] = "Beras Pandan Wangi Siak"

    with committed():
        response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert found("pandan wangi") == [product.pk]


# -- the journal and the worker

def test_a_change_left_pending_is_written_by_the_next_sync(committed):
    honey = sku(HONEY)
    Product.objects.filter(pk=honey.pk).update(title="Madu Zambrutaksa Bengkalis")  # no signal: as if its task were lost
    IndexChange.objects.create(product_id=honey.pk)
    assert honey.pk not in found("zambrutaksa")

    with committed():
        factories.product(bumkam=Bumkam.objects.get(kampung__code=BUNGA_RAYA))  # any later change syncs

    assert found("zambrutaksa") == [honey.pk]
    assert not IndexChange.objects.filter(done_at=None).exists()


def test_the_workers_sweep_syncs_a_change_whose_task_was_lost():
    honey = sku(HONEY)
    Product.objects.filter(pk=honey.pk).update(title="Madu Zambrutaksa Bengkalis")
    lost = IndexChange.objects.create(product_id=honey.pk)
    fresh = IndexChange.objects.create(product_id=a_bunga_raya_product().pk)

    worker_sweep.send(sender=None)  # a fresh change: its own task is still on its way
    waited = IndexChange.objects.filter(pk=lost.pk, done_at=None).exists()
    IndexChange.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    worker_sweep.send(sender=None)

    assert waited
    assert found("zambrutaksa") == [honey.pk]
    assert not IndexChange.objects.filter(pk__in=[lost.pk, fresh.pk], done_at=None).exists()


def test_search_index_sync_writes_what_is_pending(committed):
    honey = sku(HONEY)
    Product.objects.filter(pk=honey.pk).update(title="Madu Zambrutaksa Bengkalis")
    IndexChange.objects.create(product_id=honey.pk)

    call_command("search_index", "--sync", stdout=io.StringIO())

    assert found("zambrutaksa") == [honey.pk] and sync_pending() == 0


def test_the_demo_is_indexed_completely():
    for_sale = products_for_sale().filter(stockrecords__price__isnull=False)

    assert ProductDocument.objects.count() == for_sale.count() > 100
    assert not IndexChange.objects.filter(done_at=None).exists()


# -- facet counts against the database

def catalogue_rows():
    """Each product for sale as the database says, computed without search's documents."""
    categories = {category.path: category.pk for category in Category.objects.all()}
    rows = {}
    records = (StockRecord.objects.filter(product__in=products_for_sale(), price__isnull=False)
               .annotate(left=F("num_in_stock") - Coalesce(F("num_allocated"), 0))
               .select_related("product", "partner__bumkam__kampung__kecamatan"))
    for record in records:
        product = record.product
        paths = product.categories.values_list("path", flat=True)
        lineage = {categories[path[:end]] for path in paths for end in range(Category.steplen, len(path) + 1,
                                                                             Category.steplen)}
        rows[product.pk] = {
            "kecamatan": record.partner.bumkam.kampung.kecamatan.code,
            "kampung": record.partner.bumkam.kampung.slug,
            "category": {str(pk) for pk in lineage},
            "amount": int(record.price),
            "price": str(sum(int(record.price) >= band for band in PRICE_BANDS)),
            "halal": str(bool(product.halal_number)).lower(),
            "pirt": str(bool(product.pirt_number)).lower(),
            "in_stock": record.left > 0,
        }
    return rows


def counted(rows, facet):
    counts = {}
    for row in rows:
        for value in (row[facet] if facet == "category" else {row[facet]}):
            counts[value] = counts.get(value, 0) + 1
    return counts


def matching(rows, query: ProductQuery):
    """The rows a filter-only query selects, by the database's own values."""
    def keeps(row):
        return ((query.include_sold_out or row["in_stock"])
                and (not query.kecamatan_code or row["kecamatan"] == query.kecamatan_code)
                and (not query.kampung_slug or row["kampung"] == query.kampung_slug)
                and (not query.category_id or str(query.category_id) in row["category"])
                and (query.min_price is None or row["amount"] >= query.min_price)
                and (query.max_price is None or row["amount"] <= query.max_price)
                and (not query.halal or row["halal"] == "true")
                and (not query.pirt or row["pirt"] == "true"))
    return {pk: row for pk, row in rows.items() if keeps(row)}


# The facets a query's own filter does not narrow: their counts are the same whether a
# facet counts with or without its own filter.
OWN_FILTER = {"kecamatan": "kecamatan_code", "kampung": "kampung_slug", "category": "category_id",
              "price": ("min_price", "max_price"), "halal": "halal", "pirt": "pirt"}


def unfiltered_facets(query):
    return [facet for facet, fields in OWN_FILTER.items()
            if not any(getattr(query, name) not in (None, "", False)
                       for name in ((fields,) if isinstance(fields, str) else fields))]


def filter_combinations():
    kecamatan = Kecamatan.objects.get(kampung__code=BUNGA_RAYA)
    snacks = Category.objects.get(name="Makanan ringan")
    return [
        ProductQuery(),
        ProductQuery(kecamatan_code=kecamatan.code),
        ProductQuery(category_id=snacks.pk),
        ProductQuery(category_id=snacks.pk, halal=True),
        ProductQuery(halal=True, pirt=True, min_price=10_000, max_price=60_000),
        ProductQuery(kecamatan_code=kecamatan.code, include_sold_out=True, max_price=50_000),
    ]


@pytest.mark.parametrize("index", range(6))
def test_facet_counts_and_results_equal_the_database_and_filters_combine(committed, manager, index):
    product = a_bunga_raya_product()  # one product sold out, so that stock counts differ
    with committed():
        stockrecord_update(product=product, price=int(product.stockrecords.get().price), stock=0,
                           acting_user=manager)
    query = filter_combinations()[index]
    rows = catalogue_rows()
    expected = matching(rows, query)

    results = get_backend().search_products(query, limit=1000)

    assert {p.pk for p in results.products} == set(expected)
    assert results.total == len(expected) > 0
    for facet in unfiltered_facets(query):
        assert results.facets.get(facet, {}) == counted(expected.values(), facet), facet
    every = matching(rows, ProductQuery(**{**query.__dict__, "include_sold_out": True}))
    assert results.facets["stock"] == counted(
        [{"s": str(row["in_stock"]).lower()} for row in every.values()], "s")


@pytest.mark.parametrize("text", ["madu", "keripik nenas", "bunga raya", "kopi"])
def test_facet_counts_of_a_text_search_equal_the_database_counts_of_its_hits(text):
    rows = catalogue_rows()

    results = get_backend().search_products(ProductQuery(text=text), limit=1000)
    hits = [rows[product.pk] for product in results.products]

    assert results.total == len(hits) > 0
    assert all(row["in_stock"] for row in hits)
    for facet in OWN_FILTER:
        assert results.facets.get(facet, {}) == counted(hits, facet), facet


def test_a_text_search_and_its_filters_combine():
    kecamatan = Kecamatan.objects.get(kampung__code=BUNGA_RAYA)
    everywhere = set(found("beras"))
    price = {pk: int(StockRecord.objects.get(product_id=pk).price) for pk in everywhere}

    here = set(found("beras", kecamatan_code=kecamatan.code))
    cheapest = min(price[pk] for pk in here)
    cheap_here = set(found("beras", kecamatan_code=kecamatan.code, max_price=cheapest))
    halal_anywhere = set(found("beras", halal=True))

    assert here == {pk for pk in everywhere if Product.objects.filter(
        pk=pk, stockrecords__partner__bumkam__kampung__kecamatan=kecamatan).exists()}
    assert cheap_here == {pk for pk in here if price[pk] <= cheapest} != set()
    assert halal_anywhere == {pk for pk in everywhere if Product.objects.get(pk=pk).halal_number}
    assert here < everywhere


def test_browsing_counts_are_kept_until_the_index_changes_then_counted_again(committed, manager, client):
    """The counts of a search without words are kept per index version (backends.postgres):
    a visitor after a change sees the change, never the kept counts."""
    product = a_bunga_raya_product()
    price = int(product.stockrecords.get().price)
    browse = ProductQuery(kampung_slug=product.shop.kampung.slug)
    before = get_backend().search_products(browse)

    with committed():
        stockrecord_update(product=product, price=price, stock=0, acting_user=manager)
    after = get_backend().search_products(browse)

    assert after.total == before.total - 1
    assert after.facets["stock"]["false"] == before.facets["stock"].get("false", 0) + 1
    assert after.total == products_for_sale(kampung_slug=browse.kampung_slug).filter(
        stockrecords__num_in_stock__gt=Coalesce(F("stockrecords__num_allocated"), 0)).count()
