import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.constants import CheckoutStatus, OrderStatus
from marketplace.errors import UserError
from marketplace.checkout.services import OutOfStock
from marketplace.checkout.services import checkouts_expire
from marketplace.payments.services import payment_confirm_bank_transfer
from marketplace.orders.services import shop_order_advance
from tests import factories

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")


def demo_product(sku):
    return Product.objects.get(stockrecords__partner_sku=sku)


def stock(product):
    record = product.stockrecords.get()
    return record.num_in_stock, record.num_allocated or 0


@pytest.fixture
def two_village_basket():
    honey, rice = demo_product("14.08.06.2001-madu-sialang"), demo_product("14.08.08.2001-beras")
    return factories.basket((honey, 2), (rice, 1)), honey, rice


def test_one_checkout_gives_one_order_per_shop_under_one_reference(two_village_basket):
    basket, honey, rice = two_village_basket
    honey_stock, rice_stock = stock(honey), stock(rice)
    dayun = honey.shop

    checkout = factories.place(basket, shipping={dayun.pk: "courier", rice.shop.pk: "pickup"})

    orders = {so.bumkam.name: so.order for so in checkout.shop_orders.select_related("order", "bumkam")}
    assert set(orders) == {"BUMKam Dayun Sakti", "BUMKam Bunga Raya Sejahtera"}
    honey_order, rice_order = orders["BUMKam Dayun Sakti"], orders["BUMKam Bunga Raya Sejahtera"]
    assert [line.product for line in honey_order.lines.all()] == [honey]
    assert [line.product for line in rice_order.lines.all()] == [rice]
    honey_price = int(honey.stockrecords.get().price)
    # two jars of 750 g start a second kilogram; Dayun and the buyer's Siak are both in Kabupaten Siak
    courier = max(2 * dayun.courier_per_kg_regency, dayun.courier_minimum_regency)
    assert int(honey_order.total_incl_tax) == honey_price * 2 + courier
    assert int(honey_order.shipping_incl_tax) == courier
    assert int(rice_order.shipping_incl_tax) == 0
    assert checkout.total == int(honey_order.total_incl_tax) + int(rice_order.total_incl_tax)
    assert checkout.amount_due == checkout.total + checkout.unique_code and 1 <= checkout.unique_code <= 999
    assert all(o.status == OrderStatus.AWAITING_PAYMENT for o in orders.values())
    assert re.fullmatch(r"PK-[0-9A-Z]{10}", checkout.reference)
    assert stock(honey) == (honey_stock[0], honey_stock[1] + 2)
    assert stock(rice) == (rice_stock[0], rice_stock[1] + 1)
    assert rice_order.shipping_address.line2 == "Kampung Dalam, Kecamatan Siak"


def test_order_numbers_are_unguessable(two_village_basket):
    basket, *_ = two_village_basket

    numbers = list(factories.place(basket).shop_orders.values_list("order__number", flat=True))

    assert all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{6}", n) for n in numbers)
    assert not any(n.isdigit() for n in numbers)


def test_placing_the_same_basket_again_gives_the_same_checkout(two_village_basket):
    basket, honey, _ = two_village_basket
    first = factories.place(basket)

    again = factories.place(basket)

    assert again.pk == first.pk
    assert Order.objects.filter(basket=basket).count() == 2
    assert stock(honey)[1] == honey.stockrecords.get().num_allocated


def test_more_than_the_stock_is_refused_clearly_and_nothing_is_reserved():
    honey = demo_product("14.08.06.2001-madu-sialang")
    in_stock, allocated = stock(honey)
    basket = factories.basket((honey, in_stock - allocated + 1))

    with pytest.raises(OutOfStock, match="Stok tidak cukup untuk Madu Sialang 500 ml"):
        factories.place(basket)

    assert stock(honey) == (in_stock, allocated)
    assert not Order.objects.filter(basket=basket).exists()


def test_cash_on_delivery_only_where_every_shop_allows_it(two_village_basket):
    basket, honey, rice = two_village_basket
    honey.shop.__class__.objects.filter(pk=honey.shop.pk).update(allows_cash_on_delivery=True)
    rice.shop.__class__.objects.filter(pk=rice.shop.pk).update(allows_cash_on_delivery=False)

    with pytest.raises(UserError, match="Bayar di tempat tidak dilayani oleh: BUMKam Bunga Raya Sejahtera"):
        factories.place(basket, payment_method="cod")

    assert not Order.objects.filter(basket=basket).exists()


def test_a_bank_transfer_is_confirmed_only_with_the_exact_amount(two_village_basket):
    basket, *_ = two_village_basket
    checkout = factories.place(basket)
    admin = get_user_model().objects.get(username="admin")

    with pytest.raises(UserError, match="tidak sama dengan tagihan"):
        payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.total, acting_user=admin)
    checkout.refresh_from_db()
    assert checkout.status == CheckoutStatus.AWAITING_PAYMENT

    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)

    checkout.refresh_from_db()
    assert checkout.status == CheckoutStatus.PAID
    assert {so.order.status for so in checkout.shop_orders.all()} == {OrderStatus.PROCESSING}


def test_unpaid_checkouts_expire_and_give_their_stock_back(two_village_basket):
    basket, honey, rice = two_village_basket
    before = stock(honey), stock(rice)
    checkout = factories.place(basket)

    assert checkouts_expire(now=timezone.now()) == 0
    assert checkouts_expire(now=timezone.now() + datetime.timedelta(hours=25)) == 1

    checkout.refresh_from_db()
    assert checkout.status == CheckoutStatus.EXPIRED
    assert {so.order.status for so in checkout.shop_orders.all()} == {OrderStatus.EXPIRED}
    assert (stock(honey), stock(rice)) == before


