"""PAdES signatures through a provider interface, and their verification.

The default provider is the regency's own small PKI: one authority per regency (a
self-signed CA, "Pemerintah Kabupaten Siak") issues a certificate to each village
("Penghulu Kampung Bunga Raya"), which signs that village's letters. Both are made on
first need and kept in `SigningKey`, their private keys encrypted with Fernet. A PDF
reader that is given the regency's certificate shows the signature as trusted; our own
verification page trusts the authorities stored here. BSrE (the national signing
service) would be another `SigningProvider` behind the same `sign()`."""

import base64
import datetime
import io
import logging
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from shops.models import Kampung, Regency

from .models import SigningKey

logger = logging.getLogger(__name__)

AUTHORITY_YEARS = 30
VILLAGE_YEARS = 10  # a letter is checked for years: the certificate must outlive the check
FIELD_NAME = "TandaTanganElektronik"


class SigningProvider:
    def sign(self, pdf: bytes, *, kampung, reason: str) -> bytes:
        raise NotImplementedError


def signing_provider() -> SigningProvider:
    return import_string(settings.LETTERS_SIGNING_PROVIDER)()


# --- keys at rest ---------------------------------------------------------------------------

def _fernet() -> Fernet:
    """LETTERS_KEY_SECRET if it is a Fernet key; otherwise a key derived (HKDF) from it, or
    from SECRET_KEY when it is empty, so that no key ever sits in the database in clear."""
    secret = settings.LETTERS_KEY_SECRET
    if secret:
        try:
            return Fernet(secret)
        except ValueError:
            pass
    material = (secret or settings.SECRET_KEY).encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pasar-kampung/letters",
                   info=b"signing-key-encryption").derive(material)
    return Fernet(base64.urlsafe_b64encode(derived))


def _encrypt_key(key) -> bytes:
    return _fernet().encrypt(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))


def _decrypt_key(row: SigningKey):
    return serialization.load_der_private_key(_fernet().decrypt(bytes(row.key_encrypted)), password=None)


def _certificate(row: SigningKey) -> x509.Certificate:
    return x509.load_pem_x509_certificate(row.certificate_pem.encode())


# --- the regency's authority and the villages' certificates -------------------------------

def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
    ])


def _issue(*, subject: x509.Name, public_key, issuer: x509.Name, issuer_key, years: int, authority: bool,
           issuer_public_key=None) -> x509.Certificate:
    now = timezone.now()
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public_key or public_key),
                       critical=False)
    )
    if authority:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).add_extension(
            x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True).add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _store(*, regency: Regency, kampung: Kampung | None, certificate: x509.Certificate, key) -> SigningKey:
    return SigningKey.objects.create(
        regency=regency, kampung=kampung, key_encrypted=_encrypt_key(key),
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        not_after=certificate.not_valid_after_utc,
    )


def regency_authority(regency: Regency) -> SigningKey:
    """The regency's live authority, made on first need (under the regency row's lock)."""
    with transaction.atomic():
        Regency.objects.select_for_update().get(pk=regency.pk)
        found = SigningKey.objects.filter(regency=regency, kampung__isnull=True, revoked_at__isnull=True).first()
        if found is not None:
            return found
        key = ec.generate_private_key(ec.SECP256R1())
        name = _name(f"Pemerintah {regency.name}", f"Pemerintah {regency.name}")
        certificate = _issue(subject=name, public_key=key.public_key(), issuer=name, issuer_key=key,
                             years=AUTHORITY_YEARS, authority=True)
        return _store(regency=regency, kampung=None, certificate=certificate, key=key)


def village_key(kampung: Kampung) -> SigningKey:
    """The village's live certificate, issued by the regency's authority on first need or
    when the old one has expired; the kampung row's lock makes two signings share one."""
    with transaction.atomic():
        kampung = Kampung.objects.select_for_update().select_related("kecamatan__regency").get(pk=kampung.pk)
        found = SigningKey.objects.filter(kampung=kampung, revoked_at__isnull=True).first()
        if found is not None and found.not_after > timezone.now() + datetime.timedelta(days=1):
            return found
        if found is not None:  # expired: retired, its letters still verify against the authority
            found.revoked_at = timezone.now()
            found.save(update_fields=["revoked_at"])
        return _issue_village_key(kampung)


