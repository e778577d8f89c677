"""Stripe events with a valid signature but not of the shape Stripe's API reference gives:
each is a 400, and nothing is written (no event recorded, no payment, no refund)."""

import copy

import pytest

from marketplace.constants import CheckoutStatus
from tests.payments.conftest import card_checkout, deliver, stripe_fake  # noqa: F401  (fixtures)
from tests.stripe_fake import event, signed

from .conftest import row_counts

pytestmark = pytest.mark.django_db


def _without(body, *path):
    body = copy.deepcopy(body)
    target = body
    for key in path[:-1]:
        target = target[key]
    target.pop(path[-1])
    return body


def _with(body, value, *path):
    body = copy.deepcopy(body)
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


SPOILERS = {
    "data.object missing": lambda e: _without(e, "data", "object"),
    "data missing": lambda e: _without(e, "data"),
    "data.object null": lambda e: _with(e, None, "data", "object"),
    "data.object a string": lambda e: _with(e, "pi_123", "data", "object"),
    "data.object a list": lambda e: _with(e, [1, 2], "data", "object"),
    "event id missing": lambda e: _without(e, "id"),
    "event id null": lambda e: _with(e, None, "id"),
    "event id a number": lambda e: _with(e, 42, "id"),
    "type a number": lambda e: _with(e, 7, "type"),
    "object id missing": lambda e: _without(e, "data", "object", "id"),
    "object id null": lambda e: _with(e, None, "data", "object", "id"),
    "metadata a string": lambda e: _with(e, "checkout=PK-1", "data", "object", "metadata"),
    "metadata a list": lambda e: _with(e, ["PK-1"], "data", "object", "metadata"),
    "metadata value a dict": lambda e: _with(e, {"checkout": {"x": 1}}, "data", "object", "metadata"),
    "amount a string": lambda e: _with(e, "2500000", "data", "object", "amount_received"),
    "amount null": lambda e: _with(e, None, "data", "object", "amount_received"),
    "amount a float": lambda e: _with(e, 2500000.5, "data", "object", "amount_received"),
    "amount negative": lambda e: _with(e, -100, "data", "object", "amount_received"),
    "amount true": lambda e: _with(e, True, "data", "object", "amount_received"),
    "status null": lambda e: _with(e, None, "data", "object", "status"),
    "status a dict": lambda e: _with(e, {"x": 1}, "data", "object", "status"),
}


@pytest.mark.parametrize("spoil", SPOILERS.values(), ids=SPOILERS.keys())
def test_a_signed_succeeded_event_of_another_shape_is_a_400_and_writes_nothing(client, card_checkout, stripe_fake,
                                                                               spoil):
    body = spoil(event("payment_intent.succeeded", stripe_fake.pay(card_checkout)))
    before = row_counts()

    response = deliver(client, body)

    assert response.status_code == 400
    assert "Peristiwa tidak dikenal" in response.content.decode()
    assert row_counts() == before
    card_checkout.refresh_from_db()
    assert card_checkout.status == CheckoutStatus.AWAITING_PAYMENT


CHARGE_SPOILERS = {
    "payment_intent null": lambda e: _with(e, None, "data", "object", "payment_intent"),
    "payment_intent missing": lambda e: _without(e, "data", "object", "payment_intent"),
    "amount_refunded a string": lambda e: _with(e, "100", "data", "object", "amount_refunded"),
    "amount_captured missing": lambda e: _without(e, "data", "object", "amount_captured"),
}


@pytest.mark.parametrize("spoil", CHARGE_SPOILERS.values(), ids=CHARGE_SPOILERS.keys())
def test_a_signed_refund_event_of_another_shape_is_a_400_and_writes_nothing(client, card_checkout, stripe_fake, spoil):
    deliver(client, event("payment_intent.succeeded", stripe_fake.pay(card_checkout)))
    body = spoil(event("charge.refunded", stripe_fake.charge_refunded(card_checkout, 10_000)))
    before = row_counts()

    response = deliver(client, body)

    assert response.status_code == 400
    assert row_counts() == before


@pytest.mark.parametrize("body", [[1, 2, 3], "event", 42, None], ids=["a list", "a string", "a number", "null"])
def test_a_signed_body_that_is_no_json_object_is_a_400(client, stripe_fake, body):
    before = row_counts()
    payload, header = signed(body)

    response = client.post("/toko/stripe/webhook/", data=payload, content_type="application/json",
                           HTTP_STRIPE_SIGNATURE=header)

    assert response.status_code == 400
    assert row_counts() == before


def test_a_well_formed_event_still_pays(client, card_checkout, stripe_fake):
    response = deliver(client, event("payment_intent.succeeded", stripe_fake.pay(card_checkout)))

    assert response.status_code == 200
    card_checkout.refresh_from_db()
    assert card_checkout.status == CheckoutStatus.PAID
