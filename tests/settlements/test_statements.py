"""What a treasurer prints and who may see it."""

import csv
import io

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum

from marketplace.payments.services import cash_received

from marketplace.orders.services import shop_order_advance
from marketplace.payments.services import refund_issue
from marketplace.settlements.models import LedgerEntry, Payout
from marketplace.settlements.payouts import payout_create
from marketplace.settlements.services import settlements_run
from tests import factories
from tests.payments.conftest import honey_and_rice
from tests.settlements.conftest import after_window

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def statement(delivered):
    return settlements_run(now=after_window())[0]  # Bunga Raya's


def as_user(client, username):
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def test_the_pdf_statement_reads_back_with_the_ledgers_figures(statement, client):
    response = as_user(client, "pengelola.bungaraya").get(f"/toko/kelola/penyelesaian/{statement.pk}/?format=pdf")

    reader = pypdf.PdfReader(io.BytesIO(response.content), strict=True)
    text = "\n".join(page.extract_text() for page in reader.pages)
    line = statement.lines.get()
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"LAPORAN PENYELESAIAN {statement.number}" in text and "BUMKam Bunga Raya Sejahtera" in text
    assert line.shop_order.order.number in text
    assert f"{line.net:,}".replace(",", ".") in text and f"{line.commission:,}".replace(",", ".") in text
    assert "Bendahara BUMKam" in text


def test_statement_figures_equal_the_ledger_with_refunds_and_cash(client, cod_allowed):
    """A card-free week: one transfer order partly refunded, one COD order paid in cash."""
    admin = User.objects.get(username="admin")
    from marketplace.payments.services import payment_confirm_bank_transfer

    transfer = factories.place(honey_and_rice())
    payment_confirm_bank_transfer(checkout=transfer, amount_received=transfer.amount_due, acting_user=admin)
    cod = factories.place(honey_and_rice(), payment_method="cod")
    orders = [c.shop_orders.get(bumkam__kampung__code="14.08.08.2001") for c in (transfer, cod)]
    refund_issue(shop_order=orders[0], amount=30_000, reason="Satu karung basah", acting_user=admin, reference="BRK-9")
    cash_received(shop_order=orders[1], acting_user=admin)
    for shop_order in orders:
        for status in ("Dikemas", "Dikirim", "Diterima"):
            shop_order_advance(shop_order=shop_order, status=status, acting_user=admin, tracking_number="R1")

    settlement = settlements_run(now=after_window())[0]

    for line in settlement.lines.all():
        owed = -LedgerEntry.objects.filter(shop_order=line.shop_order, account__kind="shop").aggregate(t=Sum("amount"))["t"]
        assert line.net == owed
        assert line.net == line.gross - line.refunded - line.commission - line.cash_collected
    transfer_line, cod_line = settlement.lines.order_by("pk")
    assert transfer_line.refunded == 30_000 and cod_line.cash_collected == cod_line.gross
    assert cod_line.net == -cod_line.commission  # the shop holds the cash and owes the commission
    payout = payout_create(settlement=settlement)
    assert payout.amount == transfer_line.net + cod_line.net


def test_a_shop_that_owes_more_than_it_earned_gets_no_payout(client, cod_allowed):
    admin = User.objects.get(username="admin")
    cod = factories.place(honey_and_rice(), payment_method="cod")
    shop_order = cod.shop_orders.get(bumkam__kampung__code="14.08.08.2001")
    cash_received(shop_order=shop_order, acting_user=admin)
    for status in ("Dikemas", "Dikirim", "Diterima"):
        shop_order_advance(shop_order=shop_order, status=status, acting_user=admin, tracking_number="R1")

    settlement = settlements_run(now=after_window())[0]

    assert settlement.totals()["net"] < 0 and payout_create(settlement=settlement) is None


PAGES = {
    "statement list": ("get", "/toko/kelola/penyelesaian/"),
    "statement": ("get", "/toko/kelola/penyelesaian/{pk}/"),
    "statement csv": ("get", "/toko/kelola/penyelesaian/{pk}/?format=csv"),
    "statement pdf": ("get", "/toko/kelola/penyelesaian/{pk}/?format=pdf"),
    "regency export": ("get", "/toko/kelola/penyelesaian/?format=csv"),
    "run settlements": ("post", "/toko/kelola/penyelesaian/jalankan/"),
    "payouts": ("get", "/toko/kelola/pembayaran/"),
    "bank batch": ("post", "/toko/kelola/pembayaran/bank/"),
    "stripe connect": ("post", "/toko/kelola/pembayaran/stripe-connect/"),
    "confirm payout": ("post", "/toko/kelola/pembayaran/{payout}/"),
}
# who: anonymous, a village editor, the other shop's manager, the shop's own manager, the regency admin
MATRIX = {
    "statement list": ("login", 403, 200, 200, 200),
    "statement": ("login", 403, 404, 200, 200),
    "statement csv": ("login", 403, 404, 200, 200),
    "statement pdf": ("login", 403, 404, 200, 200),
    "regency export": ("login", 403, 403, 403, 200),
    "run settlements": ("login", 403, 403, 403, 302),
    "payouts": ("login", 403, 200, 200, 200),
    "bank batch": ("login", 403, 403, 403, 200),
    "stripe connect": ("login", 403, 403, 403, 302),
    "confirm payout": ("login", 403, 403, 403, 302),
}
USERS = (None, "editor.bungaraya", "pengelola.kerincikanan", "pengelola.bungaraya", "admin")


