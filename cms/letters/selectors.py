"""What the resident's tracking page reads (the request's steps and its promise), and the
addresses of a request and of a letter's verification."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from .models import CLOSED_STATUSES, LetterEvent, LetterRequest, LetterStatus


def tracking_path(letter_request: LetterRequest) -> str:
    """The resident's link: the code, and the secret that is the key to it."""
    return reverse("letters:tracking", args=[letter_request.code, letter_request.secret])


def verification_path(verification_code: str) -> str:
    """The public page a letter's QR code opens."""
    return reverse("letters:verify", args=[verification_code])


# The road a request normally takes; "Perlu dilengkapi" and "Ditolak" appear only when they happen.
HAPPY_PATH = [LetterStatus.SUBMITTED, LetterStatus.REVIEWING, LetterStatus.APPROVED, LetterStatus.DONE]
# Notes the resident may read on their own timeline: the office's request, their own answer,
# the reason of a refusal and the letter's number. Never who in the office did it.
NOTE_SHOWN = {LetterEvent.Action.ASKED, LetterEvent.Action.COMPLETED, LetterEvent.Action.REJECTED,
              LetterEvent.Action.SIGNED}


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    at: datetime.datetime | None  # None: not reached yet
    note: str = ""
    current: bool = False


def request_timeline(letter_request: LetterRequest) -> list[Step]:
    """Each change of status with its date, then the steps still ahead."""
    steps: list[Step] = []
    for event in letter_request.events.all():
        if steps and steps[-1].status == event.status:
            continue
        note = event.note if event.action in NOTE_SHOWN else ""
        steps.append(Step(event.status, LetterStatus(event.status).label, event.created_at, note))
    if not steps:  # a request always has its submission event; this keeps the page whole anyway
        steps.append(Step(LetterStatus.SUBMITTED, LetterStatus.SUBMITTED.label, letter_request.submitted_at))
    last = steps[-1]
    steps[-1] = Step(last.status, last.label, last.at, last.note, current=True)
    if letter_request.status in CLOSED_STATUSES:
        return steps
    position = HAPPY_PATH.index(letter_request.status) if letter_request.status in HAPPY_PATH else 0
    steps += [Step(status, status.label, None) for status in HAPPY_PATH[position + 1:]]
    return steps


@dataclass(frozen=True)
class Promise:
    days: int
    due_on: datetime.date
    overdue: bool
    closed: bool


def request_promise(letter_request: LetterRequest, today: datetime.date | None = None) -> Promise:
    return Promise(days=letter_request.promised_days, due_on=letter_request.due_on,
                   overdue=letter_request.is_overdue(today or timezone.localdate()),
                   closed=letter_request.closed_at is not None)
