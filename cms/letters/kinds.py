"""The kinds of letter a village can issue online, and the fields each one needs.

The regency gives one set (this module); each village takes it as its own `LetterKind`
rows and may edit the wording. A field's `kind` says how the form asks for it and how it
is checked: `text` and `textarea` are cleaned text, `village` is an official village code
(Kemendagri, checked against the area data), `members` is one family member per line as
"NIK nama" (each NIK checked), `year` a year that has been."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LetterField:
    name: str
    label: str
    kind: str = "text"  # text | textarea | village | members | year
    required: bool = True
    help_text: str = ""


@dataclass(frozen=True)
class KindSpec:
    code: str
    title: str
    classification: str  # the archive classification that begins the letter's number
    template: str
    fields: tuple[LetterField, ...] = field(default_factory=tuple)


# The body's placeholders: the applicant's (always present) and the kind's own fields.
APPLICANT_PLACEHOLDERS = {
    "nama": _("nama pemohon"),
    "nik": _("NIK pemohon"),
    "no_kk": _("nomor KK"),
    "tanggal_lahir": _("tanggal lahir"),
    "kampung": _("nama kampung"),
    "kecamatan": _("nama kecamatan"),
    "kabupaten": _("nama kabupaten"),
}

OPENING = ("Yang bertanda tangan di bawah ini, {jabatan} {kampung}, Kecamatan {kecamatan}, "
           "{kabupaten}, menerangkan bahwa:\n\nNama: {nama}\nNIK: {nik}\nNomor KK: {no_kk}\n"
           "Tanggal lahir: {tanggal_lahir}\n\n")

KINDS = {spec.code: spec for spec in [
    KindSpec(
        code="pindah", title="Surat Keterangan Pindah", classification="474",
        fields=(
            LetterField("tujuan_kode", _("Kode kampung/desa tujuan"), "village",
                        help_text=_("Kode wilayah resmi Kemendagri, misalnya 14.08.08.2001.")),
            LetterField("tujuan_alamat", _("Alamat tujuan"), "textarea"),
            LetterField("alasan", _("Alasan pindah")),
            LetterField("anggota", _("Anggota keluarga yang ikut pindah"), "members", required=False,
                        help_text=_("Satu orang per baris: NIK lalu nama. Kosongkan bila pindah sendiri.")),
        ),
        template=OPENING + (
            "benar penduduk {kampung} yang pindah ke {tujuan_desa}, dengan alamat tujuan "
            "{tujuan_alamat}, karena {alasan}.\n\nAnggota keluarga yang ikut pindah:\n{anggota}\n\n"
            "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya."),
    ),
    KindSpec(
        code="sktm", title="Surat Keterangan Tidak Mampu", classification="400",
        fields=(
            LetterField("keperluan", _("Keperluan"), help_text=_("Misalnya: berobat dengan BPJS PBI, beasiswa sekolah.")),
        ),
        template=OPENING + (
            "benar penduduk {kampung} dan tergolong keluarga tidak mampu. Surat keterangan ini "
            "diberikan untuk keperluan {keperluan}.\n\n"
            "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya."),
    ),
    KindSpec(
        code="sku", title="Surat Keterangan Usaha", classification="500",
        fields=(
            LetterField("usaha_nama", _("Nama usaha")),
            LetterField("usaha_jenis", _("Jenis usaha"), help_text=_("Misalnya: keripik nanas, warung makan.")),
            LetterField("usaha_alamat", _("Alamat usaha"), "textarea"),
            LetterField("usaha_sejak", _("Berdiri sejak (tahun)"), "year", help_text=_("Misalnya 2019.")),
        ),
        template=OPENING + (
            "benar mempunyai usaha {usaha_jenis} bernama {usaha_nama} di {usaha_alamat}, "
            "yang berjalan sejak tahun {usaha_sejak}.\n\n"
            "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya."),
    ),
    KindSpec(
        code="domisili", title="Surat Keterangan Domisili", classification="470",
        fields=(
            LetterField("alamat", _("Alamat tempat tinggal"), "textarea"),
            LetterField("keperluan", _("Keperluan")),
        ),
        template=OPENING + (
            "benar berdomisili di {alamat}, {kampung}. Surat keterangan ini diberikan untuk "
            "keperluan {keperluan}.\n\n"
            "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya."),
    ),
]}

KIND_CHOICES = [(spec.code, spec.title) for spec in KINDS.values()]
