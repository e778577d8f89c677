"""Every change to a letter request goes through one of these functions: one transaction,
one event in the request's audit trail, and a message to the resident after commit.

The moves (who may make them is checked by the caller's view, the move itself here):

    submitted  --open-->      reviewing
    reviewing  --ask_more-->  incomplete  --complete (resident)-->  reviewing
    reviewing  --approve-->   approved    --sign-->                 done
    any open   --reject-->    rejected
"""

import datetime
import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shops.models import Kampung

from .kinds import KINDS
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    IssuedLetter,
    LetterEvent,
    LetterKind,
    LetterRequest,
    LetterSequence,
    LetterSettings,
    LetterStatus,
    RequestDocument,
    new_code,
    new_secret,
)

Action = LetterEvent.Action
RESIDENT = "pemohon"
SYSTEM = "sistem"


class LetterRefused(Exception):
    """A move that the request's status does not allow (a stale page, a double click)."""


# --- dates -------------------------------------------------------------------------------

def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """Monday to Friday; public holidays are not known here."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


# --- the regency's set, taken by a village ------------------------------------------------

@transaction.atomic
def letter_kinds_ensure(*, kampung: Kampung) -> list[LetterKind]:
    """The regency's kinds of letter as this village's own, wording untouched if present."""
    kinds = []
    for spec in KINDS.values():
        kind, _created = LetterKind.objects.get_or_create(kampung=kampung, code=spec.code, defaults={
            "title": spec.title, "classification": spec.classification, "template": spec.template})
        kinds.append(kind)
    return kinds


def letter_settings_for(kampung: Kampung) -> LetterSettings:
    """The village's settings, or unsaved defaults a village can issue with at once."""
    found = LetterSettings.objects.filter(kampung=kampung).first()
    if found is not None:
        return found
    initials = "".join(word[0] for word in kampung.name.split()).upper()[:6] or "KP"
    return LetterSettings(kampung=kampung, signer_name=_("Penghulu %(kampung)s") % {"kampung": kampung.name},
                          signer_title="Penghulu", abbreviation=initials)


SIGNER_FIELDS = ("signer_name", "signer_title")
SETTINGS_FIELDS = ("office_address", *SIGNER_FIELDS, "number_format", "abbreviation")


@transaction.atomic
def letter_settings_update(*, kampung: Kampung, acting_user, **values) -> LetterSettings:
    """A village's letterhead, signer and numbering, saved. Who signs the village's letters
    is security-relevant: a change of signer name or title leaves an audit row."""
    from shops.constants import AuditAction
    from shops.services import audit_record

    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"not settings fields: {sorted(unknown)}")
    Kampung.objects.select_for_update().get(pk=kampung.pk)  # two editors saving at once: one after the other
    letter_settings = letter_settings_for(kampung)
    before = {field: getattr(letter_settings, field) for field in SIGNER_FIELDS}
    for field, value in values.items():
        setattr(letter_settings, field, value)
    letter_settings.full_clean()
    letter_settings.save()
    after = {field: getattr(letter_settings, field) for field in SIGNER_FIELDS}
    if after != before:
        audit_record(acting_user=acting_user, action=AuditAction.LETTER_SIGNER, target=letter_settings,
                     old=before, new=after)
    return letter_settings


# --- the trail ---------------------------------------------------------------------------

def _event(letter_request: LetterRequest, action: str, *, user=None, by: str = RESIDENT,
           note: str = "") -> LetterEvent:
    """`user` is an operator; without one the event is the resident's, or the scheduler's (`by`)."""
    return LetterEvent.objects.create(
        request=letter_request, action=action, status=letter_request.status, note=note,
        actor=user if user is not None and user.pk else None,
        actor_name=user.get_username() if user is not None and user.pk else by,
    )


def _locked(letter_request: LetterRequest, allowed) -> LetterRequest:
    locked = LetterRequest.objects.select_for_update().get(pk=letter_request.pk)
    if locked.status not in allowed:
        raise LetterRefused(_("Permohonan ini sudah berstatus %(status)s.") % {"status": locked.get_status_display()})
    return locked


