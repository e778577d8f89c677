"""Every move of a shop order, by every actor, through the one transition function: what the
table allows happens with all it implies (stock, tracking number, delivered_at, event row,
e-mails); what it refuses changes nothing."""

import datetime
import itertools

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from oscar.core.loading import get_model

from marketplace.checkout.services import checkouts_expire
from marketplace.constants import Actor, CheckoutStatus, OrderStatus
from marketplace.errors import UserError
from marketplace.orders.models import ShopOrderEvent
from marketplace.orders.moves import MOVES, next_statuses
from marketplace.orders.services import shop_order_advance
from marketplace.payments.services import payment_confirm_bank_transfer
from shops.models import Bumkam
from tests import factories
from tests.payments.conftest import card_checkout, deliver, event, stripe_fake  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
S = OrderStatus
EVERY_STATUS = [S.AWAITING_PAYMENT, S.PROCESSING, S.PACKED, S.SHIPPED, S.DELIVERED, S.COMPLETED, S.CANCELLED,
                S.EXPIRED]
# Who acts: the keyword arguments each passes, and the role the table knows them by (None: no role at all).
ACTORS = {
    "system": (lambda: {"acting_user": None}, Actor.SYSTEM),
    "buyer": (lambda: {"acting_user": None, "actor": Actor.BUYER}, Actor.BUYER),
    "manager": (lambda: {"acting_user": user("pengelola.bungaraya")}, Actor.MANAGER),
    "other shop's manager": (lambda: {"acting_user": user("pengelola.kerincikanan")}, None),
    "regency admin": (lambda: {"acting_user": user("admin")}, Actor.REGENCY),
}
RICE_MANAGER_EMAIL = "bungaraya@siakkab.test"


def user(username):
    return get_user_model().objects.get(username=username)


def rice():
    return Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")  # sold by Bunga Raya


def stock(product):
    record = product.stockrecords.get()
    return record.num_in_stock, record.num_allocated or 0


def rice_order(*, payment_method="bank_transfer", shipping="pickup", quantity=1):
    """Bunga Raya's shop order of a fresh checkout of rice."""
    product = rice()
    checkout = factories.place(factories.basket((product, quantity)), payment_method=payment_method,
                               shipping={product.producer.bumkam.pk: shipping})
    return checkout.shop_orders.select_related("order", "checkout").get()


def put_in(shop_order, status):
    """Test set-up only: the order stands in `status` (how it got there is not what is tested here)."""
    Order.objects.filter(pk=shop_order.order_id).update(status=status)


def status_of(shop_order):
    return Order.objects.values_list("status", flat=True).get(pk=shop_order.order_id)


def pay(shop_order):
    checkout = shop_order.checkout
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=user("admin"))


# --- the table itself ---------------------------------------------------------------------------

def test_the_table_says_a_manager_moves_only_paid_orders_forward_or_cancels_them():
    manager_moves = {move for move, spec in MOVES.items() if Actor.MANAGER in spec.actors}
    assert manager_moves == {(S.PROCESSING, S.PACKED), (S.PROCESSING, S.CANCELLED), (S.PACKED, S.SHIPPED),
                             (S.PACKED, S.CANCELLED), (S.SHIPPED, S.DELIVERED)}
    assert next_statuses(S.AWAITING_PAYMENT, Actor.MANAGER) == []
    assert next_statuses(S.AWAITING_PAYMENT, Actor.SYSTEM) == [S.PROCESSING, S.CANCELLED, S.EXPIRED]
    buyer_moves = {move for move, spec in MOVES.items() if Actor.BUYER in spec.actors}
    assert buyer_moves == {(S.AWAITING_PAYMENT, S.CANCELLED), (S.SHIPPED, S.DELIVERED), (S.DELIVERED, S.COMPLETED)}


