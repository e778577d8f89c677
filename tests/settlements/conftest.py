import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.constants import OrderStatus
from marketplace.payments.services import payment_confirm_bank_transfer
from marketplace.orders.services import shop_order_advance
from tests import factories

Product = get_model("catalogue", "Product")


@pytest.fixture
def delivered():
    """A paid checkout from Bunga Raya and Dayun; Bunga Raya's order delivered, Dayun's only shipped."""
    admin = get_user_model().objects.get(username="admin")
    honey = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    checkout = factories.place(factories.basket((honey, 1), (rice, 2)))
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)
    rice_order = checkout.shop_orders.get(bumkam__kampung__code="14.08.08.2001")
    honey_order = checkout.shop_orders.get(bumkam__kampung__code="14.08.06.2001")
    for status in (OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        shop_order_advance(shop_order=rice_order, status=status, acting_user=admin)
    for status in (OrderStatus.PACKED, OrderStatus.SHIPPED):
        shop_order_advance(shop_order=honey_order, status=status, acting_user=admin)
    return rice_order, honey_order


def after_window(days=4):
    return timezone.now() + datetime.timedelta(days=days)
