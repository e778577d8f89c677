"""Every movement of money goes through here, in one transaction, with the acting user."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum

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


@transaction.atomic
def settlements_run(*, now=None, acting_user=None) -> list:
    """Delivered orders past the return window, not yet settled, become one statement per shop.

    The figures come from the ledger, so a statement always equals what the ledger says."""
    import datetime

    from django.utils import timezone

    from marketplace.constants import OrderStatus
    from marketplace.models import ShopOrder

    from .models import Settlement, SettlementLine

    now = now or timezone.now()
    paid = LedgerEntry.objects.filter(shop_order=OuterRef("pk"))
    due = (ShopOrder.objects.select_for_update(of=("self",))
           .filter(Exists(paid), order__status=OrderStatus.DELIVERED, settlement_line__isnull=True,
                   delivered_at__lte=now - datetime.timedelta(days=settings.RETURN_WINDOW_DAYS))
           .select_related("order", "bumkam").order_by("bumkam_id", "pk"))
    made = {}
    for shop_order in due:
        entries = shop_order.ledger_entries.values("account__kind").annotate(total=Sum("amount"))
        by_kind = {e["account__kind"]: e["total"] for e in entries}
        settlement = made.get(shop_order.bumkam_id) or made.setdefault(
            shop_order.bumkam_id, Settlement.objects.create(bumkam=shop_order.bumkam, created_by=acting_user))
        SettlementLine.objects.create(
            settlement=settlement, shop_order=shop_order, gross=int(shop_order.order.total_incl_tax),
            shipping=int(shop_order.order.shipping_incl_tax), commission=-by_kind.get(AccountKind.COMMISSION, 0),
            net=-by_kind.get(AccountKind.SHOP, 0),
        )
    return list(made.values())
