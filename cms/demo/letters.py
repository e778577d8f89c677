"""Online letters in three villages of the demo, with requests in every status.

Everything goes through the services a resident's and an operator's actions call; the
people are invented, their NIK and KK numbers only well-formed (the kecamatan's code, the
birth date, a serial)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.files import checked_document
from shops.models import Kampung

from ..letters import services
from ..letters.models import LetterKind, LetterRequest, LetterSettings, LetterStatus
from ..models import KampungHomePage, ServicePage
from ..services import page_publish
from .pictures import paper_picture

# kampung code -> (signer, abbreviation, office address)
VILLAGES = {
    "14.08.08.2001": ("H. Sutrisno", "BR", "Jl. Raya Bunga Raya No. 1, Kecamatan Bunga Raya, Siak 28763"),
    "14.08.07.2001": ("Zulkifli, S.Sos.", "KK", "Jl. Lintas Timur Km 8, Kerinci Kanan, Siak 28654"),
    "14.08.04.2002": ("Muhammad Yusuf", "TL", "Jl. Perawang No. 12, Tualang, Siak 28772"),
}
# service title in the demo -> (kind of letter, promised working days)
ONLINE = {
    "Surat keterangan pindah": ("pindah", 1),
    "Surat keterangan tidak mampu (SKTM)": ("sktm", 1),
    "Surat keterangan usaha": ("sku", 2),
}
# name, birth date, woman?, kind, details, status to reach, working days ago submitted
REQUESTS = [
    ("Sri Wahyuni", datetime.date(1988, 4, 9), True, "sktm",
     {"keperluan": "berobat dengan BPJS PBI di RSUD Siak"}, LetterStatus.SUBMITTED, 0),
    ("Ahmad Fauzi", datetime.date(1979, 8, 17), False, "sku",
     {"usaha_nama": "Keripik Nenas Fauzi", "usaha_jenis": "keripik nanas",
      "usaha_alamat": "RT 02/RW 01, Bunga Raya", "usaha_sejak": "2019"}, LetterStatus.SUBMITTED, 4),
    ("Dewi Lestari", datetime.date(1995, 1, 23), True, "sktm",
     {"keperluan": "beasiswa kuliah"}, LetterStatus.REVIEWING, 1),
    ("Rudi Hartono", datetime.date(1983, 11, 2), False, "pindah",
     {"tujuan_kode": "14.71.02.1001", "tujuan_alamat": "Jl. Sudirman No. 10, Pekanbaru",
      "alasan": "pekerjaan", "anggota": ""}, LetterStatus.INCOMPLETE, 1),
    ("Nurhayati", datetime.date(1991, 6, 30), True, "sku",
     {"usaha_nama": "Warung Nur", "usaha_jenis": "warung makan",
      "usaha_alamat": "Simpang Tiga, Bunga Raya", "usaha_sejak": "2021"}, LetterStatus.APPROVED, 1),
    ("Budi Santoso", datetime.date(1975, 2, 14), False, "sktm",
     {"keperluan": "keringanan biaya sekolah anak"}, LetterStatus.DONE, 2),
    ("Hendra Gunawan", datetime.date(1986, 9, 5), False, "sktm",
     {"keperluan": "bantuan modal usaha"}, LetterStatus.REJECTED, 3),
]


def _nik(kampung: Kampung, born: datetime.date, woman: bool, serial: int) -> str:
    region = kampung.kecamatan.code.replace(".", "")
    return f"{region}{born.day + (40 if woman else 0):02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def _photo(title: str, lines: list[str], seed: str):
    picture = paper_picture(title=title, lines=lines, seed=seed)
    return checked_document(SimpleUploadedFile(picture.name, picture.read(), content_type="image/jpeg"))


def _working_days_ago(days: int) -> datetime.datetime:
    moment = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    while days > 0:
        moment -= datetime.timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def letters_demo(*, operator, admin) -> None:
    for code, (signer, abbreviation, address) in VILLAGES.items():
        kampung = Kampung.objects.get(code=code)
        LetterSettings.objects.get_or_create(kampung=kampung, defaults={
            "signer_name": signer, "signer_title": "Penghulu", "abbreviation": abbreviation,
            "office_address": address})
        services.letter_kinds_ensure(kampung=kampung)
        home = KampungHomePage.objects.get(kampung=kampung)
        for page in ServicePage.objects.descendant_of(home).filter(title__in=ONLINE, online_letter=""):
            page.online_letter, page.promised_days = ONLINE[page.title]
            page_publish(page=page, user=admin)
    kampung = Kampung.objects.get(code="14.08.08.2001")
    if not LetterRequest.objects.filter(kampung=kampung).exists():
        _requests(kampung, operator=operator)


def _requests(kampung: Kampung, *, operator) -> None:
    for serial, (name, born, woman, kind_code, details, status, days_ago) in enumerate(REQUESTS, start=1):
        kind = LetterKind.objects.get(kampung=kampung, code=kind_code)
        page = ServicePage.objects.filter(online_letter=kind_code, url_path__contains=f"/{kampung.slug}/").first()
        nik = _nik(kampung, born, woman, serial)
        documents = [(requirement, _photo(requirement, [name, f"NIK {nik}"], f"{nik}-{index}"))
                     for index, requirement in enumerate(["KTP elektronik", "Kartu Keluarga"])]
        letter_request = services.request_submit(
            kind=kind, service_page=page, promised_days=page.promised_days if page else 1,
            applicant={"applicant_name": name, "nik": nik, "kk_number": _nik(kampung, datetime.date(2015, 1, 12), False, serial),
                       "birth_date": born, "phone": f"62812765400{serial:02d}", "email": ""},
            details=details, documents=documents)
        submitted = _working_days_ago(days_ago)
        LetterRequest.objects.filter(pk=letter_request.pk).update(
            submitted_at=submitted, due_on=services.add_working_days(submitted.date(), letter_request.promised_days))
        letter_request.events.update(created_at=submitted)
        if status == LetterStatus.SUBMITTED:
            continue
        services.request_open(letter_request=letter_request, user=operator)
        if status == LetterStatus.INCOMPLETE:
            services.request_ask_more(letter_request=letter_request, user=operator,
                                      note="Mohon kirim surat pengantar RT/RW yang sudah ditandatangani.")
        elif status in (LetterStatus.APPROVED, LetterStatus.DONE):
            services.request_approve(letter_request=letter_request, user=operator)
            if status == LetterStatus.DONE:
                services.letter_sign(letter_request=letter_request, user=operator)
        elif status == LetterStatus.REJECTED:
            services.request_reject(letter_request=letter_request, user=operator,
                                    reason="Pemohon terdaftar sebagai penduduk kampung lain; ajukan di kampung asal.")