def _move(letter_request: LetterRequest, status: str, action: str, *, user, note: str = "",
          fields=()) -> LetterRequest:
    letter_request.status = status
    if status in CLOSED_STATUSES:
        letter_request.closed_at = timezone.now()
    letter_request.save(update_fields=["status", "closed_at", *fields])
    _event(letter_request, action, user=user, note=note)
    _notify_on_commit(letter_request)
    return letter_request


def _notify_on_commit(letter_request: LetterRequest) -> None:
    from .emails import status_mail

    transaction.on_commit(lambda: status_mail(letter_request_id=letter_request.pk))


def _save_documents(letter_request: LetterRequest, documents, *, later: bool) -> None:
    """`documents` are (requirement, CheckedFile) pairs, already through marketplace.files."""
    for requirement, checked in documents:
        RequestDocument.objects.create(request=letter_request, requirement=requirement[:150],
                                       file=checked.as_file(), added_later=later)


# --- the resident ------------------------------------------------------------------------

@transaction.atomic
def request_submit(*, kind: LetterKind, service_page=None, promised_days: int, applicant: dict,
                   details: dict, documents) -> LetterRequest:
    """`applicant` holds applicant_name, nik, kk_number, birth_date, phone, email, all cleaned
    by the form; `details` the kind's fields, cleaned; `documents` (requirement, CheckedFile)."""
    now = timezone.now()
    while True:
        code = new_code(8)
        if not LetterRequest.objects.filter(code=code).exists():
            break
    letter_request = LetterRequest.objects.create(
        kampung=kind.kampung, kind=kind, service_page=service_page, code=code, secret=new_secret(),
        promised_days=promised_days, submitted_at=now,
        due_on=add_working_days(timezone.localdate(now), promised_days), details=details, **applicant,
    )
    _save_documents(letter_request, documents, later=False)
    _event(letter_request, Action.SUBMITTED, user=None)
    _notify_on_commit(letter_request)
    return letter_request


@transaction.atomic
def request_complete(*, letter_request: LetterRequest, documents, note: str = "") -> LetterRequest:
    """The resident sends what the office asked for; the request goes back to the queue."""
    if not documents and not note.strip():
        raise ValidationError(_("Kirim berkas yang diminta atau tulis keterangan untuk petugas."))
    locked = _locked(letter_request, [LetterStatus.INCOMPLETE])
    _save_documents(locked, documents, later=True)
    return _move(locked, LetterStatus.REVIEWING, Action.COMPLETED, user=None, note=note.strip())


# --- the village office ------------------------------------------------------------------

@transaction.atomic
def request_open(*, letter_request: LetterRequest, user, begins_review: bool = True) -> LetterRequest:
    """An operator opens the request; a new request is now being checked. Each opening is
    recorded, except the page shown again to whoever made the request's latest entry
    within the hour (after their own click), which would only repeat them. Someone only
    supervising (the regency admin) passes begins_review=False: recorded, nothing moves."""
    locked = LetterRequest.objects.select_for_update().get(pk=letter_request.pk)
    if begins_review and locked.status == LetterStatus.SUBMITTED:
        locked.status = LetterStatus.REVIEWING
        locked.save(update_fields=["status"])
        _notify_on_commit(locked)
    latest = locked.events.order_by("-created_at", "-pk").first()
    if not (latest and latest.actor_id == user.pk and latest.action != Action.DOCUMENT_VIEWED
            and latest.created_at > timezone.now() - datetime.timedelta(hours=1)):
        _event(locked, Action.OPENED, user=user)
    return locked


def document_viewed(*, document: RequestDocument, user) -> None:
    _event(document.request, Action.DOCUMENT_VIEWED, user=user, note=document.requirement)


@transaction.atomic
def request_ask_more(*, letter_request: LetterRequest, user, note: str) -> LetterRequest:
    note = note.strip()
    if not note:
        raise ValidationError(_("Tulis apa yang perlu dilengkapi pemohon."))
    locked = _locked(letter_request, [LetterStatus.SUBMITTED, LetterStatus.REVIEWING])
    locked.note = note
    return _move(locked, LetterStatus.INCOMPLETE, Action.ASKED, user=user, note=note, fields=["note"])


