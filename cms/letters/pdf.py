"""The letter as a PDF on the kampung's letterhead (fpdf2), with its QR code (segno).
Stub: filled in by the signing piece of issue 13."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class LetterContent:
    regency: str
    kecamatan: str
    kampung: str
    office_address: str
    title: str
    number: str
    body: str
    issued_on: datetime.date
    signer_title: str
    signer_name: str
    verification_code: str
    verification_url: str

    @classmethod
    def for_request(cls, letter_request, *, letter_settings, number, verification_code, issued_on):
        raise NotImplementedError


def letter_pdf(content: LetterContent) -> bytes:
    raise NotImplementedError
