"""The letter as a PDF on the kampung's letterhead (fpdf2), with its QR code (segno).

The PDF is written before it is signed (cms.letters.signing) and its bytes depend only on
its content and date, so a test can read it back and a re-issue is reproducible."""

import datetime
import io
from dataclasses import dataclass

import segno

from marketplace.pdf import FONT, new_pdf, pdf_text
from marketplace.sites import site_url
from shops.services import official_place, village_kind

from .kinds import KINDS
from .selectors import verification_path
from .services import fill

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]
VILLAGE_KIND_NAMES = {"kampung": "Kampung", "kelurahan": "Kelurahan"}


def indonesian_date(day: datetime.date) -> str:
    """12 Maret 1990: how a date is written in a letter."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class LetterContent:
    regency: str  # "Kabupaten Siak"
    kecamatan: str  # "Bunga Raya"
    kampung: str  # "Kampung Bunga Raya"
    office_address: str
    title: str
    number: str
    body: str
    issued_on: datetime.date
    signer_title: str
    signer_name: str
    verification_code: str
    verification_url: str
    place: str = ""  # where it is signed, "Bunga Raya"; the kampung when empty

    @classmethod
    def for_request(cls, letter_request, *, letter_settings, number, verification_code, issued_on):
        kampung = letter_request.kampung
        regency = kampung.kecamatan.regency.name
        kind = letter_request.kind
        values = {
            "nama": letter_request.applicant_name,
            "nik": letter_request.nik,
            "no_kk": letter_request.kk_number,
            "tanggal_lahir": indonesian_date(letter_request.birth_date),
            "kampung": str(kampung),
            "kecamatan": kampung.kecamatan.name,
            "kabupaten": regency,
        }
        values["jabatan"] = letter_settings.signer_title
        values.update(_detail_values(kind.code, letter_request.details or {}))
        return cls(
            regency=regency, kecamatan=kampung.kecamatan.name, kampung=str(kampung),
            office_address=letter_settings.office_address, title=kind.title, number=number,
            body=fill(kind.template, values), issued_on=issued_on, signer_title=letter_settings.signer_title,
            signer_name=letter_settings.signer_name, verification_code=verification_code,
            verification_url=site_url(verification_path(verification_code)),
            place=kampung.name,
        )


def _detail_values(kind_code: str, details: dict) -> dict:
    """The kind's own fields as text, plus what a surat pindah derives from them."""
    values = {}
    spec = KINDS.get(kind_code)
    for field in spec.fields if spec else ():
        raw = details.get(field.name, "")
        values[field.name] = members_text(raw) if field.kind == "members" else _plain(raw)
    for name, raw in details.items():  # fields a kind lost since: still fill their placeholders
        values.setdefault(name, _plain(raw))
    if kind_code == "pindah":
        values["tujuan_desa"] = village_text(str(details.get("tujuan_kode", "")))
        values["anggota"] = members_text(details.get("anggota", ""))
    return values


def _plain(raw) -> str:
    if isinstance(raw, (list, tuple)):
        return ", ".join(_plain(item) for item in raw)
    if isinstance(raw, dict):
        return " ".join(str(value) for value in raw.values())
    return str(raw).strip()


def village_text(code: str) -> str:
    """"Kampung Sabak Permai, Kecamatan Sabak Auh, Kabupaten Siak" from an official code."""
    place = official_place(code) if code.strip() else None
    if place is None:
        return code.strip() or "-"
    kind = VILLAGE_KIND_NAMES.get(village_kind(code.strip()), "Desa")
    return f"{kind} {place['village']}, Kecamatan {place['district']}, {place['regency']}"


