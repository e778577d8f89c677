"""Money in and back out: a transfer confirmed, a card paid, COD cash taken, refunds.

A refund is written (pending) before the provider is asked, with an idempotency key from
its own id: a retry never refunds twice, and a webhook that arrives first finds it.
Stripe refunds card payments; for a bank transfer the regency admin sends the money back
and records the bank's reference; for COD the shop hands the cash back.
"""

import datetime

import stripe
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BigIntegerField, Case, Exists, OuterRef, Subquery, Sum, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from shops.constants import AuditAction
from shops.services import audit_record

from ..checkout.models import Checkout
from ..constants import UNPAID_CHECKOUT_LIFETIME_HOURS, Actor, CheckoutStatus, OrderStatus, PaymentMethod
from ..errors import UserError
from ..html import rupiah
from ..orders.models import ShopOrder
from ..orders.moves import ENDED_UNSENT, next_statuses
from ..orders.services import can_manage, complaint_refund_recorded, shop_order_advance
from ..settlements.models import LedgerEntry, TransactionKind
from ..settlements.services import (
    ledger_record_cash,
    ledger_record_overpayment_refund,
    ledger_record_payment,
    ledger_record_refund,
)
from . import emails, stripe_gateway
from .models import DifferenceKind, PaymentDifference, Provider, Refund, RefundStatus, TransferReceipt


class AmountDiffers(UserError):
    """The transfers add up to another amount than the one due: the admin decides what
    happens to the difference (transfer_accept_shortfall, transfer_keep_awaiting,
    transfer_accept_overpayment)."""

    def __init__(self, message, *, received: int, due: int):
        super().__init__(message)
        self.received, self.due = received, due


def transfer_received_so_far(checkout: Checkout) -> int:
    return checkout.transfer_receipts.aggregate(total=Sum("amount"))["total"] or 0


def _awaiting_transfer(checkout: Checkout, acting_user) -> Checkout:
    """The checkout locked, if it still waits for a bank transfer and the user may record one."""
    if acting_user is not None and not acting_user.is_superuser:
        raise PermissionDenied
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    if checkout.status != CheckoutStatus.AWAITING_PAYMENT or checkout.payment_method != PaymentMethod.BANK_TRANSFER:
        raise UserError(_("Checkout %(ref)s tidak menunggu transfer.") % {"ref": checkout.reference})
    return checkout


def _receive(checkout: Checkout, amount: int, acting_user) -> int:
    """This transfer written down; what the checkout has received in all."""
    if amount:
        TransferReceipt.objects.create(checkout=checkout, amount=amount, created_by=acting_user)
    return transfer_received_so_far(checkout)


def _audit(checkout, action, acting_user, **figures):
    audit_record(acting_user=acting_user, action=action, target=checkout,
                 new={"tagihan": checkout.amount_due, **figures})


@transaction.atomic
def payment_confirm_bank_transfer(*, checkout: Checkout, amount_received: int, acting_user) -> Checkout:
    """A regency admin saw the money arrive: with what came before, exactly the amount due. Any
    other sum is refused with AmountDiffers, and nothing is written, so the admin can decide."""
    if acting_user is not None and not acting_user.is_superuser:
        raise PermissionDenied
    locked = Checkout.objects.select_for_update().get(pk=checkout.pk)
    if locked.is_paid:  # pressed twice
        return locked
    checkout = _awaiting_transfer(locked, acting_user)
    so_far = transfer_received_so_far(checkout)
    if so_far + amount_received != checkout.amount_due:
        raise AmountDiffers(
            _("Jumlah diterima %(got)s tidak sama dengan tagihan %(due)s; pembayaran belum dicatat.")
            % {"got": rupiah(so_far + amount_received), "due": rupiah(checkout.amount_due)},
            received=so_far + amount_received, due=checkout.amount_due)
    received = _receive(checkout, amount_received, acting_user)
    _audit(checkout, AuditAction.TRANSFER_CONFIRM, acting_user, diterima=received)
    return payment_received(checkout=checkout, provider=Provider.BANK_TRANSFER, amount=received,
                            acting_user=acting_user)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise UserError(_("Tulis alasannya, mis. \"kode unik lupa ditambahkan\"."))
    return reason[:255]


@transaction.atomic
def transfer_accept_shortfall(*, checkout: Checkout, amount_received: int, reason: str, acting_user) -> Checkout:
    """Too little came (the unique code forgotten): paid all the same, the platform bears the
    shortfall in its write-off account and the shops are owed their full share."""
    reason = _reason(reason)
    checkout = _awaiting_transfer(checkout, acting_user)
    received = transfer_received_so_far(checkout) + amount_received
    if received >= checkout.amount_due or received <= 0:
        raise UserError(_("Jumlah %(got)s tidak kurang dari tagihan %(due)s.")
                        % {"got": rupiah(received), "due": rupiah(checkout.amount_due)})
    _receive(checkout, amount_received, acting_user)
    return _paid_with_difference(checkout, kind=DifferenceKind.WRITTEN_OFF, received=received,
                                 difference=checkout.amount_due - received, reason=reason, acting_user=acting_user)


