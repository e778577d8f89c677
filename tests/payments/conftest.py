import pytest
from oscar.core.loading import get_model

from marketplace.checkout.services import card_payment_start
from tests import factories
from tests.stripe_fake import WEBHOOK_SECRET, FakeStripe, event, signed

Product = get_model("catalogue", "Product")


@pytest.fixture
def stripe_fake(settings):
    fake = FakeStripe()
    settings.STRIPE_SECRET_KEY = "sk_test_pasar_kampung"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_pasar_kampung"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    yield fake
    fake.close()


def honey_and_rice():
    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    return factories.basket((honey, 1), (rice, 2))


@pytest.fixture
def card_checkout(stripe_fake):
    """A checkout of honey from Bunga Raya and rice from Dayun, its PaymentIntent made at Stripe."""
    return card_payment_start(factories.place(honey_and_rice(), payment_method="card"))


def deliver(client, body, **signing):
    payload, header = signed(body, **signing)
    return client.post("/toko/stripe/webhook/", data=payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=header)


__all__ = ["deliver", "event", "honey_and_rice"]
