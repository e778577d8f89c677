"""Real threads against real PostgreSQL: stock is never sold twice.

These tests commit (each thread has its own connection and transaction), so they
use no test transaction; pytest-django runs them after every test that expects
the demo as seeded. Each makes its own shop in a kampung the demo left empty.
"""

import threading
from collections import Counter

import pytest
from django.db import connection

from marketplace.checkout.services import OutOfStock
from tests import factories


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_")
        yield


def run_at_once(count, work):
    """Start `count` threads together; collect what each returned or raised."""
    barrier, results, lock = threading.Barrier(count), [], threading.Lock()

    def worker(i):
        try:
            barrier.wait()
            outcome = work(i)
        except Exception as error:  # noqa: BLE001 - every outcome is counted by the test
            outcome = error
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_50_checkouts_for_the_last_10_units_give_exactly_10_orders(committed):
    shop = factories.shop(code="14.08.01.2014")  # Suak Lanjut
    product = factories.product(bumkam=shop, title="Lempuk terakhir", stock=10)
    baskets = [factories.basket((product, 1)) for _ in range(50)]

    results = run_at_once(50, lambda i: factories.place(baskets[i]))

    kinds = Counter(type(r).__name__ for r in results)
    assert kinds == {"Checkout": 10, "OutOfStock": 40}, kinds
    assert all("Stok tidak cukup" in str(r) for r in results if isinstance(r, OutOfStock))
    record = product.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (10, 10)
    assert sum(r.shop_orders.count() for r in results if not isinstance(r, Exception)) == 10


def test_baskets_across_three_shops_in_opposite_orders_never_deadlock(committed):
    shops = [factories.shop(code=code) for code in ("14.08.02.2003", "14.08.02.2004", "14.08.02.2005")]
    products = [factories.product(bumkam=shop, title=f"Barang {shop.kampung.name}", stock=1000) for shop in shops]
    baskets = [
        factories.basket(*[(p, 1 + i % 3) for p in (products if i % 2 else list(reversed(products)))])
        for i in range(20)
    ]

    results = run_at_once(20, lambda i: factories.place(baskets[i]))

    assert [type(r).__name__ for r in results] == ["Checkout"] * 20, results
    for product in products:
        record = product.stockrecords.get()
        ordered = sum(line.quantity for basket in baskets for line in basket.all_lines() if line.product_id == product.pk)
        assert record.num_allocated == ordered  # every checkout allocated all of its lines, none partly
    assert all(r.shop_orders.count() == 3 for r in results)


def test_the_same_basket_submitted_10_times_at_once_gives_one_checkout(committed):
    shop = factories.shop(code="14.08.02.2008")  # Sungai Kayu Ara
    product = factories.product(bumkam=shop, title="Kerupuk sekali pesan", stock=100)
    basket = factories.basket((product, 3))

    results = run_at_once(10, lambda i: factories.place(basket))

    assert {type(r).__name__ for r in results} == {"Checkout"}, results
    assert len({r.pk for r in results}) == 1
    assert product.stockrecords.get().num_allocated == 3
