"""What a fresh-eyes walk of the village office found: the regency only looks, the request
page reads as an operator reads it (labels, the note while it matters, the letter's text
before signing), the settings refuse what would print wrong, the CSV opens like the others,
and the wide tables scroll inside their own box on a phone."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from cms.letters import services
from cms.letters.models import IssuedLetter, LetterEvent, LetterKind, LetterSequence, LetterStatus
from marketplace.exports import csv_response

from .office_world import BUNGA_RAYA, kind_of, submitted
from .test_office import SETTINGS, page, settings_url

pytestmark = pytest.mark.django_db
Action = LetterEvent.Action


# --- 2. the regency supervises, the village reviews ---------------------------------------------

def test_the_regency_admin_opening_a_new_request_is_recorded_but_starts_no_review(
        regency, editor, django_capture_on_commit_callbacks):
    letter_request = submitted()

    with django_capture_on_commit_callbacks(execute=True):
        html = page(regency.get(f"/admin/surat/{letter_request.pk}/"))

    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.SUBMITTED
    assert "Diajukan" in html and "Dibuka petugas" in html
    opened = letter_request.events.get(action=Action.OPENED)
    assert opened.actor.username == "admin" and opened.status == LetterStatus.SUBMITTED
    assert mail.outbox == []  # the resident is not told "Diperiksa"

    with django_capture_on_commit_callbacks(execute=True):
        editor.get(f"/admin/surat/{letter_request.pk}/")  # the village's own operator begins

    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.REVIEWING
    assert [message.to for message in mail.outbox] == [["siti@warga.test"]]
    assert "Diperiksa" in mail.outbox[0].subject


# --- 3. the request page ----------------------------------------------------------------------

def test_a_surat_pindah_shows_the_derived_destination_with_a_label_and_no_raw_keys(editor):
    letter_request = submitted(code="pindah", details={
        "tujuan_kode": "14.08.08.2002", "tujuan_desa": "Jati Baru, Kecamatan Bunga Raya, Kabupaten Siak, Riau",
        "tujuan_alamat": "Jalan Sungai Siak No. 3", "alasan": "Pindah kerja", "kode_pos": "28763"})

    html = page(editor.get(f"/admin/surat/{letter_request.pk}/"))

    assert "<dt>Kampung/desa tujuan</dt><dd>Jati Baru, Kecamatan Bunga Raya" in html
    assert "<dt>Kode pos</dt><dd>28763</dd>" in html  # a field the kind no longer has
    assert "tujuan_desa" not in html and "kode_pos" not in html
    assert html.index("Kode kampung/desa tujuan") < html.index("Kampung/desa tujuan</dt>") < html.index("Alamat tujuan")


def test_the_office_note_shows_while_the_resident_must_act_and_stays_in_the_trail_after(editor):
    letter_request = submitted()
    note = "Foto surat pengantar RT belum ada."
    editor.post(f"/admin/surat/{letter_request.pk}/minta-dilengkapi/", {"note": note})

    asked = page(editor.get(f"/admin/surat/{letter_request.pk}/"))
    services.request_complete(letter_request=letter_request, documents=[], note="Sudah saya kirim ke kantor.")
    back = page(editor.get(f"/admin/surat/{letter_request.pk}/"))
    editor.post(f"/admin/surat/{letter_request.pk}/setujui/")
    approved = page(editor.get(f"/admin/surat/{letter_request.pk}/"))

    assert "Catatan petugas" in asked and note in asked
    for html in (back, approved):
        assert "Catatan petugas" not in html
        assert f'<td class="letters-wrap">{note}</td>' in html  # the trail keeps it

    refused = submitted()
    editor.post(f"/admin/surat/{refused.pk}/tolak/", {"reason": "Bukan warga kampung ini."})
    rejected = page(editor.get(f"/admin/surat/{refused.pk}/"))
    assert "Catatan petugas" in rejected and "Bukan warga kampung ini." in rejected


def test_an_approved_request_shows_the_letters_text_before_it_is_signed(editor):
    letter_request = submitted(details={"keperluan": "berobat dengan BPJS PBI"})
    editor.post(f"/admin/surat/{letter_request.pk}/setujui/")

    html = page(editor.get(f"/admin/surat/{letter_request.pk}/"))

    preview = html[html.index('id="letters-preview"'):html.index("Saya sudah membaca isi surat")]
    assert "Surat Keterangan Tidak Mampu" in preview
    assert "(nomor diberikan saat ditandatangani)" in preview
    assert "Siti Aminah" in preview and "berobat dengan BPJS PBI" in preview and "1408085507900001" in preview
    assert "{nama}" not in preview and "{keperluan}" not in preview  # filled as the PDF fills it
    assert '<input type="checkbox" name="sudah_dibaca" value="ya" required>' in html
    assert not LetterSequence.objects.filter(kampung__code=BUNGA_RAYA).exists()  # no number taken by looking


def test_signing_without_ticking_that_the_letter_was_read_signs_nothing(editor):
    letter_request = submitted()
    editor.post(f"/admin/surat/{letter_request.pk}/setujui/")

    response = editor.post(f"/admin/surat/{letter_request.pk}/terbitkan/", {}, follow=True)

    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.APPROVED
    assert not IssuedLetter.objects.filter(request=letter_request).exists()
    assert "Saya sudah membaca isi surat" in page(response) and "Centang" in page(response)
    assert "Tandatangani & terbitkan</button>" in page(response)


# --- 4. settings and wording ----------------------------------------------------------------

@pytest.mark.parametrize("number_format, named", [
    ("{nomor.__class__}/{tahun}", "{nomor.__class__}"),
    ("=HYPERLINK(\"x\"){nomor}", "tidak boleh diawali"),
    ("-{nomor}/{tahun}", "tidak boleh diawali"),
    ("@{nomor}", "tidak boleh diawali"),
])
def test_a_number_format_that_would_misprint_or_run_as_a_formula_is_refused(editor, number_format, named):
    response = editor.post(settings_url(), {**SETTINGS, "number_format": number_format})

    assert response.status_code == 400
    assert named in page(response)
    assert "harus memuat {nomor}" not in page(response)
    assert "H. Ahmad Yani" in page(response)  # what was typed stays


@pytest.mark.parametrize("classification", ["47a", "470/1", "474.", ".1", "=1"])
def test_a_classification_is_digits_and_dots_only(editor, classification):
    kind = kind_of(BUNGA_RAYA, "sktm")

    response = editor.post(f"/admin/surat/jenis/{kind.pk}/",
                           {"title": kind.title, "classification": classification, "template": kind.template})

    assert response.status_code == 400
    assert "hanya angka dan titik, misalnya 470 atau 474.1" in page(response)
    kind.refresh_from_db()
    assert kind.classification != classification


def test_a_dotted_classification_is_kept(editor):
    kind = kind_of(BUNGA_RAYA, "sktm")

    response = editor.post(f"/admin/surat/jenis/{kind.pk}/",
                           {"title": kind.title, "classification": "474.1", "template": kind.template})

    assert response.status_code == 302
    assert LetterKind.objects.get(pk=kind.pk).classification == "474.1"


def test_a_template_with_double_braces_is_refused_with_how_to_write_it(editor):
    kind = kind_of(BUNGA_RAYA, "sktm")
    typed = "Yang bertanda tangan menerangkan {{nama}} untuk {keperluan}."

    response = editor.post(f"/admin/surat/jenis/{kind.pk}/",
                           {"title": kind.title, "classification": "400", "template": typed})

    assert response.status_code == 400
    assert "satu pasang kurung kurawal: {nama}, bukan {{nama}}" in page(response)
    assert typed in page(response)
    kind.refresh_from_db()
    assert "{{nama}}" not in kind.template


def test_a_template_longer_than_four_thousand_characters_is_refused(editor):
    kind = kind_of(BUNGA_RAYA, "sktm")
    typed = "{nama} " + "x" * 4000

    response = editor.post(f"/admin/surat/jenis/{kind.pk}/",
                           {"title": kind.title, "classification": "400", "template": typed})

    assert response.status_code == 400
    assert "Isi surat terlalu panjang: 4.007 karakter, paling banyak 4.000." in page(response)
    kind.refresh_from_db()
    assert len(kind.template) < 4000


def test_the_example_number_is_the_villages_real_next_number_this_year(editor):
    editor.post(settings_url(), SETTINGS)
    year = timezone.localdate().year
    kampung_id = LetterKind.objects.filter(kampung__code=BUNGA_RAYA).values_list("kampung_id", flat=True).first()
    LetterSequence.objects.create(kampung_id=kampung_id, year=year, last=41)
    LetterSequence.objects.create(kampung_id=kampung_id, year=year - 1, last=300)  # last year's: not counted
    first_kind = LetterKind.objects.filter(kampung_id=kampung_id).order_by("title").first()

    html = page(editor.get(settings_url()))

    assert f"<code>{first_kind.classification}/042/BR/{year}</code>" in html
    assert "Nomor surat berikutnya" in html and first_kind.title in html


def test_the_example_number_starts_at_one_in_a_new_year(editor):
    editor.post(settings_url(), SETTINGS)

    html = page(editor.get(settings_url()))

    assert f"/001/BR/{timezone.localdate().year}</code>" in html


# --- 5. the statistics CSV opens like every other export ------------------------------------------

def test_the_statistics_csv_has_the_projects_convention_comma_and_no_bom(regency):
    submitted()
    other = csv_response("contoh.csv", ["a", "b"], [[1, 2]])  # what the settlement and goods exports use

    response = regency.get("/admin/surat/statistik/csv/", {"tahun": timezone.localdate().year})

    assert response.content.startswith(b"kecamatan,kampung,jenis surat,permohonan,")
    assert not response.content.startswith(b"\xef\xbb\xbf") and not other.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == other["Content-Type"] == "text/csv; charset=utf-8"


# --- 1. a phone: the wide tables scroll in their own box; tap-sized links ---------------------------

def test_the_wide_tables_scroll_in_their_own_box_and_links_are_tap_sized(editor, regency):
    letter_request = submitted(pdf=True)

    queue = page(regency.get("/admin/surat/"))
    stats = page(regency.get("/admin/surat/statistik/"))
    detail = page(editor.get(f"/admin/surat/{letter_request.pk}/"))

    for html, table in ((queue, "letters-queue"), (stats, "letters-stats"), (detail, "letters-trail")):
        assert '<link rel="stylesheet" href="/static/letters/admin.css">' in html
        assert re.search(rf'<div class="letters-scroll" tabindex="0" role="region" aria-label="[^"]+">\s*'
                         rf'<table class="listing {table}">', html)
    assert '<code class="letters-url">' in detail
    assert 'class="button button-small button-secondary letters-tap letters-whatsapp"' in detail
    assert 'class="button button-small button-secondary letters-tap">Unduh PDF</a>' in detail
    assert '<summary class="letters-tap">Lihat foto</summary>' in detail
