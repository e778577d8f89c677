"""The resident follows a request by its secret link: the steps with their dates, the office's
note, documents added later, the promise kept or not, the letter to download; and nobody
without the secret reaches any of it."""

import datetime
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.template.defaultfilters import date as date_format
from django.utils import timezone, translation

from cms.letters.models import IssuedLetter, LetterRequest, LetterStatus
from cms.letters.services import request_ask_more, request_open, request_reject, request_submit
from marketplace.files import checked_document
from tests.factories.uploads import SCRIPT, pdf_bytes

from .conftest import BORN, KK, NIK, photo

pytestmark = pytest.mark.django_db


def submit(pindah_page, *, name="Budi Santoso", email="budi@warga.test", nik=NIK):
    kind = pindah_page.kampung_home().kampung.letter_kinds.get(code="pindah")
    return request_submit(
        kind=kind, service_page=pindah_page, promised_days=1,
        applicant={"applicant_name": name, "nik": nik, "kk_number": KK, "birth_date": datetime.date(1990, 7, 15),
                   "phone": "6281276543210", "email": email},
        details={"tujuan_kode": "14.08.08.2002", "alasan": "Pindah kerja"},
        documents=[("KTP elektronik", checked_document(photo()))])


@pytest.fixture
def letter_request(pindah_page):
    from cms.letters.services import letter_kinds_ensure

    letter_kinds_ensure(kampung=pindah_page.kampung_home().kampung)
    return submit(pindah_page)


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_user("petugas.rahasia", "petugas@bungaraya.test", "sandi-petugas")


def url(letter_request, tail=""):
    return f"/surat/{letter_request.code}/{letter_request.secret}/{tail}"


def finish(letter_request, operator):
    """Signed: an issued letter made directly (the signing itself is tested where it lives)."""
    content = pdf_bytes()
    letter = IssuedLetter(
        request=letter_request, kampung=letter_request.kampung, number="474/001/BR/2026", year=2026, sequence=1,
        title=letter_request.kind.title, applicant_initials=letter_request.initials, verification_code="VERIF23456",
        sha256=hashlib.sha256(content).hexdigest(), signer_name="Penghulu Bunga Raya", signer_title="Penghulu",
        signed_by=operator)
    letter.pdf.save("VERIF23456.pdf", ContentFile(content), save=False)
    letter.save()
    LetterRequest.objects.filter(pk=letter_request.pk).update(status=LetterStatus.DONE, closed_at=timezone.now())
    return letter


def test_the_page_shows_the_code_the_kind_the_village_and_the_steps_ahead(client, letter_request):
    response = client.get(url(letter_request))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="letter-code" id="kode">{letter_request.code}</p>' in html
    assert "Surat Keterangan Pindah" in html and "Bunga Raya" in html
    for step in ("Diajukan", "Diperiksa", "Disetujui", "Selesai"):
        assert step in html
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"] and '<meta name="robots" content="noindex' in html
    assert "https://wa.me/?text=" in html and "Simpan tautan di WhatsApp" in html
    assert NIK not in html and KK not in html


def test_the_timeline_has_the_dates_and_the_offices_note_but_never_who_in_the_office(client, letter_request, operator):
    request_open(letter_request=letter_request, user=operator)
    request_ask_more(letter_request=letter_request, user=operator, note="Foto KK kurang jelas, kirim ulang.")

    html = client.get(url(letter_request)).content.decode()

    start = html.index('class="letter-timeline"')
    timeline = html[start:html.index("</ol>", start)]
    assert timeline.index("Diajukan") < timeline.index("Diperiksa") < timeline.index("Perlu dilengkapi")
    assert "Foto KK kurang jelas, kirim ulang." in timeline
    with translation.override("id"):
        assert timeline.count(date_format(timezone.localtime(), "j F Y")) == 3
    assert "petugas.rahasia" not in html and "petugas@bungaraya.test" not in html
    assert 'name="tambahan_0"' in html and 'list="persyaratan"' in html


