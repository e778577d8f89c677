from django.db.models import Sum

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
        if owed + commission + refunded != captured:
            problems.append(f"checkout {reference}: utang toko {owed} + komisi {commission} + "
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
