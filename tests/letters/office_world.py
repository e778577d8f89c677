"""Requests for the village office's tests, made by the resident's own service."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from cms.letters.models import LetterKind
from cms.letters.services import letter_kinds_ensure, request_submit
from cms.services import editor_group_name
from marketplace.files import checked_document
from shops.models import Kampung
from tests.factories.uploads import image_bytes, pdf_bytes

BUNGA_RAYA, KERINCI_KANAN = "14.08.08.2001", "14.08.07.2001"
PASSWORD = "pasar-kampung-2026"


def kind_of(village_code: str, code: str = "sktm") -> LetterKind:
    kampung = Kampung.objects.get(code=village_code)
    letter_kinds_ensure(kampung=kampung)
    return LetterKind.objects.get(kampung=kampung, code=code)


def submitted(village_code: str = BUNGA_RAYA, *, code: str = "sktm", name: str = "Siti Aminah",
              details=None, promised_days: int = 3, pdf: bool = False):
    kind = kind_of(village_code, code)
    documents = [("KTP", checked_document(ContentFile(image_bytes(), name="ktp.png")))]
    if pdf:
        documents.append(("Kartu Keluarga", checked_document(ContentFile(pdf_bytes(), name="kk.pdf"))))
    return request_submit(
        kind=kind, promised_days=promised_days, documents=documents,
        details=details if details is not None else {"keperluan": "berobat dengan BPJS PBI"},
        applicant={"applicant_name": name, "nik": "1408085507900001", "kk_number": "1408080101200001",
                   "birth_date": datetime.date(1990, 7, 15), "phone": "6281234567890", "email": "siti@warga.test"},
    )


def set_dates(letter_request, *, submitted_at=None, due_on=None, closed_at=None, status=None):
    fields = {"submitted_at": submitted_at, "due_on": due_on, "closed_at": closed_at, "status": status}
    type(letter_request).objects.filter(pk=letter_request.pk).update(
        **{name: value for name, value in fields.items() if value is not None})
    letter_request.refresh_from_db()
    return letter_request


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def other_editor():
    """An editor of Kerinci Kanan, the village next door."""
    user = get_user_model().objects.create_user("editor.kerincikanan", "ek@siakkab.test", PASSWORD)
    user.groups.add(Group.objects.get(name=editor_group_name(Kampung.objects.get(code=KERINCI_KANAN))))
    return user


def signed_in(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client
