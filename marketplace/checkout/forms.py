from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shops.services import official_village

from ..constants import PaymentMethod, ShippingMethod
from ..errors import UserError
from ..files import checked_document
from ..forms import PhoneField
from ..html import rupiah
from ..payments import stripe_gateway
from .shipping import shipping_charge


class CheckoutForm(forms.Form):
    """Everything a buyer fills once for a basket of several shops."""

    name = forms.CharField(label=_("Nama penerima"), max_length=100)
    phone = PhoneField(label=_("Nomor HP"))
    email = forms.EmailField(label=_("E-mail"), help_text=_("Untuk kabar pesanan Anda."))
    line1 = forms.CharField(label=_("Alamat (jalan, nomor, RT/RW)"), max_length=255)
    village_code = forms.CharField(label=_("Kode desa/kelurahan"), max_length=13,
                                   widget=forms.HiddenInput(attrs={"id": "id_village_code"}))
    postcode = forms.RegexField(label=_("Kode pos"), regex=r"^\d{5}$", required=False,
                                error_messages={"invalid": _("Kode pos lima angka.")})
    payment_method = forms.ChoiceField(label=_("Cara bayar"), choices=PaymentMethod.choices, widget=forms.RadioSelect)

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        if not stripe_gateway.card_enabled():  # no Stripe keys: the other methods still work
            self.fields["payment_method"].choices = [c for c in PaymentMethod.choices if c[0] != PaymentMethod.CARD]
        village = (self.data.get("village_code") or "").strip() if self.is_bound else ""
        for part in parts:
            choices = []
            for method in (ShippingMethod.PICKUP, ShippingMethod.COURIER):
                try:
                    charge = shipping_charge(bumkam=part.bumkam, method=method, weight_grams=part.weight_grams,
                                             village_code=village)
                except UserError:  # not offered, or (courier) its price waits for the village
                    if method == ShippingMethod.COURIER and part.bumkam.ships_by_courier:
                        choices.append((method.value, _("%(method)s (menurut desa tujuan, dari %(rate)s/kg)") % {
                            "method": method.label, "rate": rupiah(part.bumkam.courier_lowest_per_kg)}))
                    continue
                label = f"{method.label} ({rupiah(charge.amount)})"
                choices.append((method.value, label))
            self.fields[f"shipping_{part.bumkam.pk}"] = forms.ChoiceField(
                label=_("Pengiriman dari %(shop)s") % {"shop": part.bumkam.name}, choices=choices,
                widget=forms.RadioSelect, initial=choices[0][0] if choices else None,
            )

    def shipping_fields(self):
        return [self[f"shipping_{part.bumkam.pk}"] for part in self.parts]

    def clean_village_code(self):
        code = self.cleaned_data["village_code"].strip()
        if official_village(code) is None:
            raise ValidationError(_("Pilih provinsi, kabupaten/kota, kecamatan dan desa/kelurahan dari daftar."))
        return code

    def shipping(self) -> dict[int, str]:
        return {part.bumkam.pk: self.cleaned_data[f"shipping_{part.bumkam.pk}"] for part in self.parts}


class PaymentProofForm(forms.Form):
    proof = forms.FileField(label=_("Bukti transfer (foto atau PDF)"))

    def clean_proof(self):
        """A photo re-encoded by Pillow or a PDF pypdf can read, under a random name."""
        return checked_document(self.cleaned_data["proof"])
