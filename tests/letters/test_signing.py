"""The signature on a letter: PAdES by the village's certificate, which the regency's own
authority issues; valid for the issued file, invalid after any change; keys kept encrypted."""

import hashlib
import io

import pytest
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives import serialization
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from cms.letters import signing
from cms.letters.models import SigningKey
from cms.letters.signing import verify, village_key_revoke
from tests.letters.signing_world import DAYUN, letter_bytes, signed, village

pytestmark = pytest.mark.django_db


def test_an_issued_letter_is_signed_intact_and_trusted():
    letter = signed(village())
    data = letter_bytes(letter)

    verdict = verify(data)

    assert verdict.signed and verdict.intact and verdict.trusted and verdict.valid
    assert verdict.signer == "Penghulu Kampung Bunga Raya"
    assert abs((verdict.signed_at - letter.issued_at).total_seconds()) < 60
    assert hashlib.sha256(data).hexdigest() == letter.sha256


def test_the_signature_is_pades_and_carries_the_chain_to_the_regency():
    data = letter_bytes(signed(village()))

    signature = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures[0]

    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    names = {cert.chosen.subject.native["common_name"] for cert in signature.signed_data["certificates"]}
    assert names == {"Penghulu Kampung Bunga Raya", "Pemerintah Kabupaten Siak"}


def test_one_changed_byte_inside_the_signed_range_breaks_the_signature():
    data = letter_bytes(signed(village()))
    at = data.index(b"Pasar Kampung")  # the producer, inside the first signed range
    changed = data[:at] + b"Pasar Kampunk" + data[at + len(b"Pasar Kampung"):]

    verdict = verify(changed)

    assert verdict.signed and not verdict.intact and not verdict.valid


def test_a_letter_of_another_village_verifies_with_its_own_certificate():
    verdict = verify(letter_bytes(signed(village(DAYUN, abbreviation="DY"))))

    assert verdict.valid and verdict.signer == "Penghulu Kampung Dayun"


def test_an_authority_no_longer_kept_here_is_not_trusted():
    data = letter_bytes(signed(village()))
    SigningKey.objects.filter(kampung__isnull=True).update(revoked_at=timezone.now())

    verdict = verify(data)

    assert verdict.signed and verdict.intact and not verdict.trusted and not verdict.valid


@pytest.mark.parametrize("garbage", [b"", b"%PDF-1.7\n%%EOF", b"\x00" * 4096, b"%PDF-1.4\n1 0 obj << /Type /Catalog",
                                     b"<html>surat</html>"])
def test_verify_calls_anything_that_is_not_a_signed_pdf_unsigned(garbage):
    assert verify(garbage) == signing.Verdict(signed=False)


def test_an_unsigned_pdf_is_unsigned():
    from marketplace.pdf import new_pdf

    pdf = new_pdf(title="tanpa tanda tangan")
    pdf.add_page()

    assert not verify(bytes(pdf.output())).signed


def test_letters_share_one_village_key_and_one_regency_authority():
    kampung, dayun = village(), village(DAYUN, abbreviation="DY")

    signed(kampung), signed(kampung), signed(dayun)

    assert SigningKey.objects.filter(kampung=kampung).count() == 1
    assert SigningKey.objects.filter(kampung=dayun).count() == 1
    assert SigningKey.objects.filter(kampung__isnull=True, regency=kampung.kecamatan.regency).count() == 1


def test_the_stored_key_is_encrypted_and_opens_only_with_the_secret(settings):
    signed(village())
    row = SigningKey.objects.get(kampung__code="14.08.08.2001")
    stored = bytes(row.key_encrypted)

    assert b"PRIVATE KEY" not in stored and b"-----BEGIN" not in stored
    with pytest.raises(ValueError):
        serialization.load_der_private_key(stored, password=None)
    assert signing._decrypt_key(row).public_key().public_numbers() == \
        signing._certificate(row).public_key().public_numbers()
    settings.LETTERS_KEY_SECRET = "rahasia lain"
    with pytest.raises(InvalidToken):
        signing._decrypt_key(row)


def test_a_revoked_village_key_is_replaced_and_its_earlier_letters_still_verify():
    kampung = village()
    before = letter_bytes(signed(kampung))
    old = village_key_revoke(kampung=kampung)

    after = letter_bytes(signed(kampung))

    new = SigningKey.objects.get(kampung=kampung, revoked_at__isnull=True)
    assert new.pk != old.pk
    assert verify(before).valid and verify(after).valid
