"""The village office's forms: its letter settings and the wording of each kind of letter.

A template is plain text with {isian}: it is cleaned of markup when saved and is never
rendered as HTML (the PDF writes it as text, the admin escapes it). A placeholder the
letter cannot fill would reach the resident as written, so each unknown one is named."""

import re

from django import forms
from django.utils.translation import gettext as _

from .forms import plain_text as typed_plain_text
from .kinds import APPLICANT_PLACEHOLDERS, KINDS
from .models import LetterKind, LetterSettings
from .services import SETTINGS_FIELDS

BRACED = re.compile(r"\{([^{}]*)\}")
NUMBER_PARTS = ("klasifikasi", "nomor", "singkatan", "bulan", "tahun")
CLASSIFICATION = re.compile(r"\d+(\.\d+)*")  # the archive's code: 470, 474.1
FORMULA_STARTS = ("=", "+", "-", "@")  # a spreadsheet would run it (the number reaches exports)
DOUBLE_BRACED = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
TEMPLATE_MAX = 4000


def plain_text(value: str) -> str:
    """Text as typed (forms.plain_text: no markup, no control characters), each line trimmed."""
    return "\n".join(line.rstrip() for line in typed_plain_text(value).split("\n"))


def placeholders_for(code: str) -> list[str]:
    """What a template of this kind may use: the applicant's, the signer's title, the kind's fields."""
    names = [*APPLICANT_PLACEHOLDERS, "jabatan"]
    spec = KINDS.get(code)
    if spec is not None:
        names += [field.name for field in spec.fields]
    if code == "pindah":
        names.append("tujuan_desa")  # the destination's name, read from its official code
    return names


def unknown_placeholders(text: str, allowed) -> list[str]:
    seen = []
    for name in BRACED.findall(text):
        if name not in allowed and name not in seen:
            seen.append(name)
    return seen


def _braces(names) -> str:
    return ", ".join("{" + name + "}" for name in names)


class LetterSettingsForm(forms.ModelForm):
    class Meta:
        model = LetterSettings
        fields = list(SETTINGS_FIELDS)

    def clean_number_format(self):
        value = plain_text(self.cleaned_data["number_format"])
        if value.startswith(FORMULA_STARTS):
            raise forms.ValidationError(
                _("Format nomor tidak boleh diawali %(starts)s (dibaca sebagai rumus di spreadsheet).")
                % {"starts": " ".join(FORMULA_STARTS)})
        unknown = unknown_placeholders(value, NUMBER_PARTS)
        if unknown:  # named first: {nomor.__class__} is a bad part, not a missing number
            raise forms.ValidationError(
                _("Bagian %(unknown)s tidak dikenal. Yang bisa dipakai: %(known)s.")
                % {"unknown": _braces(unknown), "known": _braces(NUMBER_PARTS)})
        if value.count("{") != value.count("}"):
            raise forms.ValidationError(_("Kurung kurawal { } pada format nomor tidak berpasangan."))
        if "{nomor}" not in value:
            raise forms.ValidationError(_("Format nomor harus memuat {nomor}, nomor urut surat dalam setahun."))
        return value

    def clean_office_address(self):
        return plain_text(self.cleaned_data["office_address"])

    def clean_signer_name(self):
        return plain_text(self.cleaned_data["signer_name"])

    def clean_signer_title(self):
        return plain_text(self.cleaned_data["signer_title"])

    def clean_abbreviation(self):
        return plain_text(self.cleaned_data["abbreviation"])


class LetterKindForm(forms.ModelForm):
    class Meta:
        model = LetterKind
        fields = ["title", "classification", "template"]
        widgets = {"template": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = placeholders_for(self.instance.code)
        self.fields["template"].help_text = _("Isian yang bisa dipakai: %(known)s.") % {"known": _braces(self.allowed)}

    def clean_title(self):
        return plain_text(self.cleaned_data["title"])

    def clean_classification(self):
        value = plain_text(self.cleaned_data["classification"])
        if not CLASSIFICATION.fullmatch(value):
            raise forms.ValidationError(_("Kode klasifikasi hanya angka dan titik, misalnya 470 atau 474.1."))
        return value

    def clean_template(self):
        value = plain_text(self.cleaned_data["template"])
        if len(value) > TEMPLATE_MAX:
            raise forms.ValidationError(
                _("Isi surat terlalu panjang: %(length)s karakter, paling banyak %(max)s.")
                % {"length": f"{len(value):,}".replace(",", "."), "max": f"{TEMPLATE_MAX:,}".replace(",", ".")})
        doubled = DOUBLE_BRACED.findall(value)
        if doubled:  # {{nama}} would print "{Rahmat}" in the letter
            raise forms.ValidationError(
                _("Tulis isian dengan satu pasang kurung kurawal: %(right)s, bukan %(wrong)s.")
                % {"right": _braces(doubled), "wrong": ", ".join("{{" + name + "}}" for name in doubled)})
        unknown = unknown_placeholders(value, self.allowed)
        if unknown:
            raise forms.ValidationError(
                _("Isian %(unknown)s tidak dikenal untuk surat ini. Yang bisa dipakai: %(known)s.")
                % {"unknown": _braces(unknown), "known": _braces(self.allowed)})
        if not value:
            raise forms.ValidationError(_("Isi surat tidak boleh kosong."))
        return value