@transaction.atomic
def transfer_keep_awaiting(*, checkout: Checkout, amount_received: int, reason: str = "", acting_user) -> Checkout:
    """Too little came and the buyer is to send the rest: the transfer is written down, the
    deadline starts again so the stock stays reserved, and the buyer is told what is missing."""
    if amount_received <= 0:
        raise UserError(_("Isi jumlah transfer yang baru diterima."))
    checkout = _awaiting_transfer(checkout, acting_user)
    received = transfer_received_so_far(checkout) + amount_received
    if received >= checkout.amount_due:
        raise UserError(_("Jumlah %(got)s tidak kurang dari tagihan %(due)s.")
                        % {"got": rupiah(received), "due": rupiah(checkout.amount_due)})
    _receive(checkout, amount_received, acting_user)
    short = checkout.amount_due - received
    _audit(checkout, AuditAction.TRANSFER_PARTIAL, acting_user, diterima=received, kekurangan=short,
           alasan=(reason or "").strip()[:255])
    checkout.expires_at = max(checkout.expires_at or timezone.now(),
                              timezone.now() + datetime.timedelta(hours=UNPAID_CHECKOUT_LIFETIME_HOURS))
    checkout.save(update_fields=["expires_at"])
    transaction.on_commit(lambda: _schedule_expiry(checkout))
    emails.transfer_short(checkout, received=received, short=short)
    return checkout


def _schedule_expiry(checkout: Checkout) -> None:
    from ..checkout.tasks import expire_checkout

    if expire_checkout.get_backend().supports_defer:
        expire_checkout.using(run_after=checkout.expires_at).enqueue(checkout.pk)


@transaction.atomic
def transfer_accept_overpayment(*, checkout: Checkout, amount_received: int, reason: str, acting_user) -> Checkout:
    """Too much came (rounded up): paid, and the excess is owed back to the buyer until the
    admin records sending it (overpayment_mark_refunded)."""
    reason = _reason(reason)
    checkout = _awaiting_transfer(checkout, acting_user)
    received = transfer_received_so_far(checkout) + amount_received
    if received <= checkout.amount_due:
        raise UserError(_("Jumlah %(got)s tidak lebih dari tagihan %(due)s.")
                        % {"got": rupiah(received), "due": rupiah(checkout.amount_due)})
    _receive(checkout, amount_received, acting_user)
    return _paid_with_difference(checkout, kind=DifferenceKind.OVERPAID, received=received,
                                 difference=received - checkout.amount_due, reason=reason, acting_user=acting_user)


# What each kind of difference is audited as, and the word its amount is written under.
_DIFFERENCE_AUDIT = {DifferenceKind.WRITTEN_OFF: (AuditAction.TRANSFER_WRITE_OFF, "kekurangan"),
                     DifferenceKind.OVERPAID: (AuditAction.TRANSFER_OVERPAID, "kelebihan")}


def _paid_with_difference(checkout, *, kind, received, difference, reason, acting_user) -> Checkout:
    """The admin accepted a transfer that is not the amount due: the difference recorded and
    audited, then the checkout paid through the one paid path."""
    PaymentDifference.objects.create(checkout=checkout, kind=kind, amount_due=checkout.amount_due,
                                     amount_received=received, amount=difference, reason=reason, created_by=acting_user)
    action, label = _DIFFERENCE_AUDIT[kind]
    _audit(checkout, action, acting_user, diterima=received, alasan=reason, **{label: difference})
    return payment_received(checkout=checkout, provider=Provider.BANK_TRANSFER, amount=received,
                            acting_user=acting_user, difference=kind)


@transaction.atomic
def overpayment_mark_refunded(*, difference: PaymentDifference, reference: str, acting_user) -> PaymentDifference:
    """The admin sent the buyer's excess back from the platform's account, with the bank's reference."""
    if acting_user is None or not acting_user.is_superuser:
        raise PermissionDenied
    difference = PaymentDifference.objects.select_for_update().select_related("checkout").get(pk=difference.pk)
    if difference.kind != DifferenceKind.OVERPAID:
        raise UserError(_("Tidak ada kelebihan bayar untuk dikembalikan."))
    if difference.refunded_at is not None:
        return difference
    reference = (reference or "").strip()
    if not reference:
        raise UserError(_("Isi referensi transfer pengembalian dari bank."))
    difference.refunded_at, difference.refunded_by = timezone.now(), acting_user
    difference.refund_reference = reference[:60]
    difference.save(update_fields=["refunded_at", "refund_reference", "refunded_by"])
    ledger_record_overpayment_refund(difference=difference, acting_user=acting_user)
    _audit(difference.checkout, AuditAction.OVERPAYMENT_REFUNDED, acting_user, dikembalikan=difference.amount,
           referensi=difference.refund_reference)
    emails.overpayment_refunded(difference)
    return difference


