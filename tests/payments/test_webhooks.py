"""Stripe's webhooks: verified by signature, applied once, in any order, never leaving
money without an order. Signatures are real HMACs made with the test secret."""

import itertools
import json
import time

import pytest
from django.core import mail
from oscar.core.loading import get_model

from marketplace.constants import CheckoutStatus, OrderStatus
from marketplace.payments.models import ProviderEvent, Refund, RefundStatus
from marketplace.checkout.services import checkouts_expire
from marketplace.settlements.models import LedgerTransaction
from marketplace.settlements.selectors import ledger_problems
from marketplace.settlements.services import refunded_amount

from .conftest import deliver, event

pytestmark = pytest.mark.django_db
OrderStatusChange = get_model("order", "OrderStatusChange")
StockRecord = get_model("partner", "StockRecord")


def succeeded(stripe_fake, checkout, event_id=None):
    return event("payment_intent.succeeded", stripe_fake.pay(checkout), event_id)


def nothing_written(checkout):
    checkout.refresh_from_db()
    return (checkout.status == CheckoutStatus.AWAITING_PAYMENT and not ProviderEvent.objects.exists()
            and not LedgerTransaction.objects.filter(checkout=checkout).exists())


def test_a_signed_succeeded_event_pays_the_checkout_once(client, card_checkout, stripe_fake,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, succeeded(stripe_fake, card_checkout))

    card_checkout.refresh_from_db()
    assert response.status_code == 200 and response.json()["result"] == "paid"
    assert card_checkout.status == CheckoutStatus.PAID and card_checkout.provider_status == "succeeded"
    assert {so.order.status for so in card_checkout.shop_orders.all()} == {OrderStatus.PROCESSING}
    assert LedgerTransaction.objects.filter(checkout=card_checkout, kind="payment").count() == 1
    assert ledger_problems() == []
    assert [m.subject for m in mail.outbox].count(f"Pembayaran {card_checkout.reference} diterima") == 1


@pytest.mark.parametrize("spoil", ["tampered body", "wrong secret", "missing header", "past the tolerance",
                                   "garbage header"])
def test_a_badly_signed_event_gets_400_and_writes_nothing(client, card_checkout, stripe_fake, spoil):
    body = succeeded(stripe_fake, card_checkout)
    from tests.stripe_fake import signed

    payload, header = signed(body, secret="whsec_someone_else" if spoil == "wrong secret" else
                             "whsec_test_pasar_kampung",
                             timestamp=int(time.time()) - 301 if spoil == "past the tolerance" else None)
    if spoil == "tampered body":
        payload = payload.replace(b'"amount_received": ', b'"amount_received": 1')
    headers = {} if spoil == "missing header" else {
        "HTTP_STRIPE_SIGNATURE": "t=1,v1=abc" if spoil == "garbage header" else header}

    response = client.post("/toko/stripe/webhook/", data=payload, content_type="application/json", **headers)

    assert response.status_code == 400
    assert nothing_written(card_checkout)


def test_an_event_of_an_unknown_kind_or_payment_gets_400_and_writes_nothing(client, card_checkout, stripe_fake):
    stranger = dict(stripe_fake.pay(card_checkout), id="pi_not_ours", metadata={})

    unknown_kind = deliver(client, event("customer.created", {"id": "cus_1", "object": "customer"}))
    unknown_payment = deliver(client, event("payment_intent.succeeded", stranger))

    assert unknown_kind.status_code == 400 and unknown_payment.status_code == 400
    assert nothing_written(card_checkout)


def test_a_get_or_a_webhook_without_stripe_keys_is_refused(client, card_checkout, stripe_fake, settings):
    assert client.get("/toko/stripe/webhook/").status_code == 405
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert deliver(client, succeeded(stripe_fake, card_checkout)).status_code == 400
    assert nothing_written(card_checkout)


def test_the_same_event_delivered_again_changes_nothing(client, card_checkout, stripe_fake,
                                                        django_capture_on_commit_callbacks):
    body = succeeded(stripe_fake, card_checkout)

    with django_capture_on_commit_callbacks(execute=True):
        results = [deliver(client, body).json()["result"] for _ in range(5)]

    assert results == ["paid"] + ["duplicate"] * 4
    assert OrderStatusChange.objects.filter(order__shop_order__checkout=card_checkout).count() == 2  # one per shop
    assert len([m for m in mail.outbox if m.subject.startswith("Pembayaran")]) == 1


def test_a_second_succeeded_event_with_another_id_is_still_one_payment(client, card_checkout, stripe_fake):
    deliver(client, succeeded(stripe_fake, card_checkout))
    second = deliver(client, succeeded(stripe_fake, card_checkout))

    assert second.json()["result"] == "already paid"
    assert LedgerTransaction.objects.filter(checkout=card_checkout).count() == 1


EVENTS = ("created", "processing", "succeeded", "refunded")


@pytest.mark.parametrize("order", list(itertools.permutations(EVENTS)), ids="-".join)
def test_every_order_of_events_ends_in_the_state_stripe_holds(client, card_checkout, stripe_fake, order):
    """Stripe holds: paid in full, then refunded in full from its dashboard."""
    intent = stripe_fake.intent_for(card_checkout)
    snapshots = {
        "created": event("payment_intent.created", dict(intent)),
        "processing": event("payment_intent.processing", dict(intent, status="processing")),
        "succeeded": event("payment_intent.succeeded", dict(stripe_fake.pay(card_checkout))),
        "refunded": event("charge.refunded", stripe_fake.charge_refunded(card_checkout, card_checkout.total)),
    }

    for name in order:
        assert deliver(client, snapshots[name]).status_code == 200

    card_checkout.refresh_from_db()
    assert card_checkout.status == CheckoutStatus.PAID and card_checkout.provider_status == "succeeded"
    assert sum(refunded_amount(so) for so in card_checkout.shop_orders.all()) == card_checkout.total
    assert {so.order.status for so in card_checkout.shop_orders.all()} == {OrderStatus.CANCELLED}
    assert LedgerTransaction.objects.filter(checkout=card_checkout, kind="payment").count() == 1
    assert ledger_problems() == []