def test_the_promise_is_shown_with_its_day_and_whether_it_is_kept(client, letter_request):
    LetterRequest.objects.filter(pk=letter_request.pk).update(due_on=datetime.date(2026, 11, 25))

    on_time = client.get(url(letter_request)).content.decode()
    LetterRequest.objects.filter(pk=letter_request.pk).update(due_on=datetime.date(2020, 1, 1))
    late = client.get(url(letter_request)).content.decode()

    assert "Janji layanan: 1 hari kerja, paling lambat Rabu, 25 November 2026" in on_time
    assert "Terlambat" not in on_time
    assert "Terlambat" in late


def test_a_request_closed_in_time_says_so(client, letter_request, operator):
    finish(letter_request, operator)
    LetterRequest.objects.filter(pk=letter_request.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=1))

    assert "Tepat waktu" in client.get(url(letter_request)).content.decode()


def test_adding_documents_sends_it_back_to_be_checked(client, letter_request, operator):
    request_ask_more(letter_request=letter_request, user=operator, note="Kirim surat pengantar RT.")

    response = client.post(url(letter_request), {
        "tambahan_0_persyaratan": "Surat pengantar RT/RW", "tambahan_0": photo("pengantar.jpg"),
        "tambahan_1_persyaratan": "", "tambahan_1": photo("lain.jpg"), "catatan": "Ini pengantarnya."})

    assert response.status_code == 302 and response["Location"] == url(letter_request)
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.REVIEWING
    later = letter_request.documents.filter(added_later=True)
    assert sorted(later.values_list("requirement", flat=True)) == ["Berkas tambahan", "Surat pengantar RT/RW"]
    assert letter_request.events.last().note == "Ini pengantarnya."
    assert "Diperiksa" in client.get(url(letter_request)).content.decode()


def test_a_bad_file_added_later_is_named_and_the_good_one_kept(client, letter_request, operator):
    request_ask_more(letter_request=letter_request, user=operator, note="Kirim surat pengantar RT.")

    response = client.post(url(letter_request), {
        "tambahan_0_persyaratan": "Surat pengantar RT/RW", "tambahan_0": photo("pengantar.jpg"),
        "tambahan_1_persyaratan": "KK", "tambahan_1": ContentFile(SCRIPT, name="kk.jpg"), "catatan": "Ini."})

    html = response.content.decode()
    assert response.status_code == 400
    assert "kk.jpg: Kirim foto JPEG, PNG atau WebP, atau berkas PDF." in html
    assert "pengantar.jpg</strong> sudah terunggah" in html and 'value="Surat pengantar RT/RW"' in html
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.INCOMPLETE


def test_nothing_sent_is_a_clear_message(client, letter_request, operator):
    request_ask_more(letter_request=letter_request, user=operator, note="Kirim surat pengantar RT.")

    response = client.post(url(letter_request), {"catatan": ""})

    assert response.status_code == 400
    assert "Pilih berkas yang diminta petugas, atau tulis keterangan." in response.content.decode()


def test_a_rejection_shows_its_reason(client, letter_request, operator):
    request_reject(letter_request=letter_request, user=operator, reason="Bukan penduduk Bunga Raya.")

    html = client.get(url(letter_request)).content.decode()

    assert "Ditolak" in html and "Bukan penduduk Bunga Raya." in html
    assert "Unduh surat" not in html


def test_wrong_secret_or_code_is_a_page_that_does_not_exist(client, letter_request):
    assert client.get(f"/surat/{letter_request.code}/{letter_request.secret[:-1]}x/").status_code == 404
    assert client.get(f"/surat/ZZZZZZZZ/{letter_request.secret}/").status_code == 404
    assert client.get(f"/surat/{letter_request.code}/").status_code == 404
    document = letter_request.documents.get()
    assert client.get(f"/surat/{letter_request.code}/salah/berkas/{document.pk}/").status_code == 404


