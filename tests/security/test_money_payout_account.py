"""A manager's new payout account waits for the regency admin; until then the bank batch
pays the old one. Every request and decision leaves an audit row naming who made it."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from marketplace.settlements.payouts import payout_create, payouts_send
from marketplace.settlements.services import settlements_run
from shops.constants import AuditAction, ChangeStatus
from shops.models import AuditEntry, Bumkam, PayoutAccountChange
from tests.settlements.conftest import after_window, delivered  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db
User = get_user_model()
BUNGA_RAYA = "14.08.08.2001"
THIEF = {"bank_name": "Bank Lain", "bank_account_number": "9999888877", "bank_account_holder": "Orang Lain"}


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def shop():
    return Bumkam.objects.get(kampung__code=BUNGA_RAYA)


def profile_form(**account):
    return {"story": "Beras pulen.", "whatsapp": "6281211112222", "pickup_address": "Kantor BUMKam",
            "allows_pickup": "on", "courier_per_kg_kecamatan": "9000", **account}


def bank_batch_rows():
    _sent, batch = payouts_send()
    return list(csv.DictReader(io.StringIO(batch.decode())))


@pytest.fixture
def requested(client):
    """The Bunga Raya manager has asked for payouts to go to another account."""
    old = shop()
    response = login(client, "pengelola.bungaraya").post("/toko/kelola/toko/", profile_form(**THIEF))
    assert response.status_code == 302
    return old, PayoutAccountChange.objects.get(bumkam=old, status=ChangeStatus.PENDING)


def test_a_managers_new_account_waits_and_the_next_bank_batch_pays_the_old_one(client, requested, delivered):
    old, change = requested

    page = client.get("/toko/kelola/toko/").content.decode()
    payout_create(settlement=settlements_run(now=after_window())[0])
    rows = bank_batch_rows()

    assert "menunggu persetujuan kabupaten" in page and "9999888877" in page
    current = shop()
    assert (current.bank_name, current.bank_account_number) == (old.bank_name, old.bank_account_number)
    assert [(row["bank"], row["nomor_rekening"], row["nama_pemilik"]) for row in rows] == [
        (old.bank_name, old.bank_account_number, old.bank_account_holder)]
    assert change.requested_by.username == "pengelola.bungaraya"
    entry = AuditEntry.objects.get(action=AuditAction.PAYOUT_ACCOUNT_REQUEST)
    assert entry.actor.username == "pengelola.bungaraya" and entry.new == THIEF
    assert entry.old["bank_account_number"] == old.bank_account_number


def test_the_regency_admin_approves_and_the_next_batch_pays_the_new_account(client, requested, delivered):
    old, change = requested

    response = login(client, "admin").post(f"/admin/rekening-bumkam/{change.pk}/putuskan/", {"action": "approve"})
    payout_create(settlement=settlements_run(now=after_window())[0])
    rows = bank_batch_rows()

    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decided_by.username == "admin"
    assert [(row["bank"], row["nomor_rekening"], row["nama_pemilik"]) for row in rows] == [tuple(THIEF.values())]
    entry = AuditEntry.objects.get(action=AuditAction.PAYOUT_ACCOUNT_APPROVE)
    assert entry.actor.username == "admin" and entry.object_id == str(old.pk)
    assert entry.old == {"bank_name": old.bank_name, "bank_account_number": old.bank_account_number,
                         "bank_account_holder": old.bank_account_holder}
    assert entry.new == THIEF
    log = client.get("/admin/audit/").content.decode()
    assert "Perubahan rekening disetujui" in log and "9999888877" in log


def test_rejection_keeps_the_old_account(client, requested):
    old, change = requested

    login(client, "admin").post(f"/admin/rekening-bumkam/{change.pk}/putuskan/", {"action": "reject"})
    again = client.post(f"/admin/rekening-bumkam/{change.pk}/putuskan/", {"action": "approve"})

    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED
    assert shop().bank_account_number == old.bank_account_number  # a decided change cannot be approved later
    assert again.status_code == 302
    assert AuditEntry.objects.get(action=AuditAction.PAYOUT_ACCOUNT_REJECT).actor.username == "admin"
    assert not AuditEntry.objects.filter(action=AuditAction.PAYOUT_ACCOUNT_APPROVE).exists()


@pytest.mark.parametrize("username", ["pengelola.kerincikanan", "pengelola.bungaraya", "editor.bungaraya"])
def test_no_manager_or_editor_sees_or_decides_a_change(client, requested, username):
    old, change = requested
    login(client, username)

    listing = client.get("/admin/rekening-bumkam/")
    approve = client.post(f"/admin/rekening-bumkam/{change.pk}/putuskan/", {"action": "approve"})
    audit = client.get("/admin/audit/")

    assert listing.status_code in (302, 403) and "9999888877" not in listing.content.decode()
    assert approve.status_code in (302, 403) and audit.status_code in (302, 403)
    assert "9999888877" not in audit.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING and shop().bank_account_number == old.bank_account_number


def test_a_staff_user_who_is_not_the_regency_admin_cannot_approve(client, requested):
    from django.contrib.auth.models import Permission

    old, change = requested
    staff = User.objects.create_user("staf.dinas", "staf@siakkab.test", "x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)

    response = client.post(f"/admin/rekening-bumkam/{change.pk}/putuskan/", {"action": "approve"})

    assert response.status_code in (302, 403)  # Wagtail answers PermissionDenied by sending back to its home
    assert response.status_code == 403 or response["Location"] == "/admin/"
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING and shop().bank_account_number == old.bank_account_number


def test_a_managers_newer_request_replaces_the_pending_one_and_the_old_account_is_untouched(client, requested):
    old, first = requested

    client.post("/toko/kelola/toko/", profile_form(bank_name="BRI", bank_account_number="1111-2222-33",
                                                    bank_account_holder="BUMKam Bunga Raya"))
    same_as_now = client.post("/toko/kelola/toko/", profile_form(
        bank_name=old.bank_name, bank_account_number=old.bank_account_number,
        bank_account_holder=old.bank_account_holder))

    first.refresh_from_db()
    assert first.status == ChangeStatus.WITHDRAWN
    assert same_as_now.status_code == 302  # asking for the approved account withdraws what was pending
    assert not PayoutAccountChange.objects.filter(bumkam=old, status=ChangeStatus.PENDING).exists()
    assert shop().bank_account_number == old.bank_account_number
    assert PayoutAccountChange.objects.get(new__bank_account_number="1111222233").status == ChangeStatus.WITHDRAWN


def test_half_an_account_or_letters_in_the_number_get_a_clear_message(client):
    login(client, "pengelola.bungaraya")
    before = shop().bank_account_number

    half = client.post("/toko/kelola/toko/", profile_form(bank_name="BRI"))
    letters = client.post("/toko/kelola/toko/", profile_form(bank_name="BRI", bank_account_number="=1+1",
                                                              bank_account_holder="X"))

    assert half.status_code == 400 and "bersama-sama" in half.content.decode()
    assert letters.status_code == 400 and "hanya berisi angka" in letters.content.decode()
    assert not PayoutAccountChange.objects.exists() and shop().bank_account_number == before


def test_the_profile_save_does_not_write_back_an_account_approved_meanwhile(client):
    """The manager's form was loaded before an approval; saving it keeps the approved account."""
    from shops.services import payout_account_set

    login(client, "pengelola.bungaraya")
    page = client.get("/toko/kelola/toko/")  # noqa: F841  (the form as the manager saw it)
    payout_account_set(bumkam=shop(), acting_user=User.objects.get(username="admin"), **THIEF)

    client.post("/toko/kelola/toko/", profile_form())  # no account fields: no request

    assert shop().bank_account_number == THIEF["bank_account_number"]
    assert not PayoutAccountChange.objects.filter(status=ChangeStatus.PENDING).exists()
