"""Payouts through a small provider interface, so that a regency can use what its bank
and payment partners offer without the ledger changing.

A provider has a `code`, the `ledger_account` its money leaves from, and `send(payouts)`.
The default one writes a bulk-transfer file for the regency's bank; each payout is then
confirmed with the bank's reference.
Stripe Connect transfers the money itself and confirms at once. Xendit or Midtrans would
be a third class here, calling `payout_confirm` or `payout_fail` when it knows.
"""

import logging

import stripe
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shops.constants import AuditAction
from shops.services import audit_record

from ..exports import csv_bytes
from ..errors import UserError
from ..payments import stripe_gateway
from ..payments.models import Provider
from .models import Payout, PayoutBatch, PayoutStatus, Settlement, SettlementLine, TransactionKind
from .services import _post, provider_account, shop_account

logger = logging.getLogger(__name__)


class PayoutError(UserError):
    """A payout the regency admin cannot make as asked (no account number, not yet sent)."""


class BankBatchProvider:
    code = Provider.BANK_BATCH
    confirms_itself = False
    ledger_account = Provider.BANK_TRANSFER  # the provider account the money leaves from

    def send(self, payouts) -> bytes:
        """A CSV the bank's bulk-transfer upload accepts: account, holder, amount, reference."""
        rows = []
        for payout in payouts:
            shop = payout.settlement.bumkam
            if not shop.bank_account_number:
                raise PayoutError(_("%(shop)s belum mengisi nomor rekening.") % {"shop": shop.name})
            rows.append([shop.bank_name, shop.bank_account_number, shop.bank_account_holder, payout.amount,
                         payout.settlement.number, payout.idempotency_key])
        return csv_bytes(["bank", "nomor_rekening", "nama_pemilik", "jumlah", "berita", "kunci"], rows)


class StripeConnectProvider:
    """Separate charges and transfers: one transfer per checkout in the statement, in that
    checkout's transfer group. Each transfer is remembered on the payout as soon as Stripe
    makes it, and its idempotency key never changes, so a rerun after a crash, or a retry
    after a failure, never transfers the same money twice."""

    code = Provider.STRIPE_CONNECT
    confirms_itself = True
    ledger_account = Provider.STRIPE

    def send(self, payouts) -> bytes:
        for payout in payouts:
            shop = payout.settlement.bumkam
            try:
                for group, amount in transfer_groups(payout):
                    if group in payout.transfers:
                        continue
                    transfer = stripe_gateway.transfer_create(
                        amount=amount, destination=shop.stripe_account_id, transfer_group=group,
                        key=f"{payout.idempotency_key}-{group}")
                    payout.transfers[group] = transfer.id
                    Payout.objects.filter(pk=payout.pk).update(transfers=payout.transfers)
            except (stripe_gateway.StripeUnavailable, stripe.StripeError):
                logger.warning("Stripe Connect payout %s not finished", payout.pk, exc_info=True)
                payout_fail(payout=payout)
                continue
            payout_confirm(payout=payout, bank_reference=" ".join(payout.transfers.values())[:60])
        return b""


def transfer_groups(payout) -> list[tuple[str, int]]:
    """The payout split by checkout; a COD line (the shop owes its commission) is taken off the first."""
    per_checkout = {}
    statements = [payout.settlement, *payout.settlement.carried.all()]
    for line in SettlementLine.objects.filter(settlement__in=statements).select_related("shop_order__checkout"):
        reference = line.shop_order.checkout.reference
        per_checkout[reference] = per_checkout.get(reference, 0) + line.net
    owed_back = -sum(amount for amount in per_checkout.values() if amount < 0)
    groups = []
    for reference, amount in sorted(per_checkout.items()):
        if amount <= 0:
            continue
        taken = min(amount, owed_back)
        owed_back -= taken
        if amount - taken:
            groups.append((reference, amount - taken))
    return groups


PROVIDERS = {provider.code: provider for provider in (BankBatchProvider(), StripeConnectProvider())}


def provider_for(bumkam) -> str:
    if settings.STRIPE_CONNECT_ENABLED and stripe_gateway.card_enabled() and bumkam.stripe_account_id:
        return StripeConnectProvider.code
    return BankBatchProvider.code


@transaction.atomic
def payout_create(*, settlement) -> Payout | None:
    """The statement's net on its way to the shop, together with earlier statements that had no
    payout of their own (a week in which the shop owed more COD commission than it earned).
    None while the shop still owes; those statements are then carried into a later one."""
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    existing = Payout.objects.filter(settlement=settlement).first()
    if existing is not None:
        return existing
    earlier = list(Settlement.objects.select_for_update(of=("self",)).filter(
        bumkam=settlement.bumkam, pk__lt=settlement.pk, payout__isnull=True, carried_into__isnull=True))
    amount = settlement.totals()["net"] + sum(other.totals()["net"] for other in earlier)
    if amount <= 0:
        return None
    Settlement.objects.filter(pk__in=[other.pk for other in earlier]).update(carried_into=settlement)
    return Payout.objects.create(settlement=settlement, amount=amount, provider=provider_for(settlement.bumkam))


def payouts_send(*, provider_code: Provider = BankBatchProvider.code, acting_user=None) -> tuple[list[Payout], bytes]:
    """Hand every pending payout to the provider. The bank's wait for confirmation; a provider
    that confirms itself also takes the ones a crash left sent but unconfirmed. A bank file is
    kept as a PayoutBatch, to be downloaded again exactly as it was first given."""
    provider = PROVIDERS[provider_code]
    waiting = (PayoutStatus.PENDING, PayoutStatus.SENT) if provider.confirms_itself else (PayoutStatus.PENDING,)
    with transaction.atomic():
        payouts = list(Payout.objects.select_for_update().filter(status__in=waiting, provider=provider_code)
                       .select_related("settlement__bumkam"))
        if not payouts:
            return [], b""
        batch = b"" if provider.confirms_itself else provider.send(payouts)
        Payout.objects.filter(pk__in=[p.pk for p in payouts]).update(status=PayoutStatus.SENT, attempts=F("attempts") + 1)
        if batch:
            kept = PayoutBatch.objects.create(content=batch, total=sum(p.amount for p in payouts),
                                              created_by=acting_user)
            kept.payouts.set(payouts)
    if provider.confirms_itself:  # outside the lock: each payout is its own transaction
        provider.send(payouts)
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
                   (provider_account(PROVIDERS[payout.provider].ledger_account), None, -payout.amount)])
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


def payout_batch_file(*, batch: PayoutBatch, acting_user) -> bytes:
    """The batch's file again, byte for byte; every download is in the audit log, since the file
    carries the shops' account numbers and amounts."""
    if acting_user is None or not acting_user.is_superuser:
        raise PermissionDenied
    audit_record(acting_user=acting_user, action=AuditAction.PAYOUT_BATCH_DOWNLOAD, target=batch,
                 new={"pembayaran": batch.payouts.count(), "jumlah": batch.total})
    logger.info("payout batch %s downloaded by %s", batch.number, acting_user.get_username())
    return bytes(batch.content)
