"""What the buyer is told when a checkout is placed, and the one link every buyer's e-mail carries."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ..constants import CheckoutStatus, PaymentMethod, ShippingMethod
from ..html import rupiah
from ..sites import site_url


def order_page_url(checkout) -> str:
    """The buyer's checkout page as an absolute link: a guest's only way back besides the lookup,
    so every mail to a buyer carries it."""
    return site_url(checkout.get_absolute_url())


def is_pickup(shop_order) -> bool:
    return shop_order.order.shipping_code == ShippingMethod.PICKUP


def checkout_placed(checkout) -> None:
    """For a transfer, everything needed to pay without opening the site: the platform's account,
    the exact amount with its unique code, and the deadline."""
    shop_orders = list(checkout.shop_orders.select_related("order", "bumkam__kampung"))
    body = render_to_string("marketplace/emails/checkout_placed.txt", {
        "checkout": checkout,
        "lines": [{"shop_order": so, "amount": rupiah(so.order.total_incl_tax)} for so in shop_orders],
        "pickups": [so for so in shop_orders if is_pickup(so)],
        "by_card": checkout.payment_method == PaymentMethod.CARD,
        "awaiting_transfer": (checkout.payment_method == PaymentMethod.BANK_TRANSFER
                              and checkout.status == CheckoutStatus.AWAITING_PAYMENT),
        "cash_on_delivery": checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY,
        "amount": rupiah(checkout.amount_due), "total": rupiah(checkout.total),
        "bank": settings.PLATFORM_BANK_ACCOUNT,
        "order_url": order_page_url(checkout),
    })
    send_mail(_("Pesanan %(ref)s diterima") % {"ref": checkout.reference}, body, None,
              [checkout.email], fail_silently=True)
