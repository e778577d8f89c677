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
        .prefetch_related("images", "stockrecords")
        .distinct()
    )


def flagship_products(limit: int = 8):
    return products_for_sale().filter(is_flagship=True).order_by("-date_created")[:limit]
