"""Random sequences of checkouts, payments and expiries keep the ledger and stock right."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_model

from marketplace.constants import CheckoutStatus
from marketplace.services.checkout import OutOfStock
from marketplace.services.fulfilment import checkouts_expire, payment_confirm_bank_transfer
from marketplace.settlements.selectors import ledger_problems
from tests import factories

pytestmark = pytest.mark.django_db
SKUS = ["14.08.06.2001-madu-sialang", "14.08.08.2001-beras", "14.08.07.2001-keripik-nenas"]

step = st.one_of(
    st.tuples(st.just("checkout"), st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 40)), min_size=1, max_size=3)),
    st.tuples(st.just("pay"), st.integers(0, 20)),
    st.tuples(st.just("expire"), st.integers(0, 20)),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=8))
def test_the_ledger_and_stock_stay_right_whatever_happens(db, steps):
    StockRecord = get_model("partner", "StockRecord")
    admin = get_user_model().objects.get(username="admin")
    placed = []
    for action, detail in steps:
        if action == "checkout":
            items = {}
            for sku, quantity in detail:
                product = get_model("catalogue", "Product").objects.get(stockrecords__partner_sku=sku)
                items[product] = items.get(product, 0) + quantity
            try:
                placed.append(factories.place(factories.basket(*items.items())))
            except OutOfStock:
                pass
        elif placed:
            checkout = placed[detail % len(placed)]
            checkout.refresh_from_db()
            if action == "pay" and checkout.status == CheckoutStatus.AWAITING_PAYMENT:
                payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)
            elif action == "expire":
                checkouts_expire(only=type(checkout).objects.filter(pk=checkout.pk),
                                 now=timezone.now() + datetime.timedelta(days=2))

        assert ledger_problems() == []
        for record in StockRecord.objects.filter(partner_sku__in=SKUS):
            assert 0 <= (record.num_allocated or 0) <= record.num_in_stock
