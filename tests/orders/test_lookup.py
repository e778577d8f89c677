"""A guest gets back to their order with what the e-mail gave them: the checkout's reference or a
shop order's number, and the e-mail or phone they typed at checkout."""

import itertools

import pytest
from django.contrib.auth import get_user_model

from marketplace.checkout.views import OPENED_CHECKOUTS
from tests import factories
from tests.payments.conftest import honey_and_rice

pytestmark = pytest.mark.django_db
URL = "/toko/lacak-pesanan/"
NO_MATCH = "Tidak ada pesanan dengan nomor dan e-mail atau nomor HP itu."
_addresses = itertools.count(1)


@pytest.fixture
def placed():
    """A guest's transfer checkout of honey and rice; the phone was typed 081234567890."""
    return factories.place(honey_and_rice(), email="Siti.Aminah@Example.test")


def look_up(client, code, contact, ip=None):
    return client.post(URL, {"code": code, "contact": contact}, REMOTE_ADDR=ip or f"10.11.0.{next(_addresses)}")


def test_the_page_is_linked_from_every_shop_page_and_asks_for_both_halves(client):
    home = client.get("/toko/catalogue/").content.decode()
    assert f'href="{URL}"' in home and "Lacak pesanan" in home

    page = client.get(URL)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="code"' in html and 'name="contact"' in html and "Cari pesanan" in html


def test_reference_and_email_in_another_case_open_the_checkout_page(client, placed):
    response = look_up(client, f"  {placed.reference.lower()} ", "siti.aminah@example.TEST ")

    assert response.status_code == 302
    assert response["Location"] == f"/toko/pesanan/{placed.reference}/"
    assert placed.pk in client.session[OPENED_CHECKOUTS]  # its transfer proof opens in this browser
    page = client.get(response["Location"]).content.decode()
    assert placed.reference in page


def test_an_order_number_and_the_phone_typed_with_dashes_or_plus_62_open_it_at_that_order(client, placed):
    shop_order = placed.shop_orders.select_related("order").first()
    number = shop_order.order.number

    for phone in ("0812-3456-7890", "+62 812 3456 7890", "62812.3456.7890"):
        response = look_up(client, number.lower().replace("-", " "), phone)

        assert response.status_code == 302, phone
        assert response["Location"] == f"/toko/pesanan/{placed.reference}/#pesanan-{number}"

    assert f'id="pesanan-{number}"' in client.get(f"/toko/pesanan/{placed.reference}/").content.decode()


def test_a_wrong_email_and_an_unknown_reference_get_the_same_answer_and_keep_what_was_typed(client, placed):
    wrong_email = look_up(client, placed.reference, "orang.lain@example.test")
    unknown_reference = look_up(client, "PK-0000000000", "siti.aminah@example.test")
    wrong_phone = look_up(client, placed.reference, "0813 0000 0000")

    for response in (wrong_email, unknown_reference, wrong_phone):
        assert response.status_code == 400
        assert NO_MATCH in response.content.decode()
        assert "Location" not in response
    assert 'value="orang.lain@example.test"' in wrong_email.content.decode()
    assert 'value="PK-0000000000"' in unknown_reference.content.decode()


def test_failures_from_one_client_are_limited_and_then_even_the_right_answer_waits(client, settings, placed):
    settings.THROTTLE_ORDER_LOOKUP_FAILURES_PER_IP = (3, 3600)
    ip = "10.12.0.1"

    answers = [look_up(client, placed.reference, f"tebak{n}@example.test", ip=ip).status_code for n in range(4)]
    right_after = look_up(client, placed.reference, "siti.aminah@example.test", ip=ip)
    elsewhere = look_up(client, placed.reference, "siti.aminah@example.test", ip="10.12.0.2")

    assert answers == [400, 400, 400, 429]
    assert right_after.status_code == 429
    assert "Terlalu banyak pencarian pesanan" in right_after.content.decode()
    assert int(right_after["Retry-After"]) == 3600
    assert elsewhere.status_code == 302


def test_a_successful_lookup_counts_nothing(client, settings, placed):
    settings.THROTTLE_ORDER_LOOKUP_FAILURES_PER_IP = (1, 3600)

    answers = [look_up(client, placed.reference, "siti.aminah@example.test", ip="10.13.0.1").status_code
               for _ in range(4)]

    assert answers == [302] * 4


@pytest.mark.parametrize("code, contact, message", [
    ("PK-" + "A" * 5000, "siti@example.test", "paling banyak 24 karakter"),
    ("PK-1234567890", "x" * 5000 + "@example.test", "paling banyak 254 karakter"),
    ("' OR 1=1 --", "siti@example.test", "Tulis nomor transaksi"),
    ("PK-1234567890", "' OR '1'='1", "Tulis e-mail atau nomor HP"),
    ("<b>PK-1</b>", "<script>alert(1)</script>@example.test", "Tulis nomor transaksi"),
    ("", "", "harus diisi"),
])
def test_hostile_or_empty_input_is_refused_with_a_message(client, placed, code, contact, message):
    response = look_up(client, code, contact)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<script>alert(1)" not in html and "<b>PK-1</b>" not in html


def test_a_signed_in_buyer_sees_their_own_checkouts_and_the_account_order_list(client):
    buyer = get_user_model().objects.create_user(username="pembeli.lacak", email="pembeli.lacak@example.test",
                                                 password="sandi-panjang-2026")
    mine = factories.place(honey_and_rice(), email=buyer.email, user=buyer)
    someone_elses = factories.place(honey_and_rice(), email="lain@example.test")
    client.force_login(buyer)

    html = client.get(URL).content.decode()

    assert mine.reference in html and someone_elses.reference not in html
    assert 'href="/toko/accounts/orders/"' in html
