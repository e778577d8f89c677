"""The manager's orders on a phone: tabs with counts, a card with everything a courier needs,
moves that keep what was typed when refused, and a packing slip only the shop may print."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.core.loading import get_model

from marketplace.constants import OrderStatus, ShippingMethod
from marketplace.html import thousands
from marketplace.orders.models import ShopOrderEvent
from marketplace.orders.selectors import MANAGER_WAITS_IN, TABS, tab_of_status
from marketplace.orders.services import complaint_open, shop_order_advance

from .test_transitions import pay, rice, rice_order, status_of, stock

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
S = OrderStatus
ORDERS = "/toko/kelola/pesanan/"


@pytest.fixture(autouse=True)
def plenty_of_rice(db):
    """These tests place many orders of the demo's rice; its shelf is not what they are about."""
    rice().stockrecords.update(num_in_stock=1000)


def login(username):
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def person(username):
    return get_user_model().objects.get(username=username)


def numbers_on(page: str) -> list[str]:
    return re.findall(r'<section[^>]*data-order="([^"]+)"', page)


def card_of(page: str, number: str) -> str:
    match = re.search(rf'<section[^>]*data-order="{number}".*?</section>', page, re.S)
    assert match, f"order {number} is not on the page"
    return match.group(0)


def tab_counts(page: str) -> dict[str, int]:
    return {slug: int(count) for slug, count in re.findall(
        r'data-tab="([a-z-]+)"[^>]*>[^<]*<span class="badge[^"]*tab-count">(\d+)</span>', page)}


def by_courier(shop_order):
    """Test set-up: the order goes by courier (how its rate was reckoned is not what is tested here)."""
    Order.objects.filter(pk=shop_order.order_id).update(shipping_code=ShippingMethod.COURIER, shipping_method="Kurir")
    shop_order.order.refresh_from_db()
    return shop_order


def paid_rice(**kwargs):
    shop_order = rice_order(**kwargs)
    pay(shop_order)
    return shop_order


def moved(shop_order, *statuses, by="pengelola.bungaraya", **kwargs):
    for status in statuses:
        shop_order_advance(shop_order=shop_order, status=status, acting_user=person(by), **kwargs)
    return shop_order


# --- tabs -----------------------------------------------------------------------------------------

def test_every_status_a_manager_acts_on_has_a_work_tab_and_the_tabs_are_the_issues():
    assert [tab.label for tab in TABS] == ["Perlu diproses", "Perlu dikirim", "Dikirim", "Selesai", "Komplain", "Semua"]
    assert [tab_of_status(status).slug for status in MANAGER_WAITS_IN] == ["perlu-diproses", "perlu-dikirim", "dikirim"]
    assert tab_of_status(S.COMPLETED).slug == tab_of_status(S.DELIVERED).slug == "selesai"


def test_each_tab_lists_its_own_orders_and_counts_them():
    manager = login("pengelola.bungaraya")
    before = tab_counts(manager.get(ORDERS).content.decode())

    unpaid = rice_order()
    to_pack = paid_rice()
    to_ship = moved(paid_rice(), S.PACKED)
    shipped = moved(paid_rice(), S.PACKED, S.SHIPPED)
    delivered = moved(paid_rice(), S.PACKED, S.SHIPPED, S.DELIVERED)
    complained = moved(paid_rice(), S.PACKED, S.SHIPPED, S.DELIVERED)
    complaint_open(shop_order=complained, reason="damaged", text="Karung sobek.")
    cancelled = moved(paid_rice(), S.CANCELLED)
    mine = {so.order.number: so for so in (unpaid, to_pack, to_ship, shipped, delivered, complained, cancelled)}
    expected = {
        "perlu-diproses": {to_pack}, "perlu-dikirim": {to_ship}, "dikirim": {shipped},
        "selesai": {delivered, complained}, "komplain": {complained}, "semua": set(mine.values()),
    }

    default = manager.get(ORDERS).content.decode()
    counts = tab_counts(default)
    assert {slug: counts[slug] - before[slug] for slug in counts} == {slug: len(so) for slug, so in expected.items()}
    assert 'aria-current="page">Perlu diproses' in default  # the work comes first
    for slug, orders in expected.items():
        listed = numbers_on(manager.get(ORDERS, {"tab": slug}).content.decode())
        assert {mine[number] for number in listed if number in mine} == orders, slug


