"""The only place that talks to Stripe, with the official client.

Rupiah are integers everywhere in the project; Stripe counts IDR in hundredths, so the
conversion happens here, exactly, in both directions. Every call carries an idempotency
key derived from what it is for, so a retry by our own code never charges or pays twice.
"""

import time
from functools import cache

import stripe
from django.conf import settings

CURRENCY = "idr"


class StripeUnavailable(Exception):
    """Stripe could not be reached, or did not answer in time: nothing is known to have happened."""


def card_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY and settings.STRIPE_WEBHOOK_SECRET)


def to_stripe_amount(rupiah: int) -> int:
    if not isinstance(rupiah, int) or rupiah < 0:
        raise ValueError(f"rupiah must be a whole, non-negative number: {rupiah!r}")
    return rupiah * 100


def from_stripe_amount(amount: int) -> int:
    rupiah, cents = divmod(amount, 100)
    if cents:
        raise ValueError(f"Stripe amount {amount} is not a whole number of rupiah")
    return rupiah


@cache
def _client(secret_key: str, api_base: str, timeout: float) -> stripe.StripeClient:
    return stripe.StripeClient(
        secret_key, base_addresses={"api": api_base} if api_base else None, max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def client() -> stripe.StripeClient:
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE, settings.STRIPE_TIMEOUT_SECONDS)


def _call(method, *args, params: dict, key: str):
    try:
        return method(*args, params, options={"idempotency_key": key})
    except stripe.APIConnectionError as error:  # includes timeouts
        raise StripeUnavailable(str(error)) from error


def payment_intent_create(checkout):
    """One PaymentIntent for the whole checkout; its transfer group ties later Connect transfers to it."""
    return _call(client().v1.payment_intents.create, params={
        "amount": to_stripe_amount(checkout.total), "currency": CURRENCY,
        "automatic_payment_methods": {"enabled": True},
        "metadata": {"checkout": checkout.reference}, "transfer_group": checkout.reference,
        "receipt_email": checkout.email, "description": f"Pasar Kampung {checkout.reference}",
    }, key=f"checkout-{checkout.reference}-payment-intent")


def payment_intent_cancel(checkout):
    return _call(client().v1.payment_intents.cancel, checkout.payment_intent_id, params={},
                 key=f"checkout-{checkout.reference}-cancel")


def refund_create(refund):
    return _call(client().v1.refunds.create, params={
        "payment_intent": refund.shop_order.checkout.payment_intent_id, "amount": to_stripe_amount(refund.amount),
        "metadata": {"refund": str(refund.pk), "order": refund.shop_order.order.number},
    }, key=refund.idempotency_key)


def transfer_create(*, amount: int, destination: str, transfer_group: str, key: str):
    return _call(client().v1.transfers.create, params={
        "amount": to_stripe_amount(amount), "currency": CURRENCY, "destination": destination,
        "transfer_group": transfer_group,
    }, key=key)


def webhook_event(payload: bytes, signature: str):
    """The verified event, or stripe.SignatureVerificationError / ValueError. Stripe's library
    refuses signatures older than the tolerance but not ones dated ahead of our clock, which a
    leaked signing moment could use to keep an event replayable for ever: those are refused too."""
    tolerance = settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
    event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=tolerance)
    signed_at = _signed_at(signature)
    if signed_at > time.time() + tolerance:
        raise stripe.SignatureVerificationError(f"Timestamp {signed_at} is in the future", signature, payload)
    return event


def _signed_at(header: str) -> int:
    """The `t=` of a Stripe-Signature header, read as Stripe's library reads it (the first one)."""
    return int(next(item.split("=", 1)[1] for item in header.split(",") if item.split("=", 1)[0] == "t"))
