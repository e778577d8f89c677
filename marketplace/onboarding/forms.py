from itertools import groupby

from django import forms
from django.utils.translation import gettext_lazy as _

from shops.models import Kampung

from ..forms import PhoneField


def kampung_without_shop():
    return Kampung.objects.filter(bumkam__isnull=True).select_related("kecamatan").order_by("kecamatan__name", "name")


class BumkamApplicationForm(forms.Form):
    """Plain text only: Django's fields refuse NUL bytes and overlong values with Indonesian
    messages, and the names are escaped wherever they are shown."""

    kampung = forms.ModelChoiceField(
        queryset=Kampung.objects.none(), label=_("Kampung"),
        error_messages={"invalid_choice": _("Kampung ini sudah punya toko atau tidak ada. Pilih kampung lain.")},
        help_text=_("Hanya kampung yang belum punya toko di Pasar Kampung."))
    name = forms.CharField(label=_("Nama BUMKam"), max_length=150)
    establishment_regulation = forms.CharField(
        label=_("Nomor Peraturan Kampung pendirian BUMKam"), max_length=100,
        help_text=_("Mis. Perkam No. 3 Tahun 2021."))
    legal_entity_number = forms.CharField(
        label=_("Nomor sertifikat badan hukum (Kemenkumham)"), max_length=100, required=False,
        help_text=_("Kosongkan bila belum terdaftar."))
    bank_name = forms.CharField(label=_("Bank"), max_length=60)
    bank_account_number = forms.RegexField(
        label=_("Nomor rekening"), regex=r"^[0-9][0-9 .-]{4,29}$",
        error_messages={"invalid": _("Nomor rekening hanya berisi angka.")})
    bank_account_holder = forms.CharField(
        label=_("Nama pemilik rekening"), max_length=150, help_text=_("Rekening atas nama BUMKam."))
    manager_name = forms.CharField(label=_("Nama pengelola"), max_length=150)
    manager_email = forms.EmailField(label=_("E-mail pengelola"), max_length=254)
    manager_whatsapp = PhoneField(
        label=_("Nomor WhatsApp pengelola"), help_text=_("Dipakai juga sebagai nomor WhatsApp toko."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for each in self.fields.values():
            each.widget.attrs["class"] = "form-control"  # full width on a 390 px phone
        field = self.fields["kampung"]
        field.queryset = kampung_without_shop()
        # a plain <select>, grouped by kecamatan
        field.widget.choices = [("", "---------"), *(
            (f"Kec. {kecamatan}", [(k.pk, str(k)) for k in members])
            for kecamatan, members in groupby(field.queryset, key=lambda k: k.kecamatan.name))]

    def clean_bank_account_number(self):
        return "".join(ch for ch in self.cleaned_data["bank_account_number"] if ch.isdigit())