def _issue_village_key(kampung: Kampung) -> SigningKey:
    from .services import letter_settings_for

    regency = kampung.kecamatan.regency
    authority = regency_authority(regency)
    authority_key, authority_certificate = _decrypt_key(authority), _certificate(authority)
    key = ec.generate_private_key(ec.SECP256R1())
    signer_title = letter_settings_for(kampung).signer_title or "Penghulu"
    certificate = _issue(
        subject=_name(f"{signer_title} {kampung}", f"Pemerintah {kampung}"), public_key=key.public_key(),
        issuer=authority_certificate.subject, issuer_key=authority_key,
        issuer_public_key=authority_key.public_key(), years=VILLAGE_YEARS, authority=False)
    return _store(regency=regency, kampung=kampung, certificate=certificate, key=key)


@transaction.atomic
def village_key_revoke(*, kampung: Kampung) -> SigningKey | None:
    """Retire the village's certificate; the next letter gets a new one. Letters signed
    after this moment with the old key are no longer trusted by `verify`."""
    found = SigningKey.objects.select_for_update().filter(kampung=kampung, revoked_at__isnull=True).first()
    if found is not None:
        found.revoked_at = timezone.now()
        found.save(update_fields=["revoked_at"])
    return found


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class VillageCertificateProvider(SigningProvider):
    """Signs with the village's certificate as PAdES baseline B-B, the chain embedded."""

    def sign(self, pdf: bytes, *, kampung, reason: str) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        row = village_key(kampung)
        authority = regency_authority(row.regency)
        certificate = _certificate(row)
        key = _decrypt_key(row)
        signer = signers.SimpleSigner(
            signing_cert=_asn1_certificate(certificate),
            signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(_certificate(authority))]),
        )
        common_name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason[:200], location=str(kampung), name=common_name,
        )
        out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer)
        return out.getvalue()


# --- verification ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """What a file's signature says. `intact`: the signature covers the whole file and
    its hash matches; `trusted`: it chains to a regency authority kept here."""

    signed: bool
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: datetime.datetime | None = None

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted


def verify(pdf_bytes: bytes) -> Verdict:
    """Never raises: whatever is uploaded, a file that is not a signed PDF is unsigned."""
    try:
        return _verify(pdf_bytes)
    except Exception as error:  # noqa: BLE001 - a hostile file may break the parser anywhere
        logger.info("letter verification: unreadable file (%s)", type(error).__name__)
        return Verdict(signed=False)


def _verify(pdf_bytes: bytes) -> Verdict:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    signatures = reader.embedded_regular_signatures
    if not signatures:
        return Verdict(signed=False)
    roots = [_asn1_certificate(_certificate(row))
             for row in SigningKey.objects.filter(kampung__isnull=True, revoked_at__isnull=True)]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    signature = signatures[0]  # ours is the only one; anything appended after it is a change
    status = validate_pdf_signature(signature, signer_validation_context=context)
    common_names = status.signing_cert.subject.native.get("common_name", "")
    signer = common_names if isinstance(common_names, str) else ", ".join(common_names)
    signed_at = status.signer_reported_dt
    intact = bool(status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
                  and len(signatures) == 1)
    trusted = bool(roots) and status.trusted and not _revoked_before(status.signing_cert, signed_at)
    return Verdict(signed=True, intact=intact, trusted=intact and trusted, signer=signer, signed_at=signed_at)


def _revoked_before(signing_cert: asn1_x509.Certificate, signed_at) -> bool:
    """Was this village certificate revoked (not merely expired) before the signature?"""
    serial = signing_cert.serial_number
    for row in SigningKey.objects.filter(kampung__isnull=False, revoked_at__isnull=False):
        if _certificate(row).serial_number == serial:
            return signed_at is None or row.revoked_at <= signed_at
    return False
