from django.db import models
from django.utils.translation import gettext_lazy as _


class ShopStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    SUSPENDED = "suspended", _("Dibekukan")


class VillageKind(models.TextChoices):
    KAMPUNG = "kampung", _("Kampung")
    KELURAHAN = "kelurahan", _("Kelurahan")


class AuditAction(models.TextChoices):
    """Every change to money, permissions or payout accounts that leaves an audit row."""

    SHOP_CREATE = "shop.create", _("BUMKam ditambahkan atau mendaftar")
    SHOP_STATUS = "shop.status", _("Status toko diubah")
    SHOP_COMMISSION = "shop.commission", _("Komisi toko diubah")
    SHOP_STRIPE_ACCOUNT = "shop.stripe_account", _("Akun Stripe Connect diubah")
    PAYOUT_ACCOUNT_REQUEST = "payout_account.request", _("Perubahan rekening diajukan")
    PAYOUT_ACCOUNT_APPROVE = "payout_account.approve", _("Perubahan rekening disetujui")
    PAYOUT_ACCOUNT_REJECT = "payout_account.reject", _("Perubahan rekening ditolak")
    MANAGER_ADD = "shop.manager_add", _("Pengelola toko ditambah")
    MANAGER_REMOVE = "shop.manager_remove", _("Pengelola toko dicabut")
    EDITOR_ADD = "village.editor_add", _("Editor kampung ditambah")
    EDITOR_REMOVE = "village.editor_remove", _("Editor kampung dicabut")
    USER_ROLES = "user.roles", _("Grup atau hak admin pengguna diubah")
    COMPLAINT_RESOLVE = "complaint.resolve", _("Komplain diselesaikan dengan pengembalian dana")
    COMPLAINT_REJECT = "complaint.reject", _("Komplain ditolak admin kabupaten")
    # issue 11, the regency admin's money: transfers of the wrong amount, the bank's batch file
    TRANSFER_CONFIRM = "transfer.confirm", _("Transfer dicatat lunas")
    TRANSFER_PARTIAL = "transfer.partial", _("Transfer kurang dicatat, menunggu sisanya")
    TRANSFER_WRITE_OFF = "transfer.write_off", _("Transfer kurang diterima lunas, selisih ditanggung platform")
    TRANSFER_OVERPAID = "transfer.overpaid", _("Transfer lebih diterima, kelebihan untuk dikembalikan")
    OVERPAYMENT_REFUNDED = "transfer.overpaid_refunded", _("Kelebihan transfer dikembalikan ke pembeli")
    PAYOUT_BATCH_DOWNLOAD = "payout.batch_download", _("Berkas transfer massal diunduh")
    # issue 13, residents' letters: who signs a village's letters
    LETTER_SIGNER = "letters.signer", _("Penanda tangan surat kampung diubah")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan kabupaten")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Diganti pengajuan yang lebih baru")


class CourierZone(models.TextChoices):
    """How far a parcel travels, read from the official codes of the shop's kampung and the
    buyer's village ("14.08.08.2001": province 14, regency 14.08, kecamatan 14.08.08)."""

    KECAMATAN = "kecamatan", _("Satu kecamatan")
    REGENCY = "regency", _("Satu kabupaten/kota")
    PROVINCE = "province", _("Satu provinsi")
    ELSEWHERE = "elsewhere", _("Di luar provinsi")
