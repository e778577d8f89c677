"""Every movement of money goes through here, in one transaction, with the acting user."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from .models import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction, TransactionKind


class UnbalancedTransaction(ValueError):
    pass


def account(*, kind: str, code: str, bumkam=None) -> LedgerAccount:
    return LedgerAccount.objects.get_or_create(code=code, defaults={"kind": kind, "bumkam": bumkam})[0]


def provider_account(provider: str) -> LedgerAccount:
    return account(kind=AccountKind.PROVIDER, code=f"provider:{provider}")


def shop_account(bumkam) -> LedgerAccount:
    return account(kind=AccountKind.SHOP, code=f"shop:{bumkam.pk}", bumkam=bumkam)


def commission_account() -> LedgerAccount:
    return account(kind=AccountKind.COMMISSION, code="platform:commission")


def commission_percent(bumkam) -> Decimal:
    """The shop's own rate if the regency set one, else the regency's default."""
    if bumkam.commission_percent is not None:
        return bumkam.commission_percent
    return Decimal(str(settings.DEFAULT_COMMISSION_PERCENT))


def _post(*, kind, key, checkout, entries, memo="", acting_user=None) -> LedgerTransaction:
    """Write one balanced transaction, once per key: a repeated event changes nothing."""
    existing = LedgerTransaction.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if sum(amount for _account, _order, amount in entries) != 0:
        raise UnbalancedTransaction(key)
    posted = LedgerTransaction.objects.create(kind=kind, key=key, checkout=checkout, memo=memo, acting_user=acting_user)
    LedgerEntry.objects.bulk_create(
        LedgerEntry(transaction=posted, account=acc, shop_order=order, amount=amount)
        for acc, order, amount in entries if amount
    )
    return posted


@transaction.atomic
def ledger_record_payment(*, checkout, provider: str, acting_user=None) -> LedgerTransaction:
    """Money captured for a checkout: owed to each shop, less the commission fixed now."""
    entries = [(provider_account(provider), None, checkout.amount_due)]
    owed_total = 0
    for shop_order in checkout.shop_orders.select_related("order", "bumkam").select_for_update():
        order = shop_order.order
        goods = int(order.total_incl_tax) - int(order.shipping_incl_tax)
        if shop_order.commission_percent is None:  # fixed at the moment of payment, never recomputed
            shop_order.commission_percent = commission_percent(shop_order.bumkam)
            shop_order.commission_amount = int(
                (Decimal(goods) * shop_order.commission_percent / 100).quantize(Decimal(1), ROUND_HALF_UP))
            shop_order.save(update_fields=["commission_percent", "commission_amount"])
        owed = int(order.total_incl_tax) - shop_order.commission_amount
        owed_total += owed
        entries += [(shop_account(shop_order.bumkam), shop_order, -owed),
                    (commission_account(), shop_order, -shop_order.commission_amount)]
    # The bank-transfer unique code is money the buyer sent beyond the orders: platform income.
    extra = checkout.amount_due - checkout.total
    entries.append((commission_account(), None, -extra))
    return _post(kind=TransactionKind.PAYMENT, key=f"payment:{checkout.reference}", checkout=checkout,
                 entries=entries, memo=f"{provider} {checkout.reference}", acting_user=acting_user)


def balance(account_obj: LedgerAccount) -> int:
    return account_obj.entries.aggregate(total=Sum("amount"))["total"] or 0
