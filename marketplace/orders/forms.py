import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ..constants import OrderStatus, ShippingMethod
from ..files import checked_image
from ..forms import phone_number
from .models import ComplaintReason, ComplaintStatus


# Control characters other than tab and newline: invisible, and no use in a message to a person.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

# Offered as suggestions (a <datalist>, which works without JavaScript); any other name is fine.
COURIERS = ("JNE", "J&T Express", "SiCepat", "Pos Indonesia", "AnterAja", "Ninja Xpress", "Lion Parcel",
            "ID Express", "Kurir desa")
_TRACKING = re.compile(r"^[A-Z0-9][A-Z0-9./-]*$")


class ShipForm(forms.Form):
    """A manager's move of one order; shipping by courier asks for the courier and the tracking
    number here, so both mistakes are shown at once beside their fields (the transition function
    still refuses a courier shipment without a tracking number whoever calls it)."""

    status = forms.CharField(widget=forms.HiddenInput, error_messages={"required": _("Status tidak dikenal.")})
    courier = forms.CharField(label=_("Kurir"), max_length=60, required=False,
                              error_messages={"max_length": _("Nama kurir paling banyak 60 karakter.")})
    tracking_number = forms.CharField(label=_("Nomor resi"), max_length=60, required=False,
                                      error_messages={"max_length": _("Nomor resi paling banyak 60 karakter.")})

    def __init__(self, *args, shop_order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shop_order = shop_order

    def clean_courier(self):
        return _CONTROL.sub("", self.cleaned_data["courier"]).strip()

    def clean_tracking_number(self):
        # read off a label or a receipt: spaces and lower case are how it was read, not part of it
        value = re.sub(r"\s+", "", self.cleaned_data["tracking_number"]).upper()
        if value and not _TRACKING.match(value):
            raise ValidationError(_("Nomor resi hanya berisi huruf, angka, titik, garis miring atau tanda hubung."))
        return value

    def clean(self):
        data = super().clean()
        order = self.shop_order.order if self.shop_order is not None else None
        if order is not None and data.get("status") == OrderStatus.SHIPPED and order.shipping_code == ShippingMethod.COURIER:
            if "courier" in data and not data["courier"]:
                self.add_error("courier", _("Isi nama kurir, mis. JNE atau J&T Express."))
            if "tracking_number" in data and not data["tracking_number"]:
                self.add_error("tracking_number", _("Isi nomor resi untuk pesanan yang dikirim kurir."))
        return data


class PlainTextField(forms.CharField):
    """Text a person writes to another: kept as plain text (escaped wherever it is shown), line
    breaks normalised, invisible and direction-changing characters dropped."""

    def to_python(self, value):
        value = super().to_python(value)
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to COMPLAINT_PHOTOS_PER_MESSAGE photos, each through marketplace.files.checked_image."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", PhotosInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        most = settings.COMPLAINT_PHOTOS_PER_MESSAGE
        if len(files) > most:
            raise ValidationError(_("Paling banyak %(n)d foto.") % {"n": most})
        checked = []
        for upload in files:
            try:
                checked.append(checked_image(upload))
            except ValidationError as error:
                raise ValidationError(_("%(name)s: %(why)s") % {"name": upload.name[:80], "why": " ".join(error.messages)})
        return checked


class ComplaintOpenForm(forms.Form):
    reason = forms.ChoiceField(label=_("Apa masalahnya?"), choices=ComplaintReason.choices,
                               error_messages={"required": _("Pilih alasan komplain."),
                                               "invalid_choice": _("Pilih alasan dari daftar.")})
    text = PlainTextField(label=_("Ceritakan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                          error_messages={"required": _("Ceritakan apa yang salah dengan pesanan ini."),
                                          "max_length": _("Paling banyak 2.000 karakter.")})
    photos = PhotosField(label=_("Foto (paling banyak 3, JPEG/PNG/WebP)"))


class ComplaintReplyForm(forms.Form):
    text = PlainTextField(label=_("Pesan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                          error_messages={"max_length": _("Paling banyak 2.000 karakter.")})
    photos = PhotosField(label=_("Foto (paling banyak 3)"))

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("text") and not data.get("photos"):
            raise ValidationError(_("Tulis pesan atau lampirkan foto."))
        return data


class ComplaintDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=[(ComplaintStatus.RESOLVED, ComplaintStatus.RESOLVED.label),
                                         (ComplaintStatus.REJECTED, ComplaintStatus.REJECTED.label)],
                                error_messages={"required": _("Keputusan tidak dikenal."),
                                                "invalid_choice": _("Keputusan tidak dikenal.")})
    note = PlainTextField(label=_("Alasan / keterangan"), max_length=1000, required=False,
                          widget=forms.Textarea(attrs={"rows": 2}),
                          error_messages={"max_length": _("Paling banyak 1.000 karakter.")})


# A checkout's reference (PK-7K2M9QX4RT) or a shop order's number (7K2M-9QX4RT), in Crockford's
# alphabet (checkout.models): read back from a phone screen or over a call, so case, spaces and
# look-alike letters (O for 0, I or L for 1) are forgiven.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_REFERENCE = re.compile(r"^PK-?([0-9A-HJKMNP-TV-Z]{10})$")
_ORDER_NUMBER = re.compile(r"^([0-9A-HJKMNP-TV-Z]{4})-?([0-9A-HJKMNP-TV-Z]{6})$")


def _forgiven(text: str) -> str:
    """Upper case, no spaces, look-alikes read as the digits they stand for (a "PK" prefix kept)."""
    text = re.sub(r"\s", "", text).upper()
    head, rest = ("PK", text[2:]) if text.startswith("PK") and len(text) > 11 else ("", text)
    return head + rest.translate(_LOOK_ALIKES)


class OrderLookupForm(forms.Form):
    """A guest's way back to their order: what the e-mail and the order page gave them, plus
    the e-mail or phone they typed at checkout."""

    code = forms.CharField(
        label=_("Nomor transaksi atau nomor pesanan"), max_length=24,
        help_text=_("Ada di e-mail pesanan Anda, mis. PK-7K2M9QX4RT atau 7K2M-9QX4RT."))
    contact = forms.CharField(label=_("E-mail atau nomor HP saat memesan"), max_length=254)

    def clean_code(self):
        text = _forgiven(self.cleaned_data["code"])
        if match := _REFERENCE.match(text):
            return {"reference": "PK-" + match.group(1)}
        if match := _ORDER_NUMBER.match(text):
            return {"number": f"{match.group(1)}-{match.group(2)}"}
        raise ValidationError(_("Tulis nomor transaksi (PK- dan 10 huruf/angka) atau nomor pesanan (4 dan 6 "
                                "huruf/angka) seperti di e-mail Anda."))

    def clean_contact(self):
        text = self.cleaned_data["contact"].strip()
        if "@" in text:
            try:
                validate_email(text)
            except ValidationError:
                raise ValidationError(_("Alamat e-mail ini tidak lengkap, mis. nama@contoh.id.")) from None
            return {"email": text}
        phone = phone_number(text)
        if not phone:
            raise ValidationError(_("Tulis e-mail atau nomor HP yang Anda pakai saat memesan, mis. 0812-7654-3210."))
        return {"phone": phone}
