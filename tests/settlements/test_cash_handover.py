"""COD cash a shop keeps is a cash handover in the ledger, not a payout."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from marketplace.constants import OrderStatus
from marketplace.orders.services import shop_order_advance
from marketplace.payments.models import Provider
from marketplace.payments.services import cash_received, refund_issue
from marketplace.settlements.models import LedgerTransaction, TransactionKind
from marketplace.settlements.selectors import ledger_problems
from marketplace.settlements.services import _post, balance, provider_account, settlements_run, shop_account
from tests import factories
from tests.payments.conftest import honey_and_rice
from tests.settlements.conftest import after_window

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def cod_rice(cod_allowed):
    checkout = factories.place(honey_and_rice(), payment_method="cod")
    return checkout.shop_orders.select_related("order", "bumkam", "checkout").get(bumkam__kampung__code="14.08.08.2001")


def test_cash_taken_by_the_shop_is_a_cash_handover_and_the_platform_holds_no_cash(cod_rice):
    cash_received(shop_order=cod_rice, acting_user=User.objects.get(username="pengelola.bungaraya"))
    cod_rice.refresh_from_db()  # the commission was fixed by the payment

    kinds = {t.key: t.kind for t in LedgerTransaction.objects.filter(entries__shop_order=cod_rice).distinct()}
    assert kinds[f"cash-kept:{cod_rice.order.number}"] == TransactionKind.CASH_HANDOVER
    assert TransactionKind.PAYOUT not in kinds.values()
    assert balance(provider_account(Provider.CASH)) == 0
    assert balance(shop_account(cod_rice.bumkam)) == cod_rice.commission_amount  # the shop owes the commission
    assert ledger_problems() == []


def test_a_cash_refund_and_the_statement_read_the_handovers(cod_rice):
    admin = User.objects.get(username="admin")
    cash_received(shop_order=cod_rice, acting_user=admin)
    refund_issue(shop_order=cod_rice, amount=15_000, reason="Beras kurang", acting_user=admin, reference="diserahkan")
    for status in (OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        shop_order_advance(shop_order=cod_rice, status=status, acting_user=admin, tracking_number="R1")

    line = settlements_run(now=after_window())[0].lines.get(shop_order=cod_rice)

    returned = LedgerTransaction.objects.get(key__startswith="cash-returned:")
    assert returned.kind == TransactionKind.CASH_HANDOVER
    assert line.refunded == 15_000 and line.cash_collected == line.gross - 15_000
    assert line.net == line.gross - line.refunded - line.commission - line.cash_collected == -line.commission
    assert balance(provider_account(Provider.CASH)) == 0 and ledger_problems() == []


def test_check_ledger_finds_cash_posted_as_a_payout_or_never_handed_over(cod_rice):
    total = int(cod_rice.order.total_incl_tax)
    _post(kind=TransactionKind.PAYMENT, key="uji-penjualan-tunai", checkout=cod_rice.checkout,
          entries=[(provider_account(Provider.CASH), cod_rice, total), (shop_account(cod_rice.bumkam), cod_rice, -total)])
    assert ledger_problems() == [f"pesanan COD {cod_rice.order.number}: tunai {total} tidak tercatat dipegang toko"]

    _post(kind=TransactionKind.PAYOUT, key="uji-tunai-salah", checkout=None,
          entries=[(shop_account(cod_rice.bumkam), cod_rice, total), (provider_account(Provider.CASH), cod_rice, -total)])
    assert ledger_problems() == ["transaksi uji-tunai-salah memindahkan tunai COD, tetapi bukan serah terima tunai"]
    with pytest.raises(CommandError, match="bukan serah terima tunai"):
        call_command("check_ledger")


def test_the_migration_rekinds_old_cash_handovers_only(cod_rice):
    cash_received(shop_order=cod_rice, acting_user=None)
    kept = LedgerTransaction.objects.get(key=f"cash-kept:{cod_rice.order.number}")
    LedgerTransaction.objects.filter(pk=kept.pk).update(kind=TransactionKind.PAYOUT)  # as written before
    payout = LedgerTransaction.objects.create(kind=TransactionKind.PAYOUT, key="payout-999999")
    migration = importlib.import_module("marketplace.settlements.migrations.0007_cash_handover_kind_and_provider_choices")

    migration.cash_handovers_their_own_kind(apps, None)

    kept.refresh_from_db()
    payout.refresh_from_db()
    assert kept.kind == TransactionKind.CASH_HANDOVER and payout.kind == TransactionKind.PAYOUT
    migration.cash_handovers_back_to_payouts(apps, None)
    kept.refresh_from_db()
    assert kept.kind == TransactionKind.PAYOUT
