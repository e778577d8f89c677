"""The pages that move a shop order, the manager's own and Oscar's dashboard, go through the
one transition function: they offer only what the table allows and refuse the rest with a
message, never a 500."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from marketplace.constants import Actor, OrderStatus
from marketplace.orders.models import ShopOrderEvent
from marketplace.orders.services import shop_order_advance
from shops.models import Bumkam

from .test_transitions import pay, rice_order, status_of

pytestmark = pytest.mark.django_db
S = OrderStatus


def login(username):
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def card_of(page: str, number: str) -> str:
    """The manager page's section of one order."""
    match = re.search(rf'<section[^>]*data-order="{number}".*?</section>', page, re.S)
    assert match, f"order {number} is not on the page"
    return match.group(0)


def buttons_in(card: str) -> list[str]:
    return re.findall(r'name="status" value="([^"]+)"', card)


# --- the manager's page /toko/kelola/pesanan/ ---------------------------------------------------

def test_the_manager_page_offers_no_move_on_an_unpaid_transfer_and_refuses_a_forged_one():
    unpaid = rice_order()
    manager = login("pengelola.bungaraya")

    card = card_of(manager.get("/toko/kelola/pesanan/?tab=semua").content.decode(), unpaid.order.number)
    assert buttons_in(card) == []
    for status in (S.PROCESSING, S.CANCELLED):  # moves of the table, but not a manager's
        response = manager.post(f"/toko/kelola/pesanan/{unpaid.order.number}/", {"status": status})
        assert response.status_code == 403
    for status in (S.PACKED, S.SHIPPED):  # no such move at all
        response = manager.post(f"/toko/kelola/pesanan/{unpaid.order.number}/", {"status": status}, follow=True)
        assert "tidak bisa diubah dari Menunggu pembayaran" in " ".join(messages_of(response))
    assert status_of(unpaid) == S.AWAITING_PAYMENT
    assert not unpaid.events.exists()


def test_the_manager_page_offers_exactly_the_managers_moves_and_makes_them(cod_allowed):
    shop_order = rice_order(payment_method="cod")
    manager = login("pengelola.bungaraya")
    expected = {S.PROCESSING: [S.PACKED, S.CANCELLED], S.PACKED: [S.SHIPPED, S.CANCELLED], S.SHIPPED: [S.DELIVERED],
                S.DELIVERED: []}

    for status, then in ((S.PROCESSING, S.PACKED), (S.PACKED, S.SHIPPED), (S.SHIPPED, S.DELIVERED), (S.DELIVERED, None)):
        card = card_of(manager.get("/toko/kelola/pesanan/?tab=semua").content.decode(), shop_order.order.number)
        assert buttons_in(card) == expected[status]
        if then:
            response = manager.post(f"/toko/kelola/pesanan/{shop_order.order.number}/", {"status": then})
            assert response.status_code == 302 and status_of(shop_order) == then

    assert "Riwayat status" in card and "pengelola toko" in card


def test_a_refused_move_on_the_manager_page_is_a_message(cod_allowed):
    Bumkam.objects.filter(kampung__code="14.08.08.2001").update(courier_per_kg_regency=9000)  # the buyer lives elsewhere in Siak
    shop_order = rice_order(payment_method="cod", shipping="courier")
    manager = login("pengelola.bungaraya")
    manager.post(f"/toko/kelola/pesanan/{shop_order.order.number}/", {"status": S.PACKED})

    response = manager.post(f"/toko/kelola/pesanan/{shop_order.order.number}/", {"status": S.SHIPPED}, follow=True)

    assert response.status_code == 400 and "Isi nomor resi" in " ".join(messages_of(response))
    assert status_of(shop_order) == S.PACKED


def test_under_semua_orders_waiting_for_the_shop_come_first_the_newest_paid_on_top(cod_allowed):
    paid_first, unpaid, paid_later = rice_order(), rice_order(), rice_order()
    cod = rice_order(payment_method="cod")  # cash: "paid" when placed, before the two transfers arrive
    pay(paid_first)
    pay(paid_later)
    done = rice_order(payment_method="cod")
    shop_order_advance(shop_order=done, status=S.CANCELLED, acting_user=None)

    page = login("pengelola.bungaraya").get("/toko/kelola/pesanan/?tab=semua").content.decode()

    numbers = re.findall(r'data-order="([^"]+)"', page)
    position = {so.order.number: numbers.index(so.order.number) for so in (paid_first, unpaid, paid_later, cod, done)}
    assert position[paid_later.order.number] < position[paid_first.order.number] < position[cod.order.number]
    assert position[cod.order.number] < position[unpaid.order.number]
    assert position[cod.order.number] < position[done.order.number]


def test_the_buyer_sees_the_history_of_their_order(client):
    shop_order = rice_order()
    pay(shop_order)
    shop_order_advance(shop_order=shop_order, status=S.PACKED,
                       acting_user=get_user_model().objects.get(username="pengelola.bungaraya"))

    page = client.get(shop_order.checkout.get_absolute_url()).content.decode()

    assert "Riwayat status" in page
    assert f"{S.AWAITING_PAYMENT} → <strong>{S.PROCESSING}</strong> (sistem)" in page
    assert f"{S.PROCESSING} → <strong>{S.PACKED}</strong> (pengelola toko)" in page
    assert "pengelola.bungaraya" not in page  # who, by role; not the manager's account


