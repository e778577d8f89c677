"""What a resident types and sends: the request for a letter, the documents added later, and
the lookup of a request by its code.

Every document goes through `marketplace.files.checked_document`; one that passes is kept
(cms.letters.stash) when anything else on the form is wrong, so a correction never costs
the resident another photo of their KTP."""

import datetime
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.files import MAX_UPLOAD_BYTES, CheckedFile, checked_document
from marketplace.forms import PhoneField
from marketplace.pdf import unprintable
from shops.services import official_place, official_village

from .identity import digits_of, kk_clean, nik_clean
from .kinds import KINDS
from .stash import Stashed, original_name, stash_load, stash_store

DOCUMENT_ACCEPT = "image/*,application/pdf"
MAX_MEMBERS = 20
MORE_DOCUMENT_ROWS = 3
NAME_MARKS = " .,'’-"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _typed(value: str) -> str:
    """Without control characters, with one kind of line end, trimmed."""
    return _CONTROL.sub("", value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def plain_text(value: str) -> str:
    """Typed text as plain text: no markup, no control characters, one kind of line end."""
    return _typed(strip_tags(value or ""))


def letter_text(value: str) -> str:
    """Text that goes into a signed letter as the resident typed it, or a message saying why
    not: a letter must not print something the resident did not see (markup taken out, an
    emoji or a script the letter's font cannot print shown as '?')."""
    text = _typed(value)
    if strip_tags(text) != text or "<" in text and ">" in text:
        raise ValidationError(_("Tulis tanpa tanda < dan > (kode halaman web tidak bisa dicetak di surat)."),
                              code="markup")
    others = unprintable(text)
    if others:
        raise ValidationError(_("Tanda %(chars)s tidak bisa dicetak di surat; tulis dengan huruf biasa.")
                              % {"chars": " ".join(others[:5])}, code="unprintable")
    return text


def _styled(form) -> None:
    for field in form.fields.values():
        if not isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs.setdefault("class", "form-control")
        else:
            field.widget.attrs.setdefault("class", "form-check-input")


def requirement_labels(requirements_html: str) -> list[str]:
    """Each <li> of a service page's requirements, as the text a resident reads."""
    soup = BeautifulSoup(str(requirements_html or ""), "html.parser")
    labels = [" ".join(item.get_text(" ").split()) for item in soup.find_all("li")]
    return [label[:150] for label in labels if label]


# --- documents -----------------------------------------------------------------------------

@dataclass
class DocumentSlot:
    """One file input: a requirement of the page, or a row of documents added later."""

    name: str
    label: str
    required: bool
    kept: Stashed | None = None  # passed its check on an earlier try
    checked: CheckedFile | None = None  # passed its check now
    original: str = ""
    error: str = ""

    @property
    def token(self) -> str:
        return self.kept.token if self.kept else ""

    @property
    def kept_name(self) -> str:
        return self.kept.original if self.kept else ""

    @property
    def file(self) -> CheckedFile | None:
        return self.checked or (self.kept.checked if self.kept else None)

    @property
    def token_name(self) -> str:
        return f"{self.name}_simpan"


def _clean_slot(slot: DocumentSlot, *, data, files, holder: str) -> None:
    slot.kept = stash_load(data.get(slot.token_name, ""), holder=holder)
    upload = files.get(slot.name)
    if upload:
        try:
            slot.checked = checked_document(upload)
        except ValidationError as error:
            slot.error = _("%(file)s: %(problem)s") % {"file": original_name(upload.name), "problem": " ".join(error.messages)}
        else:
            slot.original = original_name(upload.name)
            slot.kept = None
    elif slot.required and slot.kept is None:
        slot.error = _("Unggah foto atau PDF %(what)s.") % {"what": slot.label}


def slots_keep(slots, *, holder: str) -> list[str]:
    """Stash each file that passed now, so the page sent back carries it. Returns the stashed names."""
    names = []
    for slot in slots:
        if slot.checked is not None:
            slot.kept = stash_store(slot.checked, original=slot.original, holder=holder)
            slot.checked = None
            names.append(slot.kept.name)
    return names


def slots_stashed_names(slots) -> list[str]:
    return [slot.kept.name for slot in slots if slot.kept is not None]


# --- the request ---------------------------------------------------------------------------

class LetterRequestForm(forms.Form):
    nama = forms.CharField(label=gettext_lazy("Nama lengkap (sesuai KTP)"), max_length=100,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    tanggal_lahir = forms.DateField(
        label=gettext_lazy("Tanggal lahir"), input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Tulis tanggal lahir, misalnya 15-07-1990.")})
    nik = forms.CharField(label=gettext_lazy("NIK"), max_length=24,
                          help_text=gettext_lazy("16 angka di KTP elektronik atau KK."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    no_kk = forms.CharField(label=gettext_lazy("Nomor KK"), max_length=24,
                            help_text=gettext_lazy("16 angka di bagian atas Kartu Keluarga."),
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    hp = PhoneField(label=gettext_lazy("Nomor HP/WhatsApp"),
                    help_text=gettext_lazy("Untuk dihubungi petugas bila ada yang perlu ditanyakan."))
    email = forms.EmailField(label=gettext_lazy("E-mail (tidak wajib)"), required=False, max_length=254,
                             help_text=gettext_lazy("Bila diisi, kami kabari setiap perubahan status lewat e-mail."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    setuju = forms.BooleanField(
        label=gettext_lazy("Saya setuju data pribadi saya (NIK, nomor KK, tanggal lahir dan berkas) diproses "
                           "kantor kampung hanya untuk permohonan ini, sesuai UU No. 27 Tahun 2022 tentang "
                           "Pelindungan Data Pribadi. Berkas dihapus setelah permohonan selesai."),
        error_messages={"required": gettext_lazy("Centang persetujuan ini agar permohonan bisa diproses.")})

    APPLICANT = ("nama", "tanggal_lahir", "nik", "no_kk", "hp", "email")

    def __init__(self, *args, kind_code: str, requirements: list[str], today: datetime.date | None = None,
                 holder: str = "", origin_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.origin_code = origin_code  # the village asked: a surat pindah cannot move there
        self.fields["setuju"].label = _(
            "Saya setuju data pribadi saya (NIK, nomor KK, tanggal lahir dan berkas) diproses kantor kampung hanya "
            "untuk permohonan ini, sesuai UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi. Berkas dihapus "
            "%(days)d hari setelah permohonan selesai.") % {"days": settings.LETTERS_DOCUMENT_RETENTION_DAYS}
        self.holder = holder  # the browser session whose stashed files this form may read back
        self.today = today or timezone.localdate()
        self.spec = KINDS[kind_code]
        for spec_field in self.spec.fields:
            self.fields[spec_field.name] = self._detail_field(spec_field)
        consent = self.fields.pop("setuju")
        self.fields["setuju"] = consent  # last, after the kind's fields
        self.slots = [DocumentSlot(name=f"berkas_{index}", label=label, required=True)
                      for index, label in enumerate(requirements)]
        _styled(self)

    @staticmethod
    def _detail_field(spec_field):
        common = {"label": spec_field.label, "required": spec_field.required, "help_text": spec_field.help_text}
        if spec_field.kind == "textarea":
            return forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), **common)
        if spec_field.kind == "members":
            return forms.CharField(max_length=3000, strip=False, widget=forms.Textarea(attrs={"rows": 4}), **common)
        if spec_field.kind == "village":
            return forms.CharField(max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
        if spec_field.kind == "year":
            return forms.CharField(max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
        return forms.CharField(max_length=200, **common)

    @property
    def applicant_fields(self):
        return [self[name] for name in self.APPLICANT]

    @property
    def detail_fields(self):
        return [self[spec_field.name] for spec_field in self.spec.fields]

    def clean_nama(self):
        name = " ".join(letter_text(self.cleaned_data["nama"]).split())
        if not name:
            raise ValidationError(_("Tulis nama lengkap sesuai KTP."))
        if not all(char.isalpha() or char in NAME_MARKS for char in name):
            raise ValidationError(_("Nama hanya berisi huruf, spasi, titik, koma, tanda petik dan tanda hubung, "
                                    "seperti tertulis di KTP."), code="name")
        return name

    def clean_tanggal_lahir(self):
        born = self.cleaned_data["tanggal_lahir"]
        if born > self.today or born.year < 1900:
            raise ValidationError(_("Tanggal lahir ini tidak mungkin; periksa tahunnya."))
        return born

    def clean_no_kk(self):
        return kk_clean(self.cleaned_data["no_kk"], today=self.today)

    def clean(self):
        cleaned = super().clean()
        if "nik" in cleaned:
            try:
                cleaned["nik"] = nik_clean(cleaned["nik"], birth_date=cleaned.get("tanggal_lahir"), today=self.today)
            except ValidationError as error:
                self.add_error("nik", error)
        for spec_field in self.spec.fields:
            if spec_field.name in cleaned:
                try:
                    self._clean_detail(spec_field, cleaned)
                except ValidationError as error:
                    self.add_error(spec_field.name, error)
        for slot in self.slots:
            _clean_slot(slot, data=self.data, files=self.files, holder=self.holder)
        if any(slot.error for slot in self.slots):
            raise ValidationError(_("Ada berkas yang belum terkirim; lihat pesan di bagian Berkas persyaratan."),
                                  code="documents")
        return cleaned

    def _clean_detail(self, spec_field, cleaned) -> None:
        if spec_field.kind == "members":  # not stripped: its line numbers are the resident's
            cleaned[spec_field.name] = self._members(_CONTROL.sub("", cleaned[spec_field.name]),
                                                     applicant_nik=cleaned.get("nik"))
            if spec_field.required and not cleaned[spec_field.name]:
                raise ValidationError(_("Isian ini wajib diisi."), code="required")
            return
        value = letter_text(cleaned[spec_field.name])
        if spec_field.kind == "village":
            cleaned[spec_field.name] = value and self._village(value)
            if value and cleaned[spec_field.name] == self.origin_code:
                raise ValidationError(_("Kampung tujuan sama dengan kampung asal; tulis kode kampung/desa tujuan."),
                                      code="same_village")
            if value:  # its name for the letter: {tujuan_desa} beside {tujuan_kode}
                place = official_place(cleaned[spec_field.name])
                cleaned[spec_field.name.removesuffix("_kode") + "_desa"] = (
                    f"{place['village']}, Kecamatan {place['district']}, {place['regency']}, {place['province']}")
        else:
            if spec_field.required and not value:
                raise ValidationError(_("Isian ini wajib diisi."), code="required")
            if spec_field.kind == "year" and value and not (
                    value.isdigit() and len(value) == 4 and 1900 <= int(value) <= self.today.year):
                raise ValidationError(_("Tulis tahun dengan 4 angka, paling lambat %(year)d, misalnya 2019.")
                                      % {"year": self.today.year}, code="year")
            cleaned[spec_field.name] = value

    @staticmethod
    def _village(value: str) -> str:
        digits = re.sub(r"\D", "", value)
        if len(digits) != 10:
            raise ValidationError(_("Kode kampung/desa resmi berisi 10 angka, misalnya 14.08.08.2001."), code="shape")
        code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
        if official_village(code) is None:
            raise ValidationError(_("Kode %(code)s tidak ada dalam data wilayah Kemendagri. Periksa kembali "
                                    "kode kampung/desa tujuan.") % {"code": code}, code="unknown")
        return code

    def _members(self, value: str, *, applicant_nik: str | None) -> str:
        """One "NIK nama" per line, each NIK checked (not the applicant's, not twice); every
        wrong line named by its number."""
        members, errors, seen = [], [], {}
        for number, line in enumerate(value.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
            line = line.strip()
            if not line:
                continue
            match = re.match(r"^([\d\s.\-]*\d)\s+(\S.*)$", line)
            if not match or any(ch.isdigit() for ch in match.group(2)[:1]):
                errors.append(ValidationError(
                    _("Baris %(line)d: tulis NIK lalu nama, misalnya 1408065507900001 Siti Aminah.") % {"line": number}))
                continue
            try:
                nik = nik_clean(match.group(1), today=self.today)
            except ValidationError as error:
                errors.append(ValidationError(_("Baris %(line)d: %(problem)s")
                                              % {"line": number, "problem": " ".join(error.messages)}))
                continue
            if nik == applicant_nik:
                errors.append(ValidationError(_("Baris %(line)d: ini NIK pemohon sendiri; tulis hanya anggota "
                                                "keluarga yang ikut pindah.") % {"line": number}))
                continue
            if nik in seen:
                errors.append(ValidationError(_("Baris %(line)d: NIK ini sudah ditulis di baris %(first)d.")
                                              % {"line": number, "first": seen[nik]}))
                continue
            seen[nik] = number
            try:
                name = letter_text(match.group(2))
            except ValidationError as error:
                errors.append(ValidationError(_("Baris %(line)d: %(problem)s")
                                              % {"line": number, "problem": " ".join(error.messages)}))
                continue
            members.append(f"{nik} {name[:100]}")
        if len(members) > MAX_MEMBERS:
            errors.append(ValidationError(_("Paling banyak %(count)d anggota keluarga.") % {"count": MAX_MEMBERS}))
        if errors:
            raise ValidationError(errors)
        return "\n".join(members)

    # what request_submit takes

    def applicant(self) -> dict:
        data = self.cleaned_data
        return {"applicant_name": data["nama"], "nik": data["nik"], "kk_number": data["no_kk"],
                "birth_date": data["tanggal_lahir"], "phone": data["hp"], "email": data["email"]}

    def details(self) -> dict:
        names = [spec_field.name for spec_field in self.spec.fields]
        names += [name.removesuffix("_kode") + "_desa" for name in names if name.endswith("_kode")]
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}

    def documents(self) -> list[tuple[str, CheckedFile]]:
        return [(slot.label, slot.file) for slot in self.slots if slot.file is not None]


# --- documents added after the office asked for more ---------------------------------------

class MoreDocumentsForm(forms.Form):
    catatan = forms.CharField(label=gettext_lazy("Keterangan untuk petugas (tidak wajib)"), required=False,
                              max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, requirements: list[str], rows: int = MORE_DOCUMENT_ROWS, holder: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.holder = holder
        self.requirements = requirements
        self.slots = [DocumentSlot(name=f"tambahan_{index}", label="", required=False) for index in range(rows)]
        _styled(self)

    def clean_catatan(self):
        return plain_text(self.cleaned_data["catatan"])

    def clean(self):
        cleaned = super().clean()
        for slot in self.slots:
            slot.label = plain_text(self.data.get(f"{slot.name}_persyaratan", ""))[:150]
            _clean_slot(slot, data=self.data, files=self.files, holder=self.holder)
            if slot.file is not None and not slot.label:
                slot.label = _("Berkas tambahan")
        if any(slot.error for slot in self.slots):
            raise ValidationError(_("Ada berkas yang belum terkirim; lihat pesannya di bawah."), code="documents")
        if not cleaned.get("catatan") and not any(slot.file for slot in self.slots):
            raise ValidationError(_("Pilih berkas yang diminta petugas, atau tulis keterangan."), code="empty")
        return cleaned

    def documents(self) -> list[tuple[str, CheckedFile]]:
        return [(slot.label, slot.file) for slot in self.slots if slot.file is not None]


# --- finding a request again ---------------------------------------------------------------

class LookupForm(forms.Form):
    kode = forms.CharField(label=gettext_lazy("Kode lacak"), max_length=20,
                           help_text=gettext_lazy("8 huruf dan angka, tertera setelah permohonan dikirim."),
                           widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off",
                                                         "spellcheck": "false"}))
    tanggal_lahir = forms.DateField(
        label=gettext_lazy("Tanggal lahir pemohon"), required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Tulis tanggal lahir, misalnya 15-07-1990.")})
    nik = forms.CharField(label=gettext_lazy("atau NIK pemohon"), required=False, max_length=24,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_kode(self):
        return re.sub(r"[\s\-]", "", self.cleaned_data["kode"]).upper()

    def clean_nik(self):
        return digits_of(self.cleaned_data["nik"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("tanggal_lahir") and not cleaned.get("nik") and "tanggal_lahir" not in self.errors:
            raise ValidationError(_("Isi tanggal lahir atau NIK pemohon."), code="missing")
        return cleaned


# --- the public verification page ---------------------------------------------------------

class LetterFileForm(forms.Form):
    """The file in hand: read whole (up to 5 MB) because its hash is what is compared."""

    berkas = forms.FileField(label=gettext_lazy("Berkas surat (PDF)"), allow_empty_file=False, error_messages={
        "required": gettext_lazy("Pilih berkas PDF surat yang ingin diperiksa."),
        "empty": gettext_lazy("Berkas kosong."),
        "invalid": gettext_lazy("Kirim berkas PDF surat yang ingin diperiksa."),
    })

    def clean_berkas(self) -> bytes:
        upload = self.cleaned_data["berkas"]
        limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
        too_big = forms.ValidationError(_("Berkas terlalu besar: paling banyak %(mb)d MB. Surat asli dari "
                                          "kampung jauh lebih kecil.") % {"mb": limit_mb})
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise too_big
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise too_big
        if b"%PDF-" not in data[:1024]:
            raise forms.ValidationError(_("Berkas ini bukan PDF. Kirim berkas PDF surat yang Anda terima."))
        return data
