"""A shop order's status changes here and nowhere else.

Every change goes through one function that checks who acts, moves the Oscar order
along the pipeline, adjusts stock to match and tells the buyer.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import OrderStatus, ShippingMethod
from ..errors import UserError
from . import emails
from .models import ShopOrder


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
        raise UserError(_("Pesanan %(number)s tidak bisa diubah dari %(old)s ke %(new)s.")
                            % {"number": order.number, "old": order.status, "new": status})
    if status == OrderStatus.SHIPPED and order.shipping_code == ShippingMethod.COURIER and not tracking_number.strip():
        raise UserError(_("Isi nomor resi untuk pesanan yang dikirim kurir."))
    order.set_status(status)  # stock follows in marketplace.signal_handlers
    if status == OrderStatus.SHIPPED:
        shop_order.tracking_number, shop_order.courier = tracking_number.strip(), courier.strip()
        shop_order.save(update_fields=["tracking_number", "courier"])
    if status == OrderStatus.DELIVERED:  # the return window counts from here
        shop_order.delivered_at = timezone.now()
        shop_order.save(update_fields=["delivered_at"])
    if notify:
        emails.status_changed(shop_order)
    return shop_order
