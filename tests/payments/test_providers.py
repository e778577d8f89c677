"""One name per provider, from the checkout's payment method to the ledger account and the payout."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from marketplace.catalogue.importing import ImportRejected
from marketplace.checkout.services import OutOfStock, ProofRefused
from marketplace.errors import UserError
from marketplace.payments.models import Provider, Refund
from marketplace.payments.services import RefundPending, cash_received, refund_issue
from marketplace.settlements.models import LedgerAccount, Payout, PayoutStatus
from marketplace.settlements.payouts import PROVIDERS, PayoutError, payout_create
from marketplace.settlements.services import provider_account, settlements_run
from tests import factories
from tests.settlements.conftest import after_window, delivered  # noqa: F401 - a fixture

from .conftest import honey_and_rice

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.mark.parametrize("method, provider", [("card", Provider.STRIPE), ("bank_transfer", Provider.BANK_TRANSFER),
                                              ("cod", Provider.CASH)])
def test_a_checkouts_payment_method_names_one_provider(cod_allowed, stripe_fake, method, provider):
    checkout = factories.place(honey_and_rice(), payment_method=method)

    assert {so.payment_provider for so in checkout.shop_orders.all()} == {provider}


def test_every_ledger_provider_account_is_a_provider(delivered, cod_allowed):
    cod = factories.place(honey_and_rice(), payment_method="cod")
    cash_received(shop_order=cod.shop_orders.first(), acting_user=None)

    codes = set(LedgerAccount.objects.filter(kind="provider").values_list("code", flat=True))

    assert codes == {"provider:bank_transfer", "provider:cash"}
    with pytest.raises(ValueError):
        provider_account("paypal")


def test_payouts_leave_from_a_payment_providers_account():
    assert set(PROVIDERS) == {Provider.BANK_BATCH, Provider.STRIPE_CONNECT}
    assert {p.ledger_account for p in PROVIDERS.values()} <= {Provider.BANK_TRANSFER, Provider.STRIPE}


def test_a_refund_records_the_provider_that_gives_the_money_back(cod_allowed):
    admin = User.objects.get(username="admin")
    checkout = factories.place(honey_and_rice(), payment_method="cod")
    shop_order = checkout.shop_orders.first()
    cash_received(shop_order=shop_order, acting_user=admin)

    refund = refund_issue(shop_order=shop_order, amount=5_000, reason="Kurang", acting_user=admin, reference="tunai")

    assert Refund.objects.get(pk=refund.pk).provider == Provider.CASH


def test_the_migration_names_the_provider_of_existing_refunds(cod_allowed):
    admin = User.objects.get(username="admin")
    checkout = factories.place(honey_and_rice(), payment_method="cod")
    shop_order = checkout.shop_orders.first()
    cash_received(shop_order=shop_order, acting_user=admin)
    refund = refund_issue(shop_order=shop_order, amount=5_000, reason="Kurang", acting_user=admin, reference="tunai")
    Refund.objects.filter(pk=refund.pk).update(provider=Provider.STRIPE)  # the migration's placeholder
    migration = importlib.import_module("marketplace.migrations.0011_payments_provider_choices")

    migration.refunds_name_their_provider(apps, None)

    assert Refund.objects.get(pk=refund.pk).provider == Provider.CASH


@pytest.mark.parametrize("error", [ImportRejected, PayoutError, OutOfStock, ProofRefused, RefundPending])
def test_every_user_facing_error_is_a_user_error(error):
    assert issubclass(error, UserError)


def test_a_bank_batch_with_a_shop_without_an_account_number_is_refused_with_a_message(client, delivered):
    settlement = settlements_run(now=after_window())[0]
    payout = payout_create(settlement=settlement)
    type(settlement.bumkam).objects.filter(pk=settlement.bumkam.pk).update(bank_account_number="")
    client.force_login(User.objects.get(username="admin"))

    response = client.post("/toko/kelola/pembayaran/bank/", follow=True)

    assert response.status_code == 200
    assert "belum mengisi nomor rekening" in response.content.decode()
    assert Payout.objects.get(pk=payout.pk).status == PayoutStatus.PENDING and payout.provider == Provider.BANK_BATCH
