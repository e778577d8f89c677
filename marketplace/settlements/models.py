"""A double-entry ledger: every movement of money is a transaction whose entries sum to
zero, and every balance is a sum of entries, never a stored total that can drift.

Signs: money the platform holds at a provider is positive; what it owes (to a shop, or
earned as commission) is negative. A refund takes money from the provider account and
gives back the shop's and the platform's shares. For each paid checkout, therefore,
owed to shops + commission + refunded = captured.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..payments.models import Provider


class AccountKind(models.TextChoices):
    PROVIDER = "provider", _("Dana di penyedia pembayaran")
    SHOP = "shop", _("Utang ke BUMKam")
    COMMISSION = "commission", _("Komisi platform")
    # A transfer accepted with a difference: an excess owed back to the buyer until refunded,
    # or a shortfall the platform bears so that the shops still get their full share.
    BUYER = "buyer", _("Kelebihan transfer, utang ke pembeli")
    WRITE_OFF = "write_off", _("Kekurangan transfer ditanggung platform")


class LedgerAccount(models.Model):
    code = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=12, choices=AccountKind.choices)
    bumkam = models.ForeignKey("shops.Bumkam", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="ledger_accounts")

    def __str__(self):
        return self.code


class TransactionKind(models.TextChoices):
    PAYMENT = "payment", _("Pembayaran diterima")
    REFUND = "refund", _("Pengembalian dana")
    PAYOUT = "payout", _("Pembayaran ke BUMKam")
    # COD: the shop keeps the buyer's cash (or pays a refund from it), so it is owed that much
    # less; no money moves through the platform, unlike a payout.
    CASH_HANDOVER = "cash_handover", _("Tunai COD dipegang toko")


class LedgerTransaction(models.Model):
    kind = models.CharField(max_length=20, choices=TransactionKind.choices)
    key = models.CharField(max_length=120, unique=True, help_text=_("Mencegah pencatatan ganda."))
    checkout = models.ForeignKey("marketplace.Checkout", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="ledger_transactions")
    memo = models.CharField(max_length=255, blank=True)
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class LedgerEntry(models.Model):
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    shop_order = models.ForeignKey("marketplace.ShopOrder", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="ledger_entries")
    amount = models.BigIntegerField(help_text=_("Rupiah; positif = dana dipegang, negatif = utang/pendapatan"))

    class Meta:
        indexes = [models.Index(fields=["account", "transaction"])]


class Settlement(models.Model):
    """One statement for one BUMKam: its delivered orders past the return window, once each."""

    bumkam = models.ForeignKey("shops.Bumkam", on_delete=models.PROTECT, related_name="settlements")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    carried_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried",
        help_text=_("Laporan tanpa pembayaran sendiri (toko berutang komisi COD) dihitung di laporan ini."))

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.bumkam} #{self.pk}"

    @property
    def number(self) -> str:
        return f"PN-{self.created_at:%Y%m%d}-{self.pk:05d}"

    def totals(self) -> dict:
        lines = list(self.lines.all())
        return {key: sum(getattr(line, key) for line in lines) for key in SettlementLine.FIGURES}


class SettlementLine(models.Model):
    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="lines")
    shop_order = models.OneToOneField("marketplace.ShopOrder", on_delete=models.PROTECT, related_name="settlement_line")
    gross = models.BigIntegerField()
    shipping = models.BigIntegerField()
    refunded = models.BigIntegerField(default=0)
    commission = models.BigIntegerField()
    cash_collected = models.BigIntegerField(default=0, help_text=_("Tunai COD yang sudah dipegang toko"))
    net = models.BigIntegerField()

    # net = gross - refunded - commission - cash_collected, each taken from the ledger
    FIGURES = ("gross", "shipping", "refunded", "commission", "cash_collected", "net")

    class Meta:
        ordering = ["pk"]


class PayoutStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENT = "sent", _("Dikirim ke bank")
    PAID = "paid", _("Dibayar")


class Payout(models.Model):
    """The money of one statement on its way to the BUMKam's bank account."""

    settlement = models.OneToOneField(Settlement, on_delete=models.PROTECT, related_name="payout")
    provider = models.CharField(max_length=30, choices=Provider.choices, default=Provider.BANK_BATCH)
    amount = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.PENDING)
    bank_reference = models.CharField(max_length=60, blank=True)
    transfers = models.JSONField(default=dict, blank=True, help_text=_("Transfer Stripe Connect per checkout"))
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    @property
    def idempotency_key(self) -> str:
        """What a provider is told, so that a retry by our own code never pays twice."""
        return f"payout-{self.settlement_id}"


class PayoutBatch(models.Model):
    """A bulk-transfer file exactly as it was handed to the regency's bank, kept so that it can
    be downloaded again (a lost download, the bank asking for it twice) byte for byte."""

    content = models.BinaryField()
    payouts = models.ManyToManyField(Payout, related_name="batches")
    total = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"TM-{self.created_at:%Y%m%d}-{self.pk:05d}"

    @property
    def filename(self) -> str:
        return f"transfer-massal-{self.number}.csv"
