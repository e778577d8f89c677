"""Regions from the official Kemendagri codes, BUMKam shops and their producers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import AuditAction, ChangeStatus, CourierZone, ShopStatus, VillageKind
from .rich_text import clean_html


class Regency(models.Model):
    code = models.CharField(_("kode Kemendagri"), max_length=5, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    province_name = models.CharField(_("provinsi"), max_length=100)

    class Meta:
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Kecamatan(models.Model):
    regency = models.ForeignKey(Regency, on_delete=models.CASCADE, related_name="kecamatan")
    code = models.CharField(_("kode Kemendagri"), max_length=8, unique=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Kampung(models.Model):
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.CASCADE, related_name="kampung")
    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=VillageKind.choices)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("kampung")
        verbose_name_plural = _("kampung")
        ordering = ["name"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class Bumkam(models.Model):
    """A village-owned enterprise: the shop of one kampung, sold through an Oscar Partner."""

    kampung = models.OneToOneField(Kampung, on_delete=models.PROTECT, related_name="bumkam")
    partner = models.OneToOneField("partner.Partner", on_delete=models.PROTECT, related_name="bumkam")
    name = models.CharField(_("nama BUMKam"), max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ShopStatus.choices, default=ShopStatus.PENDING
    )
    story = models.TextField(_("cerita"), blank=True)
    # Legal standing of a BUMKam (UU 6/2014 and PP 11/2021): founded by a Peraturan Kampung,
    # a legal entity once registered with Kemenkumham. Checked by the regency before approval.
    establishment_regulation = models.CharField(
        _("nomor Peraturan Kampung pendirian"), max_length=100, blank=True,
        help_text=_("Mis. Perkam No. 3 Tahun 2021 tentang Pendirian BUMKam."),
    )
    legal_entity_number = models.CharField(
        _("nomor sertifikat badan hukum"), max_length=100, blank=True,
        help_text=_("Nomor sertifikat pendaftaran badan hukum BUMDes/BUMKam dari Kemenkumham, bila sudah ada."),
    )
    whatsapp = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    pickup_address = models.TextField(_("alamat pengambilan"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="bumkam/logo/", blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account_number = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    bank_account_holder = models.CharField(_("nama pemilik rekening"), max_length=150, blank=True)
    stripe_account_id = models.CharField(
        _("akun Stripe Connect"), max_length=40, blank=True,
        help_text=_("Diisi admin kabupaten bila hasil penjualan dibayar lewat Stripe Connect, bukan transfer bank."),
    )
    allows_pickup = models.BooleanField(_("bisa diambil di kantor kampung"), default=True)
    pickup_hours = models.CharField(_("jam pengambilan"), max_length=100, blank=True,
                                    help_text=_("Mis. Senin-Sabtu 08.00-16.00."))
    # Courier rates by how far the parcel goes (CourierZone): a price per started kilogram and a
    # minimum per shipment. A zone without a price per kilogram is not served.
    courier_per_kg_kecamatan = models.PositiveIntegerField(_("kurir satu kecamatan, per kg (Rp)"), default=0)
    courier_minimum_kecamatan = models.PositiveIntegerField(_("kurir satu kecamatan, minimum (Rp)"), default=0)
    courier_per_kg_regency = models.PositiveIntegerField(_("kurir satu kabupaten/kota, per kg (Rp)"), default=0)
    courier_minimum_regency = models.PositiveIntegerField(_("kurir satu kabupaten/kota, minimum (Rp)"), default=0)
    courier_per_kg_province = models.PositiveIntegerField(_("kurir satu provinsi, per kg (Rp)"), default=0)
    courier_minimum_province = models.PositiveIntegerField(_("kurir satu provinsi, minimum (Rp)"), default=0)
    courier_per_kg_elsewhere = models.PositiveIntegerField(_("kurir di luar provinsi, per kg (Rp)"), default=0)
    courier_minimum_elsewhere = models.PositiveIntegerField(_("kurir di luar provinsi, minimum (Rp)"), default=0)
    allows_cash_on_delivery = models.BooleanField(_("bisa bayar di tempat (COD)"), default=False)
    commission_percent = models.DecimalField(
        _("komisi (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Kosongkan untuk memakai komisi bawaan kabupaten."),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_bumkam", blank=True,
        verbose_name=_("pengelola"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("BUMKam")
        verbose_name_plural = _("BUMKam")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.story = clean_html(self.story)  # shown to every visitor of the storefront: cleaned on the way in
        super().save(*args, **kwargs)

    @property
    def is_selling(self) -> bool:
        return self.status == ShopStatus.APPROVED

    def courier_rate(self, zone: str) -> tuple[int, int]:
        """(price per kilogram, minimum per shipment) to a zone; (0, 0) when not served."""
        per_kg = getattr(self, f"courier_per_kg_{zone}")
        return (per_kg, getattr(self, f"courier_minimum_{zone}")) if per_kg else (0, 0)

    @property
    def ships_by_courier(self) -> bool:
        return any(self.courier_rate(zone)[0] for zone in CourierZone.values)

    @property
    def courier_lowest_per_kg(self) -> int:
        """The cheapest price per kilogram it charges anywhere ("Kurir dari Rp 6.000/kg"); 0 if none."""
        return min((rate for zone in CourierZone.values if (rate := self.courier_rate(zone)[0])), default=0)

    @property
    def pickup_place(self) -> str:
        """Where a pickup order is collected: the address given, else the shop's office in its kampung."""
        return self.pickup_address.strip() or _("Kantor %(shop)s, %(kampung)s") % {
            "shop": self.name, "kampung": self.kampung}

    @property
    def pickup_text(self) -> str:
        """Where and when a pickup order is collected, on one line for e-mails and plain text."""
        return " · ".join(part for part in (" ".join(self.pickup_place.split()), self.pickup_hours.strip()) if part)


