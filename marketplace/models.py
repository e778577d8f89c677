"""The commerce domain's own records: one checkout, paid once, grouping one Oscar
order per BUMKam."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import CheckoutStatus, PaymentMethod
from .files import private_storage, random_name

# Crockford's base32 without look-alike letters: easy to read out over the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def payment_proof_upload_to(instance, filename):
    return random_name("bukti-transfer", filename)


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
    # A buyer's bank details: private storage, served only by views.checkout_proof.
    payment_proof = models.FileField(_("bukti transfer"), upload_to=payment_proof_upload_to,
                                     storage=private_storage, blank=True, max_length=200)
    payment_intent_id = models.CharField(max_length=40, blank=True, db_index=True)
    payment_client_secret = models.CharField(max_length=120, blank=True)
    provider_status = models.CharField(_("status di penyedia pembayaran"), max_length=30, blank=True)
    provider_refunded = models.PositiveBigIntegerField(
        _("dikembalikan menurut penyedia (Rp)"), default=0,
        help_text=_("Jumlah yang terakhir dilaporkan Stripe sudah dikembalikan untuk checkout ini."))
    problem = models.TextField(_("masalah"), blank=True, help_text=_("Mengapa admin perlu memeriksa checkout ini."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checkout")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unique_code", "total"],
                condition=models.Q(status="awaiting_payment", payment_method="bank_transfer"),
                name="one_awaiting_transfer_per_amount",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_paid(self) -> bool:
        return self.status in (CheckoutStatus.PAID, CheckoutStatus.PAID_FLAGGED)

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

    def __str__(self):
        return self.order.number

    @property
    def payment_provider(self) -> str:
        """The provider that took the money, which is also the one that gives it back."""
        return {PaymentMethod.CARD: "stripe", PaymentMethod.BANK_TRANSFER: "bank_transfer",
                PaymentMethod.CASH_ON_DELIVERY: "cash"}[self.checkout.payment_method]


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Diproses")
    SUCCEEDED = "succeeded", _("Berhasil")
    FAILED = "failed", _("Gagal")


class Refund(models.Model):
    """Money given back for one shop order, written before the provider is asked, so
    that a webhook arriving first can tell our own refund from one made elsewhere."""

    shop_order = models.ForeignKey(ShopOrder, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    reason = models.CharField(_("alasan"), max_length=255)
    status = models.CharField(max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    provider_reference = models.CharField(_("referensi"), max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengembalian dana")
        verbose_name_plural = _("pengembalian dana")
        ordering = ["pk"]

    @property
    def idempotency_key(self) -> str:
        return f"refund-{self.pk}"


class ProviderEvent(models.Model):
    """A payment provider's event, processed once however often it is delivered."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=80)
    kind = models.CharField(max_length=60)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="one_event_per_provider_id")]
