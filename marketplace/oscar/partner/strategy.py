from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability, strategy

from shops.constants import ShopStatus


class ShopClosed(availability.Unavailable):
    message = _("Toko BUMKam ini belum dibuka")
    short_message = _("Belum dijual")


class VillageShopStrategy(strategy.UseFirstStockRecord, strategy.StockRequired, strategy.NoTax, strategy.Structured):
    """Rupiah prices without tax lines (UMKM sellers are mostly below the PPN threshold),
    stock required, and nothing sold by a shop that is not approved."""

    def availability_policy(self, product, stockrecord):
        if stockrecord is not None and not _shop_is_selling(stockrecord.partner):
            return ShopClosed()
        return super().availability_policy(product, stockrecord)


def _shop_is_selling(partner) -> bool:
    bumkam = getattr(partner, "bumkam", None)
    return bumkam is not None and bumkam.status == ShopStatus.APPROVED


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return VillageShopStrategy(request)
