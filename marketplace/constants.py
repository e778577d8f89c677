from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus:
    """Statuses of one shop's order, the words the buyer and the manager read."""

    AWAITING_PAYMENT = "Menunggu pembayaran"
    PROCESSING = "Diproses"
    PACKED = "Dikemas"
    SHIPPED = "Dikirim"
    DELIVERED = "Diterima"
    COMPLETED = "Selesai"
    CANCELLED = "Dibatalkan"
    EXPIRED = "Kedaluwarsa"

    # Which status may follow which, and who moves it: marketplace.orders.moves.MOVES.


class Actor(models.TextChoices):
    """Who moves a shop order: the table in marketplace.orders.moves says which moves each may make."""

    SYSTEM = "system", _("Sistem")
    BUYER = "buyer", _("Pembeli")
    MANAGER = "manager", _("Pengelola toko")
    REGENCY = "regency", _("Admin kabupaten")


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Kartu debit/kredit (Stripe)")
    BANK_TRANSFER = "bank_transfer", _("Transfer bank")
    CASH_ON_DELIVERY = "cod", _("Bayar di tempat (COD) atau saat diambil")


class CheckoutStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Menunggu pembayaran")
    PAID = "paid", _("Lunas")
    PAID_FLAGGED = "paid_flagged", _("Lunas, perlu diperiksa admin")
    CASH_ON_DELIVERY = "cod", _("Bayar di tempat")
    EXPIRED = "expired", _("Kedaluwarsa")


class ShippingMethod(models.TextChoices):
    PICKUP = "pickup", _("Ambil di kantor kampung")
    COURIER = "courier", _("Kurir")


UNPAID_CHECKOUT_LIFETIME_HOURS = 24


# What the columns hold (PostgreSQL), so that a form or an import refuses a number before
# the database does (a 500). StockRecord.price is Oscar's DecimalField(max_digits=12,
# decimal_places=2); stock, weight and courier rates are PositiveIntegerFields.
MAX_PRICE = 9_999_999_999
MAX_POSITIVE_INTEGER = 2_147_483_647
MAX_BIGINT = 9_223_372_036_854_775_807  # PositiveBigIntegerField: the rupiah columns of our own models
# A checkout, and each shop's order in it, is written into Oscar's order totals, which are
# DecimalField(max_digits=12, decimal_places=2) too; a basket past this sane cap (Rp 1 miliar)
# is refused with a message rather than overflowing them.
MAX_CHECKOUT_TOTAL = 1_000_000_000
