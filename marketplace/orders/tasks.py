"""Background work of shop orders, run by `manage.py db_worker`."""

from django_tasks import task


@task()
def complete_shop_order(shop_order_id: int) -> bool:
    """Deferred to ORDER_AUTO_COMPLETE_DAYS after delivery; does nothing if the buyer confirmed,
    or while a complaint is open (the complaint's close, or `complete_orders`, completes it then)."""
    from .models import ShopOrder
    from .services import shop_orders_complete

    return shop_orders_complete(only=ShopOrder.objects.filter(pk=shop_order_id)) == 1