def test_work_to_do_is_oldest_first_and_what_is_done_newest_first():
    first, second = paid_rice(), paid_rice()
    manager = login("pengelola.bungaraya")

    to_pack = numbers_on(manager.get(ORDERS, {"tab": "perlu-diproses"}).content.decode())
    assert to_pack.index(first.order.number) < to_pack.index(second.order.number)
    moved(first, S.PACKED, S.SHIPPED)
    moved(second, S.PACKED, S.SHIPPED)
    shipped = numbers_on(manager.get(ORDERS, {"tab": "dikirim"}).content.decode())
    assert shipped.index(second.order.number) < shipped.index(first.order.number)


def test_a_tab_is_paginated_and_an_unknown_tab_or_page_is_the_first():
    manager = login("pengelola.bungaraya")
    for _ in range(21):
        rice_order()  # unpaid: only under "Semua"

    first = manager.get(ORDERS, {"tab": "semua"}).content.decode()
    second = manager.get(ORDERS, {"tab": "semua", "page": "2"}).content.decode()
    assert len(numbers_on(first)) == 20 and numbers_on(second)
    assert not set(numbers_on(first)) & set(numbers_on(second))
    assert "Halaman 1 dari" in first and "Berikutnya" in first
    nonsense = manager.get(ORDERS, {"tab": "<script>", "page": "abc"})
    assert nonsense.status_code == 200 and 'aria-current="page">Perlu diproses' in nonsense.content.decode()


# --- the card -------------------------------------------------------------------------------------

def test_the_card_has_what_a_courier_needs_phone_and_the_whole_address():
    shop_order = paid_rice(quantity=2)

    card = card_of(login("pengelola.bungaraya").get(ORDERS).content.decode(), shop_order.order.number)

    assert "Siti Aminah" in card
    assert 'href="tel:+6281234567890"' in card and "0812-3456-7890" in card
    assert 'href="https://wa.me/6281234567890?text=' in card
    assert "Jl. Sultan Syarif Kasim No. 5" in card
    address = re.sub(r"\s+", " ", re.search(r"<address[^>]*>(.*?)</address>", card, re.S).group(1))
    assert "Desa/Kel. Kampung Dalam, Kec. Siak" in address
    assert "Kabupaten Siak, Riau 28773" in address
    assert "2 ×" in card and "Beras" in card
    assert "Total" in card and re.search(r"Rp\s?\d", card)
    assert "Jadikan Dikemas" in card and "Cetak slip pengiriman" in card


def test_a_managers_card_never_shows_another_shops_order_even_when_asked_for():
    theirs = paid_rice()

    page = login("pengelola.kerincikanan").get(ORDERS, {"tab": "semua", "pesanan": theirs.order.number})

    assert page.status_code == 200
    assert theirs.order.number not in numbers_on(page.content.decode())
    assert "Siti Aminah" not in page.content.decode()


# --- moves from the card --------------------------------------------------------------------------

def test_shipping_without_a_tracking_number_is_400_keeps_what_was_typed_and_changes_nothing():
    shop_order = by_courier(moved(paid_rice(), S.PACKED))
    on_shelf = stock(rice())
    events = ShopOrderEvent.objects.filter(shop_order=shop_order).count()
    manager = login("pengelola.bungaraya")

    response = manager.post(f"{ORDERS}{shop_order.order.number}/",
                            {"status": S.SHIPPED, "courier": "J&T Express", "tracking_number": "  ", "tab": "perlu-dikirim"})

    assert response.status_code == 400
    page = response.content.decode()
    card = card_of(page, shop_order.order.number)
    assert "Isi nomor resi untuk pesanan yang dikirim kurir." in card
    assert 'value="J&amp;T Express"' in card  # what the manager typed is still there
    assert f"Pesanan {shop_order.order.number} belum diubah" in page
    assert status_of(shop_order) == S.PACKED
    assert ShopOrderEvent.objects.filter(shop_order=shop_order).count() == events
    assert stock(rice()) == on_shelf


