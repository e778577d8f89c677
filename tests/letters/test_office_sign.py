"""The office signs an approved request from its page: the letter is numbered and issued,
downloadable only through the checking view, with its public verification link.

Needs the signing piece of issue 13 (cms.letters.pdf and signing): until it is merged,
letter_sign raises NotImplementedError from the stubs and these tests fail."""

import pytest
from django.conf import settings
from django.test import Client

from cms.letters.models import IssuedLetter, LetterEvent, LetterStatus

from .office_world import BUNGA_RAYA, other_editor, signed_in, submitted

pytestmark = pytest.mark.django_db
READ = {"sudah_dibaca": "ya"}  # "Saya sudah membaca isi surat", ticked


def test_the_office_signs_an_approved_request_and_the_letter_is_issued():
    editor = signed_in("editor.bungaraya")
    letter_request = submitted(BUNGA_RAYA)
    editor.post(f"/admin/surat/{letter_request.pk}/setujui/")

    signed = editor.post(f"/admin/surat/{letter_request.pk}/terbitkan/", READ, follow=True)

    letter_request.refresh_from_db()
    issued = IssuedLetter.objects.get(request=letter_request)
    html = signed.content.decode()
    assert letter_request.status == LetterStatus.DONE
    assert "ditandatangani dan terbit" in html
    assert issued.number in html
    assert f"{settings.SITE_URL}/verifikasi/{issued.verification_code}/" in html
    assert letter_request.events.filter(action=LetterEvent.Action.SIGNED, actor__username="editor.bungaraya").exists()
    download = editor.get(f"/admin/surat/{letter_request.pk}/surat.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    again = editor.post(f"/admin/surat/{letter_request.pk}/terbitkan/", READ, follow=True)  # a stale second click
    assert again.status_code == 200 and "sudah berstatus Selesai" in again.content.decode()
    assert IssuedLetter.objects.filter(request=letter_request).count() == 1


def test_another_village_neither_signs_nor_downloads():
    letter_request = submitted(BUNGA_RAYA)
    signed_in("editor.bungaraya").post(f"/admin/surat/{letter_request.pk}/setujui/")
    outsider = Client(raise_request_exception=False)
    outsider.force_login(other_editor())

    assert outsider.post(f"/admin/surat/{letter_request.pk}/terbitkan/", READ).status_code == 404
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.APPROVED
    signed_in("editor.bungaraya").post(f"/admin/surat/{letter_request.pk}/terbitkan/", READ)
    assert outsider.get(f"/admin/surat/{letter_request.pk}/surat.pdf").status_code == 404
