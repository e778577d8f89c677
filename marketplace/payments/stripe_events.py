"""What Stripe tells us, applied once and in any order.

Each event is recorded in the same transaction as its effect, so a replay is a no-op, and
the checkout's row lock makes two different events about one payment wait for each other.
Events can arrive out of order, so each one moves the checkout towards what Stripe holds
and never back: a late `processing` after `succeeded` changes nothing, and a refund that
arrives before its payment first records the payment it implies.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import Actor, CheckoutStatus, OrderStatus, PaymentMethod
from ..checkout.models import Checkout
from ..payments.models import Provider, ProviderEvent, Refund
from ..orders.models import ShopOrder
from ..errors import UserError
from ..checkout.services import checkouts_expire
from ..payments.services import payment_received
from ..orders.services import shop_order_advance
from ..payments.services import refund_send, refund_settle, refundable, refunds_match_provider
from ..settlements.services import ledger_record_payment
from .stripe_gateway import from_stripe_amount

logger = logging.getLogger(__name__)


class UnknownEvent(Exception):
    """An event of a kind we do not handle, or about a payment that is not ours: nothing is written."""


class NotACardCheckout(UnknownEvent):
    """A card event about a checkout paid by bank transfer or cash: never booked, nothing is written."""


class MalformedEvent(UnknownEvent):
    """Signed by Stripe but not of the shape its API reference gives: nothing is written."""


# What each handled kind's object must carry, and of which type, before anything is applied.
_TEXT, _WHOLE, _DICT = (str,), (int,), (dict,)
_INTENT = {"id": _TEXT, "status": _TEXT, "amount_received": _WHOLE}
SHAPES = {
    "payment_intent": _INTENT,
    "charge.refunded": {"id": _TEXT, "payment_intent": _TEXT, "amount_captured": _WHOLE, "amount_refunded": _WHOLE},
    "refund": {"id": _TEXT, "status": _TEXT, "payment_intent": _TEXT},
}


def event_shape_check(event) -> None:
    """One place that makes sure an event is what the handlers expect, so that a signed but
    odd event (a field missing, null, of another type) is a 400 rather than a half-applied 500."""
    try:
        body = event.to_dict()
    except (AttributeError, TypeError) as error:
        raise MalformedEvent("bukan objek peristiwa") from error
    if not isinstance(body.get("id"), str) or not body["id"] or not isinstance(body.get("type"), str):
        raise MalformedEvent("id atau type tidak ada")
    data = body.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        raise MalformedEvent("data.object tidak ada")
    kind = body["type"]
    shape = SHAPES.get(kind) or SHAPES.get(kind.split(".", 1)[0]) or {}
    for field, types in shape.items():
        value = obj.get(field)
        if not isinstance(value, types) or isinstance(value, bool) or (types is _TEXT and not value):
            raise MalformedEvent(f"{field} tidak sah")
        if types is _WHOLE and value < 0:
            raise MalformedEvent(f"{field} tidak sah")
    metadata = obj.get("metadata", {})
    if metadata is not None and (not isinstance(metadata, dict)
                                 or not all(isinstance(v, str) for v in metadata.values())):
        raise MalformedEvent("metadata tidak sah")

# How far along a PaymentIntent is; a status never moves back down.
RANK = {"requires_payment_method": 0, "requires_confirmation": 0, "requires_action": 0, "processing": 1,
        "requires_capture": 1, "succeeded": 2, "canceled": 2}


def event_handle(event) -> str:
    """Apply one verified event; returns a word for the log. Never leaves money without an order:
    if applying a payment fails, the checkout is recorded as paid and flagged for the admin."""
    event_shape_check(event)
    handler = HANDLERS.get(event.type)
    if handler is None:
        raise UnknownEvent(event.type)
    try:
        with transaction.atomic():
            _event, created = ProviderEvent.objects.get_or_create(provider=Provider.STRIPE, event_id=event.id,
                                                                  defaults={"kind": event.type})
            if not created:
                return "duplicate"
            result = handler(event.data.object)
    except UnknownEvent:
        raise
    except Exception as error:
        if event.type != "payment_intent.succeeded":
            raise
        logger.exception("Stripe event %s failed; flagging the checkout", event.id)
        result = _flag_paid(event, error)
    return result


def _metadata(obj, key: str) -> str:
    return obj.metadata.to_dict().get(key, "") if getattr(obj, "metadata", None) else ""


def _checkout(intent_id: str, reference: str = "") -> Checkout | None:
    checkouts = Checkout.objects.select_for_update()
    found = checkouts.filter(payment_intent_id=intent_id).first() if intent_id else None
    if found is None and reference:  # the webhook came before our own record of the intent's id
        found = checkouts.filter(reference=reference, payment_intent_id__in=("", intent_id)).first()
    if found is not None and found.payment_method != PaymentMethod.CARD:
        raise NotACardCheckout(f"{found.reference} ({found.payment_method})")
    return found


def _advance_status(checkout: Checkout, status: str) -> None:
    if RANK.get(status, -1) > RANK.get(checkout.provider_status, -1):
        checkout.provider_status = status
        checkout.save(update_fields=["provider_status"])


def _on_intent(intent) -> str:
    checkout = _checkout(intent.id, _metadata(intent, "checkout"))
    if checkout is None:
        raise UnknownEvent(intent.id)
    if not checkout.payment_intent_id:
        checkout.payment_intent_id = intent.id
        checkout.save(update_fields=["payment_intent_id"])
    _advance_status(checkout, intent.status)
    if intent.status == "succeeded":
        return _paid(checkout, from_stripe_amount(intent.amount_received))
    if intent.status == "canceled" and checkout.status == CheckoutStatus.AWAITING_PAYMENT:
        checkouts_expire(only=Checkout.objects.filter(pk=checkout.pk), now=checkout.expires_at)
        return "expired"
    return intent.status


def _paid(checkout: Checkout, amount: int) -> str:
    if checkout.is_paid:
        return "already paid"
    if checkout.status == CheckoutStatus.AWAITING_PAYMENT and amount == checkout.total:
        payment_received(checkout=checkout, provider=Provider.STRIPE, amount=amount)
        return "paid"
    # Money arrived for a checkout that can no longer be fulfilled: record it, flag it, and
    # if the orders had expired (their stock is back on sale) give the money back.
    expired = checkout.status == CheckoutStatus.EXPIRED
    checkout.status, checkout.paid_at = CheckoutStatus.PAID_FLAGGED, timezone.now()
    checkout.problem = (_("Pembayaran kartu tiba setelah checkout kedaluwarsa; dana dikembalikan.") if expired
                        else _("Stripe menerima %(got)d, tagihan %(due)d.") % {"got": amount, "due": checkout.total})
    checkout.save(update_fields=["status", "paid_at", "problem"])
    ledger_record_payment(checkout=checkout, provider=Provider.STRIPE, amount=amount)
    if expired:
        refunds = [Refund.objects.create(shop_order=so, amount=refundable(so), reason=_("Pembayaran terlambat"))
                   for so in checkout.shop_orders.select_related("order")]
        for refund in refunds:  # to Stripe once the refund is saved, and never if it is not
            transaction.on_commit(lambda refund=refund: _send_quietly(refund))
    return "flagged"


def _send_quietly(refund) -> None:
    try:
        refund_send(refund)
    except UserError:  # left pending or failed, listed for the admin; `retry_refunds` resends pending ones
        logger.exception("refund %s not sent", refund.pk)


def _flag_paid(event, error) -> str:
    intent = event.data.object
    with transaction.atomic():
        ProviderEvent.objects.get_or_create(provider=Provider.STRIPE, event_id=event.id, defaults={"kind": event.type})
        checkout = _checkout(intent.id, _metadata(intent, "checkout"))
        if checkout is None or checkout.is_paid:
            return "flag skipped"
        checkout.status, checkout.paid_at = CheckoutStatus.PAID_FLAGGED, timezone.now()
        checkout.provider_status = "succeeded"
        checkout.problem = _("Pembayaran diterima Stripe, tetapi pesanan gagal diproses: %(error)s") % {"error": error}
        checkout.save(update_fields=["status", "paid_at", "provider_status", "problem"])
        ledger_record_payment(checkout=checkout, provider=Provider.STRIPE, amount=from_stripe_amount(intent.amount_received))
    return "flagged"


def _on_charge_refunded(charge) -> str:
    """Make what we have refunded equal what Stripe has refunded."""
    checkout = _checkout(charge.payment_intent)
    if checkout is None:
        raise UnknownEvent(charge.id)
    _advance_status(checkout, "succeeded")
    _paid(checkout, from_stripe_amount(charge.amount_captured))
    refunded = from_stripe_amount(charge.amount_refunded)
    if refunded > checkout.provider_refunded:  # Stripe's total only grows; an older event says less
        checkout.provider_refunded = refunded
        checkout.save(update_fields=["provider_refunded"])
    refunds_match_provider(checkout=checkout, refunded_total=checkout.provider_refunded, reference=charge.id)
    return "refunds match Stripe"


def _on_refund(stripe_refund) -> str:
    refund_id = _metadata(stripe_refund, "refund")
    refund = Refund.objects.filter(pk=refund_id).first() if refund_id and refund_id.isdigit() else None
    if refund is None:  # made in Stripe's dashboard: charge.refunded shares it out
        if _checkout(stripe_refund.payment_intent) is None:
            raise UnknownEvent(stripe_refund.id)
        return "left to charge.refunded"
    if refund.shop_order.checkout.payment_method != PaymentMethod.CARD:
        raise NotACardCheckout(f"refund {refund.pk}")
    refund_settle(refund=refund, status=stripe_refund.status, reference=stripe_refund.id)
    return f"refund {stripe_refund.status}"


HANDLERS = {
    **{f"payment_intent.{kind}": _on_intent for kind in
       ("created", "processing", "requires_action", "succeeded", "payment_failed", "canceled")},
    "charge.refunded": _on_charge_refunded,
    "refund.updated": _on_refund,
    "refund.failed": _on_refund,
}


def flagged_resolve(*, checkout: Checkout, acting_user) -> Checkout:
    """The admin checked a flagged payment and lets the shops go ahead with its orders."""
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if checkout.status != CheckoutStatus.PAID_FLAGGED:
            return checkout
        for shop_order in ShopOrder.objects.filter(checkout=checkout, order__status=OrderStatus.AWAITING_PAYMENT):
            shop_order_advance(shop_order=shop_order, status=OrderStatus.PROCESSING, acting_user=acting_user,
                               actor=Actor.SYSTEM)
        checkout.status, checkout.problem = CheckoutStatus.PAID, ""
        checkout.save(update_fields=["status", "problem"])
    return checkout
