"""What shipping a shop's part of a basket costs, to the buyer's village."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from shops.models import Bumkam

from ..constants import ShippingMethod
from ..errors import UserError


@dataclass(frozen=True)
class ShippingCharge:
    code: str
    name: str
    amount: int

    def discount(self, basket):  # Oscar asks shipping methods this when offers apply
        return Decimal(0)


def shipping_charge(*, bumkam: Bumkam, method: str, weight_grams: int, village_code: str) -> ShippingCharge:
    """`village_code` is the official code of the buyer's desa/kelurahan."""
    if method == ShippingMethod.PICKUP and bumkam.allows_pickup:
        return ShippingCharge(ShippingMethod.PICKUP, str(ShippingMethod.PICKUP.label), 0)
    if method == ShippingMethod.COURIER and bumkam.courier_rate_per_kg:
        kilos = max(1, -(-weight_grams // 1000))  # couriers charge every started kilogram
        return ShippingCharge(ShippingMethod.COURIER, str(ShippingMethod.COURIER.label), kilos * bumkam.courier_rate_per_kg)
    raise UserError(_("%(shop)s tidak melayani cara kirim itu.") % {"shop": bumkam.name})
