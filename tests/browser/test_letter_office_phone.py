"""The village office's letter pages on a 390 px phone: every column of the queue, the
figures and the trail can be scrolled into view inside the table's own box (the page
itself never scrolls sideways), long addresses wrap, and the links an operator taps are
at least 44 px tall."""

import re

import pytest

from .signing_in import sign_in_admin

PHONE = {"width": 390, "height": 844}
TAP = 44
pytestmark = pytest.mark.browser


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def every_column_reachable(page, table: str, expected: list[str]):
    headers = page.locator(f"table.{table} thead th")
    assert headers.all_inner_texts() == expected
    for index in range(headers.count()):
        header = headers.nth(index)
        header.scroll_into_view_if_needed()
        box = header.bounding_box()
        assert box is not None and box["width"] > 0, expected[index]
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"] + 0.5, (expected[index], box)
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"] + 0.5, (expected[index], box)
        assert header.evaluate("(el) => { const b = el.getBoundingClientRect();"
                               " return document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2) === el"
                               " || el.contains(document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2)); }"
                               ), f"{expected[index]} is covered or clipped"
        # A script can scroll an overflow:hidden box, a thumb cannot: whatever had to scroll
        # sideways to show this header must be a box the user can scroll.
        scrolled_by_force = header.evaluate(
            "(el) => { const bad = []; for (let a = el.parentElement; a; a = a.parentElement) {"
            " const o = getComputedStyle(a).overflowX;"
            " if (a.scrollLeft > 0 && o !== 'auto' && o !== 'scroll') bad.push(a.tagName + '.' + a.className); }"
            " return bad; }")
        assert scrolled_by_force == [], (expected[index], scrolled_by_force)
    no_sideways_scroll(page)


def approved_request() -> tuple[int, str]:
    """The demo's approved request in Bunga Raya (its photos are kept): the page with the most on it."""
    from cms.letters.models import LetterRequest, LetterStatus

    return LetterRequest.objects.filter(kampung__code="14.08.08.2001", status=LetterStatus.APPROVED,
                                        documents__isnull=False).values_list("pk", "applicant_name").first()


def test_the_letter_office_reads_and_acts_on_a_phone(live_url, read_db, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    office = sign_in_admin(context, live_url, "admin")
    found = approved_request()
    assert found, "the demo has an approved request with documents in Bunga Raya"
    pk, applicant = found

    office.goto(f"{live_url}/admin/surat/?status=semua")
    assert office.locator("table.letters-queue tbody tr.letter-request").count() > 0
    every_column_reachable(office, "letters-queue", [
        "Kode", "Jenis surat", "Pemohon", "Kampung", "Diajukan", "Batas selesai", "Status"])

    office.goto(f"{live_url}/admin/surat/statistik/?tahun=semua")
    assert office.locator("table.letters-stats tbody tr.letters-stats__row").count() > 0
    every_column_reachable(office, "letters-stats", [
        "Kecamatan", "Kampung", "Jenis surat", "Permohonan", "Selesai", "Ditolak", "Terbuka",
        "Median waktu selesai", "Terlambat"])

    office.goto(f"{live_url}/admin/surat/{pk}/")
    every_column_reachable(office, "letters-trail", ["Waktu", "Oleh", "Tindakan", "Status", "Catatan"])
    url = office.locator("code.letters-url").first
    url.scroll_into_view_if_needed()
    box = url.bounding_box()
    assert re.search(r"/surat/[A-Z0-9]{8}/", url.inner_text())
    assert box["x"] + box["width"] <= PHONE["width"]  # the status-page address wraps
    taps = office.locator(".letters-whatsapp, .letters-documents a.button, .letters-documents summary")
    assert taps.count() >= 2
    for index in range(taps.count()):
        tap = taps.nth(index)
        tap.scroll_into_view_if_needed()
        assert tap.bounding_box()["height"] >= TAP, tap.inner_text()
    assert applicant in office.inner_text("#letters-preview")  # the letter's text, before signing
    assert "(nomor diberikan saat ditandatangani)" in office.inner_text("#letters-preview")
    assert office.get_by_label("Saya sudah membaca isi surat").is_visible()
    no_sideways_scroll(office)
    context.close()