# --- Oscar's dashboard /toko/dashboard/orders/ --------------------------------------------------

def dashboard_change(client, shop_order, status, **fields):
    return client.post(f"/toko/dashboard/orders/{shop_order.order.number}/",
                       {"order_action": "change_order_status", "new_status": status, **fields}, follow=True)


def test_in_the_dashboard_a_manager_cannot_move_an_unpaid_order():
    unpaid = rice_order()
    manager = login("pengelola.bungaraya")

    page = manager.get(f"/toko/dashboard/orders/{unpaid.order.number}/")
    assert page.status_code == 200
    assert page.context["order_status_form"].fields["new_status"].choices == []
    for status in (S.PROCESSING, S.CANCELLED, S.EXPIRED):
        response = dashboard_change(manager, unpaid, status)
        assert response.status_code == 200
        assert messages_of(response) and "changed from" not in " ".join(messages_of(response))
    assert status_of(unpaid) == S.AWAITING_PAYMENT
    assert not unpaid.events.exists()


def test_in_the_dashboard_a_managers_change_goes_through_the_transition_function():
    Bumkam.objects.filter(kampung__code="14.08.08.2001").update(courier_per_kg_regency=9000)  # the buyer lives elsewhere in Siak
    shop_order = rice_order(shipping="courier")
    pay(shop_order)
    manager = login("pengelola.bungaraya")
    offered = manager.get(f"/toko/dashboard/orders/{shop_order.order.number}/").context["order_status_form"]
    assert [value for value, _label in offered.fields["new_status"].choices] == [S.PACKED, S.CANCELLED]

    response = dashboard_change(manager, shop_order, S.PACKED)
    assert status_of(shop_order) == S.PACKED
    assert shop_order.events.filter(new_status=S.PACKED, actor=Actor.MANAGER).exists()

    response = dashboard_change(manager, shop_order, S.SHIPPED)
    assert "Isi nomor resi" in " ".join(messages_of(response))
    assert status_of(shop_order) == S.PACKED

    response = dashboard_change(manager, shop_order, S.DELIVERED)  # skipping shipping: not a move
    assert status_of(shop_order) == S.PACKED and response.status_code == 200

    dashboard_change(manager, shop_order, S.SHIPPED, tracking_number="JNE777", courier="JNE")
    shop_order.refresh_from_db()
    assert status_of(shop_order) == S.SHIPPED and shop_order.tracking_number == "JNE777"

    dashboard_change(manager, shop_order, S.DELIVERED)
    shop_order.refresh_from_db()
    assert status_of(shop_order) == S.DELIVERED and shop_order.delivered_at is not None
    assert list(shop_order.events.values_list("new_status", flat=True)) == [S.PROCESSING, S.PACKED, S.SHIPPED,
                                                                             S.DELIVERED]


def test_another_shops_manager_cannot_see_or_move_the_order_in_the_dashboard():
    shop_order = rice_order()
    pay(shop_order)
    other = login("pengelola.kerincikanan")

    assert other.get(f"/toko/dashboard/orders/{shop_order.order.number}/").status_code == 404
    response = other.post(f"/toko/dashboard/orders/{shop_order.order.number}/",
                          {"order_action": "change_order_status", "new_status": S.PACKED})
    assert response.status_code == 404
    assert status_of(shop_order) == S.PROCESSING


def test_the_dashboards_bulk_change_goes_through_the_table_too():
    unpaid, paid = rice_order(), rice_order()
    pay(paid)
    manager = login("pengelola.bungaraya")

    response = manager.post("/toko/dashboard/orders/", {
        "action": "change_order_statuses", "new_status": S.PACKED,
        "selected_order": [unpaid.order.pk, paid.order.pk]}, follow=True)

    assert response.status_code == 200
    assert status_of(unpaid) == S.AWAITING_PAYMENT  # refused, with Oscar's message
    assert status_of(paid) == S.PACKED
    assert ShopOrderEvent.objects.filter(shop_order=paid, new_status=S.PACKED, actor=Actor.MANAGER).exists()
    assert len(messages_of(response)) == 2


def test_the_regency_admin_changes_a_status_in_the_dashboard_as_the_regency():
    unpaid = rice_order()
    admin = login("admin")

    offered = admin.get(f"/toko/dashboard/orders/{unpaid.order.number}/").context["order_status_form"]
    assert [value for value, _label in offered.fields["new_status"].choices] == [S.CANCELLED]
    dashboard_change(admin, unpaid, S.PROCESSING)  # only a payment makes an order paid
    assert status_of(unpaid) == S.AWAITING_PAYMENT

    dashboard_change(admin, unpaid, S.CANCELLED)
    assert status_of(unpaid) == S.CANCELLED
    assert unpaid.events.get().actor == Actor.REGENCY
