import datetime

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..payments.models import Provider
from .models import AccountKind, LedgerEntry, LedgerTransaction, TransactionKind
from .services import provider_account_code


def ledger_problems() -> list[str]:
    """Everything that breaks the ledger's rules, as sentences for an auditor."""
    problems = []
    unbalanced = (LedgerTransaction.objects.annotate(total=Sum("entries__amount")).exclude(total=0)
                  .exclude(total__isnull=True))
    for posted in unbalanced:
        problems.append(f"transaksi {posted.key} tidak seimbang: {posted.total}")
    checkouts = {}
    for entry in LedgerEntry.objects.filter(transaction__checkout__isnull=False).values(
            "transaction__checkout__reference", "transaction__kind", "account__kind").annotate(total=Sum("amount")):
        per = checkouts.setdefault(entry["transaction__checkout__reference"], {})
        key = entry["account__kind"]
        if key == AccountKind.PROVIDER:
            key = "refunded" if entry["transaction__kind"] == TransactionKind.REFUND else "captured"
        per[key] = per.get(key, 0) + entry["total"]
    for reference, totals in sorted(checkouts.items()):
        captured = totals.get("captured", 0)
        owed = -totals.get(AccountKind.SHOP, 0)
        commission = -totals.get(AccountKind.COMMISSION, 0)
        refunded = -totals.get("refunded", 0)
        # a transfer accepted with a difference: an excess owed to the buyer, a shortfall the platform bears
        buyer, written_off = -totals.get(AccountKind.BUYER, 0), totals.get(AccountKind.WRITE_OFF, 0)
        if owed + commission + buyer - written_off + refunded != captured:
            problems.append(f"checkout {reference}: utang toko {owed} + komisi {commission} + "
                            f"utang ke pembeli {buyer} - ditanggung platform {written_off} + "
                            f"pengembalian {refunded} ≠ diterima {captured}")
    return problems + _cash_problems()


def _cash_problems() -> list[str]:
    """COD cash never reaches the platform: every rupiah a shop took (or paid back) is handed over
    to it in a cash-handover transaction, so the cash account is zero for every shop order."""
    problems = []
    cash = LedgerEntry.objects.filter(account__code=provider_account_code(Provider.CASH))
    for row in (cash.values("shop_order__order__number").annotate(total=Sum("amount")).exclude(total=0)
                .order_by("shop_order__order__number")):
        problems.append(f"pesanan COD {row['shop_order__order__number']}: tunai {row['total']} "
                        f"tidak tercatat dipegang toko")
    wrong_kind = cash.exclude(transaction__kind__in=[TransactionKind.PAYMENT, TransactionKind.REFUND,
                                                     TransactionKind.CASH_HANDOVER])
    for key in wrong_kind.values_list("transaction__key", flat=True).distinct().order_by("transaction__key"):
        problems.append(f"transaksi {key} memindahkan tunai COD, tetapi bukan serah terima tunai")
    return problems


def settlements_waiting(*, now=None) -> list[str]:
    """Why a settlement run made no statement (or what it left behind), as sentences with counts:
    each paid order not yet settled is waiting for delivery, the return window or a complaint."""
    from marketplace.constants import OrderStatus
    from marketplace.orders.models import Complaint, ComplaintStatus, ShopOrder

    now = now or timezone.now()
    window = datetime.timedelta(days=settings.RETURN_WINDOW_DAYS)
    unsettled = ShopOrder.objects.filter(Exists(LedgerEntry.objects.filter(shop_order=OuterRef("pk"))),
                                         settlement_line__isnull=True)
    complained = Exists(Complaint.objects.filter(shop_order=OuterRef("pk"), status=ComplaintStatus.OPEN))
    finished = unsettled.filter(order__status__in=[OrderStatus.DELIVERED, OrderStatus.COMPLETED])
    held = finished.filter(complained).count()
    in_window = finished.filter(~complained, order__status=OrderStatus.DELIVERED, delivered_at__gt=now - window)
    on_the_way = unsettled.filter(order__status__in=[OrderStatus.PROCESSING, OrderStatus.PACKED, OrderStatus.SHIPPED])
    reasons = []
    if in_window.exists():
        first = in_window.aggregate(first=Min("delivered_at"))["first"] + window
        count = in_window.count()
        reasons.append(ngettext(
            "%(count)d pesanan sudah diterima pembeli tetapi masih dalam masa pengembalian %(days)d hari "
            "(yang pertama bisa diselesaikan %(date)s)",
            "%(count)d pesanan sudah diterima pembeli tetapi masih dalam masa pengembalian %(days)d hari "
            "(yang pertama bisa diselesaikan %(date)s)", count) % {
            "count": count, "days": settings.RETURN_WINDOW_DAYS,
            "date": date_format(timezone.localtime(first), "j F Y H.i")})
    if held:
        reasons.append(ngettext("%(count)d pesanan tertahan komplain yang masih terbuka",
                                "%(count)d pesanan tertahan komplain yang masih terbuka", held) % {"count": held})
    if (count := on_the_way.count()):
        reasons.append(ngettext("%(count)d pesanan dibayar tetapi belum sampai ke pembeli",
                                "%(count)d pesanan dibayar tetapi belum sampai ke pembeli", count) % {"count": count})
    no_account = len(shops_without_account({so.bumkam for so in unsettled.filter(bumkam__bank_account_number="")
                                            .select_related("bumkam")}))
    if no_account:
        reasons.append(ngettext("%(count)d toko dengan pesanan menunggu belum punya rekening pembayaran",
                                "%(count)d toko dengan pesanan menunggu belum punya rekening pembayaran",
                                no_account) % {"count": no_account})
    settled = ShopOrder.objects.filter(settlement_line__isnull=False).count()
    if settled:
        reasons.append(ngettext("%(count)d pesanan sudah masuk laporan sebelumnya",
                                "%(count)d pesanan sudah masuk laporan sebelumnya", settled) % {"count": settled})
    return reasons or [_("belum ada pesanan dibayar yang menunggu penyelesaian")]


def shops_without_account(shops) -> list[str]:
    """The names of the shops whose payout cannot be sent: no bank account number, and not paid by Stripe Connect."""
    from .payouts import BankBatchProvider, provider_for

    return sorted({shop.name for shop in shops
                   if not shop.bank_account_number and provider_for(shop) == BankBatchProvider.code})
