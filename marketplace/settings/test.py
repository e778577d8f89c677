"""The test suite: the same stack, with fast hashing and no collected static files."""

import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Mail goes through the outbox (EMAIL_BACKEND from base) and is delivered into django.core.mail.outbox.
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"  # noqa: F405
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"
# The browser tests' gunicorn serves static files straight from the apps.
WHITENOISE_USE_FINDERS = True
# django-axes as in production, except for the test client's request-less login().
AUTHENTICATION_BACKENDS = [  # noqa: F405
    "tests.auth_backends.TestClientAxesBackend" if backend.startswith("axes.") else backend
    for backend in AUTHENTICATION_BACKENDS  # noqa: F405
]
# Each test's own memory for Django's default cache (tests/conftest.py empties it after each);
# the pages' cache stays the shared table, so that two servers of a test share it.
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
# Stored pages only where a test turns them on (tests/speed/test_page_cache.py): elsewhere a
# test's own transaction never commits, so its changes would never make a page stale.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
