"""Random sequences of checkouts (card and transfer), payments, expiries, cancellations,
refunds (ours and ones made in Stripe's dashboard) and payouts keep the ledger, the refunds
and the stock right."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_model

from marketplace.constants import CheckoutStatus, OrderStatus
from marketplace.orders.models import ShopOrder
from marketplace.errors import UserError
from marketplace.checkout.services import OutOfStock
from marketplace.checkout.services import checkouts_expire
from marketplace.payments.services import payment_confirm_bank_transfer
from marketplace.orders.services import shop_order_advance
from marketplace.payments.services import refund_issue, refundable
from marketplace.settlements.models import LedgerTransaction, Payout, PayoutStatus
from marketplace.settlements.payouts import payout_confirm, payout_create, payouts_send
from marketplace.settlements.selectors import ledger_problems
from marketplace.settlements.services import refunded_amount, settlements_run
from marketplace.payments import stripe_gateway
from marketplace.payments.stripe_events import event_handle
from tests import factories
from tests.payments.conftest import stripe_fake  # noqa: F401 - a fixture
from tests.stripe_fake import event as fake_event
from tests.stripe_fake import signed

pytestmark = pytest.mark.django_db
SKUS = ["14.08.06.2001-madu-sialang", "14.08.08.2001-beras", "14.08.07.2001-keripik-nenas"]

basket_lines = st.tuples(st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 5)), min_size=1, max_size=3),
                         st.sampled_from(["bank_transfer", "card"]))
# every step after the first works on one of the shop orders placed so far, picked by number
step = st.one_of(
    st.tuples(st.just("checkout"), basket_lines),
    st.tuples(st.just("stripe dashboard refund"), st.tuples(st.integers(0, 20), st.integers(1, 400_000))),
    st.tuples(st.sampled_from(["pay", "pay", "expire", "cancel", "deliver and pay out", "deliver and pay out"]),
              st.integers(0, 20)),
    st.tuples(st.just("refund"), st.tuples(st.integers(0, 20), st.integers(1, 400_000))),
)


def stripe_says(kind, obj):
    """Through the same verification as the webhook view, with a real signature."""
    payload, header = signed(fake_event(kind, obj))
    event_handle(stripe_gateway.webhook_event(payload, header))


def _deliver_and_pay_out(shop_order, admin):
    for status in (OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        shop_order_advance(shop_order=shop_order, status=status, acting_user=admin, tracking_number="R-1")
    for settlement in settlements_run(now=timezone.now() + datetime.timedelta(days=30)):
        payout_create(settlement=settlement)
    for payout in payouts_send()[0]:
        payout_confirm(payout=payout, bank_reference="BRK")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.tuples(st.tuples(st.just("checkout"), basket_lines), st.lists(step, min_size=2, max_size=12))
       .map(lambda first_and_rest: [first_and_rest[0], *first_and_rest[1]]))
def test_the_ledger_and_stock_stay_right_whatever_happens(db, stripe_fake, steps):
    StockRecord = get_model("partner", "StockRecord")
    admin = get_user_model().objects.get(username="admin")
    # the examples share one test transaction: restock, so that earlier examples do not starve this one
    StockRecord.objects.filter(partner_sku__in=SKUS).update(num_in_stock=Coalesce(F("num_allocated"), 0) + 30)
    placed = []
    for action, detail in steps:
        if action == "checkout":
            lines, method = detail
            try:
                placed.append(factories.place_skus(lines, payment_method=method))
                event(f"placed a checkout ({method})")
            except OutOfStock:
                event("out of stock")
        elif placed:
            which, amount = detail if "refund" in action else (detail, 0)
            orders = list(ShopOrder.objects.filter(checkout__in=placed).select_related("order", "checkout")
                          .order_by("pk"))
            fitting = {  # each action picks among the shop orders it can apply to
                "pay": [o for o in orders if o.checkout.status == CheckoutStatus.AWAITING_PAYMENT],
                "expire": [o for o in orders if o.checkout.status == CheckoutStatus.AWAITING_PAYMENT],
                "cancel": [o for o in orders if o.order.status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.PROCESSING)],
                "refund": [o for o in orders if o.checkout.is_paid],
                "stripe dashboard refund": [o for o in orders if o.checkout.is_paid and o.checkout.payment_intent_id],
                "deliver and pay out": [o for o in orders if o.order.status == OrderStatus.PROCESSING],
            }[action]
            if not fitting:
                continue
            shop_order = fitting[which % len(fitting)]
            checkout = shop_order.checkout
            if action == "pay" and checkout.payment_intent_id:
                stripe_says("payment_intent.succeeded", stripe_fake.pay(checkout))
                event("paid by card")
            elif action == "pay":
                payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)
                event("paid by transfer")
            elif action == "stripe dashboard refund":
                already = sum(refunded_amount(o) for o in checkout.shop_orders.all())
                total = min(checkout.total, already + amount)
                stripe_says("charge.refunded", stripe_fake.charge_refunded(checkout, total))
                assert sum(refunded_amount(o) for o in checkout.shop_orders.all()) == total  # as Stripe holds
                event("refunded in Stripe's dashboard")
            elif action == "expire":
                checkouts_expire(only=type(checkout).objects.filter(pk=checkout.pk),
                                 now=timezone.now() + datetime.timedelta(days=2))
                event("expired")
            elif action == "cancel" and not checkout.is_paid:
                shop_order_advance(shop_order=shop_order, status=OrderStatus.CANCELLED, acting_user=admin)
                event("cancelled unpaid")
            elif action in ("cancel", "refund"):
                amount = refundable(shop_order) if action == "cancel" else amount
                try:
                    refund_issue(shop_order=shop_order, amount=amount, reason="uji", acting_user=admin, reference="BRK")
                    event(f"refunded ({action})")
                except UserError:
                    event("refund refused")  # over what is left, nothing left, or already settled: refused
                    assert amount > refundable(shop_order) or hasattr(shop_order, "settlement_line") or not amount
            elif action == "deliver and pay out":
                _deliver_and_pay_out(shop_order, admin)
                event("paid out")

        assert ledger_problems() == []
        for shop_order in ShopOrder.objects.filter(checkout__in=placed).select_related("order"):
            assert 0 <= refunded_amount(shop_order) <= int(shop_order.order.total_incl_tax)
        paid_out = Payout.objects.filter(status=PayoutStatus.PAID)
        for payout in paid_out:  # each statement is paid once, alone or carried into a later one
            statements = [payout.settlement, *payout.settlement.carried.all()]
            assert payout.amount == sum(statement.totals()["net"] for statement in statements) > 0
        assert LedgerTransaction.objects.filter(kind="payout", key__startswith="payout-").count() == paid_out.count()
        for record in StockRecord.objects.filter(partner_sku__in=SKUS):
            assert 0 <= (record.num_allocated or 0) <= record.num_in_stock
