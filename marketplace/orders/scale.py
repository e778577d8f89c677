"""Past orders at scale for load tests (manage.py bench_data): N checkouts of one shop each,
placed over the last year, in the states a year of trade leaves them, written in bulk.

A real order comes through checkout_place and moves only through shop_order_advance (stock,
ledger, e-mails, events); 50,000 of those are an afternoon. What the pages read of past
orders is the rows (units sold for "Terlaris", a shop's order lists, the buyer's page), so
these are the same rows, Basket, Checkout, ShippingAddress, Order, Line and ShopOrder, in
batches, with no ledger entries, events or e-mails: a benchmark database only.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.sites.models import Site
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from ..checkout.models import Checkout
from ..constants import CheckoutStatus, OrderStatus, PaymentMethod
from .models import ShopOrder

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
Line = get_model("order", "Line")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")

BATCH = 2_000
REFERENCE_PREFIX = "PK-SKALA"  # generated checkouts read "PK-SKALA<seed>-<n>"

# (order status, checkout status for a transfer, share): most of a year's orders are done.
STATES = (
    (OrderStatus.COMPLETED, CheckoutStatus.PAID, 0.62),
    (OrderStatus.DELIVERED, CheckoutStatus.PAID, 0.08),
    (OrderStatus.SHIPPED, CheckoutStatus.PAID, 0.05),
    (OrderStatus.PACKED, CheckoutStatus.PAID, 0.03),
    (OrderStatus.PROCESSING, CheckoutStatus.PAID, 0.04),
    (OrderStatus.CANCELLED, CheckoutStatus.PAID, 0.06),
    (OrderStatus.EXPIRED, CheckoutStatus.EXPIRED, 0.12),
)
COD_SHARE = 0.25


def orders_generate(*, orders: int, seed: int = 1) -> int:
    """Make the database hold `orders` generated past checkouts of this seed; the number made."""
    prefix = f"{REFERENCE_PREFIX}{seed}-"
    done = Checkout.objects.filter(reference__startswith=prefix).count()
    if done >= orders:
        return 0
    rng = random.Random(seed * 7_919 + done)
    goods: dict[int, list[tuple]] = {}
    for row in (StockRecord.objects.filter(partner__bumkam__isnull=False, price__isnull=False)
                .values_list("pk", "partner_id", "partner__name", "partner_sku", "price", "product_id",
                             "product__title", "partner__bumkam__id", "partner__bumkam__kampung__code")):
        goods.setdefault(row[1], []).append(row)
    shops = [rows for rows in goods.values()]
    if not shops:
        raise ValueError("Belum ada barang: buat katalog lebih dulu.")
    country = Country.objects.get(iso_3166_1_a2="ID")
    site = Site.objects.get_current()
    first = done
    while done < orders:
        size = min(BATCH, orders - done)
        with transaction.atomic():
            _batch(rng, start=done, size=size, prefix=prefix, shops=shops, country=country, site=site)
        done += size
    return done - first


def _state(rng):
    pick, total = rng.random(), 0.0
    for order_status, checkout_status, share in STATES:
        total += share
        if pick < total:
            return order_status, checkout_status
    return STATES[0][:2]


def _batch(rng, *, start, size, prefix, shops, country, site):
    now = timezone.now()
    plans = []
    for n in range(start, start + size):
        shop = rng.choice(shops)
        lines = [(row, rng.choice((1, 1, 1, 2, 2, 3))) for row in rng.sample(shop, min(len(shop), rng.randint(1, 3)))]
        order_status, checkout_status = _state(rng)
        cod = order_status != OrderStatus.EXPIRED and rng.random() < COD_SHARE
        placed = now - datetime.timedelta(days=rng.uniform(2, 365))
        shipping = rng.choice((0, 10_000, 15_000, 25_000))
        subtotal = sum(int(row[4]) * quantity for row, quantity in lines)
        plans.append((n, lines, order_status, checkout_status, cod, placed, shipping, subtotal))

    baskets = Basket.objects.bulk_create([
        Basket(status=Basket.SUBMITTED, date_submitted=placed)
        for _n, _lines, _os, _cs, _cod, placed, _sh, _st in plans
    ])
    checkouts = Checkout.objects.bulk_create([
        Checkout(
            reference=f"{prefix}{n}", basket=basket, email=f"pembeli{n % 5000}@contoh.id", phone="6281234567890",
            payment_method=PaymentMethod.CASH_ON_DELIVERY if cod else PaymentMethod.BANK_TRANSFER,
            status=CheckoutStatus.CASH_ON_DELIVERY if cod else checkout_status,
            total=subtotal + shipping, unique_code=0 if cod else 1 + n % 999,
            expires_at=None if cod else placed + datetime.timedelta(hours=24),
            paid_at=None if cod or checkout_status != CheckoutStatus.PAID else placed + datetime.timedelta(hours=3),
        )
        for basket, (n, _lines, _os, checkout_status, cod, placed, shipping, subtotal) in zip(baskets, plans)
    ])
    addresses = ShippingAddress.objects.bulk_create([
        ShippingAddress(first_name=f"Pembeli {n % 5000}", line1=f"Jalan Sudirman No. {n % 200 + 1}",
                        line2="Kecamatan terdekat", line4="Kabupaten Siak", state="Riau", postcode="28773",
                        country=country, phone_number="6281234567890", notes=lines[0][0][8])
        for n, lines, *_rest in plans
    ])
    orders = Order.objects.bulk_create([
        Order(number=f"{prefix[3:]}{n:06d}", site=site, basket=basket, currency="IDR",
              total_incl_tax=Decimal(subtotal + shipping), total_excl_tax=Decimal(subtotal + shipping),
              shipping_incl_tax=Decimal(shipping), shipping_excl_tax=Decimal(shipping),
              shipping_address=address, shipping_method="Kurir" if shipping else "Ambil di kantor kampung",
              shipping_code="courier" if shipping else "pickup", status=order_status,
              guest_email=checkout.email, date_placed=placed)
        for basket, checkout, address, (n, _l, order_status, _cs, _cod, placed, shipping, subtotal)
        in zip(baskets, checkouts, addresses, plans)
    ])
    # Line prices are what Oscar writes: unit x quantity, no tax, no discounts.
    Line.objects.bulk_create([
        Line(order=order, partner_id=row[1], partner_name=row[2], partner_sku=row[3], stockrecord_id=row[0],
             product_id=row[5], title=row[6], quantity=quantity,
             line_price_incl_tax=row[4] * quantity, line_price_excl_tax=row[4] * quantity,
             line_price_before_discounts_incl_tax=row[4] * quantity,
             line_price_before_discounts_excl_tax=row[4] * quantity,
             unit_price_incl_tax=row[4], unit_price_excl_tax=row[4], num_allocated=0)
        for order, (_n, lines, *_rest) in zip(orders, plans)
        for row, quantity in lines
    ])
    ShopOrder.objects.bulk_create([
        ShopOrder(checkout=checkout, order=order, bumkam_id=lines[0][0][7],
                  delivered_at=placed + datetime.timedelta(days=4)
                  if order_status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED) else None)
        for checkout, order, (_n, lines, order_status, _cs, _cod, placed, *_rest) in zip(checkouts, orders, plans)
    ])
