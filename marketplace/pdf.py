"""What every PDF we write shares: fpdf2 with its core fonts, and text made safe for them.

fpdf2's core fonts (Helvetica, Courier) need no font file but know only Latin-1; a name
or an address typed on a phone may hold anything (emoji, Arabic script, a NUL), so
every string goes through `pdf_text` before it reaches a page."""

import datetime
import unicodedata

from fpdf import FPDF

FONT = "helvetica"

# Typography that has a plain Latin-1 equivalent, kept rather than lost.
_REPLACEMENTS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u00a0": " ", "\u2022": "-",
    "\t": " ", "\r": "",
})


def pdf_text(value) -> str:
    """`value` as Latin-1 text a core font can draw: accents decomposed where the letter
    is not in Latin-1 (ş -> s), other scripts and symbols as '?', control characters
    dropped, line breaks kept."""
    out = []
    for char in str(value).translate(_REPLACEMENTS):
        if char == "\n":
            out.append(char)
        elif unicodedata.category(char)[0] == "C":  # controls, NUL, format marks, surrogates
            continue
        elif ord(char) < 256:
            out.append(char)
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char)
                           if ord(c) < 256 and unicodedata.category(c)[0] not in "CM")
            out.append(base or "?")
    return "".join(out)


def unprintable(value) -> str:
    """The characters of `value` that pdf_text would print as '?' (emoji, other scripts)."""
    return "".join(dict.fromkeys(char for char in str(value) if char != "?" and pdf_text(char) == "?"))


def new_pdf(*, title: str, author: str = "", created: datetime.datetime | None = None,
                 document_class: type[FPDF] = FPDF) -> FPDF:
    """An A4 document whose bytes depend on its content and `created`, not on the clock."""
    pdf = document_class(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(pdf_text(title))
    if author:
        pdf.set_author(pdf_text(author))
    pdf.set_creator("Pasar Kampung")
    pdf.set_producer("Pasar Kampung")
    pdf.set_lang("id")
    pdf.set_creation_date(created or datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    return pdf