def test_shipping_without_a_courier_or_with_a_mistyped_tracking_number_is_refused_too():
    shop_order = by_courier(moved(paid_rice(), S.PACKED))
    manager = login("pengelola.bungaraya")
    url = f"{ORDERS}{shop_order.order.number}/"

    no_courier = manager.post(url, {"status": S.SHIPPED, "courier": "", "tracking_number": "JNE123"})
    mistyped = manager.post(url, {"status": S.SHIPPED, "courier": "JNE", "tracking_number": "JNE 123 <b>"})
    unknown = manager.post(url, {"courier": "JNE"})

    assert no_courier.status_code == 400 and "Isi nama kurir" in no_courier.content.decode()
    assert 'value="JNE123"' in card_of(no_courier.content.decode(), shop_order.order.number)
    assert mistyped.status_code == 400 and "Nomor resi hanya berisi huruf" in mistyped.content.decode()
    assert unknown.status_code == 400 and "Status tidak dikenal" in unknown.content.decode()
    assert status_of(shop_order) == S.PACKED


def test_shipping_with_courier_and_tracking_number_takes_the_order_to_the_dikirim_tab():
    shop_order = by_courier(moved(paid_rice(), S.PACKED))
    manager = login("pengelola.bungaraya")

    response = manager.post(f"{ORDERS}{shop_order.order.number}/",
                            {"status": S.SHIPPED, "courier": "JNE", "tracking_number": "jne 0012 345", "tab": "perlu-dikirim"})

    number = shop_order.order.number
    assert response.status_code == 302
    assert response["Location"] == f"{ORDERS}?tab=dikirim&pesanan={number}#pesanan-{number}"
    shop_order.refresh_from_db()
    assert status_of(shop_order) == S.SHIPPED and (shop_order.courier, shop_order.tracking_number) == ("JNE", "JNE0012345")
    page = manager.get(response["Location"]).content.decode()
    assert numbers_on(page)[0] == number and "Sekarang di tab Dikirim" in page
    assert number in numbers_on(manager.get(ORDERS, {"tab": "dikirim"}).content.decode())
    assert number not in numbers_on(manager.get(ORDERS, {"tab": "perlu-dikirim"}).content.decode())


def test_another_shops_manager_cannot_move_an_order_even_with_a_bad_form():
    theirs = by_courier(moved(paid_rice(), S.PACKED))

    for data in ({"status": S.SHIPPED, "courier": "JNE", "tracking_number": "X1"}, {"status": S.SHIPPED}):
        response = login("pengelola.kerincikanan").post(f"{ORDERS}{theirs.order.number}/", data)
        assert response.status_code == 403
    assert status_of(theirs) == S.PACKED


# --- packing slips --------------------------------------------------------------------------------

def test_the_packing_slip_has_who_where_and_what_but_no_prices():
    shop_order = by_courier(moved(paid_rice(quantity=3), S.PACKED))

    response = login("pengelola.bungaraya").get(f"{ORDERS}{shop_order.order.number}/cetak/")

    assert response.status_code == 200
    slip = re.sub(r"\s+", " ", response.content.decode())
    assert f'<strong class="slip-number">{shop_order.order.number}</strong>' in slip
    assert "BUMKam Bunga Raya Sejahtera" in slip and "Pengirim / alamat retur" in slip
    assert "Kampung Bunga Raya, Kec. Bunga Raya" in slip
    assert "Siti Aminah" in slip and "0812-3456-7890" in slip
    assert "Jl. Sultan Syarif Kasim No. 5" in slip and "Kabupaten Siak, Riau 28773" in slip
    assert "Kurir" in slip and '<td class="text-right qty">3</td>' in slip and "Beras" in slip
    assert not re.search(r"Rp\s?\d", re.search(r"<article.*</article>", slip).group(0))
    assert "data-print hidden" in slip  # a print button for script to show; the slip itself needs none
    assert "packing-slip.css" in slip


