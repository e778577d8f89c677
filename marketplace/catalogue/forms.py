from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shops.constants import CourierZone
from shops.models import PAYOUT_ACCOUNT_FIELDS as PAYOUT_FIELDS
from shops.models import Bumkam
from shops.rich_text import clean_html

from ..constants import MAX_PRICE
from ..files import checked_product_photo
from ..forms import PhoneField, rupiah_field, whole_number_field
from ..html import thousands
from .selectors import categories_of_regency, category_paths


def numeric_text_input(**attrs):
    """A number typed the Indonesian way ("1.500"): a number input would refuse the dot
    or read it as a decimal point; inputmode still opens the phone's number keypad."""
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **attrs})


class ProductListingForm(forms.Form):
    title = forms.CharField(label=_("Nama produk"), max_length=255)
    description = forms.CharField(label=_("Deskripsi"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=None, empty_label=_("— pilih kategori —"),
        help_text=_("Kategori disusun admin kabupaten; minta admin bila kategori yang Anda perlukan belum ada."),
        error_messages={"invalid_choice": _("Pilih kategori dari daftar.")},
    )
    price = rupiah_field(_("Harga (Rp)"), min_value=100, max_value=MAX_PRICE)
    stock = whole_number_field(_("Stok"), min_value=0)
    weight_grams = whole_number_field(_("Berat (gram)"), min_value=1)
    producer = forms.ModelChoiceField(
        label=_("Produsen (UMKM)"), queryset=None, required=False,  # the shop's own UMKM only
        error_messages={"invalid_choice": _("Pilih produsen (UMKM) dari daftar UMKM toko Anda.")},
    )
    pirt_number = forms.CharField(label=_("Nomor P-IRT"), max_length=30, required=False)
    halal_number = forms.CharField(label=_("Nomor sertifikat halal"), max_length=40, required=False)
    bpom_number = forms.CharField(label=_("Nomor BPOM"), max_length=30, required=False)
    is_flagship = forms.BooleanField(label=_("Produk unggulan kampung"), required=False)
    image = forms.FileField(label=_("Foto"), required=False, help_text=_("JPEG, PNG atau WebP, paling banyak 5 MB."))

    def __init__(self, *args, bumkam, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("price", "stock", "weight_grams"):
            self.fields[name].widget = numeric_text_input()
        self.fields["producer"].queryset = bumkam.producers.all()
        self.fields["category"].queryset = categories_of_regency()
        full_names = {category.pk: path for path, category in category_paths()}
        self.fields["category"].label_from_instance = lambda category: full_names.get(category.pk, category.name)

    def clean_description(self):
        return clean_html(self.cleaned_data.get("description"))

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        return checked_product_photo(upload) if upload else None


def listing_initial(product) -> dict:
    """The edit page's form filled from a listed product; amounts written with thousands dots."""
    record = product.stockrecords.get()
    return {"title": product.title, "description": product.description, "category": product.categories.first(),
            "price": thousands(record.price or 0), "stock": thousands(record.num_in_stock or 0),
            "weight_grams": thousands(product.weight_grams or 0), "producer": product.producer,
            "pirt_number": product.pirt_number, "halal_number": product.halal_number,
            "bpom_number": product.bpom_number, "is_flagship": product.is_flagship}


class QuickEditForm(forms.Form):
    """Price and stock of one row of the product list; the limits are the listing form's."""

    price = rupiah_field(_("Harga (Rp)"), min_value=100, max_value=MAX_PRICE)
    stock = whole_number_field(_("Stok"), min_value=0)

    def __init__(self, *args, product_pk, **kwargs):
        super().__init__(*args, auto_id=f"id_%s_{product_pk}", **kwargs)
        self.product_pk = product_pk
        for field in self.fields.values():
            field.widget = numeric_text_input(**{"class": "form-control form-control-sm"})

    @classmethod
    def for_record(cls, record):
        return cls(product_pk=record.product_id, initial={
            "price": thousands(record.price or 0), "stock": thousands(record.num_in_stock or 0)})


class PublishForm(forms.Form):
    is_public = forms.TypedChoiceField(choices=[("1", _("Tayangkan")), ("0", _("Sembunyikan"))],
                                       coerce=lambda value: value == "1")


class ProductImportForm(forms.Form):
    spreadsheet = forms.FileField(label=_("Berkas CSV atau XLSX"))


# Above these a rate is a typing slip (a price typed into the wrong box), not a courier's fare.
MAX_COURIER_PER_KG = 1_000_000
MAX_COURIER_MINIMUM = 5_000_000
COURIER_FIELDS = [f"courier_{kind}_{zone}" for zone in CourierZone.values for kind in ("per_kg", "minimum")]


class CourierRatesMixin:
    """The courier rates by zone, for the manager's profile and the regency's BUMKam form alike:
    rupiah as people write them ("6.000"), an empty box read as 0, that is, not served."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in COURIER_FIELDS:
            self.fields[name] = rupiah_field(
                capfirst(Bumkam._meta.get_field(name).verbose_name), min_value=0, required=False,
                max_value=MAX_COURIER_PER_KG if "_per_kg_" in name else MAX_COURIER_MINIMUM,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
            if name in self.initial:  # shown as the pages write amounts; an empty box for "not served"
                self.initial[name] = thousands(self.initial[name]) if self.initial[name] else ""

    def courier_zones(self):
        """(zone label, per-kg field, minimum field) for the template's one row per zone."""
        return [(label, self[f"courier_per_kg_{zone}"], self[f"courier_minimum_{zone}"])
                for zone, label in CourierZone.choices]

    def clean(self):
        cleaned = super().clean()
        for name in COURIER_FIELDS:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        for zone, label in CourierZone.choices:
            if cleaned.get(f"courier_minimum_{zone}") and not cleaned.get(f"courier_per_kg_{zone}"):
                self.add_error(f"courier_per_kg_{zone}", _("Isi juga ongkos per kg; tanpa itu zona ini tidak dilayani."))
        rates_read = not any(name in self.errors for name in COURIER_FIELDS)
        if rates_read and not cleaned.get("allows_pickup") and not any(
                cleaned.get(f"courier_per_kg_{zone}") for zone in CourierZone.values):
            self.add_error(None, _("Pilih paling sedikit satu cara kirim: ambil di kantor atau kurir ke satu zona."))
        return cleaned


class ShopProfileForm(CourierRatesMixin, forms.ModelForm):
    """What a manager may change of their own shop; status and managers stay with the regency.
    The payout account is only asked for here: it changes when a regency admin approves."""

    class Meta:
        model = Bumkam
        fields = ["story", "whatsapp", "logo", "allows_pickup", "pickup_address", "pickup_hours",
                  *COURIER_FIELDS, "allows_cash_on_delivery"]
        widgets = {"story": forms.Textarea(attrs={"rows": 4}), "pickup_address": forms.Textarea(attrs={"rows": 2})}

    whatsapp = PhoneField(label=_("Nomor WhatsApp"), required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=60, required=False)
    bank_account_number = forms.RegexField(
        label=_("Nomor rekening"), regex=r"^[0-9][0-9 .-]{4,29}$", required=False,
        error_messages={"invalid": _("Nomor rekening hanya berisi angka.")},
        help_text=_("Perubahan rekening berlaku setelah disetujui admin kabupaten; sampai itu pembayaran "
                    "tetap ke rekening lama."))
    bank_account_holder = forms.CharField(label=_("Nama pemilik rekening"), max_length=150, required=False)

    def __init__(self, *args, pending=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # Bootstrap's full-width boxes: the form fits a phone
            if not isinstance(field.widget, (forms.CheckboxInput, forms.FileInput)):
                field.widget.attrs["class"] = "form-control"
        self.fields["logo"].widget.attrs["class"] = "form-control-file"
        shown = pending.new if pending is not None else {
            field: getattr(self.instance, field) for field in PAYOUT_FIELDS}
        for field in PAYOUT_FIELDS:
            self.fields[field].initial = shown[field]

    def clean_bank_account_number(self):
        return "".join(ch for ch in self.cleaned_data.get("bank_account_number", "") if ch.isdigit())

    def payout_account(self) -> dict | None:
        """The account asked for, or None when the manager left all three empty (no change)."""
        account = {field: (self.cleaned_data.get(field) or "").strip() for field in PAYOUT_FIELDS}
        return account if any(account.values()) else None

    def clean_story(self):
        return clean_html(self.cleaned_data.get("story"))

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the file already saved
            return checked_product_photo(logo)
        return logo

    def clean(self):
        cleaned = super().clean()
        account = [(cleaned.get(field) or "").strip() for field in PAYOUT_FIELDS]
        if any(account) and not all(account):
            self.add_error(None, _("Isi bank, nomor rekening dan nama pemilik rekening bersama-sama."))
        return cleaned
