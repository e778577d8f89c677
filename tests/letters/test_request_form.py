"""A resident asks for a letter from a village's service page: what they typed and the files
that passed are never lost to a slip, and each slip is named where it was made."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.letters.models import LetterEvent, LetterKind, LetterRequest, LetterStatus
from cms.models import ServicePage
from tests.factories.uploads import SCRIPT, image_bytes

from .conftest import BORN, KK, NIK, WIFE, all_files, answers, form_url, pdf, photo

pytestmark = pytest.mark.django_db


def tokens(html: str) -> dict:
    return dict(re.findall(r'name="(berkas_\d_simpan)" value="([^"]+)"', html))


def test_an_online_service_page_offers_the_form_near_the_top(client, pindah_page):
    page = client.get(pindah_page.get_url())

    html = page.content.decode()
    assert "Ajukan online" in html
    assert f'href="{form_url(pindah_page)}"' in html
    assert html.index("Ajukan online") < html.index("Persyaratan")
    assert "1 hari kerja" in html


def test_a_service_page_not_marked_online_has_no_form(client, pindah_page):
    other = ServicePage.objects.live().get(url_path__contains="/bunga-raya/", title__startswith="Surat keterangan usaha")
    ServicePage.objects.filter(pk=other.pk).update(online_letter="")  # the demo offers it online

    assert "Ajukan online" not in client.get(other.get_url()).content.decode()
    assert client.get(form_url(other)).status_code == 404
    assert client.post(form_url(other), answers()).status_code == 404


def test_the_form_asks_for_the_applicant_the_letters_fields_and_one_file_per_requirement(client, pindah_page):
    response = client.get(form_url(pindah_page))

    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Nama lengkap", "NIK", "Nomor KK", "Tanggal lahir", "Nomor HP/WhatsApp", "Kode kampung/desa tujuan",
                  "Anggota keluarga yang ikut pindah", "Kartu Keluarga asli", "KTP elektronik",
                  "Surat pengantar RT/RW", "Pelindungan Data Pribadi"):
        assert label in html, label
    assert html.count('accept="image/*,application/pdf"') == 3
    assert response["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex' in html


def test_a_resident_sends_a_request_with_a_photo_and_a_pdf(client, pindah_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(pindah_page), {**answers(), **all_files()})

    letter_request = LetterRequest.objects.get(applicant_name="Budi Santoso")
    assert response.status_code == 302
    assert response["Location"] == f"/surat/{letter_request.code}/{letter_request.secret}/"
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"
    assert (letter_request.nik, letter_request.kk_number, letter_request.phone) == (NIK, KK, "6281276543210")
    assert str(letter_request.birth_date) == BORN
    assert letter_request.kind == LetterKind.objects.get(kampung__code="14.08.08.2001", code="pindah")
    assert letter_request.service_page_id == pindah_page.pk and letter_request.promised_days == 1
    assert letter_request.details == {
        "tujuan_kode": "14.08.08.2002", "tujuan_desa": "Jati Baru, Kecamatan Bunga Raya, Kabupaten Siak, Riau",
        "tujuan_alamat": "Jalan Sungai Siak No. 3", "alasan": "Pindah kerja", "anggota": f"{WIFE} Siti Aminah"}
    documents = list(letter_request.documents.order_by("pk"))
    assert [d.requirement for d in documents] == ["Kartu Keluarga asli", "KTP elektronik", "Surat pengantar RT/RW"]
    assert [d.file.name.rsplit(".", 1)[1] for d in documents] == ["pdf", "jpg", "jpg"]  # by content, not by name
    assert letter_request.events.get().action == LetterEvent.Action.SUBMITTED
    tracking = client.get(response["Location"])
    assert letter_request.code in tracking.content.decode()


def test_the_kind_is_taken_from_the_regency_set_when_the_village_has_none_yet(client, pindah_page):
    LetterKind.objects.filter(kampung__code="14.08.08.2001", code="pindah").delete()

    response = client.post(form_url(pindah_page), {**answers(), **all_files()})

    assert response.status_code == 302
    assert LetterRequest.objects.get().kind.title == "Surat Keterangan Pindah"


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("nik", "12345", "NIK harus 16 angka"),
    ("nik", "9999991507900001", "bukan kode kecamatan yang terdaftar"),
    ("nik", "1408081607900001", "tidak sama dengan tanggal lahir yang diisi"),
    ("no_kk", "14080812031500", "Nomor KK harus 16 angka"),
    ("no_kk", "1408089913150002", "bukan tanggal terbit yang mungkin"),
    ("tujuan_kode", "14.08.08.9999", "Kode 14.08.08.9999 tidak ada dalam data wilayah Kemendagri"),
    ("tujuan_kode", "1408", "berisi 10 angka"),
    ("anggota", f"{WIFE} Siti Aminah\n12345 Budi Kecil", "Baris 2: NIK harus 16 angka"),
    ("anggota", f"{WIFE}\n", "Baris 1: tulis NIK lalu nama"),
    ("anggota", "\n\n9999995507920003 Siti", "Baris 3: Enam angka pertama NIK"),
    ("hp", "12345", "Tulis nomor HP Indonesia"),
])
def test_each_slip_is_named_at_its_field_and_nothing_typed_is_lost(client, pindah_page, field, typed, message):
    response = client.post(form_url(pindah_page), {**answers(**{field: typed}), **all_files()})

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert response.context["form"].errors[field]
    assert 'value="Budi Santoso"' in html and "Jalan Sungai Siak No. 3" in html
    assert len(tokens(html)) == 3
    assert not LetterRequest.objects.exists()


def test_files_that_passed_are_kept_after_an_error_and_sent_with_the_correction(client, pindah_page):
    first = client.post(form_url(pindah_page), {**answers(nik="12345"), **all_files()})
    html = first.content.decode()
    kept = tokens(html)

    assert "KTP elektronik: <strong>foto-ktp.jpg</strong> sudah terunggah" in html
    assert "(ganti)" in re.sub(r"<[^>]+>", "", html)
    second = client.post(form_url(pindah_page), {**answers(), **kept})

    assert second.status_code == 302
    letter_request = LetterRequest.objects.get()
    assert letter_request.documents.count() == 3
    with letter_request.documents.get(requirement="KTP elektronik").file.open("rb") as stored:
        assert stored.read()[:3] == b"\xff\xd8\xff"  # the JPEG, re-encoded on its first trip


def test_a_forged_token_keeps_nothing(client, pindah_page):
    response = client.post(form_url(pindah_page), {**answers(), "berkas_0_simpan": "letters/issued/2026/x.pdf",
                                                    "berkas_1": photo(), "berkas_2": photo()})

    assert response.status_code == 400
    assert "Unggah foto atau PDF Kartu Keluarga asli" in response.content.decode()


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("ktp.jpg", SCRIPT, content_type="image/jpeg"), "Kirim foto JPEG, PNG atau WebP, atau berkas PDF"),
    (SimpleUploadedFile("ktp.pdf", b"%PDF-1.4\nrusak", content_type="application/pdf"), "Berkas PDF ini rusak"),
    (SimpleUploadedFile("ktp.jpg", b"\xff" * (50 * 1024 * 1024), content_type="image/jpeg"), "Berkas terlalu besar"),
])
def test_a_hostile_or_oversized_file_gets_its_own_message_and_loses_nothing_else(client, pindah_page, upload, message):
    response = client.post(form_url(pindah_page), {**answers(), "berkas_0": pdf(), "berkas_1": upload,
                                                    "berkas_2": photo("pengantar.jpg")})

    html = response.content.decode()
    assert response.status_code == 400
    assert f"ktp.{upload.name.rsplit('.', 1)[1]}: {message}" in html
    kept = tokens(html)
    assert set(kept) == {"berkas_0_simpan", "berkas_2_simpan"}
    assert "pengantar.jpg</strong> sudah terunggah" in html
    assert 'value="Budi Santoso"' in html
    again = client.post(form_url(pindah_page), {**answers(), **kept, "berkas_1": photo()})
    assert again.status_code == 302


def test_consent_is_required(client, pindah_page):
    response = client.post(form_url(pindah_page), {**answers(setuju=None), **all_files()})

    assert response.status_code == 400
    assert "Centang persetujuan ini" in response.content.decode()
    assert not LetterRequest.objects.exists()


def test_a_kind_without_members_asks_for_its_own_fields(client, pindah_page):
    pindah_page.online_letter = "sktm"
    pindah_page.save(update_fields=["online_letter"])

    marked_up = client.post(form_url(pindah_page), {**answers(keperluan="<b>Berobat</b> BPJS"), **all_files()})
    assert marked_up.status_code == 400 and "Tulis tanpa tanda" in marked_up.content.decode()  # not quietly changed

    response = client.post(form_url(pindah_page), {**answers(keperluan="Berobat BPJS"), **all_files()})

    assert response.status_code == 302
    letter_request = LetterRequest.objects.get()
    assert letter_request.details == {"keperluan": "Berobat BPJS"}
    assert letter_request.status == LetterStatus.SUBMITTED


def test_the_form_and_tracking_pages_are_never_in_the_sitemap(client, pindah_page):
    client.post(form_url(pindah_page), {**answers(), **all_files()})

    sitemap = client.get("/sitemap.xml").content.decode()
    assert "ajukan/" not in sitemap and "/surat/" not in sitemap


def test_a_photo_of_a_requirement_keeps_its_own_name_on_the_page(client, pindah_page):
    # given a second try where the resident replaces one kept file
    first = client.post(form_url(pindah_page), {**answers(nik="1"), **all_files()})
    kept = tokens(first.content.decode())

    second = client.post(form_url(pindah_page), {**answers(nik="1"), **kept,
                                                 "berkas_1": SimpleUploadedFile("baru.png", image_bytes(), "image/png")})

    html = second.content.decode()
    assert "baru.png</strong> sudah terunggah" in html and "foto-ktp.jpg" not in html