def test_a_cash_on_delivery_slip_tells_the_courier_what_to_collect(cod_allowed):
    cod = by_courier(rice_order(payment_method="cod", quantity=2))
    transfer = by_courier(paid_rice())

    manager = login("pengelola.bungaraya")
    cod_slip = manager.get(f"{ORDERS}{cod.order.number}/cetak/").content.decode().replace("\xa0", " ")
    paid_slip = manager.get(f"{ORDERS}{transfer.order.number}/cetak/").content.decode()

    assert f"BAYAR DI TEMPAT (COD): tagih Rp {thousands(cod.order.total_incl_tax)} dari penerima." in cod_slip
    assert "BAYAR DI TEMPAT" not in paid_slip


def test_only_the_shops_managers_and_the_regency_admin_open_a_slip():
    shop_order = paid_rice()
    url = f"{ORDERS}{shop_order.order.number}/cetak/"
    buyer = get_user_model().objects.create_user("pembeli.biasa", "pembeli@example.test", "sandi-panjang-2026")
    as_buyer = Client(raise_request_exception=False)
    as_buyer.force_login(buyer)

    assert login("pengelola.bungaraya").get(url).status_code == 200
    assert login("admin").get(url).status_code == 200
    assert login("pengelola.kerincikanan").get(url).status_code == 404
    assert as_buyer.get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert login("pengelola.bungaraya").get(f"{ORDERS}TIDAK-ADA/cetak/").status_code == 404


def test_all_slips_of_perlu_dikirim_print_at_once_and_only_the_shops_own():
    packed = [moved(paid_rice(), S.PACKED) for _ in range(2)]
    not_yet = paid_rice()

    page = login("pengelola.bungaraya").get(f"{ORDERS}cetak/", {"tab": "perlu-dikirim"}).content.decode()
    other = login("pengelola.kerincikanan").get(f"{ORDERS}cetak/").content.decode()
    tab_page = login("pengelola.bungaraya").get(ORDERS, {"tab": "perlu-dikirim"}).content.decode()

    slips = re.findall(r'<article class="packing-slip[^"]*" data-order="([^"]+)"', page)
    assert {so.order.number for so in packed} <= set(slips) and not_yet.order.number not in slips
    assert not {so.order.number for so in packed} & set(re.findall(r'data-order="([^"]+)"', other))
    assert f'href="{ORDERS}cetak/?tab=perlu-dikirim"' in tab_page


# --- queries --------------------------------------------------------------------------------------

def test_the_orders_page_and_the_slips_cost_the_same_queries_for_3_or_20_orders(cod_allowed,
                                                                                 django_assert_max_num_queries):
    manager = login("pengelola.bungaraya")

    def cost(expected_orders):
        with django_assert_max_num_queries(40) as page_queries:
            page = manager.get(ORDERS, {"tab": "perlu-diproses"}).content.decode()
        with django_assert_max_num_queries(30) as slip_queries:
            slips = manager.get(f"{ORDERS}cetak/", {"tab": "perlu-diproses"}).content.decode()
        assert {so.order.number for so in expected_orders} <= set(numbers_on(page))
        assert len(re.findall(r'<article class="packing-slip', slips)) >= len(expected_orders)
        return len(page_queries), len(slip_queries)

    cost([])  # warm: the first request of a session reads what later ones find cached
    orders = [rice_order(payment_method="cod") for _ in range(3)]
    three = cost(orders)
    orders += [rice_order(payment_method="cod") for _ in range(17)]
    twenty = cost(orders[:20])

    assert three == twenty


def test_a_forms_address_opened_again_is_an_indonesian_page_that_links_back():
    shop_order = paid_rice()

    response = login("pengelola.bungaraya").get(f"{ORDERS}{shop_order.order.number}/")

    assert response.status_code == 405 and "POST" in response["Allow"]
    html = response.content.decode()
    assert "Alamat ini hanya menerima formulir" in html and f'href="{ORDERS}"' in html


def test_the_405_page_never_links_to_another_host():
    from django.http import HttpResponseNotAllowed
    from django.test import RequestFactory

    from marketplace.middleware import MethodNotAllowedPageMiddleware

    page = MethodNotAllowedPageMiddleware(lambda request: HttpResponseNotAllowed(["POST"]))
    html = page(RequestFactory().get("//evil.test/x/")).content.decode()

    assert 'href="/"' in html and "evil.test" not in html
