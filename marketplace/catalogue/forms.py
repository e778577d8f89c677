from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shops.models import PAYOUT_ACCOUNT_FIELDS as PAYOUT_FIELDS
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


class ShopProfileForm(forms.ModelForm):
    """What a manager may change of their own shop; status and managers stay with the regency.
    The payout account is only asked for here: it changes when a regency admin approves."""

    class Meta:
        from shops.models import Bumkam

        model = Bumkam
        fields = ["story", "whatsapp", "pickup_address", "logo", "allows_pickup", "courier_rate_per_kg",
                  "allows_cash_on_delivery"]
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
        if not cleaned.get("allows_pickup") and not cleaned.get("courier_rate_per_kg"):
            raise ValidationError(_("Pilih paling sedikit satu cara kirim: ambil di kantor atau kurir."))
        return cleaned