def test_oscars_pipeline_is_built_from_the_table():
    pipeline = settings.OSCAR_ORDER_STATUS_PIPELINE
    assert list(pipeline) == EVERY_STATUS[:6] + [S.CANCELLED, S.EXPIRED]
    assert {(old, new) for old, nexts in pipeline.items() for new in nexts} == set(MOVES)
    assert not hasattr(OrderStatus, "PIPELINE")


def test_nothing_but_the_transition_function_sets_an_orders_status():
    """By construction: no other module calls Oscar's set_status, and no signal handler moves stock."""
    root = settings.BASE_DIR
    callers = [path.relative_to(root).as_posix() for folder in ("marketplace", "shops", "cms", "search")
               for path in (root / folder).rglob("*.py")
               if ".set_status(" in path.read_text() or "order_status_changed" in path.read_text()]
    assert callers == ["marketplace/orders/services.py"]


# --- every pair, every actor --------------------------------------------------------------------

PAIRS = [(old, new) for old, new in itertools.product(EVERY_STATUS, EVERY_STATUS) if old != new]


@pytest.mark.parametrize("who", list(ACTORS))
@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{o}->{n}" for o, n in PAIRS])
def test_every_move_by_every_actor_is_made_exactly_when_the_table_allows_it(old, new, who):
    kwargs, role = ACTORS[who][0](), ACTORS[who][1]
    shop_order = rice_order()
    put_in(shop_order, old)
    allowed = (old, new) in MOVES and role in MOVES[(old, new)].actors

    if allowed:
        shop_order_advance(shop_order=shop_order, status=new, tracking_number="RESI-1", **kwargs)
        assert status_of(shop_order) == new
        event = ShopOrderEvent.objects.get(shop_order=shop_order)
        assert (event.old_status, event.new_status, event.actor) == (old, new, role)
        assert event.acting_user == kwargs["acting_user"]
    else:
        refusal = PermissionDenied if (role is None or (old, new) in MOVES) else UserError
        with pytest.raises(refusal):
            shop_order_advance(shop_order=shop_order, status=new, tracking_number="RESI-1", **kwargs)
        assert status_of(shop_order) == old
        assert not ShopOrderEvent.objects.filter(shop_order=shop_order).exists()


def test_a_made_up_status_is_refused_with_a_message():
    shop_order = rice_order()
    pay(shop_order)

    with pytest.raises(UserError, match="tidak bisa diubah dari Diproses ke Hilang"):
        shop_order_advance(shop_order=shop_order, status="Hilang", acting_user=user("pengelola.bungaraya"))
    assert status_of(shop_order) == S.PROCESSING


# --- what each move does ------------------------------------------------------------------------

def test_shipping_takes_the_goods_off_the_shelf_and_delivery_does_not_touch_stock():
    before = stock(rice())
    shop_order = rice_order(quantity=2)
    manager = user("pengelola.bungaraya")
    pay(shop_order)
    shop_order_advance(shop_order=shop_order, status=S.PACKED, acting_user=manager)
    assert stock(rice()) == (before[0], before[1] + 2)

    shop_order_advance(shop_order=shop_order, status=S.SHIPPED, acting_user=manager)
    assert stock(rice()) == (before[0] - 2, before[1])

    shop_order_advance(shop_order=shop_order, status=S.DELIVERED, acting_user=manager)
    shop_order_advance(shop_order=shop_order, status=S.COMPLETED, acting_user=None)
    assert stock(rice()) == (before[0] - 2, before[1])


@pytest.mark.parametrize("path", [
    [S.CANCELLED], [S.EXPIRED], [S.PROCESSING, S.CANCELLED], [S.PROCESSING, S.PACKED, S.CANCELLED],
], ids=lambda path: "->".join(path))
def test_an_order_that_ends_before_shipping_puts_its_stock_back_on_sale(path):
    before = stock(rice())
    shop_order = rice_order(quantity=3)
    assert stock(rice()) == (before[0], before[1] + 3)

    for status in path:
        shop_order_advance(shop_order=shop_order, status=status, acting_user=None if status != S.PACKED
                           else user("pengelola.bungaraya"))

    assert stock(rice()) == before


