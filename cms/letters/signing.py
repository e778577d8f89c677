"""PAdES signatures through a provider interface. Stub: filled in by the signing piece."""

from django.conf import settings
from django.utils.module_loading import import_string


class SigningProvider:
    def sign(self, pdf: bytes, *, kampung, reason: str) -> bytes:
        raise NotImplementedError


def signing_provider() -> SigningProvider:
    return import_string(settings.LETTERS_SIGNING_PROVIDER)()


class VillageCertificateProvider(SigningProvider):
    pass