def test_a_refund_we_made_is_not_refunded_again_when_stripe_reports_it(client, card_checkout, stripe_fake):
    from marketplace.payments.services import refund_issue

    deliver(client, succeeded(stripe_fake, card_checkout))
    shop_order = card_checkout.shop_orders.order_by("pk").first()
    refund_issue(shop_order=shop_order, amount=10_000, reason="Satu botol pecah", acting_user=None)

    deliver(client, event("charge.refunded", stripe_fake.charge_refunded(card_checkout, 10_000)))

    assert Refund.objects.filter(shop_order__checkout=card_checkout).count() == 1
    assert refunded_amount(shop_order) == 10_000 and ledger_problems() == []


def test_a_failure_after_stripe_took_the_money_ends_paid_and_flagged(client, card_checkout, stripe_fake, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("marketplace.payments.stripe_events.payment_received", broken)
    response = deliver(client, succeeded(stripe_fake, card_checkout))

    card_checkout.refresh_from_db()
    assert response.status_code == 200 and response.json()["result"] == "flagged"
    assert card_checkout.status == CheckoutStatus.PAID_FLAGGED and "disk full" in card_checkout.problem
    assert LedgerTransaction.objects.filter(checkout=card_checkout, kind="payment").count() == 1
    assert ledger_problems() == []

    client.force_login(get_model("auth", "User").objects.get(username="admin"))  # the admin sees and resolves it
    page = client.get("/toko/kelola/transfer/").content.decode()
    client.post(f"/toko/kelola/bermasalah/{card_checkout.reference}/")

    card_checkout.refresh_from_db()
    assert card_checkout.reference in page and "disk full" in page
    assert card_checkout.status == CheckoutStatus.PAID
    assert {so.order.status for so in card_checkout.shop_orders.all()} == {OrderStatus.PROCESSING}


def test_a_payment_arriving_after_the_checkout_expired_is_refunded(client, card_checkout, stripe_fake,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        checkouts_expire(now=card_checkout.expires_at)
    cancel = [r for r in stripe_fake.requests if r[1].endswith("/cancel")]

    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, succeeded(stripe_fake, card_checkout))  # the buyer paid just before the cancel landed

    card_checkout.refresh_from_db()
    refunds = Refund.objects.filter(shop_order__checkout=card_checkout)
    assert len(cancel) == 1 and cancel[0][3] == f"checkout-{card_checkout.reference}-cancel"
    assert card_checkout.status == CheckoutStatus.PAID_FLAGGED and "kedaluwarsa" in card_checkout.problem
    assert {r.status for r in refunds} == {RefundStatus.SUCCEEDED}
    assert sum(r.amount for r in refunds) == card_checkout.total
    assert [json.loads(json.dumps(r[2]))["amount"] for r in stripe_fake.requests if r[1] == "/v1/refunds"] == [
        str(so.order.total_incl_tax.quantize(1) * 100) for so in card_checkout.shop_orders.order_by("pk")]
    assert ledger_problems() == []


def test_a_canceled_payment_intent_expires_the_checkout_and_frees_its_stock(client, card_checkout, stripe_fake):
    lines = [(line.stockrecord_id, line.quantity) for so in card_checkout.shop_orders.all() for line in so.order.lines.all()]
    before = {pk: StockRecord.objects.get(pk=pk).num_allocated for pk, _ in lines}

    intent = dict(stripe_fake.intent_for(card_checkout), status="canceled")
    deliver(client, event("payment_intent.canceled", intent))

    card_checkout.refresh_from_db()
    assert card_checkout.status == CheckoutStatus.EXPIRED
    assert all(StockRecord.objects.get(pk=pk).num_allocated == before[pk] - quantity for pk, quantity in lines)


def test_a_dashboard_refund_counted_against_our_pending_one_is_recorded_when_ours_fails(client, card_checkout,
                                                                                         stripe_fake):
    """Our refund waits on a Stripe timeout while someone refunds the same money in Stripe's
    dashboard; Stripe then refuses ours. The ledger ends with what Stripe gave back."""
    from marketplace.payments.services import refund_issue, refund_send

    deliver(client, succeeded(stripe_fake, card_checkout))
    shop_order = card_checkout.shop_orders.order_by("pk").first()
    stripe_fake.hang_seconds = 30
    with pytest.raises(Exception, match="Stripe belum menjawab"):
        refund_issue(shop_order=shop_order, amount=10_000, reason="Rusak", acting_user=None)
    stripe_fake.hang_seconds = 0

    deliver(client, event("charge.refunded", stripe_fake.charge_refunded(card_checkout, 10_000)))
    assert refunded_amount(shop_order) == 0  # ours is pending and stands for those 10.000 for now
    stripe_fake.replies.clear()
    stripe_fake.fail_with = ("/v1/refunds", 400, {"type": "invalid_request_error", "code": "charge_already_refunded",
                                                  "message": "Charge has already been refunded."})
    with pytest.raises(Exception, match="menolak"):
        refund_send(Refund.objects.get(status=RefundStatus.PENDING))

    assert sum(refunded_amount(so) for so in card_checkout.shop_orders.all()) == 10_000
    assert Refund.objects.filter(status=RefundStatus.FAILED).count() == 1
    assert ledger_problems() == []
