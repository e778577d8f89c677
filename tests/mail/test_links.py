"""Each mail our own code sends takes the reader back to the site with an absolute link."""

import re

import pytest
from django.contrib.auth import get_user_model

from marketplace.accounts.services import manager_invite
from marketplace.constants import OrderStatus
from marketplace.mail.models import OutboxMail
from marketplace.orders.services import shop_order_advance
from marketplace.payments.services import payment_confirm_bank_transfer, refund_issue
from tests import factories
from tests.payments.conftest import honey_and_rice

pytestmark = pytest.mark.django_db
SITE = "https://pasar.siakkab.go.id"


def register(client, email):
    return client.post("/toko/accounts/login/", {
        "registration-email": email, "registration-password1": "sandi-baru-kuat-2026",
        "registration-password2": "sandi-baru-kuat-2026", "registration-redirect_url": "",
        "registration_submit": "Daftar"}, REMOTE_ADDR="10.7.7.7")


def test_every_mail_of_ours_links_to_the_public_site(client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    admin = get_user_model().objects.get(username="admin")
    invited = get_user_model()(username="calon.pengelola", email="calon@example.test", is_active=False)
    invited.set_unusable_password()
    invited.save()

    with django_capture_on_commit_callbacks(execute=True):
        checkout = factories.place(honey_and_rice(), email="pembeli@example.test")  # placed
        payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)
        rice = checkout.shop_orders.get(bumkam__kampung__code="14.08.08.2001")
        shop_order_advance(shop_order=rice, status=OrderStatus.PACKED, acting_user=admin)  # status changed
        refund_issue(shop_order=rice, amount=10_000, reason="Satu karung basah", acting_user=admin, reference="BRK-1")
        register(client, "warga.baru@example.test")  # activation
        register(client, "admin@siakkab.test")  # already registered
        manager_invite(user=invited)

    mails = list(OutboxMail.objects.order_by("pk"))
    subjects = " | ".join(m.subject for m in mails)
    for expected in (f"Pesanan {checkout.reference} diterima", f"Pembayaran {checkout.reference} diterima",
                     f"Pesanan {rice.order.number}: ", f"Pengembalian dana pesanan {rice.order.number}",
                     "Aktifkan akun", "Percobaan pendaftaran", "BUMKam Anda disetujui"):
        assert expected in subjects
    for sent in mails:
        assert re.search(rf"{re.escape(SITE)}/\S+", sent.body), f"no link to the site in {sent.subject!r}"
        assert "127.0.0.1" not in sent.body and "localhost" not in sent.body
