"""The shape of an NIK and a KK number, checked before a request is accepted.

Both are 16 digits. The first six are the official code of the kecamatan that issued them
(Kemendagri: province, kabupaten, kecamatan, '140806' for Dayun in Siak), so they must be a
kecamatan of the official area data. An NIK's next six are the holder's birth date as
DDMMYY, with 40 added to the day for a woman; a KK's are the date it was issued. The last
four are a serial number, never 0000. A wrong shape is a typing slip the resident can fix
at once; whether the number belongs to the person is for the village office to check.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shops.services import official_district

LENGTH = 16
_SEPARATORS = re.compile(r"[\s.\-]")


def digits_of(value: str) -> str:
    """'1408 0652 0190 0001' or '1408.0652.0190.0001' as the 16 digits it is."""
    return _SEPARATORS.sub("", value or "")


def _region(digits: str, what: str) -> None:
    code = f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"
    if official_district(code) is None:
        raise ValidationError(
            _("Enam angka pertama %(what)s (%(code)s) bukan kode kecamatan yang terdaftar di Kemendagri."),
            code="region", params={"what": what, "code": digits[:6]})


def _shape(digits: str, what: str) -> None:
    others = sorted({char for char in digits if not char.isdigit()})
    if others:  # the letter O typed for a zero, a comma: say which, not only how long
        raise ValidationError(_("%(what)s hanya berisi angka; yang diisi memuat %(chars)s."),
                              code="not_digits", params={"what": what, "chars": " ".join(f"'{c}'" for c in others[:5])})
    if len(digits) != LENGTH:
        raise ValidationError(_("%(what)s harus 16 angka; yang diisi %(count)d karakter."),
                              code="length", params={"what": what, "count": len(digits)})
    if digits[12:] == "0000":
        raise ValidationError(_("Empat angka terakhir %(what)s tidak boleh 0000."), code="serial", params={"what": what})


def _date(day: int, month: int, year: int, *, today: datetime.date) -> datetime.date | None:
    """The date DD MM YY stands for, in the century that puts it not in the future."""
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        return datetime.date(century + year, month, day)
    except ValueError:
        return None


def nik_clean(value: str, *, birth_date: datetime.date | None = None, today: datetime.date | None = None) -> str:
    """The NIK as 16 digits, or a ValidationError saying what is wrong with it; with the
    birth date given, the date inside the NIK must be it (for a man or a woman)."""
    digits = digits_of(value)
    _shape(digits, "NIK")
    _region(digits, "NIK")
    today = today or datetime.date.today()
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    born = _date(day - 40 if day > 40 else day, month, year, today=today)
    if born is None:
        raise ValidationError(_("Angka ke-7 sampai ke-12 NIK (%(part)s) bukan tanggal lahir yang mungkin."),
                              code="birth_date", params={"part": digits[6:12]})
    if birth_date is not None and (born.day, born.month, born.year % 100) != (
            birth_date.day, birth_date.month, birth_date.year % 100):
        raise ValidationError(_("Tanggal lahir di NIK (%(nik)s) tidak sama dengan tanggal lahir yang diisi (%(given)s)."),
                              code="birth_date_mismatch",
                              params={"nik": born.strftime("%d-%m-%Y"), "given": birth_date.strftime("%d-%m-%Y")})
    return digits


def kk_clean(value: str, *, today: datetime.date | None = None) -> str:
    """The KK number as 16 digits, or a ValidationError saying what is wrong with it."""
    digits = digits_of(value)
    _shape(digits, "Nomor KK")
    _region(digits, "nomor KK")
    issued = _date(int(digits[6:8]), int(digits[8:10]), int(digits[10:12]), today=today or datetime.date.today())
    if issued is None:
        raise ValidationError(_("Angka ke-7 sampai ke-12 nomor KK (%(part)s) bukan tanggal terbit yang mungkin."),
                              code="issue_date", params={"part": digits[6:12]})
    return digits
