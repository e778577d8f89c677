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
