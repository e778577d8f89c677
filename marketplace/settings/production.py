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
from .base import env_bool  # noqa: E402

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