def test_the_resident_sees_their_own_documents_and_no_one_elses(client, letter_request, pindah_page):
    other = submit(pindah_page, name="Orang Lain")
    own, others = letter_request.documents.get(), other.documents.get()

    mine = client.get(url(letter_request, f"berkas/{own.pk}/"))

    assert mine.status_code == 200 and mine["Content-Type"] == "image/jpeg"
    assert mine["Cache-Control"] == "private, no-store"
    assert client.get(url(letter_request, f"berkas/{others.pk}/")).status_code == 404


def test_the_letter_is_downloadable_only_when_done(client, letter_request, operator):
    assert client.get(url(letter_request, "unduh/")).status_code == 404

    finish(letter_request, operator)

    page = client.get(url(letter_request)).content.decode()
    download = client.get(url(letter_request, "unduh/"))
    assert "Unduh surat (PDF)" in page and "474/001/BR/2026" in page
    assert 'href="/verifikasi/VERIF23456/"' in page
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client.get(f"/surat/{letter_request.code}/bukan-rahasia/unduh/").status_code == 404


def test_a_mail_at_each_change_with_the_link_and_no_personal_data(pindah_page, operator,
                                                                  django_capture_on_commit_callbacks):
    from cms.letters.services import letter_kinds_ensure

    letter_kinds_ensure(kampung=pindah_page.kampung_home().kampung)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        letter_request = submit(pindah_page)
    with django_capture_on_commit_callbacks(execute=True):
        request_ask_more(letter_request=letter_request, user=operator, note="Foto KK kurang jelas.")

    assert [m.subject for m in mail.outbox] == [
        f"Permohonan Surat Keterangan Pindah {letter_request.code}: Diajukan",
        f"Permohonan Surat Keterangan Pindah {letter_request.code}: Perlu dilengkapi",
    ]
    first, second = (m.body for m in mail.outbox)
    assert "Bunga Raya" in first and f"/surat/{letter_request.code}/{letter_request.secret}/" in first
    assert "Foto KK kurang jelas." in second and "Foto KK" not in first
    for body in (first, second):
        for private in (NIK, KK, BORN, "15-07-1990", "15 Juli 1990", "Budi Santoso", "petugas.rahasia"):
            assert private not in body
    assert all(m.to == ["budi@warga.test"] for m in mail.outbox)


def test_no_mail_without_an_address(pindah_page, django_capture_on_commit_callbacks):
    from cms.letters.services import letter_kinds_ensure

    letter_kinds_ensure(kampung=pindah_page.kampung_home().kampung)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(pindah_page, email="")

    assert mail.outbox == []


def test_the_lookup_sends_the_resident_to_their_link(client, letter_request):
    by_birth = client.post("/surat/lacak/", {"kode": letter_request.code.lower(), "tanggal_lahir": "15-07-1990"})
    by_nik = client.post("/surat/lacak/", {"kode": letter_request.code, "nik": "1408 0815 0790 0001"})
    wrong = client.post("/surat/lacak/", {"kode": letter_request.code, "tanggal_lahir": "1990-07-16"})
    nothing = client.post("/surat/lacak/", {"kode": letter_request.code})

    assert by_birth.status_code == 302 and by_birth["Location"] == url(letter_request)
    assert by_nik["Location"] == url(letter_request)
    assert wrong.status_code == 400 and "Tidak ada permohonan dengan kode" in wrong.content.decode()
    assert nothing.status_code == 400 and "Isi tanggal lahir atau NIK pemohon." in nothing.content.decode()
    assert client.get("/surat/lacak/")["Cache-Control"] == "private, no-store"


def test_guessing_birth_dates_is_stopped(client, letter_request, settings):
    settings.THROTTLE_LETTER_LOOKUP_FAILURES = (3, 3600)
    answers = [client.post("/surat/lacak/", {"kode": letter_request.code, "tanggal_lahir": f"1990-07-{day:02d}"})
               for day in (1, 2, 3, 4, 15)]

    assert [a.status_code for a in answers] == [400, 400, 400, 429, 429]
