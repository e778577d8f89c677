"""A new shop comes in through one door: the regency admin's add form, or a BUMKam's own
application from the public form. Either way its Oscar partner is made with it, it sells
nothing until approved, and an audit row says who made it."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase

from shops.constants import AuditAction, ShopStatus
from shops.models import AuditEntry, Bumkam, Kampung

pytestmark = pytest.mark.django_db
User = get_user_model()
FREE = "14.08.01.2012"  # Merempan Hulu: the demo left it without a shop
FREE_TOO = "14.08.01.2013"
TAKEN = "14.08.08.2001"  # Bunga Raya: the demo's shop
APPLY = "/toko/daftar-bumkam/"


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def admin_form(kampung, **overrides):
    data = {"kampung": str(kampung.pk), "name": "BUMKam Merempan Jaya", "establishment_regulation": "Perkam No. 2/2021",
            "legal_entity_number": "AHU-0001234.AH.01.33.2022", "story": "", "whatsapp": "6281234567890",
            "pickup_address": "Kantor kampung", "bank_name": "BRI", "bank_account_number": "1234567890",
            "bank_account_holder": "BUMKam Merempan Jaya", "allows_pickup": "on"}
    data.update(overrides)
    return data


def application(kampung, **overrides):
    data = {"kampung": str(kampung.pk), "name": "BUMKam Maju Bersama", "establishment_regulation": "Perkam No. 4/2020",
            "legal_entity_number": "", "bank_name": "Bank Riau Kepri Syariah", "bank_account_number": "1122 3344 55",
            "bank_account_holder": "BUMKam Maju Bersama", "manager_name": "Rahmat Hidayat",
            "manager_email": "rahmat@example.test", "manager_whatsapp": "6281377778888"}
    data.update(overrides)
    return data


def kampung(code):
    return Kampung.objects.get(code=code)


# --- the regency admin adds a shop -------------------------------------------------------

def test_the_regency_admin_adds_a_bumkam_with_its_partner_and_an_audit_row(client):
    response = login(client, "admin").post("/admin/bumkam/new/", admin_form(kampung(FREE)))

    assert response.status_code == 302
    shop = Bumkam.objects.get(kampung__code=FREE)
    assert shop.partner.name == "BUMKam Merempan Jaya" and shop.partner.bumkam == shop
    assert shop.status == ShopStatus.PENDING and not shop.is_selling
    assert shop.legal_entity_number == "AHU-0001234.AH.01.33.2022"
    entry = AuditEntry.objects.get(action=AuditAction.SHOP_CREATE, object_id=str(shop.pk))
    assert entry.actor.username == "admin" and entry.actor_name == "admin"
    assert entry.new["kampung"] == FREE and entry.new["bank_account_number"] == "1234567890"


def test_the_add_form_offers_only_kampung_without_a_shop_and_refuses_one_that_has_one(client):
    login(client, "admin")
    page = client.get("/admin/bumkam/new/")
    assert page.status_code == 200
    options = page.content.decode()
    assert f'value="{kampung(FREE).pk}"' in options
    assert f'value="{kampung(TAKEN).pk}"' not in options

    response = client.post("/admin/bumkam/new/", admin_form(kampung(TAKEN), name="BUMKam Kedua"))

    assert response.status_code == 200  # Wagtail shows the form again with its error
    assert "sudah punya BUMKam" in response.content.decode()
    assert Bumkam.objects.filter(kampung__code=TAKEN).count() == 1
    assert not Bumkam.objects.filter(name="BUMKam Kedua").exists()


@pytest.mark.parametrize("username", ["editor.bungaraya", "pengelola.bungaraya"])
def test_a_village_editor_or_a_manager_cannot_add_a_shop(client, username):
    login(client, username)

    assert client.get("/admin/bumkam/new/").status_code in (302, 403)
    response = client.post("/admin/bumkam/new/", admin_form(kampung(FREE)))

    assert response.status_code in (302, 403)
    assert not Bumkam.objects.filter(kampung__code=FREE).exists()


def test_the_service_refuses_a_non_admin_and_a_kampung_with_a_shop():
    from django.core.exceptions import PermissionDenied

    from shops.services import ShopChangeRefused, bumkam_create

    with pytest.raises(PermissionDenied):
        bumkam_create(kampung=kampung(FREE), name="X", acting_user=User.objects.get(username="pengelola.bungaraya"))
    with pytest.raises(ShopChangeRefused):
        bumkam_create(kampung=kampung(TAKEN), name="X", acting_user=User.objects.get(username="admin"))
    assert not Bumkam.objects.filter(kampung__code=FREE).exists()


# --- a BUMKam applies itself ---------------------------------------------------------------

def test_the_application_page_fits_a_phone_and_offers_only_free_kampung_by_kecamatan(client):
    page = client.get(APPLY)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="viewport"' in html and "<optgroup" in html and "Kec. " in html
    assert f'value="{kampung(FREE).pk}"' in html
    assert f'value="{kampung(TAKEN).pk}"' not in html


def test_an_application_makes_a_pending_shop_that_sells_nothing_and_waits_in_the_admin_queue(client):
    from oscar.core.loading import get_class

    from tests import factories

    response = client.post(APPLY, application(kampung(FREE)))

    assert response.status_code == 302 and response["Location"].endswith("/toko/daftar-bumkam/terkirim/")
    shop = Bumkam.objects.get(kampung__code=FREE)
    assert shop.status == ShopStatus.PENDING and shop.partner.bumkam == shop
    assert (shop.bank_account_number, shop.whatsapp) == ("1122334455", "6281377778888")
    manager = shop.managers.get()
    assert manager.email == "rahmat@example.test" and manager.first_name == "Rahmat Hidayat"
    assert not manager.is_active and not manager.has_usable_password()
    entry = AuditEntry.objects.get(action=AuditAction.SHOP_CREATE, object_id=str(shop.pk))
    assert entry.actor is None and entry.new["via"] == "pendaftaran"
    assert entry.new["applicant"]["email"] == "rahmat@example.test"

    goods = factories.product(bumkam=shop)
    strategy = get_class("partner.strategy", "Selector")().strategy()
    assert not strategy.fetch_for_product(goods).availability.is_available_to_buy

    queue = login(client, "admin").get(f"/admin/bumkam/?status={ShopStatus.PENDING}")
    assert queue.status_code == 200 and "BUMKam Maju Bersama" in queue.content.decode()
    assert "BUMKam menunggu (1)" in client.get("/admin/").content.decode()


def test_approving_an_application_activates_its_manager_with_a_password_link(client):
    client.post(APPLY, application(kampung(FREE)))
    shop = Bumkam.objects.get(kampung__code=FREE)
    edit = login(client, "admin").get(f"/admin/bumkam/edit/{shop.pk}/")
    assert edit.status_code == 200
    form = {k: v for k, v in edit.context["form"].initial.items() if v is not None and k not in ("logo", "managers")}
    form.update(status=ShopStatus.APPROVED, allows_pickup="on", managers=[str(m.pk) for m in shop.managers.all()])

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/admin/bumkam/edit/{shop.pk}/", form)

    assert response.status_code == 302
    shop.refresh_from_db()
    manager = shop.managers.get()
    assert shop.is_selling and manager.is_active and not manager.has_usable_password()
    assert AuditEntry.objects.filter(action=AuditAction.SHOP_STATUS, object_id=str(shop.pk),
                                     actor__username="admin").exists()
    assert mail.outbox[-1].to == ["rahmat@example.test"] and "/password-reset/confirm/" in mail.outbox[-1].body


def test_an_address_that_already_has_an_account_is_not_made_a_manager_by_the_form(client):
    client.post(APPLY, application(kampung(FREE), manager_email="BUNGARAYA@siakkab.test"))

    shop = Bumkam.objects.get(kampung__code=FREE)
    assert not shop.managers.exists()
    assert User.objects.filter(email__iexact="bungaraya@siakkab.test").count() == 1


@pytest.mark.parametrize("overrides, field, message", [
    ({"manager_whatsapp": "0812-abc"}, "manager_whatsapp", "Tulis nomor HP Indonesia"),
    ({"name": ""}, "name", "harus diisi"),
    ({"bank_account_number": ""}, "bank_account_number", "harus diisi"),
    ({"manager_name": "A" * 10_000}, "manager_name", "paling banyak 150"),
    ({"name": "N" * 10_000}, "name", "paling banyak 150"),
])
def test_bad_input_gets_an_indonesian_message_and_keeps_what_was_typed(client, overrides, field, message):
    data = application(kampung(FREE), **overrides)

    response = client.post(APPLY, data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert 'value="rahmat@example.test"' in response.content.decode()  # the rest is kept, to correct one field
    assert not Bumkam.objects.filter(kampung__code=FREE).exists()


def test_a_nul_byte_is_refused_with_400_before_anything_is_made(client):
    response = client.post(APPLY, application(kampung(FREE), name="BUMKam\x00Jahat"))

    assert response.status_code == 400
    assert "karakter NUL" in response.content.decode()
    assert not Bumkam.objects.filter(kampung__code=FREE).exists()
    assert not User.objects.filter(email="rahmat@example.test").exists()


def test_a_kampung_that_already_has_a_shop_is_refused_with_400(client):
    response = client.post(APPLY, application(kampung(TAKEN)))

    assert response.status_code == 400
    assert "sudah punya toko" in " ".join(response.context["form"].errors["kampung"])
    assert 'value="BUMKam Maju Bersama"' in response.content.decode()
    assert Bumkam.objects.filter(kampung__code=TAKEN).count() == 1


def test_the_sixth_application_from_one_address_within_the_hour_gets_429(client):
    free = list(Kampung.objects.filter(bumkam__isnull=True).order_by("code")[:6])
    for n, place in enumerate(free[:5]):
        response = client.post(APPLY, application(place, manager_email=f"pengelola{n}@example.test"))
        assert response.status_code == 302

    response = client.post(APPLY, application(free[5], manager_email="pengelola5@example.test"))

    assert response.status_code == 429
    assert "Terlalu banyak pendaftaran" in response.content.decode()
    assert not Bumkam.objects.filter(kampung=free[5]).exists()
    other = client.post(APPLY, application(free[5], manager_email="lain@example.test"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