def members_text(raw) -> str:
    """The family members who move, one numbered line each; "-" when none.

    Accepts what the form may store: text with one "NIK nama" per line, a list of such
    lines, or a list of {"nik", "nama"} rows."""
    if isinstance(raw, str):
        rows = [line.strip() for line in raw.splitlines() if line.strip()]
    else:
        rows = []
        for item in raw or ():
            if isinstance(item, dict):
                name = item.get("nama") or item.get("name") or ""
                nik = item.get("nik") or ""
                rows.append(f"{name} (NIK {nik})" if nik else str(name))
            elif str(item).strip():
                rows.append(str(item).strip())
    if not rows:
        return "-"
    return "\n".join(f"{number}. {row}" for number, row in enumerate(rows, start=1))


# --- the page ------------------------------------------------------------------------------

LEFT, RIGHT, TOP = 25, 20, 15
QR_SIZE = 30
SIGNATURE_BLOCK = 72  # mm the closing needs: place and date, title, QR code, name


def letter_pdf(content: LetterContent) -> bytes:
    issued = datetime.datetime.combine(content.issued_on, datetime.time(8), tzinfo=datetime.UTC)
    pdf = new_pdf(title=f"{content.title} {content.number}", author=content.kampung, created=issued)
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    width = pdf.epw

    _letterhead(pdf, content, width)

    pdf.ln(6)
    pdf.set_font(FONT, "BU", 13)
    pdf.cell(width, 7, pdf_text(content.title.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.cell(width, 6, pdf_text(f"Nomor: {content.number}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    pdf.set_font(FONT, "", 11)
    for paragraph in pdf_text(content.body).split("\n\n"):
        pdf.multi_cell(width, 6, paragraph.strip("\n"), align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    if pdf.will_page_break(SIGNATURE_BLOCK):
        pdf.add_page()
    _closing(pdf, content, width)
    return bytes(pdf.output())


def _letterhead(pdf, content: LetterContent, width: float) -> None:
    lines = [
        (f"PEMERINTAH {content.regency}".upper(), 13),
        (f"KECAMATAN {content.kecamatan}".upper(), 13),
        (content.kampung.upper(), 15),
    ]
    for text, size in lines:
        pdf.set_font(FONT, "B", size)
        pdf.cell(width, size * 0.5, pdf_text(text), align="C", new_x="LMARGIN", new_y="NEXT")
    if content.office_address.strip():
        pdf.set_font(FONT, "", 9.5)
        pdf.multi_cell(width, 5, pdf_text(content.office_address.strip()), align="C",
                       new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 2
    pdf.set_line_width(0.8)
    pdf.line(LEFT, y, LEFT + width, y)
    pdf.set_line_width(0.25)
    pdf.line(LEFT, y + 1.3, LEFT + width, y + 1.3)
    pdf.set_y(y + 2)


def _closing(pdf, content: LetterContent, width: float) -> None:
    """Place and date, the signer on the right; the QR code and its caption on the left."""
    top = pdf.get_y() + 4
    column = 75
    right = LEFT + width - column

    def line(text, style, size, height, gap=0.0):
        pdf.set_xy(right, pdf.get_y() + gap)
        pdf.set_font(FONT, style, size)
        pdf.multi_cell(column, height, pdf_text(text), align="C", new_x="LEFT", new_y="NEXT")

    pdf.set_y(top)
    line(f"{content.place or content.kampung}, {indonesian_date(content.issued_on)}", "", 11, 6)
    line(f"{content.signer_title} {content.kampung}", "", 11, 6)
    line("Ditandatangani secara elektronik", "I", 9, 5, gap=5)
    line(content.signer_name, "BU", 11, 6, gap=9)
    bottom = pdf.get_y()

    pdf.image(_qr_png(content.verification_url), x=LEFT, y=top, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(LEFT, top + QR_SIZE + 1)
    pdf.set_font(FONT, "", 7.5)
    caption_width = width - column - 5
    pdf.multi_cell(caption_width, 3.6, "Pindai untuk memeriksa keaslian surat ini", new_x="LEFT", new_y="NEXT")
    pdf.multi_cell(caption_width, 3.6, pdf_text(content.verification_url), wrapmode="CHAR",
                   new_x="LEFT", new_y="NEXT")
    pdf.set_y(max(bottom, pdf.get_y()))


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer
