from functools import lru_cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shops.services import official_children, official_village

from ..constants import PaymentMethod, ShippingMethod
from ..errors import UserError
from ..files import checked_document
from ..forms import PhoneField
from ..html import rupiah
from .services import AddressData, payment_methods_for
from .shipping import shipping_charge


@lru_cache(maxsize=2048)
def _children(code: str) -> tuple[tuple[str, str], ...]:
    return tuple(official_children(code))


# The address's area, level by level: (field name, element id, label). The page lists each level's
# official areas once the level above is chosen; without JavaScript the buyer presses
# "Tampilkan pilihan wilayah" to get the next list, with JavaScript area-picker.js fills it at once.
AREA_LEVELS = (
    ("province", "area-province", _("Provinsi")),
    ("regency", "area-regency", _("Kabupaten/kota")),
    ("district", "area-district", _("Kecamatan")),
    ("village_code", "area-village", _("Desa/kelurahan")),
)


def chosen_area(codes: list[str]) -> list[str]:
    """The official codes chosen from the top down, as far as each is inside the one above.

    A deeper code stands for the levels above it when they are missing (a village code alone is
    a whole address); a level changed without reloading the ones below drops them."""
    codes = [(code or "").strip() for code in codes]
    for depth in range(len(codes)):
        if not codes[depth]:
            deeper = next((code for code in codes[depth + 1:] if code), "")
            codes[depth] = ".".join(deeper.split(".")[:depth + 1]) if deeper.count(".") > depth else ""
    chosen, parent = [], ""
    for depth, code in enumerate(codes):
        if depth == 3:  # 83,000 villages: look the one up rather than list its kecamatan's
            row = official_village(code) if code else None
            inside = row is not None and row["district_code"] == parent
        else:
            inside = bool(code) and code in dict(_children(parent))
        if not inside:
            break
        chosen.append(code)
        parent = code
    return chosen


class CheckoutForm(forms.Form):
    """Everything a buyer fills once for a basket of several shops; the review comes after it."""

    name = forms.CharField(label=_("Nama penerima"), max_length=100)
    phone = PhoneField(label=_("Nomor HP"))
    email = forms.EmailField(label=_("E-mail"), help_text=_("Untuk kabar pesanan Anda."))
    line1 = forms.CharField(label=_("Alamat (jalan, nomor, RT/RW)"), max_length=255)
    province = forms.CharField(required=False, max_length=2)
    regency = forms.CharField(required=False, max_length=5)
    district = forms.CharField(required=False, max_length=8)
    village_code = forms.CharField(label=_("Desa/kelurahan"), max_length=13, error_messages={
        "required": _("Pilih provinsi, kabupaten/kota, kecamatan dan desa/kelurahan dari daftar.")})
    postcode = forms.RegexField(label=_("Kode pos"), regex=r"^\d{5}$", required=False,
                                error_messages={"invalid": _("Kode pos lima angka.")})
    payment_method = forms.ChoiceField(label=_("Cara bayar"), widget=forms.RadioSelect,
                                       error_messages={"required": _("Pilih cara bayar."), "invalid_choice": _(
                                           "Cara bayar itu tidak dilayani semua toko di keranjang; pilih yang lain.")})

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        methods = payment_methods_for(parts)
        self.fields["payment_method"].choices = [c for c in PaymentMethod.choices if c[0] in methods]
        if len(methods) == 1:  # the only way to pay is chosen already
            self.fields["payment_method"].initial = next(iter(methods))
        self.cod_refused_by = [p.bumkam.name for p in parts if not p.bumkam.allows_cash_on_delivery]
        self.area = chosen_area([self._raw(name) for name, _id, _label in AREA_LEVELS])
        village = self.area[3] if len(self.area) == 4 else ""
        self.no_shipping = []  # shops that cannot send to the chosen village in any way
        for part in parts:
            choices = []
            for method in (ShippingMethod.PICKUP, ShippingMethod.COURIER):
                if not village:  # what the shop offers at all; a courier's price waits for the village
                    if method == ShippingMethod.PICKUP and part.bumkam.allows_pickup:
                        choices.append((method.value, method.label))
                    elif method == ShippingMethod.COURIER and part.bumkam.ships_by_courier:
                        choices.append((method.value, _("%(method)s (menurut desa tujuan, dari %(rate)s/kg)") % {
                            "method": method.label, "rate": rupiah(part.bumkam.courier_lowest_per_kg)}))
                    continue
                try:
                    charge = shipping_charge(bumkam=part.bumkam, method=method, weight_grams=part.weight_grams,
                                             village_code=village)
                except UserError:  # the shop does not offer this way of shipping there
                    continue
                choices.append((method.value, f"{method.label} ({rupiah(charge.amount)})"))
            if not choices:
                self.no_shipping.append(part.bumkam.name)
            self.fields[f"shipping_{part.bumkam.pk}"] = forms.ChoiceField(
                label=_("Pengiriman dari %(shop)s") % {"shop": part.bumkam.name}, choices=choices,
                widget=forms.RadioSelect, initial=choices[0][0] if choices else None,
                error_messages={"required": _("Pilih cara kirim dari %(shop)s.") % {"shop": part.bumkam.name}},
            )

    def _raw(self, name: str) -> str:
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        return value if isinstance(value, str) else ""

    def area_selects(self) -> list[dict]:
        """Each level's select: the official areas under the level chosen above it, if any."""
        selects, parent = [], ""
        for depth, (name, element_id, label) in enumerate(AREA_LEVELS):
            listed = depth == 0 or depth <= len(self.area)
            selects.append({"name": name, "id": element_id, "label": label,
                            "options": _children(parent) if listed else (),
                            "selected": self.area[depth] if depth < len(self.area) else ""})
            parent = self.area[depth] if depth < len(self.area) else None
        return selects

    def area_complete(self) -> bool:
        return len(self.area) == 4

    def shipping_fields(self):
        return [self[f"shipping_{part.bumkam.pk}"] for part in self.parts]

    def clean_village_code(self):
        if not self.area_complete():
            raise ValidationError(_("Pilih provinsi, kabupaten/kota, kecamatan dan desa/kelurahan dari daftar."))
        return self.area[3]

    def clean(self):
        data = super().clean()
        for part in self.parts:
            if part.bumkam.name in self.no_shipping and self.area_complete():
                self.add_error(f"shipping_{part.bumkam.pk}", _(
                    "%(shop)s belum bisa mengirim ke desa/kelurahan ini; hapus barangnya dari keranjang atau pilih "
                    "alamat lain.") % {"shop": part.bumkam.name})
        return data

    def shipping(self) -> dict[int, str]:
        return {part.bumkam.pk: self.cleaned_data[f"shipping_{part.bumkam.pk}"] for part in self.parts}

    def address(self) -> AddressData:
        data = self.cleaned_data
        return AddressData(name=data["name"], phone=data["phone"], line1=data["line1"],
                           village_code=data["village_code"], postcode=data.get("postcode") or "")

    def typed(self) -> dict[str, str]:
        """What the buyer typed and chose, as posted: kept for the review and the way back to edit."""
        return {name: self.data.get(name, "") for name in self.fields}


class PaymentProofForm(forms.Form):
    proof = forms.FileField(label=_("Bukti transfer (foto atau PDF)"))

    def clean_proof(self):
        """A photo re-encoded by Pillow or a PDF pypdf can read, under a random name."""
        return checked_document(self.cleaned_data["proof"])
