"""Every login form locks an account after repeated wrong passwords from one address."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PASSWORD = "benar-sekali-2026"
LOCKED_TEXT = "Terlalu banyak percobaan masuk"


@pytest.fixture
def buyer():
    return get_user_model().objects.create_user(
        username="pembeli.kunci", email="pembeli.kunci@example.test", password=PASSWORD)


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser(
        username="operator.kunci", email="operator.kunci@example.test", password=PASSWORD)


def shop_login(client, email, password, ip="10.1.1.1"):
    return client.post("/toko/accounts/login/", {
        "login-username": email, "login-password": password, "login-redirect_url": "", "login_submit": "Masuk",
    }, REMOTE_ADDR=ip)


def admin_login(client, username, password, ip="10.1.1.1"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_shop_login_refuses_the_right_password_after_six_wrong_ones(client, buyer):
    for attempt in range(6):
        shop_login(client, buyer.email, f"salah-{attempt}")

    response = shop_login(client, buyer.email, PASSWORD)

    assert response.status_code == 429
    assert not is_logged_in(client)
    page = response.content.decode()
    assert LOCKED_TEXT in page
    assert 'lang="id"' in page and 'name="viewport"' in page


def test_changing_the_case_of_the_address_does_not_escape_the_lock(client, buyer):
    for attempt in range(6):
        shop_login(client, buyer.email.upper() if attempt % 2 else buyer.email, f"salah-{attempt}")

    assert shop_login(client, "Pembeli.Kunci@Example.Test", PASSWORD).status_code == 429
    assert not is_logged_in(client)


def test_the_lock_holds_only_that_account_from_that_address(client, buyer, editor):
    for attempt in range(6):
        shop_login(client, buyer.email, f"salah-{attempt}")

    other_account = shop_login(client, editor.email, PASSWORD)
    assert other_account.status_code == 302 and is_logged_in(client)
    client.logout()

    from_elsewhere = shop_login(client, buyer.email, PASSWORD, ip="10.9.9.9")
    assert from_elsewhere.status_code == 302 and is_logged_in(client)


def test_a_few_mistakes_do_not_lock(client, buyer):
    for attempt in range(3):
        assert shop_login(client, buyer.email, f"salah-{attempt}").status_code == 200

    assert shop_login(client, buyer.email, PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_the_lock_ends_after_the_cool_off(client, buyer, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    for attempt in range(6):
        shop_login(client, buyer.email, f"salah-{attempt}")
    assert shop_login(client, buyer.email, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))

    assert shop_login(client, buyer.email, PASSWORD).status_code == 302


def test_wagtail_admin_login_refuses_the_right_password_after_six_wrong_ones(client, editor):
    for attempt in range(6):
        admin_login(client, editor.username, f"salah-{attempt}")

    response = admin_login(client, editor.username, PASSWORD)

    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert not is_logged_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_wagtail_admin_lock_leaves_other_addresses_alone(client, editor):
    for attempt in range(6):
        admin_login(client, editor.username, f"salah-{attempt}")

    response = admin_login(client, editor.username, PASSWORD, ip="10.9.9.9")

    assert response.status_code == 302 and is_logged_in(client)


def test_the_regency_admin_can_lift_a_lock(client, buyer):
    from django.core.management import call_command

    for attempt in range(6):
        shop_login(client, buyer.email, f"salah-{attempt}")

    call_command("axes_reset_username", buyer.email, verbosity=0)

    assert shop_login(client, buyer.email, PASSWORD).status_code == 302


def test_a_lock_earned_by_username_in_the_admin_also_holds_for_the_email_in_the_shop(client, editor):
    for attempt in range(6):
        admin_login(client, editor.username, f"salah-{attempt}")

    response = shop_login(client, editor.email.upper(), PASSWORD)

    assert response.status_code == 429
    assert not is_logged_in(client)