def payment_received(*, checkout: Checkout, provider: Provider, amount: int, acting_user=None,
                     difference: str = "") -> Checkout:
    """The money of an awaiting checkout arrived: one ledger transaction, every shop's order
    to processing, and one e-mail to the buyer. The caller holds the checkout's row lock."""
    checkout.status, checkout.paid_at = CheckoutStatus.PAID, timezone.now()
    ledger_record_payment(checkout=checkout, provider=provider, amount=amount, acting_user=acting_user,
                          difference=difference)
    cancelled = []
    for shop_order in checkout.shop_orders.select_related("order"):
        if shop_order.order.status == OrderStatus.AWAITING_PAYMENT:
            # the receipt below tells the buyer; the admin who saw a transfer arrive is on the event row
            shop_order_advance(shop_order=shop_order, status=OrderStatus.PROCESSING, acting_user=acting_user,
                               actor=Actor.SYSTEM, notify=False)
        else:  # a shop cancelled its part before the buyer paid: that part goes back to the buyer
            cancelled.append(f"{shop_order.order.number} ({rupiah(shop_order.order.total_incl_tax)})")
    if cancelled:
        checkout.status = CheckoutStatus.PAID_FLAGGED
        checkout.problem = _("Dibayar penuh, tetapi pesanan ini sudah dibatalkan toko; kembalikan dananya: %(orders)s") % {
            "orders": ", ".join(cancelled)}
    checkout.save(update_fields=["status", "paid_at", "problem"])
    emails.payment_received(checkout, amount)
    return checkout


@transaction.atomic
def cash_received(*, shop_order: ShopOrder, acting_user) -> ShopOrder:
    """A shop took the buyer's cash for a COD order (at the door or at pickup): into the ledger, once."""
    shop_order = ShopOrder.objects.select_for_update().select_related("order", "bumkam", "checkout").get(pk=shop_order.pk)
    if acting_user is not None and not can_manage(acting_user, shop_order):
        raise PermissionDenied
    if shop_order.checkout.payment_method != PaymentMethod.CASH_ON_DELIVERY:
        raise UserError(_("Pesanan %(number)s tidak dibayar di tempat.") % {"number": shop_order.order.number})
    if shop_order.order.status in ENDED_UNSENT:
        raise UserError(_("Pesanan %(number)s sudah dibatalkan.") % {"number": shop_order.order.number})
    ledger_record_cash(shop_order=shop_order, acting_user=acting_user)
    return shop_order


class RefundPending(UserError):
    """Stripe did not answer; the refund stays pending and is sent again with the same key."""


def with_refundable(shop_orders):
    """Each shop order with `is_paid` (its payment is in the ledger) and `refundable_amount`: what
    was paid and is not yet given back (or on its way back). One query for a whole list."""
    given = (Refund.objects.filter(shop_order=OuterRef("pk")).exclude(status=RefundStatus.FAILED)
             .values("shop_order").annotate(total=Sum("amount")).values("total"))
    paid = Exists(LedgerEntry.objects.filter(shop_order=OuterRef("pk"), transaction__kind=TransactionKind.PAYMENT))
    return shop_orders.annotate(is_paid=paid).annotate(refundable_amount=Case(
        When(is_paid=True, then=Cast("order__total_incl_tax", BigIntegerField()) - Coalesce(Subquery(given), 0)),
        default=0, output_field=BigIntegerField()))


def refundable(shop_order: ShopOrder) -> int:
    return with_refundable(ShopOrder.objects.filter(pk=shop_order.pk)).values_list("refundable_amount", flat=True).get()


def refund_issue(*, shop_order: ShopOrder, amount: int, reason: str, acting_user, reference: str = "") -> Refund:
    refund = _refund_create(shop_order=shop_order, amount=amount, reason=reason, acting_user=acting_user,
                            reference=reference)
    if refund.status == RefundStatus.PENDING:
        refund_send(refund)
        refund.refresh_from_db()
    return refund


