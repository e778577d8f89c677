"""The commerce domain's own records: one checkout, paid once, grouping one Oscar
order per BUMKam."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import CheckoutStatus, PaymentMethod

# Crockford's base32 without look-alike letters: easy to read out over the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def unguessable_code(length: int = 10) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


class Checkout(models.Model):
    reference = models.CharField(_("nomor checkout"), max_length=20, unique=True)
    basket = models.OneToOneField("basket.Basket", on_delete=models.PROTECT, related_name="checkout")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="checkouts")
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telepon"), max_length=20)
    payment_method = models.CharField(_("cara bayar"), max_length=20, choices=PaymentMethod.choices)
    status = models.CharField(_("status"), max_length=20, choices=CheckoutStatus.choices)
    total = models.PositiveBigIntegerField(_("total (Rp)"))
    unique_code = models.PositiveSmallIntegerField(_("kode unik transfer"), default=0)
    expires_at = models.DateTimeField(_("batas pembayaran"), null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_proof = models.FileField(_("bukti transfer"), upload_to="bukti-transfer/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checkout")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unique_code", "total"], condition=models.Q(status="awaiting_payment"),
                name="one_awaiting_transfer_per_amount",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def amount_due(self) -> int:
        """A bank transfer carries a unique amount, so that the admin can tell whose it is."""
        return self.total + self.unique_code

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("marketplace:checkout-detail", args=[self.reference])


class ShopOrder(models.Model):
    """The link between a checkout and the Oscar order that one BUMKam fulfils."""

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="shop_orders")
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
