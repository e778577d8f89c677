"""Test data built by the same services a user's action calls."""

import itertools

from marketplace.catalogue.services import ProductData, product_create, sku_for
from shops.models import Kampung
from shops.services import bumkam_approve, bumkam_create, producer_create

_counter = itertools.count(1)


def flat_courier(per_kg: int) -> dict:
    """Bumkam fields for one courier rate everywhere and no minimum, for tests that only need 'a courier'."""
    return {f"courier_{kind}_{zone}": per_kg if kind == "per_kg" else 0
            for kind in ("per_kg", "minimum") for zone in ("kecamatan", "regency", "province", "elsewhere")}


def shop(*, code="14.08.01.2012", approved=True, **profile):
    """A BUMKam in a kampung of Siak that the demo left without a shop (Merempan Hulu by default)."""
    kampung = Kampung.objects.get(code=code)
    bumkam = bumkam_create(kampung=kampung, name=f"BUMKam {kampung.name}", whatsapp="6281299990000", **profile)
    if approved:
        bumkam_approve(bumkam=bumkam)
    return bumkam


def product(*, bumkam, title=None, price=25000, stock=10, weight_grams=250, **fields):
    from marketplace.catalogue.selectors import CategoryIndex

    n = next(_counter)
    title = title or f"Produk uji {n}"
    data = ProductData(
        title=title, description="Produk untuk pengujian.",
        category=CategoryIndex().find("Makanan ringan > Keripik"),  # the regency's tree, as a manager picks
        price=price, stock=stock, weight_grams=weight_grams, sku=sku_for(bumkam=bumkam, name=title),
        producer=producer_create(bumkam=bumkam, name="UMKM Uji"), **fields,
    )
    return product_create(bumkam=bumkam, data=data)


def basket(*items, owner=None):
    """A buyer's open basket holding (product, quantity) pairs."""
    from oscar.core.loading import get_class, get_model

    Basket = get_model("basket", "Basket")
    basket = Basket.objects.create(owner=owner)
    basket.strategy = get_class("partner.strategy", "Selector")().strategy()
    for item, quantity in items:
        basket.add_product(item, quantity)
    return basket


def address(**overrides):
    from marketplace.checkout.services import AddressData

    data = {"name": "Siti Aminah", "phone": "081234567890", "line1": "Jl. Sultan Syarif Kasim No. 5",
            "village_code": "14.08.01.1001", "postcode": "28773"}
    data.update(overrides)
    return AddressData(**data)


def place(basket, *, payment_method="bank_transfer", shipping=None, email="siti@example.test", user=None):
    from marketplace.checkout.services import checkout_place, shop_parts

    shipping = shipping or {part.bumkam.pk: "pickup" for part in shop_parts(basket)}
    return checkout_place(basket=basket, email=email, address=address(), shipping=shipping,
                          payment_method=payment_method, user=user)


def place_skus(lines, *, payment_method="bank_transfer"):
    """A checkout of (SKU, quantity) lines, a card one with its PaymentIntent asked for: what the
    property tests place at random."""
    from oscar.core.loading import get_model

    from marketplace.checkout.services import card_payment_start

    items = {}
    for sku, quantity in lines:
        product = get_model("catalogue", "Product").objects.get(stockrecords__partner_sku=sku)
        items[product] = items.get(product, 0) + quantity
    checkout = place(basket(*items.items()), payment_method=payment_method)
    return card_payment_start(checkout) if payment_method == "card" else checkout
