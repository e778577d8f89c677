"""The village office's letter queue in the admin: fenced to its kampung, overdue first,
each move a button with its message, the trail of who did what; the village's own
settings and wording; the regency's figures."""

import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from cms.letters.models import LetterEvent, LetterKind, LetterSettings, LetterStatus
from cms.letters.stats import letter_stats
from shops.constants import AuditAction
from shops.models import AuditEntry, Kampung

from .office_world import (
    BUNGA_RAYA,
    KERINCI_KANAN,
    kind_of,
    local,
    other_editor,
    set_dates,
    signed_in,
    submitted,
)

pytestmark = pytest.mark.django_db
Action = LetterEvent.Action


def page(response) -> str:
    return response.content.decode()


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in its admin with a redirect home and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def codes_in(html: str, codes) -> list[str]:
    """The given codes in the order the page lists them."""
    return sorted((code for code in codes if f'data-code="{code}"' in html), key=lambda code: html.index(code))


# --- menu and fences ------------------------------------------------------------------------

def test_a_village_editor_finds_the_queue_in_the_menu_and_sees_only_their_kampung(editor):
    own = submitted(BUNGA_RAYA, name="Siti Aminah")
    other = submitted(KERINCI_KANAN, name="Rahmat Kerinci")

    home = page(editor.get("/admin/"))
    queue = page(editor.get("/admin/surat/"))

    assert "Permohonan surat" in home and "/admin/surat/" in home
    assert "Statistik surat" not in home
    assert own.code in queue and "Siti Aminah" in queue
    assert other.code not in queue and "Rahmat Kerinci" not in queue
    assert "<th>Kampung</th>" not in queue  # one kampung: no column for it


def test_the_regency_sees_every_kampung_with_a_column_and_a_filter(regency):
    own = submitted(BUNGA_RAYA)
    other = submitted(KERINCI_KANAN)
    kerinci = Kampung.objects.get(code=KERINCI_KANAN)

    everything = page(regency.get("/admin/surat/"))
    filtered = page(regency.get("/admin/surat/", {"kampung": kerinci.pk}))

    assert own.code in everything and other.code in everything
    assert "<th>Kampung</th>" in everything and "Kerinci Kanan" in everything
    assert other.code in filtered and own.code not in filtered
    assert "Statistik surat" in page(regency.get("/admin/"))


def test_another_villages_editor_reaches_nothing_of_a_request(client):
    letter_request = submitted(BUNGA_RAYA, pdf=True)
    outsider = Client(raise_request_exception=False)
    outsider.force_login(other_editor())
    document = letter_request.documents.first()
    urls = [f"/admin/surat/{letter_request.pk}/", f"/admin/surat/berkas/{document.pk}/",
            f"/admin/surat/{letter_request.pk}/surat.pdf"]
    posts = [f"/admin/surat/{letter_request.pk}/{move}/" for move in ("minta-dilengkapi", "setujui", "terbitkan", "tolak")]

    answers = [outsider.get(url) for url in urls]
    answers += [outsider.post(url, {"note": "Diretas", "reason": "Diretas"}) for url in posts]

    assert [answer.status_code for answer in answers] == [404] * len(answers)
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.SUBMITTED
    assert list(letter_request.events.values_list("action", flat=True)) == [Action.SUBMITTED]


