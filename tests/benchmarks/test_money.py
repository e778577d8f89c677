"""`make bench`: what money handling costs. Figures for the closing notes, not pass/fail."""

import statistics
import time

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from marketplace.checkout.services import card_payment_start
from marketplace.settlements.pdf import statement_pdf
from tests import factories
from tests.payments.conftest import deliver, event, honey_and_rice, stripe_fake  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
SKUS = ["14.08.06.2001-madu-sialang", "14.08.08.2001-beras"]
ROUNDS = 20


def test_webhook_speed(client, stripe_fake):  # noqa: F811
    StockRecord.objects.filter(partner_sku__in=SKUS).update(num_in_stock=F("num_in_stock") + 100)
    paying, replaying = [], []
    for _ in range(ROUNDS):
        checkout = card_payment_start(factories.place(honey_and_rice(), payment_method="card"))
        body = event("payment_intent.succeeded", stripe_fake.pay(checkout))
        start = time.perf_counter()
        assert deliver(client, body).json()["result"] == "paid"
        paying.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        assert deliver(client, body).json()["result"] == "duplicate"
        replaying.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        deliver(client, body)
    print(f"\nBENCH webhook payment_intent.succeeded (2 shops)  median {statistics.median(paying):6.1f} ms")
    print(f"BENCH webhook replayed event                      median {statistics.median(replaying):6.1f} ms  "
          f"queries {len(queries)}")


def test_statement_pdf_speed():
    columns = ["Pesanan", "Diterima", "Bruto", "Ongkos kirim", "Dikembalikan", "Komisi", "Tunai COD di toko", "Bersih"]
    rows = [[f"{i:04d}-ABCDEF", "01-11-2026", "150.000", "12.000", "0", "7.500", "0", "142.500"] for i in range(500)]
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        document = statement_pdf(title="bench", heading=["LAPORAN PENYELESAIAN bench", "BUMKam"], columns=columns,
                                 rows=rows, total=["Jumlah", "", *["1"] * 6], notes=[], signers=("a", "b"),
                                 created=None)
        timings.append((time.perf_counter() - start) * 1000)
    print(f"\nBENCH statement PDF, 500 orders ({len(document) // 1024} KB)  median {statistics.median(timings):6.1f} ms")
