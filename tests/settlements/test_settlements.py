import csv
import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from marketplace.settlements.models import LedgerEntry, Settlement
from marketplace.settlements.services import settlements_run
from tests.settlements.conftest import after_window

pytestmark = pytest.mark.django_db


def test_delivered_orders_become_payable_after_the_return_window_once(delivered):
    rice_order, honey_order = delivered

    assert settlements_run(now=timezone.now()) == []  # still inside the return window
    made = settlements_run(now=after_window())
    again = settlements_run(now=after_window(10))

    assert again == []
    assert [s.bumkam for s in made] == [rice_order.bumkam]
    line = made[0].lines.get()
    assert line.shop_order == rice_order
    ledger_net = -sum(LedgerEntry.objects.filter(shop_order=rice_order, account__kind="shop").values_list("amount", flat=True))
    assert line.net == ledger_net == int(rice_order.order.total_incl_tax) - rice_order.commission_amount
    assert line.commission == rice_order.commission_amount
    assert line.gross - line.commission == line.net


def test_statement_html_and_csv_show_the_same_figures(delivered, client):
    settlement = settlements_run(now=after_window())[0]
    client.force_login(get_user_model().objects.get(username="pengelola.bungaraya"))

    html = client.get(f"/toko/kelola/penyelesaian/{settlement.pk}/").content.decode()
    rows = list(csv.reader(io.StringIO(client.get(f"/toko/kelola/penyelesaian/{settlement.pk}/?format=csv").content.decode())))

    net_on_page = int(re.search(r'class="text-right settlement-net">Rp\u00a0([\d.]+)<', html).group(1).replace(".", ""))
    assert rows[-1][0] == "Jumlah" and int(rows[-1][-1]) == net_on_page == settlement.totals()["net"]
    assert rows[1][0] == delivered[0].order.number


def test_managers_see_only_their_own_statements_and_the_regency_sees_all(delivered, client):
    settlement = settlements_run(now=after_window())[0]  # Bunga Raya's
    User = get_user_model()

    client.force_login(User.objects.get(username="pengelola.kerincikanan"))
    assert client.get(f"/toko/kelola/penyelesaian/{settlement.pk}/").status_code == 404
    assert settlement.number not in client.get("/toko/kelola/penyelesaian/").content.decode()

    client.force_login(User.objects.get(username="pengelola.bungaraya"))
    assert settlement.number in client.get("/toko/kelola/penyelesaian/").content.decode()

    client.force_login(User.objects.get(username="admin"))
    listing = client.get("/toko/kelola/penyelesaian/").content.decode()
    assert settlement.number in listing and "Kecamatan Bunga Raya" in listing


def test_the_weekly_command_makes_the_statements(delivered, capsys, monkeypatch):
    rice_order, _ = delivered
    type(rice_order).objects.filter(pk=rice_order.pk).update(delivered_at=timezone.now() - datetime.timedelta(days=5))

    call_command("run_settlements")

    assert Settlement.objects.filter(bumkam=rice_order.bumkam).count() == 1
    assert "BUMKam Bunga Raya Sejahtera" in capsys.readouterr().out
