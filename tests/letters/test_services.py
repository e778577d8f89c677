"""The moves of a letter request: what each allows, what it records, and what it keeps."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cms.letters import services
from cms.letters.models import CODE_ALPHABET, LetterEvent, LetterKind, LetterRequest, LetterStatus, RequestDocument
from marketplace.files import checked_document
from shops.models import Kampung

pytestmark = pytest.mark.django_db

Action = LetterEvent.Action


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "navy").save(out, "JPEG")
    return SimpleUploadedFile("ktp.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def sktm():
    kampung = Kampung.objects.get(code="14.08.08.2001")
    services.letter_kinds_ensure(kampung=kampung)
    return LetterKind.objects.get(kampung=kampung, code="sktm")


def submit(kind, **overrides) -> LetterRequest:
    applicant = {"applicant_name": "Siti Aminah binti Rahmat", "nik": "1408085203900001",
                 "kk_number": "1408081201150003", "birth_date": datetime.date(1990, 3, 12),
                 "phone": "6281234567890", "email": "siti@example.test"} | overrides
    return services.request_submit(kind=kind, promised_days=1, applicant=applicant,
                                   details={"keperluan": "berobat dengan BPJS PBI"},
                                   documents=[("KTP elektronik", checked_document(photo()))])


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.get(username="editor.bungaraya")


def test_a_submitted_request_has_a_readable_code_an_unguessable_link_and_its_first_event(sktm):
    letter_request = submit(sktm)

    assert len(letter_request.code) == 8 and set(letter_request.code) <= set(CODE_ALPHABET)
    assert len(letter_request.secret) >= 32
    assert letter_request.status == LetterStatus.SUBMITTED
    assert letter_request.kampung == sktm.kampung
    assert [event.action for event in letter_request.events.all()] == [Action.SUBMITTED]
    assert letter_request.events.get().actor_name == "pemohon"
    document = letter_request.documents.get()
    assert document.requirement == "KTP elektronik"
    with pytest.raises(ValueError):  # private storage: no URL at all
        document.file.url


def test_the_promised_time_counts_working_days_only():
    friday = datetime.date(2026, 11, 27)
    assert services.add_working_days(friday, 1) == datetime.date(2026, 11, 30)
    assert services.add_working_days(friday, 3) == datetime.date(2026, 12, 2)
    assert services.add_working_days(datetime.date(2026, 11, 24), 2) == datetime.date(2026, 11, 26)


def test_the_office_opens_asks_for_more_and_the_resident_completes(sktm, operator):
    letter_request = submit(sktm)

    services.request_open(letter_request=letter_request, user=operator)
    services.request_open(letter_request=letter_request, user=operator)  # the same page again: not repeated
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.REVIEWING

    with pytest.raises(ValidationError, match="Tulis apa yang perlu dilengkapi"):
        services.request_ask_more(letter_request=letter_request, user=operator, note="   ")
    services.request_ask_more(letter_request=letter_request, user=operator, note="Kirim surat pengantar RT.")
    letter_request.refresh_from_db()
    assert (letter_request.status, letter_request.note) == (LetterStatus.INCOMPLETE, "Kirim surat pengantar RT.")

    with pytest.raises(ValidationError, match="Kirim berkas yang diminta"):
        services.request_complete(letter_request=letter_request, documents=[])
    services.request_complete(letter_request=letter_request,
                              documents=[("Surat pengantar RT/RW", checked_document(photo()))])
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.REVIEWING
    assert list(letter_request.documents.values_list("requirement", "added_later")) == [
        ("KTP elektronik", False), ("Surat pengantar RT/RW", True)]
    trail = list(letter_request.events.values_list("action", "actor_name", "status"))
    assert trail == [
        (Action.SUBMITTED, "pemohon", LetterStatus.SUBMITTED),
        (Action.OPENED, "editor.bungaraya", LetterStatus.REVIEWING),
        (Action.ASKED, "editor.bungaraya", LetterStatus.INCOMPLETE),
        (Action.COMPLETED, "pemohon", LetterStatus.REVIEWING),
    ]


def test_every_operator_who_opens_a_request_is_recorded(sktm, operator, django_user_model):
    letter_request = submit(sktm)
    services.request_open(letter_request=letter_request, user=operator)
    admin = django_user_model.objects.get(username="admin")
    services.request_open(letter_request=letter_request, user=admin)
    services.request_ask_more(letter_request=letter_request, user=admin, note="Foto KTP buram.")
    services.request_open(letter_request=letter_request, user=admin)  # back on the page after the click
    services.request_open(letter_request=letter_request, user=operator)
    assert list(letter_request.events.values_list("action", "actor_name")) == [
        (Action.SUBMITTED, "pemohon"), (Action.OPENED, "editor.bungaraya"), (Action.OPENED, "admin"),
        (Action.ASKED, "admin"), (Action.OPENED, "editor.bungaraya")]


def test_a_move_the_status_does_not_allow_is_refused_and_changes_nothing(sktm, operator):
    letter_request = submit(sktm)
    with pytest.raises(services.LetterRefused):
        services.request_complete(letter_request=letter_request, documents=[("KTP", checked_document(photo()))])
    services.request_approve(letter_request=letter_request, user=operator)
    with pytest.raises(services.LetterRefused, match="Disetujui"):
        services.request_ask_more(letter_request=letter_request, user=operator, note="lagi")
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.APPROVED
    assert letter_request.documents.count() == 1


def test_a_rejection_needs_a_reason_and_closes_the_request(sktm, operator):
    letter_request = submit(sktm)
    with pytest.raises(ValidationError):
        services.request_reject(letter_request=letter_request, user=operator, reason="")
    services.request_reject(letter_request=letter_request, user=operator, reason="Bukan warga kampung ini.")
    letter_request.refresh_from_db()
    assert letter_request.status == LetterStatus.REJECTED
    assert letter_request.closed_at is not None and not letter_request.is_open
    with pytest.raises(services.LetterRefused):
        services.request_approve(letter_request=letter_request, user=operator)


def test_overdue_against_the_promised_day(sktm):
    letter_request = submit(sktm)
    due = letter_request.due_on
    assert not letter_request.is_overdue(today=due)
    assert letter_request.is_overdue(today=due + datetime.timedelta(days=1))
    letter_request.closed_at = timezone.make_aware(datetime.datetime.combine(due, datetime.time(10)))
    assert not letter_request.is_overdue(today=due + datetime.timedelta(days=30))


def test_initials_only(sktm):
    assert submit(sktm, applicant_name="siti  aminah binti Rahmat").initials == "S.A.B.R."


def test_a_village_template_cannot_reach_into_python():
    assert services.fill("{nama} {nama.__class__} {tidak_ada}", {"nama": "Siti"}) == "Siti {nama.__class__} {tidak_ada}"


def test_the_number_follows_the_village_format(sktm):
    letter_settings = services.letter_settings_for(sktm.kampung)
    letter_settings.abbreviation = "BR"
    assert services.letter_number(letter_settings, classification="470", sequence=12,
                                  when=datetime.date(2026, 11, 24)) == "470/012/BR/2026"
    letter_settings.number_format = "{klasifikasi}/{nomor}/{singkatan}/{bulan}/{tahun}"
    assert services.letter_number(letter_settings, classification="400", sequence=3,
                                  when=datetime.date(2026, 2, 1)) == "400/003/BR/II/2026"


def test_documents_go_after_the_retention_period_and_the_request_stays(sktm, operator, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.LETTERS_DOCUMENT_RETENTION_DAYS = 30
    old, recent, still_open = submit(sktm), submit(sktm), submit(sktm)
    for letter_request in (old, recent):
        services.request_reject(letter_request=letter_request, user=operator, reason="Berkas palsu.")
    LetterRequest.objects.filter(pk=old.pk).update(closed_at=timezone.now() - datetime.timedelta(days=31))
    storage = RequestDocument._meta.get_field("file").storage
    old_file = old.documents.get().file.name
    assert storage.exists(old_file)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.documents_purge() == 1

    old.refresh_from_db()
    assert old.documents.count() == 0 and old.documents_purged_at is not None
    assert not storage.exists(old_file)
    assert old.events.last().action == Action.PURGED and old.events.last().actor_name == "sistem"
    assert recent.documents.count() == 1 and still_open.documents.count() == 1
    assert services.documents_purge() == 0  # once


def test_the_worker_sweep_queues_the_purge_at_most_once_an_hour(sktm, operator, settings):
    from django.core.cache import cache

    from marketplace.worker import ResilientWorker, worker_sweep

    letter_request = submit(sktm)
    services.request_reject(letter_request=letter_request, user=operator, reason="Ganda.")
    LetterRequest.objects.filter(pk=letter_request.pk).update(closed_at=timezone.now() - datetime.timedelta(days=400))
    cache.delete("letters:purge-documents")
    worker_sweep.send(sender=ResilientWorker)  # the test's task backend runs it at once
    assert letter_request.documents.count() == 0
    letter_request2 = submit(sktm)
    services.request_reject(letter_request=letter_request2, user=operator, reason="Ganda.")
    LetterRequest.objects.filter(pk=letter_request2.pk).update(closed_at=timezone.now() - datetime.timedelta(days=400))
    worker_sweep.send(sender=ResilientWorker)
    assert letter_request2.documents.count() == 1  # not before the hour is out
    cache.delete("letters:purge-documents")