def test_a_manager_ships_their_order_with_a_tracking_number_and_the_buyer_hears(two_village_basket, django_capture_on_commit_callbacks):
    basket, honey, rice = two_village_basket
    dayun = honey.shop
    checkout = factories.place(basket, payment_method="bank_transfer",
                               shipping={dayun.pk: "courier", rice.shop.pk: "pickup"})
    admin = get_user_model().objects.get(username="admin")
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)
    honey_order = checkout.shop_orders.get(bumkam=dayun)
    rice_order = checkout.shop_orders.exclude(bumkam=dayun).get()
    manager = get_user_model().objects.get(username="pengelola.bungaraya")  # manages Bunga Raya, not Dayun
    in_stock, allocated = stock(honey)

    with pytest.raises(PermissionDenied):
        shop_order_advance(shop_order=honey_order, status=OrderStatus.PACKED, acting_user=manager)
    shop_order_advance(shop_order=rice_order, status=OrderStatus.PACKED, acting_user=manager)
    shop_order_advance(shop_order=honey_order, status=OrderStatus.PACKED, acting_user=admin)
    with pytest.raises(UserError, match="nomor resi"):
        shop_order_advance(shop_order=honey_order, status=OrderStatus.SHIPPED, acting_user=admin)
    with pytest.raises(UserError, match="tidak bisa diubah"):
        shop_order_advance(shop_order=honey_order, status=OrderStatus.DELIVERED, acting_user=admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        shop_order_advance(shop_order=honey_order, status=OrderStatus.SHIPPED, acting_user=admin,
                           tracking_number="JNE0012345", courier="JNE")

    honey_order.refresh_from_db()
    assert honey_order.order.status == OrderStatus.SHIPPED
    assert stock(honey) == (in_stock - 2, allocated - 2)
    assert len(mail.outbox) == 1 and "JNE0012345" in mail.outbox[0].body
    assert mail.outbox[0].to == ["siti@example.test"]


def test_cancelling_before_shipping_returns_the_stock(two_village_basket):
    basket, honey, _ = two_village_basket
    before = stock(honey)
    checkout = factories.place(basket)
    admin = get_user_model().objects.get(username="admin")
    honey_order = checkout.shop_orders.get(bumkam=honey.shop)

    shop_order_advance(shop_order=honey_order, status=OrderStatus.CANCELLED, acting_user=admin)

    assert stock(honey) == before
    with pytest.raises(UserError):
        shop_order_advance(shop_order=honey_order, status=OrderStatus.PROCESSING, acting_user=admin)


def test_the_buyer_gets_a_confirmation_with_every_order_number(two_village_basket, django_capture_on_commit_callbacks):
    basket, *_ = two_village_basket
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        checkout = factories.place(basket)

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert checkout.reference in mail.outbox[0].subject
    assert all(number in body for number in checkout.shop_orders.values_list("order__number", flat=True))
    assert f"Transfer tepat Rp {checkout.amount_due:,}".replace(",", ".") in body


def test_the_regency_admin_approves_a_shop_in_the_admin(admin_client):
    from django.contrib.auth import get_user_model

    admin_client.force_login(get_user_model().objects.get(username="admin"))
    bumkam = factories.shop(approved=False)

    listing = admin_client.get("/admin/bumkam/")
    editor = admin_client.get(f"/admin/bumkam/edit/{bumkam.pk}/")

    assert listing.status_code == 200 and bumkam.name in listing.content.decode()
    assert editor.status_code == 200


def test_a_manager_cannot_open_the_shops_admin(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))

    assert client.get("/admin/bumkam/").status_code in (302, 403)


def test_each_transfer_checkout_schedules_its_own_expiry_at_the_deadline(two_village_basket, settings,
                                                                      django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    from marketplace.checkout.tasks import expire_checkout

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    basket, honey, _ = two_village_basket
    before = stock(honey)

    with django_capture_on_commit_callbacks(execute=True):
        checkout = factories.place(basket)

    scheduled = [r for r in default_task_backend.results if r.task.func == expire_checkout.func]
    assert len(scheduled) == 1
    assert scheduled[0].task.run_after == checkout.expires_at
    assert scheduled[0].args == [checkout.pk]
    assert expire_checkout.call(checkout.pk) is False  # not yet due
    checkout.__class__.objects.filter(pk=checkout.pk).update(expires_at=timezone.now())
    assert expire_checkout.call(checkout.pk) is True
    assert stock(honey) == before


def test_the_regency_admin_sets_a_shops_commission_and_stripe_account(admin_client):
    from django.contrib.auth import get_user_model

    admin_client.force_login(get_user_model().objects.get(username="admin"))
    bumkam = factories.shop(approved=True)
    form = admin_client.get(f"/admin/bumkam/edit/{bumkam.pk}/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "logo"}
    data["managers"] = [user.pk for user in data.get("managers", [])]
    data.update(commission_percent="2.5", stripe_account_id="acct_1TEST")

    response = admin_client.post(f"/admin/bumkam/edit/{bumkam.pk}/", data)

    bumkam.refresh_from_db()
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert str(bumkam.commission_percent) == "2.50" and bumkam.stripe_account_id == "acct_1TEST"


def test_two_transfers_of_the_same_total_that_draw_the_same_code_at_once_both_go_through(monkeypatch):
    """Two buyers at the same moment can draw the same unique code; the second draws again."""
    import marketplace.checkout.services as checkout_service
    from tests.payments.conftest import honey_and_rice

    first = factories.place(honey_and_rice())
    draws = iter([first.unique_code, 123 if first.unique_code != 123 else 124])
    monkeypatch.setattr(checkout_service, "_free_unique_code", lambda total: next(draws))

    second = factories.place(honey_and_rice())

    assert second.total == first.total and second.unique_code != first.unique_code
