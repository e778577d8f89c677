"""The one CSV writer of the project: every export a person opens in a spreadsheet goes through it.

A shop's, a buyer's or an editor's text that starts with = + - @ (or a tab or carriage return)
would run as a formula in Excel or LibreOffice (CSV injection). OWASP's advice: prefix such a
text cell with a single quote, so it is shown as text. Numbers stay numbers, so a negative
amount is still a number the spreadsheet can add up.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from oscar.core.compat import UnicodeCSVWriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The cell as a spreadsheet should see it: text that could start a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal)):
        return value
    text = str(value)  # lazy translations, dates and the like become text, and are checked as text
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """A `csv.writer` whose every row goes through `safe_cell`; drop-in for `writerow(s)`."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> SafeWriter:
    return SafeWriter(out, **kwargs)


def csv_bytes(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_response(filename: str, header, rows) -> HttpResponse:
    """A CSV download; the file name is ours (never user text), quoted as RFC 6266 wants."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


class OscarSafeCSVWriter(UnicodeCSVWriter):
    """Oscar's Excel-friendly writer (optional BOM) for its dashboard downloads, each cell made safe."""

    def writerow(self, row):
        return super().writerow([safe_cell(value) for value in row])
