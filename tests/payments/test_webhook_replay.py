"""Stripe delivers at least once, and sometimes at once: the same event 100 times, 10 at a
time, on real threads with their own connections to PostgreSQL, is one payment.

Like tests/marketplace/test_concurrency.py these commit, so they use no test transaction."""

from django.core import mail
from django.test import Client
from oscar.core.loading import get_model

from marketplace.constants import CheckoutStatus
from marketplace.checkout.services import card_payment_start
from marketplace.settlements.models import LedgerTransaction
from marketplace.settlements.selectors import ledger_problems
from tests import factories
from tests.marketplace.test_concurrency import committed, run_at_once  # noqa: F401 - a fixture
from tests.stripe_fake import signed

from .conftest import event, honey_and_rice

OrderStatusChange = get_model("order", "OrderStatusChange")


def test_one_event_delivered_100_times_10_at_once_is_one_payment_one_status_change_one_email(committed, stripe_fake):
    checkout = card_payment_start(factories.place(honey_and_rice(), payment_method="card", email="replay@example.test"))
    payload, header = signed(event("payment_intent.succeeded", stripe_fake.pay(checkout)))
    mail.outbox.clear()

    def deliver(_i):
        return Client().post("/toko/stripe/webhook/", data=payload, content_type="application/json",
                             HTTP_STRIPE_SIGNATURE=header).status_code

    answers = []
    for _round in range(10):
        answers += run_at_once(10, deliver)

    checkout.refresh_from_db()
    assert answers == [200] * 100
    assert checkout.status == CheckoutStatus.PAID
    assert LedgerTransaction.objects.filter(checkout=checkout).count() == 1
    for shop_order in checkout.shop_orders.all():
        assert OrderStatusChange.objects.filter(order=shop_order.order).count() == 1
    assert [m.subject for m in mail.outbox if m.to == ["replay@example.test"]] == [
        f"Pembayaran {checkout.reference} diterima"]
    assert ledger_problems() == []
