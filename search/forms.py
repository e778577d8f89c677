from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from marketplace.constants import MAX_BIGINT
from marketplace.forms import WholeNumberField
from marketplace.html import rupiah
from shops.models import Kampung, Kecamatan

from .backends import ProductQuery

Category = get_model("catalogue", "Category")
MAX_QUERY = 200
SORTS = [
    ("relevance", _("Paling sesuai")),
    ("best-selling", _("Terlaris")),
    ("price-asc", _("Harga terendah")),
    ("price-desc", _("Harga tertinggi")),
    ("newest", _("Terbaru")),
    ("title", _("Nama A–Z")),
]


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchText(forms.CharField):
    """Whatever was typed becomes a query: NUL bytes and control characters are dropped and
    a pasted essay is cut to its first 200 characters, rather than refusing the search."""

    def to_python(self, value):
        value = super().to_python(value)
        value = "".join(char for char in value if char.isprintable() or char == " ")
        return value[:MAX_QUERY]


class SearchForm(forms.Form):
    """The one search box of the site, and the filters of its results; a filter that
    cannot be used is named on the page and the others still apply."""

    q = SearchText(
        required=False, label=_("Cari"),
        widget=SearchInput(attrs={"placeholder": _("Cari produk kampung…"), "class": "form-control",
                                  "maxlength": MAX_QUERY, "autocomplete": "off"}),
    )
    kecamatan = forms.ModelChoiceField(
        queryset=Kecamatan.objects.all(), to_field_name="code", required=False,
        label=_("Kecamatan"), empty_label=_("Semua kecamatan"),
    )
    kampung = forms.ModelChoiceField(
        queryset=Kampung.objects.filter(bumkam__isnull=False), to_field_name="slug", required=False,
        label=_("Kampung"), empty_label=_("Semua kampung"),
    )
    kategori = forms.ModelChoiceField(
        queryset=Category.objects.order_by("path"), required=False,
        label=_("Kategori"), empty_label=_("Semua kategori"),
    )
    min_price = WholeNumberField(required=False, min_value=0, max_value=MAX_BIGINT, label=_("Harga minimum (Rp)"))
    max_price = WholeNumberField(required=False, min_value=0, max_value=MAX_BIGINT, label=_("Harga maksimum (Rp)"))
    halal = forms.BooleanField(required=False, label=_("Bersertifikat halal"))
    pirt = forms.BooleanField(required=False, label=_("Punya P-IRT"))
    habis = forms.BooleanField(required=False, label=_("Tampilkan juga yang stoknya habis"))
    sort_by = forms.ChoiceField(required=False, label=_("Urutkan"), choices=SORTS)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            # on the maximum, which Django then leaves out; the minimum and every other filter stay
            self.add_error("max_price", _("Harga maksimum harus lebih besar dari harga minimum (%(low)s); "
                                          "saringan harga maksimum tidak dipakai.") % {"low": rupiah(low)})
        return cleaned

    def to_query(self, **extra) -> ProductQuery:
        """The valid filters only: an invalid one is shown with its error, never applied."""
        data = {}
        if self.is_bound:
            self.is_valid()  # cleaned_data then holds the fields that are valid
            data = self.cleaned_data
        kecamatan, kampung, category = data.get("kecamatan"), data.get("kampung"), data.get("kategori")
        return ProductQuery(**{
            "text": (data.get("q") or "").strip(),
            "kecamatan_code": kecamatan.code if kecamatan else "",
            "kampung_slug": kampung.slug if kampung else "",
            "category_id": category.pk if category else None,
            "min_price": data.get("min_price"),
            "max_price": data.get("max_price"),
            "halal": bool(data.get("halal")),
            "pirt": bool(data.get("pirt")),
            "include_sold_out": bool(data.get("habis")),
            "sort": data.get("sort_by") or "relevance",
            **extra,
        })