def test_shipping_more_than_the_shelf_holds_is_refused_with_a_message_and_nothing_moves():
    shop_order = rice_order(quantity=2)
    manager = user("pengelola.bungaraya")
    pay(shop_order)
    shop_order_advance(shop_order=shop_order, status=S.PACKED, acting_user=manager)
    rice().stockrecords.update(num_allocated=1)  # recounted by hand below what this order reserved

    with pytest.raises(UserError, match="perbaiki stoknya"):
        shop_order_advance(shop_order=shop_order, status=S.SHIPPED, acting_user=manager)
    assert status_of(shop_order) == S.PACKED


def test_delivered_at_is_stamped_on_delivery_and_only_then():
    shop_order = rice_order()
    manager = user("pengelola.bungaraya")
    pay(shop_order)
    for status in (S.PACKED, S.SHIPPED):
        shop_order_advance(shop_order=shop_order, status=status, acting_user=manager)
        shop_order.refresh_from_db()
        assert shop_order.delivered_at is None

    shop_order_advance(shop_order=shop_order, status=S.DELIVERED, acting_user=None, actor=Actor.BUYER)

    shop_order.refresh_from_db()
    assert shop_order.delivered_at is not None


def test_a_courier_order_ships_only_with_its_tracking_number_a_pickup_order_without():
    Bumkam.objects.filter(kampung__code="14.08.08.2001").update(courier_per_kg_regency=9000)  # the buyer lives elsewhere in Siak
    manager = user("pengelola.bungaraya")
    courier, pickup = rice_order(shipping="courier"), rice_order(shipping="pickup")
    for shop_order in (courier, pickup):
        pay(shop_order)
        shop_order_advance(shop_order=shop_order, status=S.PACKED, acting_user=manager)

    with pytest.raises(UserError, match="nomor resi"):
        shop_order_advance(shop_order=courier, status=S.SHIPPED, acting_user=manager, tracking_number="   ")
    assert status_of(courier) == S.PACKED
    assert not ShopOrderEvent.objects.filter(shop_order=courier, new_status=S.SHIPPED).exists()

    shop_order_advance(shop_order=courier, status=S.SHIPPED, acting_user=manager, tracking_number=" JNE001 ",
                       courier="JNE")
    shop_order_advance(shop_order=pickup, status=S.SHIPPED, acting_user=manager)

    courier.refresh_from_db()
    assert (courier.tracking_number, courier.courier) == ("JNE001", "JNE")
    assert status_of(pickup) == S.SHIPPED
    assert ShopOrderEvent.objects.get(shop_order=courier, new_status=S.SHIPPED).note == "Kurir JNE, resi JNE001"


def test_each_move_leaves_an_event_row_naming_who_made_it():
    shop_order = rice_order()
    admin, manager = user("admin"), user("pengelola.bungaraya")
    pay(shop_order)
    shop_order_advance(shop_order=shop_order, status=S.PACKED, acting_user=manager)
    shop_order_advance(shop_order=shop_order, status=S.SHIPPED, acting_user=admin, note="Diantar sendiri")
    shop_order_advance(shop_order=shop_order, status=S.DELIVERED, acting_user=None, actor=Actor.BUYER)

    rows = list(shop_order.events.values_list("old_status", "new_status", "actor", "acting_user__username", "note"))
    assert rows == [
        (S.AWAITING_PAYMENT, S.PROCESSING, Actor.SYSTEM, "admin", ""),  # the admin who saw the transfer arrive
        (S.PROCESSING, S.PACKED, Actor.MANAGER, "pengelola.bungaraya", ""),
        (S.PACKED, S.SHIPPED, Actor.REGENCY, "admin", "Diantar sendiri"),
        (S.SHIPPED, S.DELIVERED, Actor.BUYER, None, ""),
    ]