def test_anonymous_visitors_are_sent_to_the_login(client):
    letter_request = submitted()

    for url in ("/admin/surat/", f"/admin/surat/{letter_request.pk}/",
                f"/admin/surat/berkas/{letter_request.documents.first().pk}/", "/admin/surat/statistik/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
    assert letter_request.events.count() == 1


def test_a_shop_manager_without_a_village_has_no_queue():
    letter_request = submitted()
    manager = signed_in("pengelola.bungaraya")

    for url in ("/admin/surat/", f"/admin/surat/{letter_request.pk}/", "/admin/surat/pengaturan/"):
        answer = manager.get(url)
        assert refused(answer) or answer["Location"].startswith("/admin/login/"), url


def test_an_admin_user_of_no_village_gets_no_menu_item_and_403():
    group = Group.objects.create(name="Tanpa kampung")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = get_user_model().objects.create_user("staf.umum", "staf@siakkab.test", "rahasia-staf")
    user.groups.add(group)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    letter_request = submitted()

    assert client.get("/admin/").status_code == 200
    assert "Permohonan surat" not in page(client.get("/admin/"))
    assert refused(client.get("/admin/surat/"))
    assert refused(client.get(f"/admin/surat/{letter_request.pk}/"))
    assert refused(client.get("/admin/surat/pengaturan/"))
    assert letter_request.events.count() == 1


# --- the queue ------------------------------------------------------------------------------

def test_open_requests_come_overdue_first_then_by_due_date_with_a_late_badge(editor):
    today = timezone.localdate()
    later = set_dates(submitted(name="Later"), due_on=today + datetime.timedelta(days=3))
    late = set_dates(submitted(name="Late"), due_on=today - datetime.timedelta(days=2))
    latest = set_dates(submitted(name="Latest"), due_on=today - datetime.timedelta(days=5))
    soon = set_dates(submitted(name="Soon"), due_on=today + datetime.timedelta(days=1))
    done = set_dates(submitted(name="Done"), status=LetterStatus.DONE, closed_at=timezone.now())
    codes = [later.code, late.code, latest.code, soon.code, done.code]

    html = page(editor.get("/admin/surat/"))

    assert codes_in(html, codes) == [latest.code, late.code, soon.code, later.code]
    row = html[html.index(f'data-code="{late.code}"'):]
    assert "Terlambat" in row[:row.index("</tr>")]
    row = html[html.index(f'data-code="{soon.code}"'):]
    assert "Terlambat" not in row[:row.index("</tr>")]


def test_the_tabs_count_each_status_and_filter_by_it(editor):
    first, second = submitted(), submitted()
    set_dates(second, status=LetterStatus.REJECTED, closed_at=timezone.now())

    html = page(editor.get("/admin/surat/"))
    rejected = page(editor.get("/admin/surat/", {"status": "rejected"}))

    assert "Terbuka (1)" in html and "Ditolak (1)" in html and "Semua (2)" in html
    assert second.code in rejected and first.code not in rejected


def test_the_queue_pages_through_many_requests(editor):
    letter_request = submitted()
    copies = []
    for number in range(51):
        copy = type(letter_request).objects.get(pk=letter_request.pk)
        copy.pk, copy.code = None, f"Q{number:07d}"
        copies.append(copy)
    type(letter_request).objects.bulk_create(copies)

    first = page(editor.get("/admin/surat/"))
    second = page(editor.get("/admin/surat/", {"p": 2}))

    assert "1 / 2" in first and "Berikutnya" in first
    assert "2 / 2" in second and first.count('class="letter-request"') == 50


# --- one request ---------------------------------------------------------------------------

def test_opening_a_request_is_recorded_and_a_new_one_is_being_checked(editor):
    letter_request = submitted(details={"keperluan": "berobat dengan BPJS PBI"})

    html = page(editor.get(f"/admin/surat/{letter_request.pk}/"))

    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.REVIEWING
    opened = letter_request.events.get(action=Action.OPENED)
    assert opened.actor.username == "editor.bungaraya" and opened.status == LetterStatus.REVIEWING
    assert "Diperiksa" in html and "Dibuka petugas" in html and "editor.bungaraya" in html
    assert "Keperluan" in html and "berobat dengan BPJS PBI" in html  # the kind's label
    assert "1408085507900001" in html and "Siti Aminah" in html
    tracking = f"{settings.SITE_URL}/surat/{letter_request.code}/{letter_request.secret}/"
    assert "https://wa.me/6281234567890?text=" in html and quote(tracking) in html
    assert tracking in html
    assert "siti@warga.test" in html


def test_a_document_is_served_only_through_the_checking_view_and_each_look_recorded(editor):
    letter_request = submitted(pdf=True)
    photo, scan = letter_request.documents.all()

    html = page(editor.get(f"/admin/surat/{letter_request.pk}/"))
    shown = editor.get(f"/admin/surat/berkas/{photo.pk}/")
    downloaded = editor.get(f"/admin/surat/berkas/{scan.pk}/")

    assert f"/admin/surat/berkas/{photo.pk}/" in html and f"/admin/surat/berkas/{scan.pk}/" in html
    assert "/media/" not in html
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert "no-store" in shown["Cache-Control"]
    assert downloaded["Content-Type"] == "application/pdf" and "attachment" in downloaded["Content-Disposition"]
    viewed = letter_request.events.filter(action=Action.DOCUMENT_VIEWED)
    assert sorted(viewed.values_list("note", flat=True)) == ["KTP", "Kartu Keluarga"]
    assert {event.actor.username for event in viewed} == {"editor.bungaraya"}


def test_asking_for_more_needs_a_note_and_sends_the_request_back(editor):
    letter_request = submitted()
    editor.get(f"/admin/surat/{letter_request.pk}/")

    empty = editor.post(f"/admin/surat/{letter_request.pk}/minta-dilengkapi/", {"note": "  "}, follow=True)
    letter_request.refresh_from_db()
    assert "Tulis apa yang perlu dilengkapi pemohon." in page(empty)
    assert letter_request.status == LetterStatus.REVIEWING

    asked = editor.post(f"/admin/surat/{letter_request.pk}/minta-dilengkapi/",
                        {"note": "Foto surat pengantar RT belum ada."}, follow=True)
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.INCOMPLETE
    assert letter_request.note == "Foto surat pengantar RT belum ada."
    assert "dikembalikan ke pemohon untuk dilengkapi" in page(asked)
    assert letter_request.events.filter(action=Action.ASKED, actor__username="editor.bungaraya").exists()


def test_approving_twice_is_harmless_the_second_click_is_a_message(editor):
    letter_request = submitted()

    first = editor.post(f"/admin/surat/{letter_request.pk}/setujui/", follow=True)
    second = editor.post(f"/admin/surat/{letter_request.pk}/setujui/", follow=True)

    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.APPROVED
    assert "disetujui; surat siap ditandatangani" in page(first)
    assert second.status_code == 200 and "sudah berstatus Disetujui" in page(second)
    assert letter_request.events.filter(action=Action.APPROVED).count() == 1
    assert "Tandatangani & terbitkan" in page(second)


def test_rejecting_needs_a_reason_the_resident_will_read(editor):
    letter_request = submitted()

    empty = editor.post(f"/admin/surat/{letter_request.pk}/tolak/", {"reason": ""}, follow=True)
    assert "Tulis alasan penolakan untuk pemohon." in page(empty)

    rejected = editor.post(f"/admin/surat/{letter_request.pk}/tolak/",
                           {"reason": "Pemohon bukan warga kampung ini."}, follow=True)
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.REJECTED and letter_request.closed_at is not None
    assert "ditolak; pemohon melihat alasannya" in page(rejected)
    assert "Pemohon bukan warga kampung ini." in page(rejected)
    assert "Tolak</button>" not in page(rejected)  # nothing left to do


def test_the_actions_are_posts_with_csrf_and_a_get_changes_nothing(editor):
    letter_request = submitted()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(get_user_model().objects.get(username="editor.bungaraya"))

    assert editor.get(f"/admin/surat/{letter_request.pk}/setujui/").status_code == 405
    assert csrf_client.post(f"/admin/surat/{letter_request.pk}/setujui/").status_code == 403
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.SUBMITTED


def test_a_request_note_with_markup_is_shown_as_text(editor):
    letter_request = submitted(details={"keperluan": "<script>alert(1)</script>"})

    html = page(editor.get(f"/admin/surat/{letter_request.pk}/"))

    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# --- settings and wording ---------------------------------------------------------------------

def settings_url(code=BUNGA_RAYA):
    return f"/admin/surat/pengaturan/{Kampung.objects.get(code=code).pk}/"


SETTINGS = {"office_address": "Jl. Lintas Timur, Bunga Raya", "signer_name": "H. Ahmad Yani",
            "signer_title": "Penghulu", "number_format": "{klasifikasi}/{nomor}/BR/{tahun}", "abbreviation": "BR"}


def test_a_village_editor_goes_straight_to_their_settings_and_the_signer_change_is_audited(editor):
    assert editor.get("/admin/surat/pengaturan/")["Location"] == settings_url()

    saved = editor.post(settings_url(), SETTINGS, follow=True)

    assert "Pengaturan surat Kampung Bunga Raya disimpan." in page(saved) or "disimpan" in page(saved)
    stored = LetterSettings.objects.get(kampung__code=BUNGA_RAYA)
    assert (stored.signer_name, stored.number_format) == ("H. Ahmad Yani", "{klasifikasi}/{nomor}/BR/{tahun}")
    audit = AuditEntry.objects.get(action=AuditAction.LETTER_SIGNER)
    assert audit.actor_name == "editor.bungaraya"
    assert audit.new == {"signer_name": "H. Ahmad Yani", "signer_title": "Penghulu"}

    editor.post(settings_url(), {**SETTINGS, "office_address": "Jl. Baru"})  # no signer change: no new row
    assert AuditEntry.objects.filter(action=AuditAction.LETTER_SIGNER).count() == 1
    editor.post(settings_url(), {**SETTINGS, "signer_name": "Siti Rahma", "signer_title": "Pj. Penghulu"})
    latest = AuditEntry.objects.filter(action=AuditAction.LETTER_SIGNER).first()
    assert latest.old == {"signer_name": "H. Ahmad Yani", "signer_title": "Penghulu"}
    assert latest.new == {"signer_name": "Siti Rahma", "signer_title": "Pj. Penghulu"}


@pytest.mark.parametrize("number_format, named", [
    ("{klasifikasi}/BR/{tahun}", "harus memuat {nomor}"),
    ("{klasifikasi}/{nomor}/{kode_desa}/{tahun}", "{kode_desa}"),
])
def test_a_number_format_needs_its_number_and_only_known_parts(editor, number_format, named):
    response = editor.post(settings_url(), {**SETTINGS, "number_format": number_format})

    assert response.status_code == 400
    assert named in page(response)
    assert "H. Ahmad Yani" in page(response)  # what was typed stays
    assert not LetterSettings.objects.filter(kampung__code=BUNGA_RAYA, signer_name="H. Ahmad Yani").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.LETTER_SIGNER).exists()


