"""The letter a resident downloads: on the kampung's letterhead, numbered in the village's
sequence for the year, the body filled from the request, with a QR code to verification."""

import datetime
import io

import pypdf
import pytest
import segno
from django.utils import timezone
from PIL import Image, ImageChops

from cms.letters import services
from cms.letters.kinds import APPLICANT_PLACEHOLDERS
from cms.letters.pdf import LetterContent, indonesian_date, letter_pdf
from cms.letters.services import letter_settings_for
from tests.letters.signing_world import DAYUN, letter_bytes, signed, submitted, village

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data), strict=True).pages)


def test_numbers_follow_the_villages_format_and_its_sequence_for_the_year(monkeypatch):
    bunga_raya, dayun = village(), village(DAYUN, abbreviation="DY")
    year = timezone.localdate().year

    first, second = signed(bunga_raya), signed(bunga_raya)
    poverty = signed(bunga_raya, code="sktm")
    elsewhere = signed(dayun)

    assert [first.number, second.number] == [f"474/001/BR/{year}", f"474/002/BR/{year}"]
    assert poverty.number == f"400/003/BR/{year}"  # one sequence per village, whatever the kind
    assert elsewhere.number == f"474/001/DY/{year}"  # each village counts its own
    january = datetime.datetime(year + 1, 1, 5, 9, tzinfo=datetime.UTC)
    monkeypatch.setattr(services.timezone, "now", lambda: january)
    assert signed(bunga_raya).number == f"474/001/BR/{year + 1}"


def test_the_letter_reads_back_with_letterhead_number_applicant_and_body():
    letter = signed(village())

    text = text_of(letter_bytes(letter))

    for expected in ["PEMERINTAH KABUPATEN SIAK", "KECAMATAN BUNGA RAYA", "KAMPUNG BUNGA RAYA",
                     "Jalan Lintas Bunga Raya No. 1", "SURAT KETERANGAN PINDAH", f"Nomor: {letter.number}",
                     "Nama: Siti Aminah", "NIK: 1408084503900002", "Nomor KK: 1408081203150004",
                     "Tanggal lahir: 5 Maret 1990", "Penghulu Kampung Bunga Raya",
                     "Kampung Dayun, Kecamatan Dayun,", "Jalan Sultan Syarif Kasim RT 02 RW 01",
                     "1. 1408080101150003 Rizki Ramadhan", "2. 1408084702170001 Nur Aisyah",
                     f"Bunga Raya, {indonesian_date(timezone.localdate(letter.issued_at))}",
                     "Ahmad Syafii, S.Sos.", "Ditandatangani secara elektronik",
                     "Pindai untuk memeriksa keaslian surat ini", f"/verifikasi/{letter.verification_code}/"]:
        assert expected in text, expected
    assert "{" not in text  # every placeholder filled


def test_the_qr_code_on_the_page_encodes_the_verification_address(settings):
    letter = signed(village())
    url = f"{settings.SITE_URL}/verifikasi/{letter.verification_code}/"

    images = pypdf.PdfReader(io.BytesIO(letter_bytes(letter))).pages[0].images

    assert len(images) == 1
    printed = images[0].image.convert("1")
    expected = io.BytesIO()
    segno.make(url, error="m", micro=False).save(expected, kind="png", scale=8, border=2)
    expected = Image.open(expected).convert("1")
    assert printed.size == expected.size and ImageChops.difference(printed, expected).getbbox() is None


def test_a_move_alone_lists_no_members_and_a_poverty_letter_its_purpose():
    kampung = village()

    alone = text_of(letter_bytes(signed(kampung, details={
        "tujuan_kode": "14.08.06.2001", "tujuan_alamat": "RT 01", "alasan": "menikah", "anggota": ""})))
    poverty = text_of(letter_bytes(signed(kampung, code="sktm")))

    assert "Anggota keluarga yang ikut pindah:\n-\n" in alone
    assert "SURAT KETERANGAN TIDAK MAMPU" in poverty and "untuk keperluan berobat dengan BPJS PBI" in poverty


def test_whatever_a_resident_types_the_letter_is_written_and_reads_back():
    hostile = "Şiti Àminah 😀 \u0639\u0631\u0628\u064a\u200b<b>&"

    letter = signed(village(), name=hostile, details={
        "tujuan_kode": "99.99", "tujuan_alamat": "Jl. \U0001f3e0\r\n\t(RT 1)", "alasan": "\x07", "anggota": "😀"})

    text = text_of(letter_bytes(letter))
    assert "Nama: Siti Àminah ? ????<b>&" in text  # other scripts as "?", zero-width space gone
    assert "pindah ke 99.99" in text  # an unknown code is written as given


def test_control_characters_and_nul_never_reach_the_page():
    content = LetterContent(
        regency="Kabupaten Siak\x00", kecamatan="Bunga\x1bRaya", kampung="Kampung \ud800Bunga Raya",
        office_address="\x00", title="Surat\x00", number="1/\x00/2026", body="A\x00B\x07C\n\nD\u202eE",
        issued_on=datetime.date(2026, 11, 24), signer_title="Penghulu", signer_name="\U0001f600",
        verification_code="X", verification_url="https://contoh.test/verifikasi/X/")

    text = text_of(letter_pdf(content))

    assert "ABC" in text and "DE" in text and "KAMPUNG BUNGA RAYA" in text and "BUNGARAYA" in text


def test_every_placeholder_a_template_may_use_is_filled_and_the_pdf_is_reproducible():
    kampung = village()
    letter_request = submitted(kampung, code="sktm")
    letter_request.kind.template = " ".join(f"<{{{name}}}>" for name in [*APPLICANT_PLACEHOLDERS, "jabatan", "keperluan"])

    content = LetterContent.for_request(letter_request, letter_settings=letter_settings_for(kampung),
                                        number="400/009/BR/2026", verification_code="ABCDEFGH23",
                                        issued_on=datetime.date(2026, 11, 24))

    assert content.body == ("<Siti Aminah> <1408084503900002> <1408081203150004> <5 Maret 1990> "
                            "<Kampung Bunga Raya> <Bunga Raya> <Kabupaten Siak> <Penghulu> <berobat dengan BPJS PBI>")
    assert letter_pdf(content) == letter_pdf(content)
    assert "24 November 2026" in text_of(letter_pdf(content))
