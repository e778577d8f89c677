"""Every movement of money goes through here, in one transaction, with the acting user."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from ..payments.models import Provider
from .models import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction, TransactionKind


class UnbalancedTransaction(ValueError):
    pass


def account(*, kind: str, code: str, bumkam=None) -> LedgerAccount:
    return LedgerAccount.objects.get_or_create(code=code, defaults={"kind": kind, "bumkam": bumkam})[0]


def provider_account_code(provider: Provider) -> str:
    """A name outside the one provider type is a bug, not a new account."""
    return f"provider:{Provider(provider).value}"


def provider_account(provider: Provider) -> LedgerAccount:
    """Money held at one provider."""
    return account(kind=AccountKind.PROVIDER, code=provider_account_code(provider))


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


def _fix_commission(shop_order) -> None:
    """The commission is fixed at the moment of payment and never recomputed."""
    if shop_order.commission_percent is not None:
        return
    order = shop_order.order
    goods = int(order.total_incl_tax) - int(order.shipping_incl_tax)
    shop_order.commission_percent = commission_percent(shop_order.bumkam)
    shop_order.commission_amount = int(
        (Decimal(goods) * shop_order.commission_percent / 100).quantize(Decimal(1), ROUND_HALF_UP))
    shop_order.save(update_fields=["commission_percent", "commission_amount"])


def _sale_entries(shop_order) -> list:
    _fix_commission(shop_order)
    owed = int(shop_order.order.total_incl_tax) - shop_order.commission_amount
    return [(shop_account(shop_order.bumkam), shop_order, -owed),
            (commission_account(), shop_order, -shop_order.commission_amount)]


def buyer_account() -> LedgerAccount:
    """Transfers beyond what was due, owed back to the buyers until the admin sends them back."""
    return account(kind=AccountKind.BUYER, code="platform:buyer-overpaid")


def write_off_account() -> LedgerAccount:
    """Shortfalls of transfers the regency admin accepted as paid: the platform's loss, not the shops'."""
    return account(kind=AccountKind.WRITE_OFF, code="platform:write-off")


@transaction.atomic
def ledger_record_payment(*, checkout, provider: Provider, amount: int | None = None, acting_user=None,
                          difference: str = "") -> LedgerTransaction:
    """Money captured for a whole checkout: owed to each shop, less the commission fixed now.

    Whatever the buyer sent beyond the orders (the bank-transfer unique code) is platform income,
    unless the admin accepted a transfer of the wrong amount (`difference` "written_off" or
    "overpaid"): then the unique code is income, and the amount short of or beyond the amount due
    goes to the write-off or the buyer's account. The shops are owed their full share either way."""
    captured = checkout.amount_due if amount is None else amount
    entries = [(provider_account(provider), None, captured)]
    for shop_order in checkout.shop_orders.select_related("order", "bumkam").select_for_update():
        entries += _sale_entries(shop_order)
    if difference:
        off = captured - checkout.amount_due
        entries.append((commission_account(), None, -(checkout.amount_due - checkout.total)))
        entries.append((buyer_account() if off > 0 else write_off_account(), None, -off))
    else:
        entries.append((commission_account(), None, -(captured - checkout.total)))
    return _post(kind=TransactionKind.PAYMENT, key=f"payment:{checkout.reference}", checkout=checkout,
                 entries=entries, memo=f"{provider} {checkout.reference}", acting_user=acting_user)


def _cash_handover(*, shop_order, amount: int, key: str, acting_user=None) -> LedgerTransaction:
    """Cash a shop collected (or paid back) itself: it already holds it, so it is owed that much less."""
    return _post(kind=TransactionKind.CASH_HANDOVER, key=key, checkout=None, acting_user=acting_user,
                 memo=f"tunai {shop_order.order.number}",
                 entries=[(shop_account(shop_order.bumkam), shop_order, amount),
                          (provider_account(Provider.CASH), shop_order, -amount)])


@transaction.atomic
def ledger_record_cash(*, shop_order, acting_user=None) -> LedgerTransaction:
    """A shop received the cash of a COD order: a sale like any other, then handed over at once,
    so what is left on the shop's account is the commission it owes the platform."""
    total = int(shop_order.order.total_incl_tax)
    sale = _post(kind=TransactionKind.PAYMENT, key=f"payment:{shop_order.checkout.reference}:{shop_order.order.number}",
                 checkout=shop_order.checkout, acting_user=acting_user, memo=f"COD {shop_order.order.number}",
                 entries=[(provider_account(Provider.CASH), shop_order, total), *_sale_entries(shop_order)])
    _cash_handover(shop_order=shop_order, amount=total, key=f"cash-kept:{shop_order.order.number}",
                   acting_user=acting_user)
    return sale