def test_a_template_names_its_unknown_placeholder_and_keeps_what_was_typed(editor):
    kind = kind_of(BUNGA_RAYA, "pindah")
    typed = "Pindah ke {tujuan_desa} bersama {nama_ibu}."

    response = editor.post(f"/admin/surat/jenis/{kind.pk}/",
                           {"title": kind.title, "classification": "474", "template": typed})

    assert response.status_code == 400
    assert "{nama_ibu}" in page(response) and "tidak dikenal" in page(response)
    assert "Pindah ke {tujuan_desa} bersama {nama_ibu}." in page(response)
    kind.refresh_from_db()
    assert "{nama_ibu}" not in kind.template


def test_a_template_is_saved_as_plain_text(editor):
    kind = kind_of(BUNGA_RAYA, "sktm")

    response = editor.post(f"/admin/surat/jenis/{kind.pk}/", {
        "title": "Surat Keterangan Tidak Mampu", "classification": "400",
        "template": "<b>{jabatan}</b> menerangkan {nama} untuk {keperluan}.<script>x()</script>"})

    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.template == "{jabatan} menerangkan {nama} untuk {keperluan}.x()"


def test_another_villages_settings_and_wording_are_not_found(editor):
    other_kind = kind_of(KERINCI_KANAN, "sktm")
    before = other_kind.template
    signer_before = list(LetterSettings.objects.filter(kampung__code=KERINCI_KANAN).values_list("signer_name"))

    assert editor.get(settings_url(KERINCI_KANAN)).status_code == 404
    assert editor.post(settings_url(KERINCI_KANAN), SETTINGS).status_code == 404
    assert editor.get(f"/admin/surat/jenis/{other_kind.pk}/").status_code == 404
    assert editor.post(f"/admin/surat/jenis/{other_kind.pk}/", {"title": "x", "classification": "1",
                                                                "template": "{nama}"}).status_code == 404
    other_kind.refresh_from_db()
    assert other_kind.template == before
    assert list(LetterSettings.objects.filter(kampung__code=KERINCI_KANAN).values_list("signer_name")) == signer_before


