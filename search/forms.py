from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from marketplace.constants import MAX_BIGINT
from marketplace.forms import WholeNumberField
from marketplace.html import rupiah, thousands
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
PRODUCTS, PAGES = "produk", "halaman"
KINDS = [(PRODUCTS, _("Produk")), (PAGES, _("Berita dan layanan"))]
# Filters a buyer sets; q, jenis and sort_by are the search itself and stay when filters are cleared.
FILTERS = ("kecamatan", "kampung", "kategori", "min_price", "max_price", "halal", "pirt", "habis")


def _unknown(what):
    """A value no list holds (an old bookmark, a hand-edited address) is named back to the buyer."""
    return format_lazy(_("{} “%(value)s” tidak dikenal; saringan ini tidak dipakai."), what)


def _price_messages(label):
    return {
        "invalid": format_lazy(_("{}: isi bilangan bulat, mis. 25.000 atau 25000; saringan ini tidak dipakai."), label),
        "min_value": format_lazy(_("{}: paling kecil 0; saringan ini tidak dipakai."), label),
        "max_value": format_lazy(_("{}: paling besar {}; saringan ini tidak dipakai."), label, thousands(MAX_BIGINT)),
    }


class CategoryChoiceField(forms.ModelChoiceField):
    """Each category indented under its parent, by name: Oscar's full name asks the database
    for the ancestors of every option."""

    def label_from_instance(self, obj):
        return "\u2003" * (obj.depth - 1) + obj.name


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
        queryset=Kecamatan.objects.order_by("name"), to_field_name="code", required=False,
        label=_("Kecamatan"), empty_label=_("Semua kecamatan"),
        error_messages={"invalid_choice": _unknown(_("Kecamatan"))},
    )
    kampung = forms.ModelChoiceField(
        queryset=Kampung.objects.filter(bumkam__isnull=False).order_by("name"), to_field_name="slug", required=False,
        label=_("Kampung"), empty_label=_("Semua kampung"),
        error_messages={"invalid_choice": _unknown(_("Kampung"))},
    )
    kategori = CategoryChoiceField(
        queryset=Category.objects.order_by("path"), required=False,
        label=_("Kategori"), empty_label=_("Semua kategori"),
        error_messages={"invalid_choice": _unknown(_("Kategori"))},
    )
    min_price = WholeNumberField(required=False, min_value=0, max_value=MAX_BIGINT, label=_("Harga minimum (Rp)"),
                                 error_messages=_price_messages(_("Harga minimum")))
    max_price = WholeNumberField(required=False, min_value=0, max_value=MAX_BIGINT, label=_("Harga maksimum (Rp)"),
                                 error_messages=_price_messages(_("Harga maksimum")))
    halal = forms.BooleanField(required=False, label=_("Bersertifikat halal"))
    pirt = forms.BooleanField(required=False, label=_("Punya P-IRT"))
    habis = forms.BooleanField(required=False, label=_("Tampilkan juga yang stoknya habis"))
    sort_by = forms.ChoiceField(required=False, label=_("Urutkan"), choices=SORTS, error_messages={
        "invalid_choice": _("Urutan “%(value)s” tidak dikenal; hasil diurutkan dari yang paling sesuai.")})
    jenis = forms.ChoiceField(required=False, label=_("Jenis hasil"), choices=KINDS, error_messages={
        "invalid_choice": _("Jenis hasil “%(value)s” tidak dikenal; yang ditampilkan produk.")})

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            # on the maximum, which Django then leaves out; the minimum and every other filter stay
            self.add_error("max_price", _("Harga maksimum harus lebih besar dari harga minimum (%(low)s); "
                                          "saringan harga maksimum tidak dipakai.") % {"low": rupiah(low)})
        return cleaned

    def _valid_data(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # cleaned_data then holds the fields that are valid
        return self.cleaned_data

    @property
    def kind(self) -> str:
        """Which tab of results: products unless the pages' tab was asked for."""
        return self._valid_data().get("jenis") or PRODUCTS

    def place_fields(self) -> tuple[str, ...]:
        """The filter form's fields, its kampung list only once a kecamatan narrows it: a
        province's thousand villages in one list would cost a phone (and the server) more
        than the page. The kampung facet's links and `?kampung=` still work on their own."""
        data = self._valid_data()
        kecamatan = data.get("kecamatan") or (data["kampung"].kecamatan if data.get("kampung") else None)
        if kecamatan is None:
            return tuple(name for name in FILTERS if name != "kampung")
        self.fields["kampung"].queryset = self.fields["kampung"].queryset.filter(kecamatan=kecamatan)
        return FILTERS

    def to_query(self, **extra) -> ProductQuery:
        """The valid filters only: an invalid one is shown with its error, never applied."""
        data = self._valid_data()
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

    def applied(self) -> list[tuple[str, str]]:
        """(parameter, what a buyer reads) for each filter in use, for its 'Hapus' link."""
        data = self._valid_data()
        found = []
        for name, label in (("kecamatan", _("Kecamatan")), ("kampung", _("Kampung")), ("kategori", _("Kategori"))):
            if data.get(name):
                found.append((name, f"{label}: {data[name].name}"))
        if data.get("min_price") is not None:
            found.append(("min_price", _("Harga dari %(price)s") % {"price": rupiah(data["min_price"])}))
        if data.get("max_price") is not None:
            found.append(("max_price", _("Harga sampai %(price)s") % {"price": rupiah(data["max_price"])}))
        for name in ("halal", "pirt"):
            if data.get(name):
                found.append((name, str(self.fields[name].label)))
        if data.get("habis"):
            found.append(("habis", _("Termasuk stok habis")))
        return found

    def refused(self) -> list[tuple[str, str]]:
        """(parameter, message) for each filter that could not be used, so the page names it."""
        return [(name, str(message)) for name, errors in self.errors.items() if name in self.fields
                for message in errors]
