"""Money taken and given back: refunds per shop order, and providers' events applied once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
