"""Registration by e-mail confirmation: the page answers the same for every address;
only the mailbox's owner learns whether it already had an account."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ..sites import site_url

User = get_user_model()


def activation_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site_url(reverse("accounts:activate", args=[uid, default_token_generator.make_token(user)]))


@transaction.atomic
def account_register(*, form) -> None:
    """A new address gets an inactive account and a confirmation link; an address
    that already has an account gets a note saying so (with the way back in); one
    registered but never confirmed gets its confirmation link again."""
    email = form.cleaned_data["email"]
    existing = User.objects.filter(email__iexact=email).order_by("pk").first()
    if existing is None:
        user = form.save(commit=False)
        user.is_active = False
        user.save()
        _send_activation(user)
    elif not existing.is_active and existing.last_login is None:
        _send_activation(existing)
    else:
        _send_already_registered(existing)


def _send_activation(user) -> None:
    body = _(
        "Terima kasih telah mendaftar di Pasar Kampung.\n\n"
        "Buka tautan ini untuk mengaktifkan akun Anda:\n%(url)s\n\n"
        "Jika Anda tidak mendaftar, abaikan e-mail ini; akun tidak akan aktif."
    ) % {"url": activation_url(user)}
    transaction.on_commit(lambda: send_mail(
        _("Aktifkan akun Pasar Kampung Anda"), body, None, [user.email], fail_silently=True))


def _send_already_registered(user) -> None:
    body = _(
        "Seseorang (mungkin Anda) mencoba mendaftar di Pasar Kampung dengan alamat e-mail ini, "
        "padahal alamat ini sudah punya akun.\n\n"
        "Masuk di: %(login)s\n"
        "Lupa kata sandi? Atur ulang di: %(reset)s\n\n"
        "Jika bukan Anda, abaikan e-mail ini; akun Anda tidak berubah."
    ) % {"login": site_url(reverse("customer:login")), "reset": site_url(reverse("password-reset"))}
    transaction.on_commit(lambda: send_mail(
        _("Percobaan pendaftaran dengan alamat e-mail Anda"), body, None, [user.email], fail_silently=True))


@transaction.atomic
def manager_invite(*, user) -> bool:
    """A manager account made by a BUMKam's application is inactive and has no password;
    once the regency admin approves the shop it is activated and its owner e-mailed a link
    to set the password (only the mailbox's owner can). True if an invitation was sent."""
    if user.is_active or user.last_login is not None or user.has_usable_password() or not user.email:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = site_url(reverse("password-reset-confirm", args=[uid, default_token_generator.make_token(user)]))
    body = _(
        "BUMKam Anda telah disetujui admin kabupaten dan kini bisa berjualan di Pasar Kampung.\n\n"
        "Buka tautan ini untuk membuat kata sandi akun pengelola Anda:\n%(url)s\n\n"
        "Setelah itu masuk di: %(login)s"
    ) % {"url": url, "login": site_url(reverse("customer:login"))}
    transaction.on_commit(lambda: send_mail(
        _("BUMKam Anda disetujui: buat kata sandi"), body, None, [user.email], fail_silently=True))
    return True
