from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import Actor
from ..files import private_storage, random_name
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


def complaint_photo_upload_to(instance, filename):
    return random_name("komplain", filename)


class ComplaintReason(models.TextChoices):
    NOT_RECEIVED = "not_received", _("Barang belum sampai")
    DAMAGED = "damaged", _("Barang rusak atau cacat")
    WRONG_ITEM = "wrong_item", _("Barang salah atau tidak sesuai deskripsi")
    INCOMPLETE = "incomplete", _("Jumlah kurang atau tidak lengkap")
    SPOILED = "spoiled", _("Kedaluwarsa atau basi")
    OTHER = "other", _("Lainnya")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    RESOLVED = "resolved", _("Selesai: dana dikembalikan")
    REJECTED = "rejected", _("Ditolak admin kabupaten")
    WITHDRAWN = "withdrawn", _("Dibatalkan pembeli")


class Complaint(models.Model):
    """The buyer's "something is wrong" about one shop order. While open it holds that order
    out of settlement (marketplace.settlements.services.settlements_run)."""

    shop_order = models.ForeignKey(ShopOrder, on_delete=models.PROTECT, related_name="complaints")
    reason = models.CharField(_("alasan"), max_length=20, choices=ComplaintReason.choices)
    status = models.CharField(_("status"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    refunded = models.PositiveBigIntegerField(_("dana dikembalikan (Rp)"), default=0)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    opened_at = models.DateTimeField(_("diajukan pada"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    outcome = models.TextField(_("keputusan"), blank=True)

    class Meta:
        verbose_name = _("komplain")
        verbose_name_plural = _("komplain")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["shop_order"], condition=models.Q(status="open"),
                                    name="one_open_complaint_per_shop_order"),
        ]

    def __str__(self):
        return _("Komplain %(number)s") % {"number": self.shop_order.order.number}

    @property
    def is_open(self) -> bool:
        return self.status == ComplaintStatus.OPEN


class ComplaintMessageKind(models.TextChoices):
    OPENED = "opened", _("Komplain diajukan")
    REPLY = "reply", _("Balasan")
    REFUND = "refund", _("Dana dikembalikan")
    RESOLVED = "resolved", _("Ditandai selesai")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dibatalkan pembeli")


class ComplaintMessage(models.Model):
    """One entry of a complaint's thread: what someone wrote, or what happened (a refund, a decision)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=ComplaintMessageKind.choices, default=ComplaintMessageKind.REPLY)
    author_role = models.CharField(_("oleh"), max_length=10, choices=Actor.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    text = models.TextField(_("pesan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pesan komplain")
        verbose_name_plural = _("pesan komplain")
        ordering = ["pk"]


class ComplaintPhoto(models.Model):
    """A photo sent with a message; private: served only by orders.views.complaint_photo."""

    message = models.ForeignKey(ComplaintMessage, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("foto"), upload_to=complaint_photo_upload_to, storage=private_storage, max_length=200)

    class Meta:
        verbose_name = _("foto komplain")
        verbose_name_plural = _("foto komplain")
        ordering = ["pk"]