@transaction.atomic
def request_approve(*, letter_request: LetterRequest, user) -> LetterRequest:
    locked = _locked(letter_request, [LetterStatus.SUBMITTED, LetterStatus.REVIEWING])
    return _move(locked, LetterStatus.APPROVED, Action.APPROVED, user=user)


@transaction.atomic
def request_reject(*, letter_request: LetterRequest, user, reason: str) -> LetterRequest:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Tulis alasan penolakan untuk pemohon."))
    locked = _locked(letter_request, OPEN_STATUSES)
    locked.note = reason
    return _move(locked, LetterStatus.REJECTED, Action.REJECTED, user=user, note=reason, fields=["note"])


ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict) -> str:
    """Each {name} replaced by its value; an unknown name is left as written. Not
    str.format: a village's template must not reach attributes ({x.__class__})."""
    return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), template)


def letter_number(letter_settings: LetterSettings, *, classification: str, sequence: int,
                  when: datetime.date) -> str:
    return fill(letter_settings.number_format, {
        "klasifikasi": classification, "nomor": f"{sequence:03d}", "singkatan": letter_settings.abbreviation,
        "bulan": ROMAN_MONTHS[when.month - 1], "tahun": when.year,
    })


def _next_sequence(kampung: Kampung, year: int) -> int:
    sequence, _created = LetterSequence.objects.get_or_create(kampung=kampung, year=year)
    sequence = LetterSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


@transaction.atomic
def letter_sign(*, letter_request: LetterRequest, user) -> IssuedLetter:
    """Number the letter in the village's sequence for the year, write it on the letterhead
    with its QR code, sign it with the village's key and keep its hash for verification."""
    from .pdf import LetterContent, letter_pdf
    from .signing import signing_provider

    locked = _locked(letter_request, [LetterStatus.APPROVED])
    kampung = locked.kampung
    letter_settings = letter_settings_for(kampung)
    now = timezone.now()
    today = timezone.localdate(now)
    sequence = _next_sequence(kampung, today.year)
    number = letter_number(letter_settings, classification=locked.kind.classification, sequence=sequence, when=today)
    while True:
        verification_code = new_code(10)
        if not IssuedLetter.objects.filter(verification_code=verification_code).exists():
            break
    content = LetterContent.for_request(locked, letter_settings=letter_settings, number=number,
                                        verification_code=verification_code, issued_on=today)
    signed = signing_provider().sign(letter_pdf(content), kampung=kampung,
                                     reason=f"{locked.kind.title} {number}")
    letter = IssuedLetter(
        request=locked, kampung=kampung, number=number, year=today.year, sequence=sequence,
        title=locked.kind.title, applicant_initials=locked.initials, verification_code=verification_code,
        sha256=hashlib.sha256(signed).hexdigest(), signer_name=letter_settings.signer_name,
        signer_title=letter_settings.signer_title, signed_by=user, issued_at=now,
    )
    letter.pdf.save(f"{verification_code}.pdf", ContentFile(signed), save=False)
    letter.save()
    _move(locked, LetterStatus.DONE, Action.SIGNED, user=user, note=number)
    return letter


# --- personal data ----------------------------------------------------------------------

def documents_purge(*, now=None) -> int:
    """Delete the documents of requests closed more than LETTERS_DOCUMENT_RETENTION_DAYS
    ago; the request, its trail and the issued letter stay. Returns the requests purged."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.LETTERS_DOCUMENT_RETENTION_DAYS)
    purged = 0
    due = LetterRequest.objects.filter(status__in=CLOSED_STATUSES, closed_at__lt=cutoff,
                                       documents_purged_at__isnull=True)
    for letter_request_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = LetterRequest.objects.select_for_update().get(pk=letter_request_id)
            files = [document.file.name for document in locked.documents.all()]
            locked.documents.all().delete()
            locked.documents_purged_at = now
            locked.save(update_fields=["documents_purged_at"])
            _event(locked, Action.PURGED, by=SYSTEM, note=str(len(files)))
            storage = RequestDocument._meta.get_field("file").storage
            transaction.on_commit(lambda names=files: [storage.delete(name) for name in names])
        purged += 1
    return purged
