"""The public page the letter's QR code opens: which letter, of which village, and whether
the file in hand is the one issued. No sign-in, no personal data beyond initials."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cms.letters.pdf import indonesian_date
from tests.factories.uploads import image_bytes, zip_bytes
from tests.letters.signing_world import DAYUN, KK, NIK, letter_bytes, signed, village

pytestmark = pytest.mark.django_db

SAME = "Berkas ini sama persis dengan surat yang diterbitkan</strong>, tanda tangan sah"
DIFFERENT = "Berkas ini BERBEDA dari surat yang diterbitkan (telah diubah)"


def upload(client, letter, content, name="surat.pdf"):
    return client.post(f"/verifikasi/{letter.verification_code}/",
                       {"berkas": SimpleUploadedFile(name, content, content_type="application/pdf")})


def test_the_page_names_the_letter_and_never_the_person(client):
    letter = signed(village())

    page = client.get(f"/verifikasi/{letter.verification_code}/")

    html = page.content.decode()
    assert page.status_code == 200
    for expected in ["Surat Keterangan Pindah", letter.number, "Kampung Bunga Raya", "Kecamatan Bunga Raya",
                     "Kabupaten Siak", indonesian_date(timezone.localdate(letter.issued_at)),
                     "Penghulu Kampung Bunga Raya", "inisial S.A."]:
        assert expected in html, expected
    for personal in [NIK, KK, "Siti", "Aminah", "Rizki", "1990", "6281234567890", "Sultan Syarif Kasim"]:
        assert personal not in html, personal
    assert "noindex" in html


def test_the_issued_file_is_confirmed(client):
    letter = signed(village())

    page = upload(client, letter, letter_bytes(letter))

    assert page.status_code == 200
    assert SAME in page.content.decode() and "sah, oleh Penghulu Kampung Bunga Raya" in page.content.decode()


def test_a_changed_copy_is_called_different_and_its_signature_invalid(client):
    letter = signed(village())
    data = letter_bytes(letter)
    at = data.index(b"Pasar Kampung")

    page = upload(client, letter, data[:at] + b"Pasar Kampunk" + data[at + 13:])

    html = page.content.decode()
    assert page.status_code == 200 and DIFFERENT in html and "TIDAK SAH" in html and SAME not in html


def test_another_letter_shown_for_this_code_is_called_different(client):
    kampung = village()
    letter, other = signed(kampung), signed(kampung)

    html = upload(client, letter, letter_bytes(other)).content.decode()

    assert DIFFERENT in html  # validly signed, but not the letter this code names
    assert "sah, oleh Penghulu Kampung Bunga Raya" in html


def test_a_letter_of_another_village_is_verified_by_anyone(client):
    letter = signed(village(DAYUN, abbreviation="DY"))

    page = upload(client, letter, letter_bytes(letter))

    assert "Kampung Dayun" in page.content.decode() and SAME in page.content.decode()


def test_an_unknown_code_is_not_found(client):
    assert client.get("/verifikasi/TIDAKADA23/").status_code == 404


@pytest.mark.parametrize("content, message", [
    (image_bytes(), "Berkas ini bukan PDF"),
    (zip_bytes(), "Berkas ini bukan PDF"),
    (b"<script>alert(1)</script>", "Berkas ini bukan PDF"),
    (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "Berkas terlalu besar: paling banyak 5 MB"),
    (b"", "Berkas kosong"),
    (None, "Pilih berkas PDF surat yang ingin diperiksa"),
])
def test_hostile_or_wrong_uploads_get_a_message_and_a_400(client, content, message):
    letter = signed(village())

    if content is None:
        page = client.post(f"/verifikasi/{letter.verification_code}/", {})
    else:
        page = upload(client, letter, content)

    assert page.status_code == 400 and message in page.content.decode()
    assert letter.number in page.content.decode()  # still the page of the letter


def test_a_broken_pdf_is_answered_not_crashed(client):
    letter = signed(village())

    page = upload(client, letter, b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n%%EOF")

    html = page.content.decode()
    assert page.status_code == 200 and DIFFERENT in html and "tidak ada tanda tangan elektronik" in html


def test_uploads_are_rate_limited_per_client(client, settings):
    settings.LETTERS_VERIFY_UPLOADS_PER_IP = (2, 3600)
    letter = signed(village())
    data = letter_bytes(letter)

    answers = [upload(client, letter, data).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_the_regencys_certificate_is_offered_for_pdf_readers_to_trust():
    from cryptography import x509

    letter = signed(village())
    page = Client().get(f"/verifikasi/{letter.verification_code}/").content.decode()
    assert "Unduh sertifikat kabupaten" in page

    response = Client().get(f"/verifikasi/{letter.verification_code}/sertifikat-kabupaten.crt")

    assert response.status_code == 200 and "sertifikat-kabupaten-siak.crt" in response["Content-Disposition"]
    certificate = x509.load_pem_x509_certificate(response.content)
    assert "Pemerintah Kabupaten Siak" in certificate.subject.rfc4514_string()
    assert b"PRIVATE KEY" not in response.content
    assert Client().get("/verifikasi/TIDAKADA23/sertifikat-kabupaten.crt").status_code == 404
