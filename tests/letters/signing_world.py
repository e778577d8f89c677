"""Letters signed through the services, for the PDF, signing and verification tests:
a demo kampung takes the regency's kinds of letter, a resident asks, the office signs."""

import datetime

from django.contrib.auth import get_user_model

from cms.letters.models import LetterKind, LetterSettings
from cms.letters.services import letter_kinds_ensure, letter_sign, request_approve, request_submit
from shops.models import Kampung

BUNGA_RAYA = "14.08.08.2001"
DAYUN = "14.08.06.2001"
NIK = "1408084503900002"  # Bunga Raya (14.08.08), a woman born 5 March 1990
KK = "1408081203150004"


def village(code=BUNGA_RAYA, *, abbreviation="BR", signer_name="Ahmad Syafii, S.Sos.") -> Kampung:
    kampung = Kampung.objects.select_related("kecamatan__regency").get(code=code)
    letter_kinds_ensure(kampung=kampung)
    LetterSettings.objects.update_or_create(kampung=kampung, defaults={
        "abbreviation": abbreviation, "signer_name": signer_name, "signer_title": "Penghulu",
        "office_address": f"Jalan Lintas Bunga Raya No. 1, {kampung.name}, Siak 28763",
    })
    return kampung


def admin():
    return get_user_model().objects.get(username="admin")


DETAILS = {
    "pindah": {"tujuan_kode": "14.08.06.2001", "tujuan_alamat": "Jalan Sultan Syarif Kasim RT 02 RW 01",
               "alasan": "bekerja", "anggota": "1408080101150003 Rizki Ramadhan\n1408084702170001 Nur Aisyah"},
    "sktm": {"keperluan": "berobat dengan BPJS PBI"},
}


def submitted(kampung, *, code="pindah", name="Siti Aminah", details=None, birth_date=datetime.date(1990, 3, 5)):
    kind = LetterKind.objects.get(kampung=kampung, code=code)
    return request_submit(kind=kind, promised_days=3, applicant={
        "applicant_name": name, "nik": NIK, "kk_number": KK, "birth_date": birth_date,
        "phone": "6281234567890", "email": "",
    }, details=details if details is not None else DETAILS[code], documents=[])


def signed(kampung, **request):
    letter_request = submitted(kampung, **request)
    request_approve(letter_request=letter_request, user=admin())
    return letter_sign(letter_request=letter_request, user=admin())


def letter_bytes(letter) -> bytes:
    with letter.pdf.open("rb") as f:
        return f.read()
