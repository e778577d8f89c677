"""Refunds per shop order, full or partial, through the provider that took the money."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from oscar.core.loading import get_model

from marketplace.constants import OrderStatus
from marketplace.payments.models import Refund, RefundStatus
from marketplace.errors import UserError
from marketplace.payments.services import cash_received, payment_confirm_bank_transfer
from marketplace.orders.services import shop_order_advance
from marketplace.payments.services import refund_issue, refundable
from marketplace.settlements.selectors import ledger_problems
from marketplace.settlements.services import balance, commission_account, refunded_amount, settlements_run, shop_account
from tests import factories
from tests.settlements.conftest import after_window, delivered  # noqa: F401 - a fixture

from .conftest import deliver, event, honey_and_rice

pytestmark = pytest.mark.django_db
User = get_user_model()
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def paid_by_card(client, card_checkout, stripe_fake):
    deliver(client, event("payment_intent.succeeded", stripe_fake.pay(card_checkout)))
    card_checkout.refresh_from_db()
    return card_checkout


def rice_order(checkout):
    return checkout.shop_orders.select_related("order").get(bumkam__kampung__code="14.08.08.2001")


def manager(client, username="pengelola.bungaraya"):
    client.force_login(User.objects.get(username=username))
    return client


def test_a_manager_refunds_part_of_a_card_order_through_stripe(client, paid_by_card, stripe_fake):
    shop_order = rice_order(paid_by_card)
    owed, commission = balance(shop_account(shop_order.bumkam)), balance(commission_account())

    response = manager(client).post(f"/toko/kelola/pesanan/{shop_order.order.number}/kembalikan/",
                                    {"amount": "20000", "reason": "Satu botol bocor"}, follow=True)

    refund = Refund.objects.get(shop_order=shop_order)
    (_method, path, params, key), = [r for r in stripe_fake.requests if r[1] == "/v1/refunds"]
    assert "Pengembalian Rp 20.000" in response.content.decode()
    assert params["amount"] == "2000000" and params["payment_intent"] == paid_by_card.payment_intent_id
    assert key == f"refund-{refund.pk}" and refund.status == RefundStatus.SUCCEEDED
    assert refund.provider_reference.startswith("re_")
    # the shop gives back its share and the platform the commission on it
    commission_part = balance(commission_account()) - commission
    assert balance(shop_account(shop_order.bumkam)) - owed + commission_part == 20_000
    assert commission_part == round(shop_order.commission_amount * 20_000 / int(shop_order.order.total_incl_tax))
    assert refundable(shop_order) == int(shop_order.order.total_incl_tax) - 20_000
    assert shop_order.order.status == OrderStatus.PROCESSING  # a partial refund does not cancel
    assert ledger_problems() == []


def test_a_refund_never_exceeds_what_was_paid(client, paid_by_card, stripe_fake):
    shop_order = rice_order(paid_by_card)
    total = int(shop_order.order.total_incl_tax)
    refund_issue(shop_order=shop_order, amount=total - 1000, reason="Rusak", acting_user=None)

    too_much = manager(client).post(f"/toko/kelola/pesanan/{shop_order.order.number}/kembalikan/",
                                    {"amount": "1001", "reason": "Lagi"}, follow=True)
    nonsense = client.post(f"/toko/kelola/pesanan/{shop_order.order.number}/kembalikan/",
                           {"amount": "-5", "reason": "Lagi"}, follow=True)

    assert "Jumlah pengembalian harus antara Rp 1 dan Rp 1.000" in too_much.content.decode()
    assert "Jumlah minimal Rp 1." in nonsense.content.decode()
    assert Refund.objects.filter(shop_order=shop_order).count() == 1
    assert len([r for r in stripe_fake.requests if r[1] == "/v1/refunds"]) == 1


def test_a_full_refund_cancels_the_order_and_puts_its_stock_back(paid_by_card, stripe_fake):
    shop_order = rice_order(paid_by_card)
    line = shop_order.order.lines.get()
    allocated = StockRecord.objects.get(pk=line.stockrecord_id).num_allocated

    refund_issue(shop_order=shop_order, amount=int(shop_order.order.total_incl_tax), reason="Batal", acting_user=None)

    shop_order.order.refresh_from_db()
    assert shop_order.order.status == OrderStatus.CANCELLED
    assert StockRecord.objects.get(pk=line.stockrecord_id).num_allocated == allocated - line.quantity
    assert balance(shop_account(shop_order.bumkam)) == 0  # its share and the commission both went back
    assert refunded_amount(shop_order) == int(shop_order.order.total_incl_tax)
    assert ledger_problems() == []


def test_another_shops_manager_cannot_refund(client, paid_by_card):
    shop_order = rice_order(paid_by_card)

    response = manager(client, "pengelola.kerincikanan").post(
        f"/toko/kelola/pesanan/{shop_order.order.number}/kembalikan/", {"amount": "1000", "reason": "x"})

    assert response.status_code == 403 and not Refund.objects.exists()


def test_a_stripe_timeout_leaves_the_refund_pending_and_a_retry_refunds_once(paid_by_card, stripe_fake):
    shop_order = rice_order(paid_by_card)
    stripe_fake.hang_seconds = 30
    with pytest.raises(UserError, match="Stripe belum menjawab"):
        refund_issue(shop_order=shop_order, amount=15_000, reason="Rusak", acting_user=None)
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.PENDING and refundable(shop_order) == int(shop_order.order.total_incl_tax) - 15_000

    stripe_fake.hang_seconds = 0
    for _ in range(3):
        call_command("retry_refunds")

    refund.refresh_from_db()
    created = {r[3] for r in stripe_fake.requests if r[1] == "/v1/refunds"}
    assert refund.status == RefundStatus.SUCCEEDED and refunded_amount(shop_order) == 15_000
    assert created == {f"refund-{refund.pk}"}  # every attempt carried the same key: one refund at Stripe
    assert len([o for o in stripe_fake.objects.values() if o["object"] == "refund"]) == 1


def test_a_bank_transfer_is_refunded_by_the_regency_admin_with_the_banks_reference(client):
    admin = User.objects.get(username="admin")
    checkout = factories.place(honey_and_rice())
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)
    shop_order = rice_order(checkout)
    url = f"/toko/kelola/pesanan/{shop_order.order.number}/kembalikan/"

    page = manager(client).get("/toko/kelola/pesanan/").content.decode()
    by_manager = client.post(url, {"amount": "5000", "reason": "Kurang", "reference": "BRK-1"})
    client.force_login(admin)
    no_reference = client.post(url, {"amount": "5000", "reason": "Kurang"}, follow=True)
    done = client.post(url, {"amount": "5000", "reason": "Kurang", "reference": "BRK-REF-77"}, follow=True)

    assert f'action="{url}"' not in page  # the manager is not offered a form that would refuse them
    assert "Dana transfer bank dikembalikan oleh admin kabupaten" in page
    assert by_manager.status_code == 403
    assert "Isi referensi transfer" in no_reference.content.decode()
    assert "Pengembalian Rp 5.000" in done.content.decode()
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.SUCCEEDED and refund.provider_reference == "BRK-REF-77"
    assert ledger_problems() == []


def test_cash_on_delivery_is_settled_when_the_shop_records_the_cash(client, cod_allowed):
    checkout = factories.place(honey_and_rice(), payment_method="cod")
    shop_order = rice_order(checkout)
    url = f"/toko/kelola/pesanan/{shop_order.order.number}/"
    assert refundable(shop_order) == 0  # no cash yet, nothing to give back

    page = manager(client).get("/toko/kelola/pesanan/").content.decode()
    client.post(url + "tunai/")
    client.post(url + "tunai/")  # pressed twice
    after = client.get("/toko/kelola/pesanan/").content.decode()

    total = int(shop_order.order.total_incl_tax)
    shop_order.refresh_from_db()
    assert "Uang tunai Rp" in page.replace("\xa0", " ") and "Uang tunai Rp" not in after.replace("\xa0", " ")
    # the shop holds the cash, so it owes the platform its commission
    assert balance(shop_account(shop_order.bumkam)) == shop_order.commission_amount
    assert refundable(shop_order) == total
    assert ledger_problems() == []


def test_a_cod_order_refunded_in_cash_owes_only_the_commission_on_what_was_kept(cod_allowed):
    admin = User.objects.get(username="admin")
    checkout = factories.place(honey_and_rice(), payment_method="cod")
    shop_order = rice_order(checkout)
    cash_received(shop_order=shop_order, acting_user=admin)
    total = int(shop_order.order.total_incl_tax)

    refund_issue(shop_order=shop_order, amount=total // 2, reason="Separuh rusak", acting_user=admin,
                 reference="Diserahkan tunai kepada pembeli")

    shop_order.refresh_from_db()
    kept = round(shop_order.commission_amount * (total - total // 2) / total)
    assert 0 < kept < shop_order.commission_amount
    assert balance(shop_account(shop_order.bumkam)) == kept
    assert ledger_problems() == []


def test_an_order_already_in_a_statement_is_not_refunded_again(delivered):
    rice_order, _honey = delivered
    settlements_run(now=after_window())

    with pytest.raises(UserError, match="sudah masuk laporan penyelesaian"):
        refund_issue(shop_order=rice_order, amount=1000, reason="Terlambat", acting_user=None, reference="x")


def test_a_cancelled_cod_order_takes_no_cash(cod_allowed):
    admin = User.objects.get(username="admin")
    shop_order = rice_order(factories.place(honey_and_rice(), payment_method="cod"))
    shop_order_advance(shop_order=shop_order, status=OrderStatus.CANCELLED, acting_user=admin)

    with pytest.raises(UserError, match="sudah dibatalkan"):
        cash_received(shop_order=shop_order, acting_user=admin)


def test_the_buyer_is_told_of_a_refund_by_email_and_on_the_checkout_page(client, paid_by_card,
                                                                           django_capture_on_commit_callbacks):
    from django.core import mail

    shop_order = rice_order(paid_by_card)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refund_issue(shop_order=shop_order, amount=20_000, reason="Satu karung basah", acting_user=None)

    page = client.get(paid_by_card.get_absolute_url()).content.decode().replace("\xa0", " ")
    (message,) = mail.outbox
    assert message.subject == f"Pengembalian dana pesanan {shop_order.order.number}"
    assert "Rp 20.000" in message.body and "kartu" in message.body and message.to == [paid_by_card.email]
    assert "Dana Rp 20.000 dikembalikan (berhasil): Satu karung basah" in page
