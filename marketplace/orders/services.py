"""A shop order's status changes here and nowhere else.

Every change goes through one function that checks who acts against the table of moves
(`moves.MOVES`), does what that move does (stock, `delivered_at`, the tracking number), writes
the event row, moves the Oscar order along the pipeline and tells the buyer and the shop.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.partner.exceptions import InvalidStockAdjustment

from ..constants import Actor, OrderStatus, ShippingMethod
from ..errors import UserError
from . import emails
from .models import ShopOrder, ShopOrderEvent
from .moves import MOVES, Move, Stock, next_statuses

__all__ = ["MOVES", "actor_of", "can_manage", "next_statuses", "shop_order_advance"]


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
                       tracking_number: str = "", courier: str = "", note: str = "",
                       notify: bool = True) -> ShopOrder:
    """The one way a shop order's status changes, from any page, task or webhook.

    A move the table does not have is a UserError; one it has, made by someone it does not
    name, is PermissionDenied. `notify=False` spares the buyer this move's e-mail when the
    caller tells them itself (a payment's receipt); the shop is told regardless."""
    shop_order = (ShopOrder.objects.select_for_update()
                  .select_related("order", "bumkam", "checkout").get(pk=shop_order.pk))
    role = actor_of(acting_user, shop_order, actor)
    order = shop_order.order
    old_status = order.status
    move = MOVES.get((old_status, status))
    if move is None:
        raise UserError(_("Pesanan %(number)s tidak bisa diubah dari %(old)s ke %(new)s.")
                        % {"number": order.number, "old": old_status, "new": status})
    if role not in move.actors:
        raise PermissionDenied
    tracking_number, courier = tracking_number.strip(), courier.strip()
    if move.needs_tracking and order.shipping_code == ShippingMethod.COURIER and not tracking_number:
        raise UserError(_("Isi nomor resi untuk pesanan yang dikirim kurir."))

    _move_stock(order, move)
    order.set_status(status)  # Oscar's pipeline is built from the same table (settings)
    changed = []
    if move.needs_tracking:
        shop_order.tracking_number, shop_order.courier = tracking_number, courier
        changed += ["tracking_number", "courier"]
    if move.stamps_delivered:
        shop_order.delivered_at = timezone.now()
        changed.append("delivered_at")
    if changed:
        shop_order.save(update_fields=changed)
    if tracking_number and not note:
        note = _("Kurir %(courier)s, resi %(tracking)s") % {"courier": courier or "-", "tracking": tracking_number}
    ShopOrderEvent.objects.create(
        shop_order=shop_order, old_status=old_status, new_status=status, actor=role,
        acting_user=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        note=note[:200])
    if notify:
        emails.status_changed(shop_order)
    if move.tells_shop:
        emails.new_paid_order(shop_order)
    return shop_order


def _move_stock(order, move: Move) -> None:
    """Shipped goods leave the shelf; an order that ends before shipping puts its goods back on sale."""
    if not move.stock:
        return
    for line in order.lines.select_related("stockrecord"):
        if line.stockrecord is None:  # the product was deleted since; nothing left to count
            continue
        if move.stock == Stock.CONSUME:
            try:
                line.stockrecord.consume_allocation(line.quantity)
            except InvalidStockAdjustment as error:  # the shelf was recounted below what is reserved
                raise UserError(_("Stok %(product)s tercatat kurang dari %(quantity)d yang dipesan; perbaiki "
                                  "stoknya dulu, lalu kirim.") % {"product": line.title, "quantity": line.quantity}
                                ) from error
        else:
            line.stockrecord.cancel_allocation(line.quantity)


def shop_orders_placed(shop_orders) -> None:
    """A checkout placed straight into processing (COD) is a new paid order for each shop."""
    for shop_order in shop_orders:
        if shop_order.order.status == OrderStatus.PROCESSING:
            emails.new_paid_order(shop_order)
