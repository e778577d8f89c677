"""Paying by card: the stock is reserved in orders awaiting payment, then one PaymentIntent
is asked of Stripe for the whole checkout (the real client, against tests/stripe_fake.py)."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from oscar.core.loading import get_model

from marketplace.constants import CheckoutStatus, OrderStatus
from marketplace.html import rupiah
from marketplace.checkout.models import Checkout
from marketplace.payments.stripe_gateway import from_stripe_amount, to_stripe_amount
from marketplace.checkout.services import card_payment_start
from tests.marketplace.test_buying import checkout_data, fill_basket, place_through_review

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


def test_rupiah_become_stripes_hundredths_and_back_exactly():
    assert to_stripe_amount(25_000) == 2_500_000
    assert from_stripe_amount(2_500_000) == 25_000
    with pytest.raises(ValueError):
        from_stripe_amount(2_500_050)  # half a rupiah is not an amount we can book
    with pytest.raises(ValueError):
        to_stripe_amount(25_000.5)


@given(st.integers(min_value=0, max_value=10**12))
def test_every_rupiah_amount_survives_the_round_trip(rupiah):
    assert from_stripe_amount(to_stripe_amount(rupiah)) == rupiah


def test_without_stripe_keys_the_card_method_is_hidden_and_the_rest_works(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    honey, rice = fill_basket(client)

    page = client.get("/toko/checkout/").content.decode()
    refused = client.post("/toko/checkout/", checkout_data(honey, rice, payment_method="card"))
    placed = place_through_review(client, checkout_data(honey, rice, payment_method="bank_transfer"))

    assert 'value="card"' not in page and 'value="bank_transfer"' in page
    assert refused.status_code == 400 and not Checkout.objects.filter(payment_method="card").exists()
    assert placed.status_code == 302


def test_a_card_checkout_reserves_stock_then_asks_stripe_for_one_payment_intent(client, stripe_fake):
    honey, rice = fill_basket(client)
    assert 'value="card"' in client.get("/toko/checkout/").content.decode()

    response = place_through_review(client, checkout_data(honey, rice, payment_method="card"))

    checkout = Checkout.objects.get(payment_method="card")
    method, path, params, key = stripe_fake.requests[0]
    assert response.status_code == 302 and response["Location"] == checkout.get_absolute_url()
    assert (method, path) == ("POST", "/v1/payment_intents")
    assert params["amount"] == str(checkout.total * 100) and params["currency"] == "idr"
    assert params["metadata"] == {"checkout": checkout.reference} and params["transfer_group"] == checkout.reference
    assert key == f"checkout-{checkout.reference}-payment-intent"
    assert checkout.status == CheckoutStatus.AWAITING_PAYMENT and checkout.payment_intent_id.startswith("pi_")
    assert {so.order.status for so in checkout.shop_orders.all()} == {OrderStatus.AWAITING_PAYMENT}
    assert StockRecord.objects.get(product=honey).num_allocated >= 1
    page = client.get(response["Location"]).content.decode()
    assert "Bayar dengan kartu" in page and checkout.payment_client_secret in page
    assert f"Bayar {rupiah(checkout.total)}" in page.replace("\xa0", " ")


def test_asking_again_for_the_same_checkout_makes_no_second_payment_intent(card_checkout, stripe_fake):
    card_payment_start(card_checkout)
    card_payment_start(Checkout.objects.get(pk=card_checkout.pk))

    assert [r[1] for r in stripe_fake.requests] == ["/v1/payment_intents"]


def test_when_stripe_does_not_answer_the_buyer_is_told_within_10_seconds_and_no_order_is_left(client, stripe_fake):
    honey, rice = fill_basket(client)
    allocated = {p.pk: StockRecord.objects.get(product=p).num_allocated or 0 for p in (honey, rice)}
    stripe_fake.hang_seconds = 30

    started = time.monotonic()
    response = place_through_review(client, checkout_data(honey, rice, payment_method="card"))
    waited = time.monotonic() - started

    assert waited < 10
    assert response.status_code == 400
    assert "Layanan pembayaran kartu tidak menjawab" in response.content.decode()
    assert not Checkout.objects.exists()
    assert {p.pk: StockRecord.objects.get(product=p).num_allocated or 0 for p in (honey, rice)} == allocated
    assert "Madu Sialang" in client.get("/toko/basket/").content.decode()  # the basket is the buyer's again


def test_stripe_refusing_the_payment_intent_is_a_clear_message_too(client, stripe_fake):
    honey, rice = fill_basket(client)
    stripe_fake.fail_with = ("/v1/payment_intents", 400, {"type": "invalid_request_error",
                                                          "message": "Amount must be at least Rp 3.000"})

    response = place_through_review(client, checkout_data(honey, rice, payment_method="card"))

    assert response.status_code == 400
    assert "Layanan pembayaran kartu menolak pesanan ini." in response.content.decode()
    assert "pilih transfer bank" in response.content.decode()
    assert not Checkout.objects.exists()


def test_two_card_checkouts_of_the_same_amount_both_go_through(stripe_fake):
    """Found by the property test: the transfer's unique-amount rule must not reach card checkouts."""
    from tests import factories
    from tests.payments.conftest import honey_and_rice

    first = card_payment_start(factories.place(honey_and_rice(), payment_method="card"))
    second = card_payment_start(factories.place(honey_and_rice(), payment_method="card"))

    assert first.total == second.total and first.pk != second.pk
    assert first.payment_intent_id != second.payment_intent_id


def test_back_from_stripe_the_buyer_waits_on_a_page_that_reloads_until_the_webhook_came(client, card_checkout,
                                                                                       stripe_fake):
    from .conftest import deliver, event

    url = f"{card_checkout.get_absolute_url()}?payment_intent={card_checkout.payment_intent_id}&redirect_status=succeeded"
    waiting = client.get(url).content.decode()
    deliver(client, event("payment_intent.succeeded", stripe_fake.pay(card_checkout)))
    paid = client.get(url).content.decode()

    assert "sedang dikonfirmasi" in waiting and "data-reload-after" in waiting
    assert "sedang dikonfirmasi" not in paid and "Lunas" in paid and "data-reload-after" not in paid