@transaction.atomic
def _refund_create(*, shop_order, amount, reason, acting_user, reference) -> Refund:
    shop_order = (ShopOrder.objects.select_for_update().select_related("order", "bumkam", "checkout")
                  .get(pk=shop_order.pk))
    provider = shop_order.payment_provider
    if acting_user is not None and not can_manage(acting_user, shop_order):
        raise PermissionDenied
    if provider == Provider.BANK_TRANSFER and acting_user is not None and not acting_user.is_superuser:
        raise PermissionDenied  # the platform's own bank account pays it back
    if hasattr(shop_order, "settlement_line"):
        raise UserError(_("Pesanan %(number)s sudah masuk laporan penyelesaian; pengembalian dana tidak bisa "
                              "dicatat lagi.") % {"number": shop_order.order.number})
    left = refundable(shop_order)
    if amount <= 0 or amount > left:
        raise UserError(_("Jumlah pengembalian harus antara Rp 1 dan %(left)s, yang dibayar dan belum "
                              "dikembalikan.") % {"left": rupiah(left)})
    if provider != Provider.STRIPE and not reference.strip():
        raise UserError(_("Isi referensi transfer atau catatan serah terima uang tunai."))
    refund = Refund.objects.create(shop_order=shop_order, amount=amount, reason=reason.strip(), created_by=acting_user,
                                   provider=provider, provider_reference=reference.strip())
    if provider != Provider.STRIPE:  # the money has already gone back by hand
        return refund_settle(refund=refund, status="succeeded")
    return refund


def refund_send(refund: Refund) -> None:
    """Ask Stripe; called outside any transaction, and again for a refund left pending."""
    try:
        result = stripe_gateway.refund_create(refund)
    except stripe_gateway.StripeUnavailable as error:
        raise RefundPending(_("Stripe belum menjawab; pengembalian %(amount)s tercatat dan akan dikirim ulang.")
                            % {"amount": rupiah(refund.amount)}) from error
    except stripe.StripeError as error:
        refund_settle(refund=refund, status="failed")
        raise UserError(_("Stripe menolak pengembalian dana: %(why)s") % {"why": error.user_message or error}) from error
    refund_settle(refund=refund, status=result.status, reference=result.id)


@transaction.atomic
def refund_settle(*, refund: Refund, status: str, reference: str = "") -> Refund:
    """The provider's answer: succeeded posts to the ledger once; failed frees the amount again."""
    refund = Refund.objects.select_for_update().select_related("shop_order__order").get(pk=refund.pk)
    if refund.status != RefundStatus.PENDING:
        return refund
    if reference:
        refund.provider_reference = reference
    if status == "succeeded":
        refund.status = RefundStatus.SUCCEEDED
        ledger_record_refund(refund=refund, provider=refund.provider, acting_user=refund.created_by)
    elif status in ("failed", "canceled"):
        refund.status = RefundStatus.FAILED
    refund.save(update_fields=["status", "provider_reference"])
    if refund.status == RefundStatus.SUCCEEDED:
        complaint_refund_recorded(refund=refund, remaining=refundable(refund.shop_order))
        _cancel_if_all_given_back(refund.shop_order)
        emails.refund_succeeded(refund)
    elif refund.status == RefundStatus.FAILED:  # it may have stood for money the provider did give back another way
        checkout = refund.shop_order.checkout
        refunds_match_provider(checkout=checkout, refunded_total=checkout.provider_refunded, reference="")
    return refund


def refunds_match_provider(*, checkout, refunded_total: int, reference: str) -> None:
    """Make our refunds of a checkout add up to what the provider says it has given back: a
    refund made outside the platform (Stripe's dashboard) is shared out over the shop orders in turn.
    Pending refunds count as given, so a refund of ours that Stripe reports first is not made twice."""
    ours = (Refund.objects.filter(shop_order__checkout=checkout).exclude(status=RefundStatus.FAILED)
            .aggregate(total=Sum("amount"))["total"] or 0)
    extra = refunded_total - ours
    for shop_order in checkout.shop_orders.select_related("order", "checkout").order_by("pk"):
        part = min(extra, refundable(shop_order))
        if part <= 0:
            continue
        refund = Refund.objects.create(shop_order=shop_order, amount=part, reason=_("Dikembalikan lewat Stripe"),
                                       provider=Provider.STRIPE, provider_reference=reference)
        refund_settle(refund=refund, status="succeeded")
        extra -= part


def _cancel_if_all_given_back(shop_order: ShopOrder) -> None:
    """A wholly refunded order that has not left the shop is cancelled, and its stock goes back on sale."""
    if refundable(shop_order) == 0 and OrderStatus.CANCELLED in next_statuses(shop_order.order.status, Actor.SYSTEM):
        shop_order_advance(shop_order=shop_order, status=OrderStatus.CANCELLED, acting_user=None)


def refunds_retry() -> int:
    """Send again every Stripe refund left pending by a timeout; the idempotency key keeps it one refund."""
    sent = 0
    for refund in Refund.objects.filter(status=RefundStatus.PENDING, provider_reference=""):
        try:
            refund_send(refund)
        except UserError:
            continue
        sent += 1
    return sent
