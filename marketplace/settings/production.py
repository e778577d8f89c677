"""A regency's servers: behind HTTPS, with its own secret key and database.

Refuses to start without SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and an https SITE_URL
instead of inventing them.
"""

import os

from django.core.exceptions import ImproperlyConfigured

for _name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"Production settings need {_name} in the environment.")
if not os.environ["SITE_URL"].startswith("https://"):
    # Password-reset and order links in e-mail are built from it: never plain HTTP.
    raise ImproperlyConfigured("Production settings need SITE_URL to start with https://.")

from .base import *  # noqa: E402,F403
from .base import MEDIA_ROOT, PRIVATE_MEDIA_ROOT, STORAGES, env_bool  # noqa: E402

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer asks over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True
OSCAR_URL_SCHEMA = "https"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is the regency's own decision (SECURE_HSTS_PRELOAD).
    "security.W021",
]

# --- Uploaded files (Trust issue, files) ----------------------------------------------
# Public media (product photos, logos, Wagtail images) is served by the web server in
# front (the `media` service of docker-compose.yml) or by object storage, never by
# django.views.static.serve. Private files (transfer proofs) stay on a local volume
# shared by web and worker, outside MEDIA_ROOT, and have no URL in any configuration.
if env_bool("SERVE_MEDIA", False):
    raise ImproperlyConfigured("SERVE_MEDIA must be off in production: serve MEDIA_ROOT from the web server "
                               "or set AWS_STORAGE_BUCKET_NAME for object storage.")
SERVE_MEDIA = False

_bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME") or os.environ.get("MEDIA_BUCKET")
if _bucket:
    # django-storages' S3 backend; credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
    # (or the instance's role), an S3-compatible service from AWS_S3_ENDPOINT_URL.
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": _bucket,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
                "location": os.environ.get("AWS_MEDIA_LOCATION", "media"),
                "file_overwrite": False,
                "querystring_auth": False,  # public media only: proofs never go to this bucket
                "object_parameters": {"CacheControl": "public, max-age=86400"},
            },
        },
    }

if PRIVATE_MEDIA_ROOT.resolve() == MEDIA_ROOT.resolve() or MEDIA_ROOT.resolve() in PRIVATE_MEDIA_ROOT.resolve().parents:
    raise ImproperlyConfigured("PRIVATE_MEDIA_ROOT must lie outside MEDIA_ROOT.")
