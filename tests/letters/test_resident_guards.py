"""What the fresh-eyes walk found on the resident's side, each as the resident or a stranger meets it."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from cms.letters.models import LetterRequest, LetterStatus
from cms.letters.services import request_reject
from marketplace.files import checked_document

from .conftest import KK, NIK, WIFE, all_files, answers, form_url, photo
from .test_tracking import letter_request, operator, url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def token_of(html: str, slot: str) -> str:
    return re.search(rf'name="{slot}_simpan" value="([^"]+)"', html).group(1)


def test_a_stashed_file_cannot_be_taken_by_another_browser(client, pindah_page):
    first = client.post(form_url(pindah_page), {**answers(nik="123"), **all_files()})
    token = token_of(first.content.decode(), "berkas_1")

    stranger = Client()
    files = all_files()
    del files["berkas_1"]
    borrowed = stranger.post(form_url(pindah_page), {**answers(), **files, "berkas_1_simpan": token})

    assert borrowed.status_code == 400
    assert "Unggah foto atau PDF" in borrowed.content.decode()
    assert not LetterRequest.objects.exists()
    # the one who uploaded it still sends it with the correction
    files = all_files()
    del files["berkas_1"]
    assert client.post(form_url(pindah_page), {**answers(), **files, "berkas_1_simpan": token}).status_code == 302


def test_slips_without_files_do_not_use_up_the_address_and_a_refusal_keeps_the_form(client, pindah_page, settings):
    settings.THROTTLE_LETTER_POSTS_PER_IP = (2, 3600)
    for _ in range(5):  # typing mistakes of several residents behind one address
        assert client.post(form_url(pindah_page), answers(nik="123")).status_code == 400
    assert client.post(form_url(pindah_page), {**answers(), **all_files()}).status_code == 302
    assert client.post(form_url(pindah_page), {**answers(), **all_files()}).status_code == 302

    refused = client.post(form_url(pindah_page), {**answers(nama="Rahmat Hidayat"), **all_files()})

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Terlalu banyak permohonan dan berkas" in html
    assert 'value="Rahmat Hidayat"' in html  # nothing typed is lost
    assert LetterRequest.objects.count() == 2


def test_a_known_nik_opens_the_request_after_strangers_locked_its_birth_date(letter_request, settings):  # noqa: F811
    settings.THROTTLE_LETTER_LOOKUP_FAILURES = (3, 3600)
    for address in ("10.0.0.1", "10.0.0.2"):
        stranger = Client(REMOTE_ADDR=address)
        for day in (1, 2):
            stranger.post("/surat/lacak/", {"kode": letter_request.code, "tanggal_lahir": f"1980-01-{day:02d}"})
    assert Client(REMOTE_ADDR="10.0.0.3").post(
        "/surat/lacak/", {"kode": letter_request.code, "tanggal_lahir": "1990-07-15"}).status_code == 429

    resident = Client(REMOTE_ADDR="10.0.0.4").post("/surat/lacak/", {"kode": letter_request.code, "nik": NIK})

    assert resident.status_code == 302 and resident["Location"] == url(letter_request)


@pytest.mark.parametrize("field, value, message", [
    ("nama", "<script>alert(1)</script> Siti", "Tulis tanpa tanda &lt; dan &gt;"),
    ("nama", "Siti 😀", "tidak bisa dicetak di surat"),
    ("nama", "Siti123", "Nama hanya berisi huruf"),
    ("alasan", "kerja 🚀 di kota", "tidak bisa dicetak di surat"),
    ("tujuan_alamat", "<b>Jl.</b> Sudirman", "Tulis tanpa tanda"),
    ("nik", "14080815O7900001", "NIK hanya berisi angka; yang diisi memuat &#x27;O&#x27;"),
    ("tujuan_kode", "14.08.08.2001", "Kampung tujuan sama dengan kampung asal"),
    ("anggota", f"{NIK} Budi Santoso", "Baris 1: ini NIK pemohon sendiri"),
    ("anggota", f"{WIFE} Siti Aminah\n{WIFE} Siti", "Baris 2: NIK ini sudah ditulis di baris 1"),
])
def test_what_a_letter_cannot_print_or_say_is_refused_not_changed(client, pindah_page, field, value, message):
    response = client.post(form_url(pindah_page), {**answers(**{field: value}), **all_files()})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LetterRequest.objects.exists()


@pytest.mark.parametrize("year, accepted", [("2019", True), ("dua ribu", False), ("2099", False), ("1800", False)])
def test_a_business_is_dated_by_a_year_that_has_been(client, year, accepted):
    from cms.models import ServicePage

    page = ServicePage.objects.live().get(url_path__contains="/bunga-raya/", title__startswith="Surat keterangan usaha")
    data = {"nama": "Budi Santoso", "tanggal_lahir": "1990-07-15", "nik": NIK, "no_kk": KK, "hp": "081276543210",
            "usaha_nama": "Keripik Budi", "usaha_jenis": "keripik nanas", "usaha_alamat": "RT 01", "usaha_sejak": year,
            "setuju": "on", "berkas_0": photo(), "berkas_1": photo(), "berkas_2": photo()}

    response = client.post(form_url(page), data)

    assert response.status_code == (302 if accepted else 400)
    if not accepted:
        assert "Tulis tahun dengan 4 angka" in response.content.decode()


def test_a_pdf_that_runs_script_is_kept_as_its_pages_only():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    sent = io.BytesIO()
    writer.write(sent)
    assert b"/JavaScript" in sent.getvalue()

    kept = checked_document(ContentFile(sent.getvalue(), name="pengantar.pdf"))

    assert b"/JavaScript" not in kept.content and b"/OpenAction" not in kept.content
    assert len(PdfReader(io.BytesIO(kept.content)).pages) == 1


def test_a_refused_resident_can_ask_again_from_the_page(client, letter_request, operator):  # noqa: F811
    request_reject(letter_request=letter_request, user=operator, reason="Foto KTP tidak terbaca.")
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.REJECTED

    html = client.get(url(letter_request)).content.decode()

    assert "Ajukan permohonan baru" in html
    assert f'href="{letter_request.service_page.url}ajukan/"' in html