def test_the_regency_lists_and_edits_every_villages_settings(regency):
    listing = page(regency.get("/admin/surat/pengaturan/"))

    assert settings_url(KERINCI_KANAN) in listing and settings_url(BUNGA_RAYA) in listing
    assert regency.post(settings_url(KERINCI_KANAN), SETTINGS).status_code == 302
    assert AuditEntry.objects.get(action=AuditAction.LETTER_SIGNER).actor_name == "admin"


# --- the regency's figures ---------------------------------------------------------------------

@pytest.fixture
def known_year():
    """2019 in Bunga Raya: SKTM closed in 2 h, 1 day (both in time) and 4 days (late), one
    open past its day; SKU closed in 2 h and 6 h."""
    start = local(2019, 3, 4, 9, 0)
    day = datetime.date(2019, 3, 4)
    hour = datetime.timedelta(hours=1)
    for duration, status, due in [(2 * hour, LetterStatus.DONE, day + datetime.timedelta(days=3)),
                                  (24 * hour, LetterStatus.DONE, day + datetime.timedelta(days=3)),
                                  (96 * hour, LetterStatus.REJECTED, day + datetime.timedelta(days=1))]:
        set_dates(submitted(), submitted_at=start, closed_at=start + duration, status=status, due_on=due)
    set_dates(submitted(), submitted_at=start, due_on=day + datetime.timedelta(days=3))  # still open, long late
    for duration in (2 * hour, 6 * hour):
        set_dates(submitted(code="sku", details={}), submitted_at=start, closed_at=start + duration,
                  status=LetterStatus.DONE, due_on=day + datetime.timedelta(days=3))


