"""Payouts through a small provider interface, so that a regency can use what its bank
and payment partners offer without the ledger changing.

The default provider writes a bulk-transfer file for the regency's bank; each payout is
then confirmed with the bank's reference. Another provider (Stripe Connect, Xendit,
Midtrans) implements `send` and calls `payout_confirm` or `payout_fail` when it knows.
"""

import csv
import io

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .models import Payout, PayoutStatus, TransactionKind
from .services import _post, provider_account, shop_account


class PayoutError(ValueError):
    pass


class BankBatchProvider:
    code = "bank_batch"

    def send(self, payouts) -> bytes:
        """A CSV the bank's bulk-transfer upload accepts: account, holder, amount, reference."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["bank", "nomor_rekening", "nama_pemilik", "jumlah", "berita", "kunci"])
        for payout in payouts:
            shop = payout.settlement.bumkam
            if not shop.bank_account_number:
                raise PayoutError(_("%(shop)s belum mengisi nomor rekening.") % {"shop": shop.name})
            writer.writerow([shop.bank_name, shop.bank_account_number, shop.bank_account_holder, payout.amount,
                             payout.settlement.number, payout.idempotency_key])
        return buffer.getvalue().encode("utf-8")


PROVIDERS = {BankBatchProvider.code: BankBatchProvider()}


@transaction.atomic
def payout_create(*, settlement) -> Payout:
    payout, _created = Payout.objects.get_or_create(
        settlement=settlement, defaults={"amount": settlement.totals()["net"]})
    return payout


@transaction.atomic
def payouts_send(*, provider_code: str = BankBatchProvider.code) -> tuple[list[Payout], bytes]:
    """Hand every pending payout to the provider once; they wait for confirmation."""
    payouts = list(Payout.objects.select_for_update().filter(status=PayoutStatus.PENDING, provider=provider_code)
                   .select_related("settlement__bumkam"))
    if not payouts:
        return [], b""
    batch = PROVIDERS[provider_code].send(payouts)
    Payout.objects.filter(pk__in=[p.pk for p in payouts]).update(status=PayoutStatus.SENT, attempts=F("attempts") + 1)
    return payouts, batch


@transaction.atomic
def payout_confirm(*, payout: Payout, bank_reference: str, acting_user=None) -> Payout:
    """The bank paid: the shop is owed that much less. Confirming again changes nothing."""
    payout = Payout.objects.select_for_update().select_related("settlement__bumkam").get(pk=payout.pk)
    if payout.status == PayoutStatus.PAID:
        return payout
    if payout.status != PayoutStatus.SENT:
        raise PayoutError(_("Pembayaran ini belum dikirim ke bank."))
    _post(kind=TransactionKind.PAYOUT, key=payout.idempotency_key, checkout=None, acting_user=acting_user,
          memo=f"{payout.settlement.number} {bank_reference}",
          entries=[(shop_account(payout.settlement.bumkam), None, payout.amount),
                   (provider_account("bank_transfer"), None, -payout.amount)])
    payout.status, payout.bank_reference = PayoutStatus.PAID, bank_reference
    payout.save(update_fields=["status", "bank_reference"])
    return payout


@transaction.atomic
def payout_fail(*, payout: Payout) -> Payout:
    """The bank refused (a wrong account, say): the money is payable again, nothing is lost."""
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    if payout.status == PayoutStatus.PAID:
        raise PayoutError(_("Pembayaran yang sudah berhasil tidak bisa digagalkan."))
    payout.status = PayoutStatus.PENDING
    payout.save(update_fields=["status"])
    return payout
