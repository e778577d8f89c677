"""A shop order's status changes here and nowhere else.

Every change goes through one function that checks who acts, moves the Oscar order
along the pipeline, adjusts stock to match and tells the buyer.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import Actor, OrderStatus, ShippingMethod
from ..errors import UserError
from . import emails
from .models import ShopOrder


S, A = OrderStatus, Actor
# Who may make each move. The system is payment (a webhook, a transfer confirmed by the regency
# admin), expiry and a full refund; the buyer acts from their own order page; the regency admin
# may do what a shop may, on its behalf. A manager never moves an order that is not paid (or COD).
MOVES: dict[tuple[str, str], frozenset] = {
    (S.AWAITING_PAYMENT, S.PROCESSING): frozenset({A.SYSTEM}),
    (S.AWAITING_PAYMENT, S.CANCELLED): frozenset({A.SYSTEM, A.BUYER, A.REGENCY}),
    (S.AWAITING_PAYMENT, S.EXPIRED): frozenset({A.SYSTEM}),
    (S.PROCESSING, S.PACKED): frozenset({A.MANAGER, A.REGENCY}),
    (S.PROCESSING, S.CANCELLED): frozenset({A.SYSTEM, A.MANAGER, A.REGENCY}),
    (S.PACKED, S.SHIPPED): frozenset({A.MANAGER, A.REGENCY}),
    (S.PACKED, S.CANCELLED): frozenset({A.SYSTEM, A.MANAGER, A.REGENCY}),
    (S.SHIPPED, S.DELIVERED): frozenset({A.MANAGER, A.REGENCY, A.BUYER}),
    (S.DELIVERED, S.COMPLETED): frozenset({A.SYSTEM, A.BUYER, A.REGENCY}),
}


def can_manage(user, shop_order: ShopOrder) -> bool:
    return user.is_superuser or shop_order.bumkam.managers.filter(pk=user.pk).exists()


def actor_of(acting_user, shop_order: ShopOrder, claimed: str | None = None) -> str:
    """The role in which someone acts on this order. The buyer is claimed by the caller, the
    buyer's order page, which has checked the checkout's reference (or the buyer's account);
    the system by a payment service, which records the admin who confirmed the money."""
    if claimed in (Actor.BUYER, Actor.SYSTEM):
        return claimed
    if acting_user is None:
        return Actor.SYSTEM
    if acting_user.is_superuser:
        return Actor.REGENCY
    if shop_order.bumkam.managers.filter(pk=acting_user.pk).exists():
        return Actor.MANAGER
    raise PermissionDenied


@transaction.atomic
def shop_order_advance(*, shop_order: ShopOrder, status: str, acting_user, actor: str | None = None,
                       tracking_number: str = "", courier: str = "", notify: bool = True) -> ShopOrder:
    """The one way a shop order's status changes, from any page, task or webhook."""
    shop_order = ShopOrder.objects.select_for_update().select_related("order", "bumkam").get(pk=shop_order.pk)
    role = actor_of(acting_user, shop_order, actor)
    order = shop_order.order
    allowed = MOVES.get((order.status, status))
    if allowed is not None and role not in allowed:
        raise PermissionDenied
    if allowed is None:
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
