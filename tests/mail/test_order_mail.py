"""Each mail about an order takes its reader to it: the buyer to their checkout page (a guest has no
other way back but the lookup), a manager to the order on their page; the transfer mail alone is
enough to pay."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from marketplace.checkout.services import shop_parts
from marketplace.constants import OrderStatus
from marketplace.html import rupiah
from marketplace.orders.services import complaint_decide, complaint_open, complaint_reply, shop_order_advance
from marketplace.payments.services import payment_confirm_bank_transfer, refund_issue
from shops.models import Bumkam
from tests import factories
from tests.payments.conftest import honey_and_rice

pytestmark = pytest.mark.django_db
SITE = "https://pasar.siakkab.go.id"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.PLATFORM_BANK_ACCOUNT = {"bank": "Bank Riau Kepri Syariah", "number": "812-00-12345",
                                      "holder": "Pasar Kampung Kabupaten Siak"}
    return settings


def admin():
    return get_user_model().objects.get(username="admin")


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_the_transfer_mail_carries_the_account_the_exact_amount_the_deadline_and_the_link(
        site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        checkout = factories.place(honey_and_rice(), email="transfer@example.test")

    (placed,) = to("transfer@example.test")
    body = placed.body
    assert checkout.unique_code and checkout.amount_due == checkout.total + checkout.unique_code
    assert f"Transfer tepat {rupiah(checkout.amount_due)}" in body
    assert "Bank Riau Kepri Syariah nomor rekening 812-00-12345 atas nama Pasar Kampung Kabupaten Siak" in body
    deadline = date_format(timezone.localtime(checkout.expires_at), "j F Y H.i")
    assert f"sebelum {deadline} WIB" in body
    assert f"kode unik {checkout.unique_code}" in body
    assert f"{SITE}/toko/pesanan/{checkout.reference}/" in body
    assert "&amp;" not in body and "&#x27;" not in body  # plain text, not HTML-escaped


def test_a_pickup_order_says_where_to_collect_and_a_courier_order_does_not(site, django_capture_on_commit_callbacks):
    basket = honey_and_rice()
    parts = {part.bumkam.kampung.code: part.bumkam for part in shop_parts(basket)}
    rice_shop, honey_shop = parts["14.08.08.2001"], parts["14.08.06.2001"]
    Bumkam.objects.filter(pk=rice_shop.pk).update(**factories.flat_courier(10_000))
    rice_shop.refresh_from_db()
    honey_shop.pickup_address = "Kantor BUMKam Dayun, Jl. Pasar Baru 3"
    honey_shop.pickup_hours = "Senin-Jumat 08.00-15.00"
    honey_shop.save()

    with django_capture_on_commit_callbacks(execute=True):
        checkout = factories.place(basket, email="ambil@example.test", payment_method="bank_transfer",
                                   shipping={rice_shop.pk: "courier", honey_shop.pk: "pickup"})
        payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin())
        honey = checkout.shop_orders.get(bumkam=honey_shop)
        shop_order_advance(shop_order=honey, status=OrderStatus.PACKED, acting_user=admin())

    placed, _paid, *_rest = to("ambil@example.test")
    assert f"Ambil pesanan {honey.order.number} di {honey_shop.name}:\nKantor BUMKam Dayun, Jl. Pasar Baru 3\nJam buka: Senin-Jumat 08.00-15.00" in placed.body
    rice = checkout.shop_orders.get(bumkam=rice_shop)
    assert f"Ambil pesanan {rice.order.number}" not in placed.body
    (packed,) = [m for m in to("ambil@example.test") if m.subject == f"Pesanan {honey.order.number}: Dikemas"]
    assert "Kantor BUMKam Dayun, Jl. Pasar Baru 3" in packed.body
    assert f"{SITE}/toko/pesanan/{checkout.reference}/" in packed.body


def test_every_mail_to_the_buyer_links_their_checkout_and_every_mail_to_a_manager_their_order(
        site, django_capture_on_commit_callbacks):
    manager = get_user_model().objects.get(username="pengelola.bungaraya")
    with django_capture_on_commit_callbacks(execute=True):
        checkout = factories.place(honey_and_rice(), email="pembeli.tautan@example.test")
        payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin())
        rice = checkout.shop_orders.select_related("order", "checkout").get(bumkam__kampung__code="14.08.08.2001")
        for status in (OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            shop_order_advance(shop_order=rice, status=status, acting_user=admin())
        complaint = complaint_open(shop_order=rice, reason="damaged", text="Satu karung basah.")
        complaint_reply(complaint=complaint, text="Maaf, kami kembalikan dananya.", acting_user=manager)
        refund_issue(shop_order=rice, amount=10_000, reason="Satu karung basah", acting_user=admin(),
                     reference="BRK-9")
        complaint.refresh_from_db()  # a partial refund: the shop marks it resolved
        complaint_decide(complaint=complaint, outcome="resolved", note="Dana dikembalikan.", acting_user=manager)

    buyer_mails = to("pembeli.tautan@example.test")
    subjects = [m.subject for m in buyer_mails]
    number = rice.order.number
    for expected in (f"Pesanan {checkout.reference} diterima", f"Pembayaran {checkout.reference} diterima",
                     f"Pesanan {number}: Dikemas", f"Pesanan {number}: Dikirim", f"Pesanan {number}: Diterima",
                     f"Balasan komplain pesanan {number}", f"Pengembalian dana pesanan {number}",
                     f"Komplain pesanan {number}: "):
        assert any(s.startswith(expected) for s in subjects), (expected, subjects)
    for sent in buyer_mails:
        assert f"{SITE}/toko/pesanan/{checkout.reference}/" in sent.body, sent.subject

    manager_mails = to(manager.email)
    assert any(m.subject == f"Pesanan baru {number} siap diproses" for m in manager_mails)
    for sent in manager_mails:
        assert (f"{SITE}/toko/kelola/pesanan/?tab=semua&pesanan={number}#pesanan-{number}" in sent.body
                or f"{SITE}/toko/kelola/komplain/{complaint.pk}/" in sent.body), sent.subject


def test_the_manager_link_lands_on_that_order(client):
    checkout = factories.place(honey_and_rice())
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin())
    rice = checkout.shop_orders.get(bumkam__kampung__code="14.08.08.2001")
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))

    html = client.get(f"/toko/kelola/pesanan/?tab=semua&pesanan={rice.order.number}").content.decode()

    assert f'id="pesanan-{rice.order.number}"' in html


def test_the_checkout_page_shows_the_amount_to_transfer_with_its_unique_code(client):
    checkout = factories.place(honey_and_rice())

    html = client.get(f"/toko/pesanan/{checkout.reference}/").content.decode()

    amount = f"{checkout.amount_due:,}".replace(",", ".")
    assert f'<strong class="amount-due">Rp\xa0{amount}</strong>' in html
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin())
    paid = client.get(f"/toko/pesanan/{checkout.reference}/").content.decode()
    assert f'<strong class="amount-due">Rp\xa0{amount}</strong>' in paid
    assert f"termasuk kode unik transfer {checkout.unique_code}" in paid
