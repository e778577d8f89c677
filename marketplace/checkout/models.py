"""One checkout, paid once, grouping one shop order per BUMKam."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import CheckoutStatus, PaymentMethod
from ..files import private_storage, random_name


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
