"""Oscar's product page, reading the product with what its page asks of it in one go."""

from django.db.models import Prefetch
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from marketplace.catalogue.selectors import shop_stockrecords


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        # The page asks for the product's class, producer, photos (five times) and stock record
        # with its shop (for the price, the stock and the seller): one query each, not one per ask.
        return super().get_queryset().select_related("product_class", "producer").prefetch_related(
            "images", Prefetch("stockrecords", queryset=shop_stockrecords()))
