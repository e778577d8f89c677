import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from marketplace.constants import OrderStatus
from marketplace.orders.services import complaint_open, shop_order_advance
from marketplace.payments.services import payment_confirm_bank_transfer
from tests import factories
from tests.payments.conftest import honey_and_rice

User = get_user_model()


def user(username):
    return User.objects.get(username=username)


@pytest.fixture
def admin():
    return user("admin")


@pytest.fixture
def rice(admin):
    """A transfer-paid checkout of honey (Dayun) and rice (Bunga Raya); the rice order delivered just now."""
    checkout = factories.place(honey_and_rice())
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)
    rice_order = checkout.shop_orders.select_related("order", "checkout").get(bumkam__kampung__code="14.08.08.2001")
    for status in (OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        shop_order_advance(shop_order=rice_order, status=status, acting_user=admin)
    rice_order.refresh_from_db()
    return rice_order


@pytest.fixture
def complaint(rice):
    return complaint_open(shop_order=rice, reason="damaged", text="Dua karung beras basah.")


def days_later(days):
    return timezone.now() + datetime.timedelta(days=days)


def move_delivery_back(shop_order, days):
    type(shop_order).objects.filter(pk=shop_order.pk).update(delivered_at=timezone.now() - datetime.timedelta(days=days))
    shop_order.refresh_from_db()


def buyer_url(shop_order, tail=""):
    return f"/toko/pesanan/{shop_order.checkout.reference}/{shop_order.order.number}/{tail}"
