"""What shipping a shop's part of a basket costs, to the buyer's village."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from shops.constants import CourierZone
from shops.models import Bumkam
from shops.services import official_place

from ..constants import ShippingMethod
from ..errors import UserError


@dataclass(frozen=True)
class ShippingCharge:
    code: str
    name: str
    amount: int

    def discount(self, basket):  # Oscar asks shipping methods this when offers apply
        return Decimal(0)


def courier_zone(*, from_code: str, to_code: str) -> CourierZone:
    """How far a parcel goes, from the official codes alone: "14.08.08.2001" lies in
    kecamatan 14.08.08, regency 14.08 and province 14."""
    origin, destination = from_code.split("."), to_code.strip().split(".")
    if origin[:3] == destination[:3]:
        return CourierZone.KECAMATAN
    if origin[:2] == destination[:2]:
        return CourierZone.REGENCY
    if origin[:1] == destination[:1]:
        return CourierZone.PROVINCE
    return CourierZone.ELSEWHERE


def shipping_charge(*, bumkam: Bumkam, method: str, weight_grams: int, village_code: str) -> ShippingCharge:
    """`village_code` is the official code of the buyer's desa/kelurahan. A courier charges
    every started kilogram at the rate of the zone the parcel goes to, and at least that
    zone's minimum; a zone the shop has no rate for is not served."""
    if method == ShippingMethod.PICKUP and bumkam.allows_pickup:
        return ShippingCharge(ShippingMethod.PICKUP, str(ShippingMethod.PICKUP.label), 0)
    if method != ShippingMethod.COURIER or not bumkam.ships_by_courier:
        raise UserError(_("%(shop)s tidak melayani cara kirim itu.") % {"shop": bumkam.name})
    place = official_place(village_code or "")
    if place is None:
        raise UserError(_("Pilih desa/kelurahan tujuan dulu: ongkos kurir dihitung menurut tujuan."))
    per_kg, minimum = bumkam.courier_rate(courier_zone(from_code=bumkam.kampung.code, to_code=village_code))
    if not per_kg:
        raise UserError(_("%(shop)s belum mengirim lewat kurir ke %(village)s, %(regency)s, %(province)s.")
                        % {"shop": bumkam.name, **place})
    kilos = max(1, -(-weight_grams // 1000))  # couriers charge every started kilogram
    return ShippingCharge(ShippingMethod.COURIER, str(ShippingMethod.COURIER.label), max(kilos * per_kg, minimum))
