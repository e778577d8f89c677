"""Card events pay only card checkouts, and a signature dated ahead of our clock is refused.
Signatures are real HMACs made with the test secret."""

import time

import pytest

from marketplace.constants import CheckoutStatus
from marketplace.checkout.models import Checkout
from marketplace.payments.models import ProviderEvent
from marketplace.settlements.models import LedgerTransaction
from tests import factories
from tests.payments.conftest import card_checkout, deliver, event, honey_and_rice, stripe_fake  # noqa: F401

pytestmark = pytest.mark.django_db


def untouched(checkout) -> bool:
    checkout.refresh_from_db()
    return (checkout.status != CheckoutStatus.PAID and not checkout.payment_intent_id
            and not ProviderEvent.objects.exists() and not LedgerTransaction.objects.filter(checkout=checkout).exists())


@pytest.mark.parametrize("payment_method", ["bank_transfer", "cod"])
def test_a_signed_card_event_about_a_transfer_or_cod_checkout_gets_400_and_changes_nothing(
        client, stripe_fake, cod_allowed, payment_method):
    checkout = factories.place(honey_and_rice(), payment_method=payment_method)
    status_before = checkout.status
    intent = {"id": "pi_forged_1", "object": "payment_intent", "amount": checkout.total * 100,
              "amount_received": checkout.total * 100, "currency": "idr", "status": "succeeded",
              "metadata": {"checkout": checkout.reference}, "latest_charge": "ch_forged_1"}

    response = deliver(client, event("payment_intent.succeeded", intent))

    assert response.status_code == 400
    assert untouched(checkout) and checkout.status == status_before


def test_a_card_refund_event_naming_a_transfer_checkouts_refund_gets_400(client, stripe_fake):
    from marketplace.payments.models import Refund, RefundStatus

    checkout = factories.place(honey_and_rice())
    shop_order = checkout.shop_orders.first()
    refund = Refund.objects.create(shop_order=shop_order, amount=1000, reason="uji")
    stripe_refund = {"id": "re_forged_1", "object": "refund", "amount": 100000, "currency": "idr",
                     "payment_intent": "pi_other", "status": "succeeded", "metadata": {"refund": str(refund.pk)}}

    response = deliver(client, event("refund.updated", stripe_refund))

    refund.refresh_from_db()
    assert response.status_code == 400 and refund.status != RefundStatus.SUCCEEDED
    assert not ProviderEvent.objects.exists()


@pytest.mark.parametrize("ahead, accepted", [(3600, False), (301 + 5, False), (60, True)])
def test_a_signature_dated_in_the_future_is_refused(client, card_checkout, stripe_fake, ahead, accepted):
    body = event("payment_intent.succeeded", stripe_fake.pay(card_checkout))

    response = deliver(client, body, timestamp=int(time.time()) + ahead)

    card_checkout.refresh_from_db()
    assert (response.status_code == 200) is accepted
    assert (card_checkout.status == CheckoutStatus.PAID) is accepted
    assert Checkout.objects.filter(pk=card_checkout.pk, status=CheckoutStatus.PAID).exists() is accepted
