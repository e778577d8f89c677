from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import Actor
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


class ShopOrderEvent(models.Model):
    """One move of a shop order, written with it: the history both sides read, and who made each move."""

    shop_order = models.ForeignKey(ShopOrder, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(_("dari status"), max_length=100)
    new_status = models.CharField(_("ke status"), max_length=100)
    actor = models.CharField(_("oleh"), max_length=10, choices=Actor.choices)
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("pengguna"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat pesanan toko")
        verbose_name_plural = _("riwayat pesanan toko")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.shop_order}: {self.old_status} → {self.new_status}"
