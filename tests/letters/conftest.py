"""A village service page open for online requests, and a resident's answers that pass.

The demo's own requests and letters (Bunga Raya has one in every status) are taken out of
each test's way, inside its transaction, so that counts, numbers and lookups are the test's."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.models import ServicePage
from tests.factories.uploads import image_bytes, pdf_bytes

BUNGA_RAYA = "14.08.08.2001"
# Kecamatan Bunga Raya is 14.08.08: a man born 15 July 1990, his KK issued 12 March 2015.
NIK = "1408081507900001"
KK = "1408081203150002"
BORN = "1990-07-15"
WIFE = "1408085507920003"  # a woman born 15 July 1992: 40 added to the day


@pytest.fixture(autouse=True)
def no_demo_letters(request):
    if "django_db" not in {mark.name for mark in request.node.iter_markers()}:
        return
    from cms.letters.models import IssuedLetter, LetterRequest, LetterSequence

    request.getfixturevalue("db")
    IssuedLetter.objects.all().delete()
    LetterRequest.objects.all().delete()
    LetterSequence.objects.all().delete()


@pytest.fixture
def pindah_page(db):
    """Bunga Raya's surat pindah, marked online: three requirements, three uploads."""
    page = ServicePage.objects.live().get(url_path__contains="/bunga-raya/", title="Surat keterangan pindah")
    page.online_letter, page.promised_days = "pindah", 1
    page.save(update_fields=["online_letter", "promised_days"])
    return page


def form_url(page) -> str:
    return page.get_url() + page.reverse_subpage("letter_request")


def answers(**changes) -> dict:
    data = {
        "nama": "Budi Santoso", "tanggal_lahir": BORN, "nik": NIK, "no_kk": KK, "hp": "0812-7654-3210",
        "email": "budi@warga.test", "tujuan_kode": "14.08.08.2002", "tujuan_alamat": "Jalan Sungai Siak No. 3",
        "alasan": "Pindah kerja", "anggota": f"{WIFE} Siti Aminah", "setuju": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def photo(name="foto-ktp.jpg"):
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


def pdf(name="kk.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def all_files() -> dict:
    return {"berkas_0": pdf(), "berkas_1": photo(), "berkas_2": photo("pengantar.png")}


TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def editor(db):
    """Bunga Raya's village office, signed in to the admin."""
    from .office_world import signed_in

    return signed_in("editor.bungaraya")


@pytest.fixture
def regency(db):
    """The regency admin, signed in to the admin."""
    from .office_world import signed_in

    return signed_in("admin")