def refunded_amount(shop_order) -> int:
    return -(LedgerEntry.objects.filter(transaction__kind=TransactionKind.REFUND, shop_order=shop_order,
                                        account__kind=AccountKind.PROVIDER)
             .aggregate(total=Sum("amount"))["total"] or 0)


@transaction.atomic
def ledger_record_refund(*, refund, provider: Provider, acting_user=None) -> LedgerTransaction:
    """Money given back: the shop and the platform each give back their share. The commission
    kept is always the fixed rate of what remains paid, so a full refund returns all of it."""
    shop_order = refund.shop_order
    total = int(shop_order.order.total_incl_tax)
    before = refunded_amount(shop_order)

    def kept(refunded):
        return int((Decimal(shop_order.commission_amount) * (total - refunded) / total).quantize(Decimal(1), ROUND_HALF_UP))

    commission_part = kept(before) - kept(before + refund.amount)
    posted = _post(kind=TransactionKind.REFUND, key=f"refund:{refund.pk}", checkout=shop_order.checkout,
                   acting_user=acting_user, memo=f"{provider} {shop_order.order.number} {refund.reason}"[:255],
                   entries=[(provider_account(provider), shop_order, -refund.amount),
                            (shop_account(shop_order.bumkam), shop_order, refund.amount - commission_part),
                            (commission_account(), shop_order, commission_part)])
    if provider == Provider.CASH:  # the shop paid it back from the cash it held
        _cash_handover(shop_order=shop_order, amount=-refund.amount, key=f"cash-returned:{refund.pk}",
                       acting_user=acting_user)
    return posted


@transaction.atomic
def ledger_record_overpayment_refund(*, difference, acting_user=None) -> LedgerTransaction:
    """The admin sent a buyer's excess transfer back: it leaves the bank account, the debt is paid."""
    return _post(kind=TransactionKind.REFUND, key=f"overpaid-refund:{difference.pk}", checkout=difference.checkout,
                 acting_user=acting_user, memo=f"kelebihan {difference.checkout.reference} {difference.refund_reference}",
                 entries=[(provider_account(Provider.BANK_TRANSFER), None, -difference.amount),
                          (buyer_account(), None, difference.amount)])


def balance(account_obj: LedgerAccount) -> int:
    return account_obj.entries.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def settlements_run(*, now=None, acting_user=None) -> list:
    """Orders whose buyer can no longer complain, not yet settled, become one statement per shop:
    completed ones (the buyer confirmed receipt) at once, delivered ones once the return window
    has passed; never one with an open complaint, which holds its money until it is decided.

    The figures come from the ledger, so a statement always equals what the ledger says (a
    refund made for a complaint is deducted like any other)."""
    from marketplace.constants import OrderStatus
    from marketplace.orders.models import Complaint, ComplaintStatus, ShopOrder

    from .models import Settlement, SettlementLine

    now = now or timezone.now()
    paid = LedgerEntry.objects.filter(shop_order=OuterRef("pk"))
    complained = Complaint.objects.filter(shop_order=OuterRef("pk"), status=ComplaintStatus.OPEN)
    past_window = Q(order__status=OrderStatus.DELIVERED,
                    delivered_at__lte=now - datetime.timedelta(days=settings.RETURN_WINDOW_DAYS))
    due = (ShopOrder.objects.select_for_update(of=("self",))
           .filter(Q(order__status=OrderStatus.COMPLETED) | past_window, Exists(paid), ~Exists(complained),
                   settlement_line__isnull=True)
           .select_related("order", "bumkam").order_by("bumkam_id", "pk"))
    made = {}
    for shop_order in due:
        # A complaint opened while this ran waited for the row lock; it is committed now.
        if Complaint.objects.filter(shop_order=shop_order, status=ComplaintStatus.OPEN).exists():
            continue
        sums = {(e["transaction__kind"], e["account__kind"]): e["total"] for e in
                shop_order.ledger_entries.values("transaction__kind", "account__kind").annotate(total=Sum("amount"))}

        def total(account_kind, *kinds):
            return sum(sums.get((kind, account_kind), 0) for kind in kinds or TransactionKind.values)

        settlement = made.get(shop_order.bumkam_id) or made.setdefault(
            shop_order.bumkam_id, Settlement.objects.create(bumkam=shop_order.bumkam, created_by=acting_user))
        SettlementLine.objects.create(
            settlement=settlement, shop_order=shop_order, gross=int(shop_order.order.total_incl_tax),
            shipping=int(shop_order.order.shipping_incl_tax),
            refunded=-total(AccountKind.PROVIDER, TransactionKind.REFUND),
            commission=-total(AccountKind.COMMISSION),
            cash_collected=-total(AccountKind.PROVIDER, TransactionKind.CASH_HANDOVER),
            net=-total(AccountKind.SHOP),
        )
    return list(made.values())
