"""After checkout: payment confirmed, orders packed and shipped, or cancelled and expired.

Every change goes through one function that checks who acts, moves the Oscar order
along the pipeline, adjusts stock to match and tells the buyer.
"""

import logging

import stripe
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import CheckoutStatus, OrderStatus, PaymentMethod, ShippingMethod
from ..html import rupiah
from ..models import Checkout, ShopOrder
from ..payments import stripe_gateway
from ..settlements.services import ledger_record_cash, ledger_record_payment
from ..sites import site_url
from .checkout import CheckoutError

logger = logging.getLogger(__name__)

def can_manage(user, shop_order: ShopOrder) -> bool:
    return user.is_superuser or shop_order.bumkam.managers.filter(pk=user.pk).exists()


@transaction.atomic
def shop_order_advance(*, shop_order: ShopOrder, status: str, acting_user, tracking_number: str = "",
                       courier: str = "", notify: bool = True) -> ShopOrder:
    shop_order = ShopOrder.objects.select_for_update().select_related("order", "bumkam").get(pk=shop_order.pk)
    if acting_user is not None and not can_manage(acting_user, shop_order):
        raise PermissionDenied
    order = shop_order.order
    if status not in OrderStatus.PIPELINE.get(order.status, ()):
        raise CheckoutError(_("Pesanan %(number)s tidak bisa diubah dari %(old)s ke %(new)s.")
                            % {"number": order.number, "old": order.status, "new": status})
    if status == OrderStatus.SHIPPED and order.shipping_code == ShippingMethod.COURIER and not tracking_number.strip():
        raise CheckoutError(_("Isi nomor resi untuk pesanan yang dikirim kurir."))
    order.set_status(status)  # stock follows in marketplace.signal_handlers
    if status == OrderStatus.SHIPPED:
        shop_order.tracking_number, shop_order.courier = tracking_number.strip(), courier.strip()
        shop_order.save(update_fields=["tracking_number", "courier"])
    if status == OrderStatus.DELIVERED:  # the return window counts from here
        shop_order.delivered_at = timezone.now()
        shop_order.save(update_fields=["delivered_at"])
    if notify:
        _tell_buyer(shop_order)
    return shop_order


@transaction.atomic
def payment_confirm_bank_transfer(*, checkout: Checkout, amount_received: int, acting_user) -> Checkout:
    """A regency admin saw the money arrive: the amount must be exactly what was asked."""
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    if acting_user is not None and not acting_user.is_superuser:
        raise PermissionDenied
    if checkout.is_paid:
        return checkout
    if checkout.status != CheckoutStatus.AWAITING_PAYMENT:
        raise CheckoutError(_("Checkout %(ref)s tidak menunggu pembayaran.") % {"ref": checkout.reference})
    if amount_received != checkout.amount_due:
        raise CheckoutError(
            _("Jumlah diterima %(got)s tidak sama dengan tagihan %(due)s; pembayaran tidak dicatat.")
            % {"got": rupiah(amount_received), "due": rupiah(checkout.amount_due)}
        )
    return payment_received(checkout=checkout, provider="bank_transfer", amount=amount_received,
                            acting_user=acting_user)


def payment_received(*, checkout: Checkout, provider: str, amount: int, acting_user=None) -> Checkout:
    """The money of an awaiting checkout arrived: one ledger transaction, every shop's order
    to processing, and one e-mail to the buyer. The caller holds the checkout's row lock."""
    checkout.status, checkout.paid_at = CheckoutStatus.PAID, timezone.now()
    ledger_record_payment(checkout=checkout, provider=provider, amount=amount, acting_user=acting_user)
    cancelled = []
    for shop_order in checkout.shop_orders.select_related("order"):
        if shop_order.order.status == OrderStatus.AWAITING_PAYMENT:
            shop_order_advance(shop_order=shop_order, status=OrderStatus.PROCESSING, acting_user=None, notify=False)
        else:  # a shop cancelled its part before the buyer paid: that part goes back to the buyer
            cancelled.append(f"{shop_order.order.number} ({rupiah(shop_order.order.total_incl_tax)})")
    if cancelled:
        checkout.status = CheckoutStatus.PAID_FLAGGED
        checkout.problem = _("Dibayar penuh, tetapi pesanan ini sudah dibatalkan toko; kembalikan dananya: %(orders)s") % {
            "orders": ", ".join(cancelled)}
    checkout.save(update_fields=["status", "paid_at", "problem"])
    lines = [_("Pembayaran %(amount)s untuk checkout %(ref)s sudah kami terima. Toko mulai memproses:")
             % {"amount": rupiah(amount), "ref": checkout.reference}]
    lines += [f"- {so.order.number} ({so.bumkam.name})" for so in checkout.shop_orders.select_related("order", "bumkam")]
    transaction.on_commit(lambda: send_mail(_("Pembayaran %(ref)s diterima") % {"ref": checkout.reference},
                                            "\n".join(lines), None, [checkout.email], fail_silently=True))
    return checkout


