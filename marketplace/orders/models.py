from django.db import models
from django.utils.translation import gettext_lazy as _

from ..payments.models import Provider


class ShopOrder(models.Model):
    """The link between a checkout and the Oscar order that one BUMKam fulfils."""

    checkout = models.ForeignKey("marketplace.Checkout", on_delete=models.CASCADE, related_name="shop_orders")
    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="shop_order")
    bumkam = models.ForeignKey("shops.Bumkam", on_delete=models.PROTECT, related_name="shop_orders")
    tracking_number = models.CharField(_("nomor resi"), max_length=60, blank=True)
    courier = models.CharField(_("kurir"), max_length=60, blank=True)
    commission_percent = models.DecimalField(_("komisi (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    commission_amount = models.PositiveBigIntegerField(_("komisi (Rp)"), default=0)
    delivered_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesanan toko")
        verbose_name_plural = _("pesanan toko")

    def __str__(self):
        return self.order.number

    @property
    def payment_provider(self) -> Provider:
        """The provider that took the money, which is also the one that gives it back."""
        return Provider.for_payment_method(self.checkout.payment_method)
