from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from shops.models import PAYOUT_ACCOUNT_FIELDS as PAYOUT_FIELDS
from shops.rich_text import clean_html
from shops.services import official_village

from .constants import MAX_BIGINT, MAX_POSITIVE_INTEGER, MAX_PRICE, PaymentMethod, ShippingMethod
from .files import checked_document, checked_product_photo
from .html import rupiah, thousands
from .payments import stripe_gateway
from .selectors import categories_of_regency, category_paths
from .services.checkout import shipping_charge

def whole_number_field(label, *, min_value=0, max_value=MAX_POSITIVE_INTEGER, **kwargs):
    """An integer field bounded by what its column holds, with its messages in Indonesian:
    a number past the column is a form error here, not a database error (a 500) on save."""
    return forms.IntegerField(label=label, min_value=min_value, max_value=max_value, error_messages={
        "invalid": _("Isi bilangan bulat, tanpa titik atau koma."),
        "min_value": format_lazy(_("Paling kecil {}."), thousands(min_value)),
        "max_value": format_lazy(_("Paling besar {}."), thousands(max_value)),
    }, **kwargs)


def rupiah_field(label, *, min_value=1, max_value=MAX_BIGINT, **kwargs):
    """An amount in whole rupiah, within its column."""
    return forms.IntegerField(label=label, min_value=min_value, max_value=max_value, error_messages={
        "required": _("Isi jumlahnya dalam rupiah."),
        "invalid": _("Isi jumlah dalam rupiah, tanpa titik."),
        "min_value": format_lazy(_("Jumlah minimal {}."), rupiah(min_value)),
        "max_value": format_lazy(_("Jumlah paling besar {}."), rupiah(max_value)),
    }, **kwargs)




class CheckoutForm(forms.Form):
    """Everything a buyer fills once for a basket of several shops."""

    name = forms.CharField(label=_("Nama penerima"), max_length=100)
    phone = forms.RegexField(label=_("Nomor HP"), regex=r"^(\+?62|0)8\d{7,12}$", max_length=16,
                             error_messages={"invalid": _("Tulis nomor HP seperti 081234567890.")})
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
        for part in parts:
            choices = []
            for method in (ShippingMethod.PICKUP, ShippingMethod.COURIER):
                try:
                    charge = shipping_charge(bumkam=part.bumkam, method=method, weight_grams=part.weight_grams)
                except ValueError:
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


class ShipForm(forms.Form):
    status = forms.CharField(widget=forms.HiddenInput)
    courier = forms.CharField(label=_("Kurir"), max_length=60, required=False)
    tracking_number = forms.CharField(label=_("Nomor resi"), max_length=60, required=False)


class ConfirmTransferForm(forms.Form):
    amount_received = rupiah_field(_("Jumlah diterima (Rp)"))


class RefundForm(forms.Form):
    amount = rupiah_field(_("Jumlah dikembalikan (Rp)"))
    reason = forms.CharField(label=_("Alasan"), max_length=200)
    reference = forms.CharField(label=_("Referensi transfer / serah terima tunai"), max_length=60, required=False,
                                help_text=_("Tidak perlu untuk pembayaran kartu: Stripe mengembalikannya."))


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
    producer = forms.ModelChoiceField(label=_("Produsen (UMKM)"), queryset=None, required=False)
    pirt_number = forms.CharField(label=_("Nomor P-IRT"), max_length=30, required=False)
    halal_number = forms.CharField(label=_("Nomor sertifikat halal"), max_length=40, required=False)
    bpom_number = forms.CharField(label=_("Nomor BPOM"), max_length=30, required=False)
    is_flagship = forms.BooleanField(label=_("Produk unggulan kampung"), required=False)
    image = forms.FileField(label=_("Foto"), required=False, help_text=_("JPEG, PNG atau WebP, paling banyak 5 MB."))

    def __init__(self, *args, bumkam, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = bumkam.producers.all()
        self.fields["category"].queryset = categories_of_regency()
        full_names = {category.pk: path for path, category in category_paths()}
        self.fields["category"].label_from_instance = lambda category: full_names.get(category.pk, category.name)

    def clean_description(self):
        return clean_html(self.cleaned_data.get("description"))

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        return checked_product_photo(upload) if upload else None


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

    whatsapp = forms.RegexField(label=_("Nomor WhatsApp"), regex=r"^62\d{8,13}$", required=False,
                                error_messages={"invalid": _("Tulis nomor WhatsApp diawali 62, mis. 6281234567890.")})
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
