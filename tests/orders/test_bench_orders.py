"""make bench's past orders: a year of checkouts in the states trade leaves them, written in bulk."""

import pytest
from oscar.core.loading import get_model

from marketplace.checkout.models import Checkout
from marketplace.constants import CheckoutStatus, OrderStatus
from marketplace.orders.models import ShopOrder
from marketplace.orders.scale import orders_generate

Line = get_model("order", "Line")
pytestmark = pytest.mark.django_db


def test_past_orders_are_one_shops_goods_each_in_the_states_a_year_leaves():
    assert orders_generate(orders=300, seed=9) == 300
    assert orders_generate(orders=300, seed=9) == 0  # nothing twice

    checkouts = Checkout.objects.filter(reference__startswith="PK-SKALA9-")
    assert checkouts.count() == 300
    assert not checkouts.filter(status=CheckoutStatus.AWAITING_PAYMENT).exists()  # nothing waits for money
    shop_orders = ShopOrder.objects.filter(checkout__in=checkouts).select_related("order", "checkout")
    assert shop_orders.count() == 300
    statuses = {shop_order.order.status for shop_order in shop_orders}
    assert {OrderStatus.COMPLETED, OrderStatus.EXPIRED, OrderStatus.CANCELLED} <= statuses
    assert OrderStatus.AWAITING_PAYMENT not in statuses
    for shop_order in shop_orders[:50]:
        lines = list(Line.objects.filter(order=shop_order.order))
        assert lines and {line.partner_id for line in lines} == {shop_order.bumkam.partner_id}
        goods = sum(line.line_price_incl_tax for line in lines)
        assert shop_order.order.total_incl_tax == goods + shop_order.order.shipping_incl_tax == shop_order.checkout.total
