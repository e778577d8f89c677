from django.db import models
from django.utils.translation import gettext_lazy as _


class ShopStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    SUSPENDED = "suspended", _("Dibekukan")


class VillageKind(models.TextChoices):
    KAMPUNG = "kampung", _("Kampung")
    KELURAHAN = "kelurahan", _("Kelurahan")
