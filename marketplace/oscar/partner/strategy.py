from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability, strategy

from shops.constants import ShopStatus


class ShopClosed(availability.Unavailable):
    message = _("Toko BUMKam ini belum dibuka")
    short_message = _("Belum dijual")


class VillageShopStrategy(strategy.UseFirstStockRecord, strategy.StockRequired, strategy.NoTax, strategy.Structured):
    """Rupiah prices without tax lines (UMKM sellers are mostly below the PPN threshold),
    stock required, and nothing sold by a shop that is not approved."""

    def select_stockrecord(self, product):
        # A product page asks for its price and stock several times, and every basket line once:
        # the stock records come with their shop once per product (or once for all a basket's lines),
        # not three queries per question.
        _with_shop_stockrecords([product])
        return super().select_stockrecord(product)

    def fetch_for_line(self, line, stockrecord=None):
        basket_lines = getattr(getattr(line, "basket", None), "_lines", None)
        cached = getattr(basket_lines, "_result_cache", None)
        _with_shop_stockrecords([basket_line.product for basket_line in (cached if cached else [line])])
        return super().fetch_for_line(line, stockrecord)

    def availability_policy(self, product, stockrecord):
        if stockrecord is not None and not _shop_is_selling(stockrecord.partner):
            return ShopClosed()
        return super().availability_policy(product, stockrecord)


def _with_shop_stockrecords(products) -> None:
    """Each product's stock records with their shop, and its product class, in one go for all
    of them (those already holding theirs, as lists of cards do, are left alone)."""
    from marketplace.catalogue.selectors import shop_stockrecords

    missing = [product for product in products
               if "stockrecords" not in getattr(product, "_prefetched_objects_cache", {})]
    if not missing:
        return
    prefetch_related_objects(missing, Prefetch("stockrecords", queryset=shop_stockrecords()))
    if any(product.product_class_id and not product._state.fields_cache.get("product_class") for product in missing):
        prefetch_related_objects(missing, "product_class")


def _shop_is_selling(partner) -> bool:
    bumkam = getattr(partner, "bumkam", None)
    return bumkam is not None and bumkam.status == ShopStatus.APPROVED


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return VillageShopStrategy(request)