def test_the_event_row_is_written_with_the_move_or_not_at_all(monkeypatch):
    shop_order = rice_order()
    pay(shop_order)
    monkeypatch.setattr(ShopOrderEvent.objects, "create", lambda **kw: (_ for _ in ()).throw(RuntimeError("disk")))

    with pytest.raises(RuntimeError):
        shop_order_advance(shop_order=shop_order, status=S.PACKED, acting_user=user("pengelola.bungaraya"))

    assert status_of(shop_order) == S.PROCESSING


# --- e-mail -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new"), list(MOVES), ids=[f"{o}->{n}" for o, n in MOVES])
def test_the_buyer_is_told_of_every_move(old, new, django_capture_on_commit_callbacks):
    shop_order = rice_order()
    put_in(shop_order, old)
    mail.outbox.clear()

    acting_user = None if Actor.SYSTEM in MOVES[(old, new)].actors else user("admin")

    with django_capture_on_commit_callbacks(execute=True):
        shop_order_advance(shop_order=shop_order, status=new, acting_user=acting_user, tracking_number="RESI-1")

    to_buyer = [m for m in mail.outbox if m.to == ["siti@example.test"]]
    assert [m.subject for m in to_buyer] == [f"Pesanan {shop_order.order.number}: {new}"]
    assert shop_order.checkout.reference in to_buyer[0].body


def manager_mail(shop_order):
    return [m for m in mail.outbox if m.to == [RICE_MANAGER_EMAIL]
            and m.subject == f"Pesanan baru {shop_order.order.number} siap diproses"]


def test_the_shops_managers_hear_of_a_bank_transfer_once_it_is_confirmed(django_capture_on_commit_callbacks):
    shop_order = rice_order()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        factories.place(factories.basket((rice(), 1)))  # placed, not paid: nothing for the shop yet
    assert not [m for m in mail.outbox if m.to == [RICE_MANAGER_EMAIL]]

    with django_capture_on_commit_callbacks(execute=True):
        pay(shop_order)

    [message] = manager_mail(shop_order)
    assert f"{settings.SITE_URL}/toko/kelola/pesanan/" in message.body
    assert "1 × " in message.body and "Rp " in message.body


def test_the_shops_managers_hear_of_a_card_payment_when_stripe_reports_it(client, card_checkout, stripe_fake,
                                                                         django_capture_on_commit_callbacks):
    shop_order = card_checkout.shop_orders.get(bumkam__kampung__code="14.08.08.2001")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, event("payment_intent.succeeded", stripe_fake.pay(card_checkout)))

    assert response.status_code == 200 and status_of(shop_order) == S.PROCESSING
    [message] = manager_mail(shop_order)
    assert f"{settings.SITE_URL}/toko/kelola/pesanan/" in message.body


def test_the_shops_managers_hear_of_a_cash_on_delivery_order_when_it_is_placed(cod_allowed,
                                                                              django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        shop_order = rice_order(payment_method="cod")

    assert status_of(shop_order) == S.PROCESSING
    [message] = manager_mail(shop_order)
    assert f"{settings.SITE_URL}/toko/kelola/pesanan/" in message.body


def test_the_shop_is_not_told_again_when_an_order_moves_on(django_capture_on_commit_callbacks):
    shop_order = rice_order()
    pay(shop_order)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        shop_order_advance(shop_order=shop_order, status=S.PACKED, acting_user=user("pengelola.bungaraya"))

    assert [m.to for m in mail.outbox] == [["siti@example.test"]]


# --- the scenarios ----------------------------------------------------------------------

def test_an_expired_checkout_leaves_no_order_in_processing_and_returns_the_stock():
    before = stock(rice())
    shop_order = rice_order(quantity=2)

    checkouts_expire(now=shop_order.checkout.expires_at + datetime.timedelta(seconds=1))

    shop_order.checkout.refresh_from_db()
    assert shop_order.checkout.status == CheckoutStatus.EXPIRED
    assert status_of(shop_order) == S.EXPIRED
    assert stock(rice()) == before
    assert shop_order.events.get().actor == Actor.SYSTEM
