"""One rate limit for whatever a visitor can make the site do to others.

`rate_limit(key, limit=, period=)` counts in the shared "throttle" cache (the database
by default, so every web process sees the same counters). `mail_allowed` applies it to
mail sent to an address an anonymous visitor typed; `too_many` is the one answer when
a limit is reached: an Indonesian page with status 429. django-axes (login lockouts)
answers through the same page.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.utils.translation import gettext as _

CACHE_ALIAS = "throttle"


def rate_limit(key: str, *, limit: int, period: int) -> bool:
    """Count one more hit of `key`; False once it has been hit more than `limit` times
    in the window of `period` seconds that began with its first hit."""
    cache = caches[CACHE_ALIAS]
    name = _cache_name(key)
    cache.add(name, 0, timeout=period)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=period)
        count = 1
    return count <= limit


def _cache_name(key: str) -> str:
    # Hashed: keys carry e-mail addresses, which need not sit in the cache in clear.
    return "throttle:" + hashlib.sha256(key.encode()).hexdigest()


def limit_reached(key: str, *, limit: int) -> bool:
    """Has `key` already been hit more than `limit` times? Counts nothing: for limits that
    count only failures, asked before an attempt that might succeed."""
    return (caches[CACHE_ALIAS].get(_cache_name(key)) or 0) > limit


def client_ip(request) -> str | None:
    """The client's address for every limit, django-axes' included (AXES_CLIENT_IP_CALLABLE).

    The peer's address; behind our own proxy (TRUST_X_REAL_IP, deploy/nginx.conf), the
    X-Real-IP that proxy sets, overwriting whatever the client sent. X-Forwarded-For is
    never read: clients write it."""
    if settings.TRUST_X_REAL_IP and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR") or None


def mail_allowed(request, *, email: str, purpose: str) -> bool:
    """May the site send one more `purpose` mail to `email` for this client?

    Both counters always count, whether or not the address has an account, so the
    answer never tells a visitor anything about other people's accounts."""
    address_limit, address_period = settings.THROTTLE_MAIL_PER_ADDRESS
    ip_limit, ip_period = settings.THROTTLE_MAIL_PER_IP
    by_ip = rate_limit(f"mail:ip:{client_ip(request) or 'unknown'}", limit=ip_limit, period=ip_period)
    by_address = rate_limit(f"mail:{purpose}:{email.strip().lower()}", limit=address_limit, period=address_period)
    return by_ip and by_address


def too_many(request, *, message: str, retry_after: timedelta = timedelta(hours=1)):
    """The answer when a limit is reached: nothing done, a clear page, 429."""
    minutes = max(1, int(retry_after.total_seconds() // 60))
    response = render(request, "marketplace/too_many.html", {
        "message": message,
        "wait": _("Silakan coba lagi dalam %(minutes)d menit.") % {"minutes": minutes},
    }, status=429)
    response["Retry-After"] = str(int(retry_after.total_seconds()))
    return response


def mail_refused(request):
    return too_many(request, message=_(
        "Terlalu banyak e-mail diminta dari alamat ini atau dari jaringan Anda. "
        "Tidak ada e-mail yang dikirim."))


def axes_username(request, credentials=None) -> str:
    """The account axes counts failures against: Oscar's form posts an e-mail, Wagtail's a
    username, so both are resolved to the account's e-mail (or its username when it has
    none); a name that is no account is counted as typed, lower-cased. One account thus
    has one counter whichever form is used, and `axes_reset_username <e-mail>` lifts it."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        post = getattr(request, "POST", {})
        name = post.get("login-username") or post.get("username") or post.get("email")
    name = (name or "").strip().lower()
    if not name:
        return name
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    accounts = list(get_user_model().objects.filter(Q(username__iexact=name) | Q(email__iexact=name))
                    .values_list("email", "username")[:2])
    if len(accounts) != 1:  # none, or ambiguous: count what was typed
        return name
    email, username = accounts[0]
    return (email or username).strip().lower()


def axes_locked_out(request, original_response=None, credentials=None):
    return too_many(request, retry_after=settings.AXES_COOLOFF_TIME, message=_(
        "Terlalu banyak percobaan masuk dengan kata sandi yang salah, jadi akun ini "
        "dikunci sementara dari perangkat Anda. Jika lupa kata sandi, aturlah ulang "
        "setelah menunggu."))