@transaction.atomic
def cash_received(*, shop_order: ShopOrder, acting_user) -> ShopOrder:
    """A shop took the buyer's cash for a COD order (at the door or at pickup): into the ledger, once."""
    shop_order = ShopOrder.objects.select_for_update().select_related("order", "bumkam", "checkout").get(pk=shop_order.pk)
    if acting_user is not None and not can_manage(acting_user, shop_order):
        raise PermissionDenied
    if shop_order.checkout.payment_method != PaymentMethod.CASH_ON_DELIVERY:
        raise CheckoutError(_("Pesanan %(number)s tidak dibayar di tempat.") % {"number": shop_order.order.number})
    if shop_order.order.status in OrderStatus.RELEASES_STOCK:
        raise CheckoutError(_("Pesanan %(number)s sudah dibatalkan.") % {"number": shop_order.order.number})
    ledger_record_cash(shop_order=shop_order, acting_user=acting_user)
    return shop_order


def checkouts_expire(*, now=None, only=None) -> int:
    """Unpaid checkouts past their time give their stock back. Each checkout's own deferred
    task does this at its deadline; `manage.py expire_checkouts` sweeps up after an outage."""
    now = now or timezone.now()
    expired = 0
    candidates = only if only is not None else Checkout.objects.all()
    due = candidates.filter(status=CheckoutStatus.AWAITING_PAYMENT, expires_at__lte=now).values_list("pk", flat=True)
    for pk in due:
        with transaction.atomic():
            checkout = Checkout.objects.select_for_update().get(pk=pk)
            if checkout.status != CheckoutStatus.AWAITING_PAYMENT:
                continue
            checkout.status = CheckoutStatus.EXPIRED
            checkout.save(update_fields=["status"])
            for shop_order in checkout.shop_orders.filter(order__status=OrderStatus.AWAITING_PAYMENT):
                shop_order_advance(shop_order=shop_order, status=OrderStatus.EXPIRED, acting_user=None)
            if checkout.payment_intent_id:  # so that the buyer can no longer pay it
                transaction.on_commit(lambda checkout=checkout: _payment_intent_cancel(checkout))
            expired += 1
    return expired


def _payment_intent_cancel(checkout: Checkout) -> None:
    """Best effort: a payment that still slips through is refunded when its webhook arrives."""
    try:
        stripe_gateway.payment_intent_cancel(checkout)
    except (stripe_gateway.StripeUnavailable, stripe.StripeError):
        logger.warning("could not cancel PaymentIntent of %s", checkout.reference, exc_info=True)


def _tell_buyer(shop_order: ShopOrder) -> None:
    order, checkout = shop_order.order, shop_order.checkout
    lines = [
        _("Pesanan %(number)s dari %(shop)s sekarang: %(status)s.")
        % {"number": order.number, "shop": shop_order.bumkam.name, "status": order.status},
    ]
    if shop_order.tracking_number:
        lines.append(_("Kurir %(courier)s, nomor resi %(tracking)s.")
                     % {"courier": shop_order.courier or "-", "tracking": shop_order.tracking_number})
    lines.append(_("Lihat semua pesanan checkout %(ref)s di %(url)s") % {
        "ref": checkout.reference, "url": site_url(checkout.get_absolute_url())})
    transaction.on_commit(lambda: send_mail(
        _("Pesanan %(number)s: %(status)s") % {"number": order.number, "status": order.status},
        "\n".join(lines), None, [checkout.email], fail_silently=True,
    ))
