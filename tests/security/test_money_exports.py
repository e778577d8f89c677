"""Every CSV the project writes quotes text that a spreadsheet would run as a formula; numbers,
negative ones too, stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from marketplace.exports import safe_cell
from marketplace.settlements.payouts import payout_create, payouts_send
from marketplace.settlements.services import settlements_run
from shops.models import Bumkam
from tests import factories
from tests.settlements.conftest import after_window, delivered  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db
User = get_user_model()
Product = get_model("catalogue", "Product")
HOSTILE = ['=HYPERLINK("http://evil.test","klik")', "+1+1", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1"]


def table(content) -> list[list[str]]:
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def no_formula(rows) -> bool:
    return not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for row in rows for cell in row)


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_starts_a_formula_is_quoted(text):
    assert safe_cell(text) == "'" + text


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    assert [safe_cell(v) for v in (-15000, 0, Decimal("-2.50"), 1.5, None, "Beras 5 kg", "")] == [
        -15000, 0, Decimal("-2.50"), 1.5, "", "Beras 5 kg", ""]


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil.test\")", "@SUM(1)"])
def test_the_bank_batch_and_the_regency_export_quote_a_shops_text(client, delivered, text):
    rice_order, _honey_order = delivered
    Bumkam.objects.filter(pk=rice_order.bumkam_id).update(name=text, bank_name="+1+1", bank_account_holder=text)
    settlement = settlements_run(now=after_window())[0]
    payout_create(settlement=settlement)

    _sent, batch = payouts_send()
    client.force_login(User.objects.get(username="admin"))
    regency = client.get("/toko/kelola/penyelesaian/", {"format": "csv"})
    statement = client.get(f"/toko/kelola/penyelesaian/{settlement.pk}/", {"format": "csv"})

    rows = table(batch)
    assert rows[1][0] == "'+1+1" and rows[1][2] == "'" + text and rows[1][3].isdigit()
    regency_rows = table(regency.content)
    assert regency.status_code == 200 and regency_rows[1][4] == "'" + text
    assert no_formula(rows) and no_formula(regency_rows) and no_formula(table(statement.content))


def test_a_negative_amount_stays_a_number_in_the_statement(client, delivered):
    from marketplace.settlements.models import SettlementLine

    settlement = settlements_run(now=after_window())[0]
    SettlementLine.objects.filter(settlement=settlement).update(net=-2500)
    client.force_login(User.objects.get(username="admin"))

    rows = table(client.get(f"/toko/kelola/penyelesaian/{settlement.pk}/", {"format": "csv"}).content)

    assert rows[1][-1] == "-2500" and rows[-1][-1] == str(-2500 * (len(rows) - 2))


def test_the_apbkam_csv_quotes_an_editors_line(client):
    from cms.models import TransparencyPage

    page = TransparencyPage.objects.live().filter(url_path__contains="/bunga-raya/").get()
    page.budget_lines.filter(year=2025).update(name="-2+3")

    rows = table(client.get(f"{page.url}csv/", {"tahun": 2025}).content)

    assert [row[2] for row in rows[1:] if row[2].endswith("2+3")][0] == "'-2+3"
    assert no_formula(rows) and rows[1][3].isdigit()


@pytest.fixture
def hostile_order():
    """A buyer whose name and delivery name are formulas."""
    buyer = User.objects.create_user("pembeli.jahat", "jahat@example.test", "x", first_name="=HYPERLINK(1)",
                                     last_name="")
    rice = Product.objects.get(stockrecords__partner_sku="14.08.08.2001-beras")
    basket = factories.basket((rice, 1), owner=buyer)
    from marketplace.checkout.services import checkout_place, shop_parts

    checkout = checkout_place(basket=basket, email="jahat@example.test", address=factories.address(name="@SUM(1)"),
                              shipping={part.bumkam.pk: "pickup" for part in shop_parts(basket)},
                              payment_method="bank_transfer", user=buyer)
    return checkout.shop_orders.get().order


def test_oscars_order_download_quotes_the_buyers_text(client, hostile_order):
    client.force_login(User.objects.get(username="admin"))

    response = client.get("/toko/dashboard/orders/", {"response_format": "csv", "order_number": hostile_order.number})

    rows = table(response.content)
    assert response["Content-Type"].startswith("text/csv")
    assert rows[1][0] == hostile_order.number and "'@SUM(1)" in rows[1]
    assert no_formula(rows)


def test_oscars_order_report_quotes_the_buyers_name(client, hostile_order):
    client.force_login(User.objects.get(username="admin"))
    today = datetime.date.today().isoformat()

    response = client.get("/toko/dashboard/reports/", {"report_type": "order_report", "date_from": today,
                                                        "date_to": today, "download": "true"})

    rows = table(response.content)
    mine = [row for row in rows if row[0] == hostile_order.number]
    assert mine and mine[0][1] == "'=HYPERLINK(1)"
    assert no_formula(rows)