class Producer(models.Model):
    """An UMKM (micro business) whose goods a BUMKam sells."""

    bumkam = models.ForeignKey(Bumkam, on_delete=models.CASCADE, related_name="producers")
    name = models.CharField(_("nama usaha"), max_length=150)
    owner_name = models.CharField(_("nama pemilik"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("produsen (UMKM)")
        verbose_name_plural = _("produsen (UMKM)")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["bumkam", "name"], name="unique_producer_per_bumkam"),
        ]

    def __str__(self):
        return self.name


PAYOUT_ACCOUNT_FIELDS = ("bank_name", "bank_account_number", "bank_account_holder")


class PayoutAccountChange(models.Model):
    """A manager's new bank account for payouts: the old one keeps being paid until a
    regency admin approves it, so a stolen manager login cannot redirect the money."""

    bumkam = models.ForeignKey(Bumkam, on_delete=models.CASCADE, related_name="payout_account_changes")
    old = models.JSONField(_("rekening lama"))
    new = models.JSONField(_("rekening baru"))
    status = models.CharField(_("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+", verbose_name=_("diajukan oleh"))
    requested_at = models.DateTimeField(_("diajukan"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+",
                                   null=True, blank=True, verbose_name=_("diputuskan oleh"))
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    class Meta:
        verbose_name = _("perubahan rekening pembayaran")
        verbose_name_plural = _("perubahan rekening pembayaran")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["bumkam"], condition=models.Q(status="pending"),
                                    name="one_pending_payout_account_change_per_bumkam"),
        ]

    def __str__(self):
        return f"{self.bumkam}: {self.new.get('bank_name', '')} {self.new.get('bank_account_number', '')}"


class AuditEntry(models.Model):
    """Who changed money, permissions or a payout account, when, and from what to what.
    Written only by the service that makes the change, in the same transaction."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("oleh"))
    actor_name = models.CharField(_("nama pelaku"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("jenis objek"), max_length=60)
    object_id = models.CharField(_("id objek"), max_length=40)
    object_repr = models.CharField(_("objek"), max_length=200)
    old = models.JSONField(_("nilai lama"), null=True, blank=True)
    new = models.JSONField(_("nilai baru"), null=True, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"
