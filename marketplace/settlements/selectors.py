from django.db.models import Sum

from .models import AccountKind, LedgerEntry, LedgerTransaction


def ledger_problems() -> list[str]:
    """Everything that breaks the ledger's rules, as sentences for an auditor."""
    problems = []
    unbalanced = (LedgerTransaction.objects.annotate(total=Sum("entries__amount")).exclude(total=0)
                  .exclude(total__isnull=True))
    for posted in unbalanced:
        problems.append(f"transaksi {posted.key} tidak seimbang: {posted.total}")
    checkouts = {}
    for entry in LedgerEntry.objects.filter(transaction__checkout__isnull=False).values(
            "transaction__checkout__reference", "account__kind").annotate(total=Sum("amount")):
        per = checkouts.setdefault(entry["transaction__checkout__reference"], {})
        per[entry["account__kind"]] = entry["total"]
    for reference, totals in sorted(checkouts.items()):
        captured = totals.get(AccountKind.PROVIDER, 0)
        owed = -totals.get(AccountKind.SHOP, 0)
        commission = -totals.get(AccountKind.COMMISSION, 0)
        refunded = -totals.get(AccountKind.REFUNDS, 0)
        if owed + commission + refunded != captured:
            problems.append(f"checkout {reference}: utang toko {owed} + komisi {commission} + "
                            f"pengembalian {refunded} ≠ diterima {captured}")
    return problems
