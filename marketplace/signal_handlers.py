from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed

from .constants import OrderStatus


@receiver(order_status_changed, dispatch_uid="marketplace.stock_follows_status")
def stock_follows_order_status(sender, order, old_status, new_status, **kwargs):
    """Whoever moves an order (our pages or Oscar's dashboard), stock follows:
    shipped goods leave the shelf, cancelled or expired ones go back on sale."""
    if new_status == OrderStatus.SHIPPED:
        for line in order.lines.select_related("stockrecord"):
            line.stockrecord.consume_allocation(line.quantity)
    elif new_status in OrderStatus.RELEASES_STOCK and old_status != OrderStatus.SHIPPED:
        for line in order.lines.select_related("stockrecord"):
            line.stockrecord.cancel_allocation(line.quantity)
