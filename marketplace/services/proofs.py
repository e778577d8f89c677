"""A buyer's proof of a bank transfer: taken only while the checkout waits for that
transfer, kept in private storage, and the proof it replaces deleted."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import CheckoutStatus, PaymentMethod
from ..files import CheckedFile
from ..models import Checkout
from .checkout import CheckoutError


class ProofRefused(CheckoutError):
    """The checkout takes no proof now (paid, expired, cancelled, or not a transfer)."""


def checkout_accepts_proof(checkout: Checkout) -> bool:
    return (checkout.payment_method == PaymentMethod.BANK_TRANSFER
            and checkout.status == CheckoutStatus.AWAITING_PAYMENT
            and (checkout.expires_at is None or checkout.expires_at > timezone.now()))


def checkout_proof_attach(*, checkout: Checkout, proof: CheckedFile) -> Checkout:
    """Store `proof` (already checked by marketplace.files) as the checkout's transfer proof."""
    with transaction.atomic():
        locked = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if not checkout_accepts_proof(locked):
            raise ProofRefused(_("Checkout ini sudah dibayar, kedaluwarsa atau ditutup: bukti transfer tidak "
                                 "diterima lagi."))
        replaced = locked.payment_proof.name
        storage = locked.payment_proof.storage
        upload = proof.as_file()
        locked.payment_proof.save(upload.name, upload, save=False)
        try:
            locked.save(update_fields=["payment_proof"])
        except Exception:
            storage.delete(locked.payment_proof.name)  # the row was not written: neither is its file
            raise
        if replaced:
            transaction.on_commit(lambda: storage.delete(replaced))
    return locked
