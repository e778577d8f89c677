from django import forms
from django.utils.translation import gettext_lazy as _

from shops.models import Kecamatan

from .backends import ProductQuery


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    """The one search box of the site; its fields become a ProductQuery."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Cari"),
        widget=SearchInput(attrs={"placeholder": _("Cari produk kampung…"), "class": "form-control"}),
    )
    kecamatan = forms.ModelChoiceField(
        queryset=Kecamatan.objects.all(), to_field_name="code", required=False,
        label=_("Kecamatan"), empty_label=_("Semua kecamatan"),
    )
    min_price = forms.IntegerField(required=False, min_value=0, label=_("Harga minimum (Rp)"))
    max_price = forms.IntegerField(required=False, min_value=0, label=_("Harga maksimum (Rp)"))
    halal = forms.BooleanField(required=False, label=_("Bersertifikat halal"))
    pirt = forms.BooleanField(required=False, label=_("Punya P-IRT"))
    sort_by = forms.ChoiceField(
        required=False,
        label=_("Urutkan"),
        choices=[
            ("relevance", _("Paling sesuai")),
            ("price-asc", _("Harga terendah")),
            ("price-desc", _("Harga tertinggi")),
            ("newest", _("Terbaru")),
            ("title", _("Nama A–Z")),
        ],
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("Harga minimum tidak boleh lebih besar dari harga maksimum."))
        return cleaned

    def to_query(self, **extra) -> ProductQuery:
        data = self.cleaned_data if self.is_valid() else {}
        kecamatan = data.get("kecamatan")
        return ProductQuery(
            text=(data.get("q") or "").strip(),
            kecamatan_code=kecamatan.code if kecamatan else "",
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            halal=bool(data.get("halal")),
            pirt=bool(data.get("pirt")),
            sort=data.get("sort_by") or "relevance",
            **extra,
        )
