"""Counting requests per key in Django's cache: enough to stop one client filling a disk
or a queue, without another service. Each process counts alone on the local-memory
cache; a shared CACHES backend (database or Redis) makes the limit site-wide."""

import time

from django.conf import settings
from django.core.cache import cache


def rate_limit_hit(*, key: str, limit: int, seconds: int) -> bool:
    """Count one request for `key`; True when it is past `limit` in the current window."""
    window = int(time.time() // seconds)
    cache_key = f"ratelimit:{key}:{window}"
    cache.add(cache_key, 0, timeout=seconds + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds + 60)
        count = 1
    return count > limit


def client_ip(request) -> str:
    """The peer's address, or the X-Real-IP our own proxy sets (USE_X_REAL_IP), which
    overwrites whatever the client sent. X-Forwarded-For is never read: clients write it."""
    if settings.USE_X_REAL_IP and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR", "")
