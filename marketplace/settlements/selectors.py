from django.db.models import Sum

from .models import AccountKind, LedgerEntry, LedgerTransaction, TransactionKind


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
    return problems
