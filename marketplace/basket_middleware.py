"""Oscar's basket middleware, reading a basket's lines once (issue 14's query budgets)."""

from django.db.models import Prefetch
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware

from marketplace.catalogue.selectors import shop_stockrecords


class BasketMiddleware(OscarBasketMiddleware):
    """The basket's lines read once, with what the header's total and the basket page ask of
    each (its product's class, stock records and shop, its line's shop, photos): Oscar counts
    the lines three times and then asks four queries a line."""

    def apply_offers_to_basket(self, request, basket):
        if basket.id is not None and basket._lines is None:
            basket._lines = (
                basket.lines
                .select_related("product__product_class", "stockrecord__partner__bumkam__kampung__kecamatan")
                .prefetch_related("attributes", "product__images",
                                  Prefetch("product__stockrecords", queryset=shop_stockrecords()))
                .order_by("pk")
            )
            len(basket._lines)  # evaluated now: Oscar's counts of the lines then ask nothing
        super().apply_offers_to_basket(request, basket)
