"""Money taken and given back: refunds per shop order, and providers' events applied once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    """Who moves the money: the one name of a provider, in ledger account codes, refunds,
    payouts and provider events. The first three take the buyer's money (and give it back);
    the last two pay shops out of the first two's accounts (settlements.payouts)."""

    STRIPE = "stripe", _("Stripe (kartu)")
    BANK_TRANSFER = "bank_transfer", _("Transfer bank")
    CASH = "cash", _("Tunai (COD)")
    BANK_BATCH = "bank_batch", _("Transfer massal bank")
    STRIPE_CONNECT = "stripe_connect", _("Stripe Connect")

    @classmethod
    def for_payment_method(cls, method: str) -> "Provider":
        """The provider that takes a checkout's money, which is also the one that gives it back."""
        from ..constants import PaymentMethod

        return {PaymentMethod.CARD: cls.STRIPE, PaymentMethod.BANK_TRANSFER: cls.BANK_TRANSFER,
                PaymentMethod.CASH_ON_DELIVERY: cls.CASH}[method]


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Diproses")
    SUCCEEDED = "succeeded", _("Berhasil")
    FAILED = "failed", _("Gagal")


class Refund(models.Model):
    """Money given back for one shop order, written before the provider is asked, so
    that a webhook arriving first can tell our own refund from one made elsewhere."""

    shop_order = models.ForeignKey("marketplace.ShopOrder", on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    reason = models.CharField(_("alasan"), max_length=255)
    status = models.CharField(max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    provider = models.CharField(_("penyedia"), max_length=20, choices=Provider.choices)
    provider_reference = models.CharField(_("referensi"), max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengembalian dana")
        verbose_name_plural = _("pengembalian dana")
        ordering = ["pk"]

    def save(self, *args, **kwargs):
        if not self.provider:  # money goes back the way it came
            self.provider = self.shop_order.payment_provider
        super().save(*args, **kwargs)

    @property
    def idempotency_key(self) -> str:
        return f"refund-{self.pk}"


class ProviderEvent(models.Model):
    """A payment provider's event, processed once however often it is delivered."""

    provider = models.CharField(max_length=20, choices=Provider.choices)
    event_id = models.CharField(max_length=80)
    kind = models.CharField(max_length=60)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="one_event_per_provider_id")]


class TransferReceipt(models.Model):
    """A bank transfer the regency admin saw arrive for a checkout. A buyer who sent too little
    and is asked for the rest makes two; what the checkout has received is their sum."""

    checkout = models.ForeignKey("marketplace.Checkout", on_delete=models.PROTECT, related_name="transfer_receipts")
    amount = models.PositiveBigIntegerField(_("jumlah diterima (Rp)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("transfer diterima")
        verbose_name_plural = _("transfer diterima")
        ordering = ["pk"]


class DifferenceKind(models.TextChoices):
    WRITTEN_OFF = "written_off", _("Kekurangan ditanggung platform")
    OVERPAID = "overpaid", _("Kelebihan bayar, dikembalikan ke pembeli")


class PaymentDifference(models.Model):
    """What a checkout's transfers missed or exceeded when the admin accepted them as paid: a
    shortfall the platform bears (the shops still get their full share), or an excess owed
    back to the buyer until the admin records the refund transfer."""

    checkout = models.OneToOneField("marketplace.Checkout", on_delete=models.PROTECT, related_name="payment_difference")
    kind = models.CharField(_("jenis"), max_length=12, choices=DifferenceKind.choices)
    amount_due = models.PositiveBigIntegerField(_("tagihan (Rp)"))
    amount_received = models.PositiveBigIntegerField(_("diterima (Rp)"))
    amount = models.PositiveBigIntegerField(_("selisih (Rp)"))
    reason = models.CharField(_("alasan"), max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    refunded_at = models.DateTimeField(_("dikembalikan pada"), null=True, blank=True)
    refund_reference = models.CharField(_("referensi pengembalian"), max_length=60, blank=True)
    refunded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("selisih pembayaran")
        verbose_name_plural = _("selisih pembayaran")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.checkout.reference}: {self.get_kind_display()} {self.amount}"

    @property
    def refund_due(self) -> bool:
        return self.kind == DifferenceKind.OVERPAID and self.refunded_at is None
