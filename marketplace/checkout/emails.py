"""What the buyer is told when a checkout is placed."""

from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import CheckoutStatus, PaymentMethod
from ..html import rupiah
from ..sites import site_url


def checkout_placed(checkout) -> None:
    lines = [_("Terima kasih. Checkout %(ref)s berisi pesanan:") % {"ref": checkout.reference}]
    for shop_order in checkout.shop_orders.select_related("order", "bumkam"):
        lines.append(f"- {shop_order.order.number} ({shop_order.bumkam.name}): {rupiah(shop_order.order.total_incl_tax)}")
    if checkout.payment_method == PaymentMethod.CARD:
        lines.append(_("Bayar dengan kartu di halaman pesanan sebelum %(deadline)s.") % {
            "deadline": timezone.localtime(checkout.expires_at).strftime("%d-%m-%Y %H.%M")})
    elif checkout.status == CheckoutStatus.AWAITING_PAYMENT:
        lines.append(_("Transfer tepat %(amount)s sebelum %(deadline)s.") % {
            "amount": rupiah(checkout.amount_due),
            "deadline": timezone.localtime(checkout.expires_at).strftime("%d-%m-%Y %H.%M")})
    lines.append(_("Halaman pesanan Anda: %(url)s") % {"url": site_url(checkout.get_absolute_url())})
    send_mail(_("Pesanan %(ref)s diterima") % {"ref": checkout.reference}, "\n".join(lines), None,
              [checkout.email], fail_silently=True)
