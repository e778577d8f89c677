"""Form fields every stage uses: numbers and phones read the way Indonesians write them,
bounded by their columns, messages in Indonesian."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .constants import MAX_BIGINT, MAX_POSITIVE_INTEGER
from .html import rupiah, thousands


# "25.000", "Rp 25.000" or "25000": the way every page writes amounts, read as written.
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


class WholeNumberField(forms.IntegerField):
    """Django's IntegerField reads "10.000" as ten (it drops a zero decimal part) and refuses
    "66.897": here dots group thousands, as Indonesians write them, and any other dot or comma
    is refused rather than guessed."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("Rp").removeprefix("rp").replace(" ", "")
            if _GROUPED.match(value):
                value = value.replace(".", "")
            elif "." in value or "," in value:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def whole_number_field(label, *, min_value=0, max_value=MAX_POSITIVE_INTEGER, **kwargs):
    """An integer field bounded by what its column holds, with its messages in Indonesian:
    a number past the column is a form error here, not a database error (a 500) on save."""
    return WholeNumberField(label=label, min_value=min_value, max_value=max_value, error_messages={
        "invalid": _("Isi bilangan bulat, mis. 1.500 atau 1500, tanpa koma."),
        "min_value": format_lazy(_("Paling kecil {}."), thousands(min_value)),
        "max_value": format_lazy(_("Paling besar {}."), thousands(max_value)),
    }, **kwargs)


# Indonesian mobile numbers as people write them: "0812-7654-3210", "+62 812 7654 3210",
# "62812...". Stored one way, 62 and the digits, which is what wa.me and the lookup want.
_PHONE = re.compile(r"^(?:\+?62|0)(8\d{7,12})$")


def phone_number(text: str) -> str:
    """The number as 62812..., or "" when it is not an Indonesian mobile number."""
    digits = re.sub(r"[\s.()\-]", "", text or "")
    match = _PHONE.match(digits)
    return "62" + match.group(1) if match else ""


class PhoneField(forms.CharField):
    """A mobile (WhatsApp) number typed any usual way, kept as 62812...; one field for every form."""

    default_error_messages = {
        "invalid": _("Tulis nomor HP Indonesia, mis. 0812-7654-3210 atau +62 812 7654 3210."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        number = phone_number(value)
        if not number:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def rupiah_field(label, *, min_value=1, max_value=MAX_BIGINT, **kwargs):
    """An amount in whole rupiah, within its column."""
    return WholeNumberField(label=label, min_value=min_value, max_value=max_value, error_messages={
        "required": _("Isi jumlahnya dalam rupiah."),
        "invalid": _("Isi jumlah dalam rupiah, mis. 25.000 atau 25000."),
        "min_value": format_lazy(_("Jumlah minimal {}."), rupiah(min_value)),
        "max_value": format_lazy(_("Jumlah paling besar {}."), rupiah(max_value)),
    }, **kwargs)
