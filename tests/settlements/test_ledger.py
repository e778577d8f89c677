from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from marketplace.payments.services import payment_confirm_bank_transfer
from marketplace.settlements.models import LedgerEntry, LedgerTransaction
from marketplace.settlements.services import balance, commission_account, provider_account, shop_account
from tests import factories

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")


@pytest.fixture
def paid_checkout():
    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    rice.shop.__class__.objects.filter(pk=rice.shop.pk).update(commission_percent=Decimal("2.5"))
    checkout = factories.place(factories.basket((honey, 2), (rice, 1)),
                               shipping={honey.shop.pk: "courier", rice.shop.pk: "pickup"})
    admin = get_user_model().objects.get(username="admin")
    return payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)


def test_a_confirmed_transfer_is_one_balanced_transaction_with_commission_fixed(paid_checkout, settings):
    posted = LedgerTransaction.objects.get(checkout=paid_checkout)
    honey_order = paid_checkout.shop_orders.get(bumkam__kampung__code="14.08.06.2001")
    rice_order = paid_checkout.shop_orders.get(bumkam__kampung__code="14.08.08.2001")

    assert sum(posted.entries.values_list("amount", flat=True)) == 0
    assert posted.acting_user.username == "admin"
    assert balance(provider_account("bank_transfer")) == paid_checkout.amount_due
    goods = int(honey_order.order.total_incl_tax) - int(honey_order.order.shipping_incl_tax)
    assert honey_order.commission_percent == Decimal(settings.DEFAULT_COMMISSION_PERCENT)
    assert honey_order.commission_amount == round(goods * 5 / 100)
    assert rice_order.commission_percent == Decimal("2.5")  # the shop's own rate
    assert balance(shop_account(honey_order.bumkam)) == -(int(honey_order.order.total_incl_tax) - honey_order.commission_amount)
    owed = -balance(shop_account(honey_order.bumkam)) - balance(shop_account(rice_order.bumkam))
    commission = -balance(commission_account())
    assert owed + commission == paid_checkout.amount_due


def test_a_repeated_confirmation_records_the_money_once(paid_checkout):
    admin = get_user_model().objects.get(username="admin")

    payment_confirm_bank_transfer(checkout=paid_checkout, amount_received=paid_checkout.amount_due, acting_user=admin)

    assert LedgerTransaction.objects.filter(checkout=paid_checkout).count() == 1


def test_the_commission_stays_as_it_was_when_paid(paid_checkout, settings):
    from marketplace.settlements.services import ledger_record_payment

    order = paid_checkout.shop_orders.get(bumkam__kampung__code="14.08.06.2001")
    settings.DEFAULT_COMMISSION_PERCENT = "10"

    ledger_record_payment(checkout=paid_checkout, provider="bank_transfer")
    order.refresh_from_db()

    assert order.commission_percent == Decimal("5")


def test_check_ledger_passes_and_names_a_checkout_that_does_not_add_up(paid_checkout, capsys):
    call_command("check_ledger")
    assert "Buku besar cocok." in capsys.readouterr().out

    LedgerEntry.objects.filter(transaction__checkout=paid_checkout, account__kind="shop").update(amount=-1)

    with pytest.raises(CommandError) as failure:
        call_command("check_ledger")
    assert paid_checkout.reference in str(failure.value)
    assert "tidak seimbang" in str(failure.value)


def test_a_shop_order_cancelled_before_payment_is_flagged_for_refund_when_the_buyer_pays_in_full():
    """Found by the property test: one shop cancels its unpaid part, then the buyer's transfer arrives."""
    from marketplace.constants import CheckoutStatus, OrderStatus
    from marketplace.checkout.services import checkouts_expire
    from marketplace.orders.services import shop_order_advance

    from marketplace.settlements.selectors import ledger_problems
    from tests.payments.conftest import honey_and_rice

    admin = get_user_model().objects.get(username="admin")
    two_shop_checkout = factories.place(honey_and_rice())
    cancelled, kept = two_shop_checkout.shop_orders.order_by("pk")
    shop_order_advance(shop_order=cancelled, status=OrderStatus.CANCELLED, acting_user=admin)

    payment_confirm_bank_transfer(checkout=two_shop_checkout, amount_received=two_shop_checkout.amount_due,
                                  acting_user=admin)
    checkouts_expire(now=two_shop_checkout.expires_at)  # a late sweep leaves the cancelled order alone

    two_shop_checkout.refresh_from_db()
    kept.order.refresh_from_db()
    assert two_shop_checkout.status == CheckoutStatus.PAID_FLAGGED
    assert cancelled.order.number in two_shop_checkout.problem
    assert kept.order.status == OrderStatus.PROCESSING
    assert ledger_problems() == []
