"""Shop approval, commission, Stripe account, payout account and managers, changed in the
Wagtail admin, each go through their service and leave an audit row naming the admin."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from shops.constants import AuditAction, ShopStatus
from shops.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()


def edit(client, bumkam, **changes):
    form = client.get(f"/admin/bumkam/edit/{bumkam.pk}/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "logo"}
    data["managers"] = [user.pk for user in data.get("managers", [])]
    data.update(changes)
    return client.post(f"/admin/bumkam/edit/{bumkam.pk}/", data)


@pytest.fixture
def admin(client):
    client.force_login(User.objects.get(username="admin"))
    return client


def test_approval_commission_and_stripe_account_in_the_admin_each_write_an_audit_row(admin):
    bumkam = factories.shop(approved=False)

    response = edit(admin, bumkam, status=ShopStatus.APPROVED, commission_percent="2.5",
                    stripe_account_id="acct_1TEST", story="Cerita baru")

    assert response.status_code == 302
    bumkam.refresh_from_db()
    assert (bumkam.status, bumkam.commission_percent, bumkam.stripe_account_id, bumkam.story) == (
        ShopStatus.APPROVED, Decimal("2.50"), "acct_1TEST", "<p>Cerita baru</p>")
    rows = {entry.action: entry for entry in AuditEntry.objects.filter(object_id=str(bumkam.pk))
            .exclude(action=AuditAction.SHOP_CREATE)}  # the factory made the shop as the system
    assert rows[AuditAction.SHOP_STATUS].old == {"status": "pending"}
    assert rows[AuditAction.SHOP_STATUS].new == {"status": "approved"}
    assert rows[AuditAction.SHOP_COMMISSION].old == {"commission_percent": None}
    assert rows[AuditAction.SHOP_COMMISSION].new == {"commission_percent": "2.50"}
    assert rows[AuditAction.SHOP_STRIPE_ACCOUNT].new == {"stripe_account_id": "acct_1TEST"}
    assert {entry.actor.username for entry in rows.values()} == {"admin"}
    log = admin.get("/admin/audit/").content.decode()
    assert "Komisi toko diubah" in log and "Status toko diubah" in log


def test_an_unchanged_save_writes_no_audit_row(admin):
    bumkam = factories.shop(approved=True)
    before = AuditEntry.objects.count()

    edit(admin, bumkam)

    assert AuditEntry.objects.count() == before


def test_an_admins_payout_account_correction_is_requested_and_approved_with_audit(admin):
    bumkam = factories.shop(approved=True, bank_name="BRI", bank_account_number="111", bank_account_holder="A")

    edit(admin, bumkam, bank_account_number="222 333")

    bumkam.refresh_from_db()
    assert bumkam.bank_account_number == "222333"
    approve = AuditEntry.objects.get(action=AuditAction.PAYOUT_ACCOUNT_APPROVE, object_id=str(bumkam.pk))
    assert approve.old["bank_account_number"] == "111" and approve.new["bank_account_number"] == "222333"
    assert approve.actor.username == "admin"


def test_adding_and_removing_a_manager_in_the_admin_is_audited(admin):
    bumkam = factories.shop(approved=True)
    newcomer = User.objects.create_user("pengelola.baru", "baru@example.test", "x")

    edit(admin, bumkam, managers=[newcomer.pk])
    added = bumkam.managers.filter(pk=newcomer.pk).exists()
    edit(admin, bumkam, managers=[])

    assert added and not bumkam.managers.exists()
    assert bumkam.partner.users.filter(pk=newcomer.pk).exists() is False
    actions = list(AuditEntry.objects.filter(object_id=str(bumkam.pk)).order_by("pk").values_list("action", "actor__username"))
    assert actions[-2:] == [(AuditAction.MANAGER_ADD, "admin"), (AuditAction.MANAGER_REMOVE, "admin")]


def test_a_commission_outside_0_to_100_gets_a_form_error_and_changes_nothing(admin):
    bumkam = factories.shop(approved=True)

    response = edit(admin, bumkam, commission_percent="150")

    assert response.status_code == 200 and "antara 0 dan 100" in response.content.decode()
    bumkam.refresh_from_db()
    assert bumkam.commission_percent is None and not AuditEntry.objects.filter(object_id=str(bumkam.pk),
                                                                                 action=AuditAction.SHOP_COMMISSION)


def test_the_demo_seed_leaves_audit_rows_for_its_approvals_managers_and_editor(db):
    assert AuditEntry.objects.filter(action=AuditAction.SHOP_STATUS, actor__username="admin").exists()
    assert AuditEntry.objects.filter(action=AuditAction.MANAGER_ADD, new__user="pengelola.bungaraya").exists()
    assert AuditEntry.objects.filter(action=AuditAction.EDITOR_ADD, new__user="editor.bungaraya").exists()


def test_a_manager_or_editor_cannot_read_the_audit_log(client):
    for username in ("pengelola.bungaraya", "editor.bungaraya"):
        client.force_login(User.objects.get(username=username))
        response = client.get("/admin/audit/")
        assert response.status_code in (302, 403) and "Status toko diubah" not in response.content.decode()


def test_making_someone_a_village_editor_on_wagtails_user_screen_writes_an_audit_row(admin):
    from django.contrib.auth.models import Group

    resident = User.objects.create_user("warga.baru", "warga.baru@example.test", "sandi-panjang-2026")
    group = Group.objects.get(name__startswith="Editor", name__contains="Bunga Raya")
    form = admin.get(f"/admin/users/edit/{resident.pk}/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "groups"}
    data.update(groups=[group.pk], is_active="on", first_name="Warga", last_name="Baru")

    response = admin.post(f"/admin/users/edit/{resident.pk}/", data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert resident.groups.filter(pk=group.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.USER_ROLES, object_id=str(resident.pk))
    assert entry.actor.username == "admin"
    assert entry.old["groups"] == [] and entry.new["groups"] == [group.name]


def test_an_unchanged_user_saved_again_writes_no_audit_row(admin):
    resident = User.objects.create_user("warga.lama", "warga.lama@example.test", "sandi-panjang-2026")
    form = admin.get(f"/admin/users/edit/{resident.pk}/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "groups"}
    data.update(is_active="on", first_name="Warga", last_name="Lama")

    assert admin.post(f"/admin/users/edit/{resident.pk}/", data).status_code == 302
    assert not AuditEntry.objects.filter(action=AuditAction.USER_ROLES, object_id=str(resident.pk)).exists()
