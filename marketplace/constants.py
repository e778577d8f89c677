from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus:
    """Statuses of one shop's order, the words the buyer and the manager read."""

    AWAITING_PAYMENT = "Menunggu pembayaran"
    PROCESSING = "Diproses"
    PACKED = "Dikemas"
    SHIPPED = "Dikirim"
    DELIVERED = "Diterima"
    CANCELLED = "Dibatalkan"
    EXPIRED = "Kedaluwarsa"

    PIPELINE = {
        AWAITING_PAYMENT: (PROCESSING, CANCELLED, EXPIRED),
        PROCESSING: (PACKED, CANCELLED),
        PACKED: (SHIPPED, CANCELLED),
        SHIPPED: (DELIVERED,),
        DELIVERED: (),
        CANCELLED: (),
        EXPIRED: (),
    }
    RELEASES_STOCK = (CANCELLED, EXPIRED)


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
