"""Reads of the commerce domain."""

from oscar.core.loading import get_model

from shops.constants import ShopStatus

Product = get_model("catalogue", "Product")


def products_for_sale():
    """Public products of approved shops: a pending or suspended shop sells nothing."""
    return (
        Product.objects.browsable()
        .filter(stockrecords__partner__bumkam__status=ShopStatus.APPROVED)
        .select_related("producer__bumkam__kampung__kecamatan")
        .prefetch_related("images", "stockrecords__partner__bumkam")
        .distinct()
    )


def flagship_products(limit: int = 8):
    return products_for_sale().filter(is_flagship=True).order_by("-date_created")[:limit]


def basket_by_shop(basket):
    """The basket's lines grouped by BUMKam, each with its subtotal: one order per shop later."""
    groups = {}
    for line in basket.all_lines():
        partner = line.stockrecord.partner
        group = groups.setdefault(partner.pk, {"bumkam": getattr(partner, "bumkam", None), "partner": partner,
                                               "lines": [], "subtotal": 0, "weight_grams": 0})
        group["lines"].append(line)
        group["subtotal"] += line.line_price_incl_tax or 0
        group["weight_grams"] += (line.product.weight_grams or 0) * line.quantity
    return sorted(groups.values(), key=lambda g: g["partner"].name)