def test_the_figures_count_the_median_turnaround_and_the_share_overdue(known_year):
    rows, total = letter_stats(year=2019)

    by_kind = {row.kind: row for row in rows}
    sktm, sku = by_kind["Surat Keterangan Tidak Mampu"], by_kind["Surat Keterangan Usaha"]
    assert (sktm.requests, sktm.done, sktm.rejected, sktm.open, sktm.overdue) == (4, 2, 1, 1, 2)
    assert sktm.median == datetime.timedelta(days=1) and sktm.median_text == "1 hari"
    assert sktm.overdue_share == 50.0
    assert sku.median == datetime.timedelta(hours=4)  # between the two middle ones
    assert sku.overdue_share == 0.0
    assert (total.requests, total.overdue) == (6, 2)
    assert letter_stats(year=2019, month=4)[0] == []


def test_the_statistics_page_is_the_regencys_alone(known_year, regency, editor):
    html = page(regency.get("/admin/surat/statistik/", {"tahun": 2019}))

    assert "Surat Keterangan Tidak Mampu" in html and "1 hari" in html and "50,0%" in html
    assert "4 jam" in html
    assert refused(editor.get("/admin/surat/statistik/"))
    assert refused(editor.get("/admin/surat/statistik/csv/"))


def test_the_statistics_filter_by_kecamatan(known_year, regency):
    other = Kampung.objects.get(code=KERINCI_KANAN).kecamatan

    html = page(regency.get("/admin/surat/statistik/", {"tahun": 2019, "kecamatan": other.pk}))

    assert "Surat Keterangan Tidak Mampu" not in html and "Belum ada permohonan" in html


def test_the_csv_export_neutralises_a_formula_in_a_villages_wording(known_year, regency):
    LetterKind.objects.filter(kampung__code=BUNGA_RAYA, code="sktm").update(title='=HYPERLINK("http://x")')

    response = regency.get("/admin/surat/statistik/csv/", {"tahun": 2019})

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="statistik-surat-2019.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["kecamatan", "kampung", "jenis surat", "permohonan"]
    sktm = next(row for row in rows if row[2].startswith("'="))
    assert sktm[2] == "'=HYPERLINK(\"http://x\")"
    assert sktm[3:8] == ["4", "2", "1", "1", "24.0"] and sktm[9] == "50.0"