@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix_for_statements_and_payouts(statement, client, page):
    payout = payout_create(settlement=statement)
    method, url = PAGES[page]
    url = url.format(pk=statement.pk, payout=payout.pk)

    for username, expected in zip(USERS, MATRIX[page]):
        client.logout()
        response = getattr(as_user(client, username), method)(url, {"bank_reference": "X"} if method == "post" else None)
        if expected == "login":
            assert response.status_code == 302 and "/login/" in response["Location"], (username, page)
        else:
            assert response.status_code == expected, (username, page)
    if page == "statement list":  # what each sees, not only whether they may look
        other = as_user(client, "pengelola.kerincikanan").get(url).content.decode()
        assert statement.number not in other


def test_the_regency_export_has_every_statement_with_its_kecamatan_and_kampung(statement, client):
    rows = list(csv.reader(io.StringIO(as_user(client, "admin").get("/toko/kelola/penyelesaian/?format=csv")
                                       .content.decode())))

    assert rows[0][:5] == ["Nomor", "Tanggal", "Kecamatan", "Kampung", "BUMKam"]
    row = next(r for r in rows if r[0] == statement.number)
    assert row[2:5] == ["Bunga Raya", "Bunga Raya", "BUMKam Bunga Raya Sejahtera"]
    assert int(row[10]) == statement.totals()["net"]


def test_the_regency_admin_runs_settlements_on_demand_and_gets_payouts(delivered, client, monkeypatch):
    import marketplace.settlements.services as services

    later = after_window()
    monkeypatch.setattr(services.timezone, "now", lambda: later)
    response = as_user(client, "admin").post("/toko/kelola/penyelesaian/jalankan/", follow=True)

    assert "1 laporan penyelesaian dibuat." in response.content.decode()
    assert Payout.objects.count() == 1


def test_a_week_in_which_the_shop_owed_is_carried_into_its_next_payout(client, cod_allowed):
    from marketplace.payments.services import payment_confirm_bank_transfer

    admin = User.objects.get(username="admin")

    def delivered_order(payment_method):
        checkout = factories.place(honey_and_rice(), payment_method=payment_method)
        if payment_method == "bank_transfer":
            payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)
        shop_order = checkout.shop_orders.get(bumkam__kampung__code="14.08.08.2001")
        if payment_method == "cod":
            cash_received(shop_order=shop_order, acting_user=admin)
        for status in ("Dikemas", "Dikirim", "Diterima"):
            shop_order_advance(shop_order=shop_order, status=status, acting_user=admin, tracking_number="R1")

    delivered_order("cod")
    owing = next(s for s in settlements_run(now=after_window()) if s.bumkam.kampung.code == "14.08.08.2001")
    assert payout_create(settlement=owing) is None
    delivered_order("bank_transfer")
    earning = next(s for s in settlements_run(now=after_window()) if s.bumkam.kampung.code == "14.08.08.2001")

    payout = payout_create(settlement=earning)

    owing.refresh_from_db()
    assert payout.amount == earning.totals()["net"] + owing.totals()["net"]  # the commission owed is deducted
    assert owing.carried_into == earning and payout_create(settlement=earning) == payout
    page = as_user(client, "pengelola.bungaraya").get(f"/toko/kelola/penyelesaian/{earning.pk}/").content.decode()
    assert f"Dibawa dari laporan {owing.number}" in page and "Dibayarkan ke BUMKam" in page
    pdf = client.get(f"/toko/kelola/penyelesaian/{earning.pk}/?format=pdf").content
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert f"Dibawa dari laporan {owing.number}" in text


def test_the_pdf_statement_sets_each_heading_over_its_own_column(statement, client):
    """The hand-written statement ran "Komisi" into "Tunai COD di toko"; each heading now has
    its cell, left to right in the table's order, none reaching into the next."""
    from fpdf import FPDF

    pdf = as_user(client, "pengelola.bungaraya").get(f"/toko/kelola/penyelesaian/{statement.pk}/?format=pdf").content
    fragments = []
    pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: text.strip() and fragments.append(
            (round(tm[5], 1), tm[4], text.strip(), size)))
    headings = ["Pesanan", "Diterima", "Bruto", "Ongkos kirim", "Dikembalikan", "Komisi", "Tunai COD di", "Bersih"]
    found = {text: (y, x, size) for y, x, text, size in fragments if text in headings}
    measure = FPDF(unit="pt")

    assert list(found) == headings  # each heading its own piece of text, in column order
    for left, right in zip(headings, headings[1:]):
        y, x, size = found[left]
        measure.set_font("helvetica", "B", size)
        assert x + measure.get_string_width(left) < found[right][1], (left, right)
    assert "KomisiTunai" not in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
