"""Settings shared by every way of running Pasar Kampung.

Everything that differs between a village office PC and a regency's servers comes
from the environment. With nothing set, the site runs on the embedded PostgreSQL
(`marketplace.embedded_db`), the PostgreSQL full-text search backend, tasks in
the database and media on local disk.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  (Oscar's documented way to take its defaults)

from marketplace.constants import OrderStatus
from marketplace.orders.moves import oscar_pipeline

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PASAR_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")


def _local_secret_key() -> str:
    """A key made once for this machine and kept in var/; production.py never uses it."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

WAGTAIL_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "cms.apps.AuditedUsersConfig",  # wagtail.users, with role changes audited
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

# Oscar's own list, with our forks in place of the apps they replace. Oscar's
# haystack-based search is replaced by `search` (a local app, listed before
# Oscar so that its templates win), so haystack is not installed.
OSCAR_FORKS = {
    "oscar.apps.catalogue.apps.CatalogueConfig": "marketplace.oscar.catalogue.apps.CatalogueConfig",
    "oscar.apps.partner.apps.PartnerConfig": "marketplace.oscar.partner.apps.PartnerConfig",
    # The dashboard: its order and report CSV downloads (through marketplace.exports), the
    # product editor (saves nothing without its formsets) and the product lookup (a manager
    # finds only their shop's goods); see its docstring.
    "oscar.apps.dashboard.apps.DashboardConfig": "marketplace.oscar.dashboard.apps.DashboardConfig",
    # Checkout: routes only our checkout (`checkout:index`); Oscar's own pages are gone.
    "oscar.apps.checkout.apps.CheckoutConfig": "marketplace.oscar.checkout.apps.CheckoutConfig",
}
OSCAR_APPS = [
    OSCAR_FORKS.get(app, app)
    for app in [
        "oscar.config.Shop",
        "oscar.apps.analytics.apps.AnalyticsConfig",
        "oscar.apps.checkout.apps.CheckoutConfig",
        "oscar.apps.address.apps.AddressConfig",
        "oscar.apps.shipping.apps.ShippingConfig",
        "oscar.apps.catalogue.apps.CatalogueConfig",
        "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
        "oscar.apps.communication.apps.CommunicationConfig",
        "oscar.apps.partner.apps.PartnerConfig",
        "oscar.apps.basket.apps.BasketConfig",
        "oscar.apps.payment.apps.PaymentConfig",
        "oscar.apps.offer.apps.OfferConfig",
        "oscar.apps.order.apps.OrderConfig",
        "oscar.apps.customer.apps.CustomerConfig",
        "oscar.apps.voucher.apps.VoucherConfig",
        "oscar.apps.wishlists.apps.WishlistsConfig",
        "oscar.apps.dashboard.apps.DashboardConfig",
        "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
        "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
        "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
        "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
        "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
        "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
        "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
        "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
        "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
        "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
        "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
        "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
        "widget_tweaks",
        "treebeard",
        "django_tables2",
        "sorl.thumbnail",
    ]
]

THIRD_PARTY_APPS = ["django_tasks", "django_tasks_db"]

LOCAL_APPS = ["shops", "marketplace", "marketplace.settlements", "cms", "cms.letters.apps.LettersConfig", "search.apps.SearchConfig"]

INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS + WAGTAIL_APPS + OSCAR_APPS + THIRD_PARTY_APPS

MIDDLEWARE = [
    # Issue 14 (weak connections): HTML, CSS and JS compressed for thin mobile links (Django's
    # GZipMiddleware, which pads its length against BREACH), pictures left as they are. First,
    # so that it compresses what every other middleware answers.
    "marketplace.middleware.TextGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "marketplace.csp.PathPolicyMiddleware",  # Content-Security-Policy on every response (see below)
    "marketplace.middleware.RejectNulBytesMiddleware",  # a NUL in path, query or form: 400
    "marketplace.middleware.MethodNotAllowedPageMiddleware",  # a form's address opened: a page, not a blank 405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "marketplace.page_cache.PageCacheMiddleware",  # an anonymous visitor's page, stored: nothing below runs
    "django.contrib.sessions.middleware.SessionMiddleware",
    "marketplace.middleware.ChosenLanguageMiddleware",  # Indonesian unless the visitor chose English here
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "marketplace.basket_middleware.BasketMiddleware",  # Oscar's, reading a basket's lines once
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "marketplace" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                # Oscar's notifications processor is left out: no template of ours shows its
                # unread count (nav_accounts.html replaces Oscar's), and it cost a query a page.
            ],
        },
    },
]


# Database: DATABASE_URL, or the embedded PostgreSQL under var/pgdata.
def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        from marketplace import embedded_db

        url = embedded_db.database_url(VAR_DIR / "pgdata")
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
    # A Unix-socket URL carries its directory as ?host=; Django wants it as HOST.
    if "host" in config.get("OPTIONS", {}):  # a URL without a query string has no OPTIONS
        config["HOST"] = config["OPTIONS"].pop("host")
    config["ATOMIC_REQUESTS"] = False
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/toko/accounts/login/"
LOGIN_REDIRECT_URL = "/toko/accounts/"

# Language, time and money
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("id", "Bahasa Indonesia")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "marketplace" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# Rupiah has no minor unit in practice: always "Rp 25.000", whatever the language.
OSCAR_DEFAULT_CURRENCY = "IDR"
OSCAR_CURRENCY_FORMAT = {
    "IDR": {"format": "¤\u00a0#,##0", "currency_digits": False, "locale": "id_ID"},
}

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded media is served by the app on the embedded default; a scaled
# deployment puts it behind object storage or the web server instead.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
FILE_UPLOAD_PERMISSIONS = 0o644

SITE_ID = 1

# Oscar
OSCAR_SHOP_NAME = "Pasar Kampung"
OSCAR_HOMEPAGE = "/"
OSCAR_SHOP_TAGLINE = _("Produk unggulan kampung")
OSCAR_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pasar@localhost")
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "line4", "postcode", "country")
OSCAR_THUMBNAILER = "oscar.core.thumbnails.SorlThumbnail"
# Photo files are deleted after the transaction commits (marketplace/catalogue/signal_handlers.py),
# not by Oscar inside it, where a rolled-back replacement would lose the photo still in use.
OSCAR_DELETE_IMAGE_FILES = False
OSCAR_ORDER_STATUS_PIPELINE = oscar_pipeline()  # marketplace.orders.moves.MOVES, the one table of moves
OSCAR_INITIAL_ORDER_STATUS = OrderStatus.AWAITING_PAYMENT
OSCAR_ORDER_STATUS_CASCADE = {}
THUMBNAIL_DEBUG = False
# Issue 14, weak connections: product photos as WebP at the size a page shows them (sorl,
# through Oscar's oscar_thumbnail), at a quality a phone's screen cannot tell from sorl's 95.
# Wagtail's renditions ask for WebP in the templates (format-webp), so shared images stay JPEG.
THUMBNAIL_PRESERVE_FORMAT = False
THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_QUALITY = 80
# Where a photo's thumbnail file is: a row that never changes, so each process keeps what it
# has looked up (a query a photo otherwise, on every page of cards).
THUMBNAIL_CACHE = "local"

# Wagtail
WAGTAIL_SITE_NAME = "Smart Kampung"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "csv", "jpg", "png"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Oscar imports its own haystack-based search modules next to our fork's
# (get_class loads both), so haystack must be importable; it is never used.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}

# Search: Elasticsearch when its URL is set, PostgreSQL full text otherwise.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

# Background work: durable, in the database; `manage.py run_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL

# Where buyers send bank transfers: the regency's (or its BLUD's) collecting account.
PLATFORM_BANK_ACCOUNT = {
    "bank": os.environ.get("PLATFORM_BANK_NAME") or "Bank Riau Kepri Syariah",
    "number": os.environ.get("PLATFORM_BANK_ACCOUNT_NUMBER") or "000-00-00000",
    "holder": os.environ.get("PLATFORM_BANK_ACCOUNT_HOLDER") or "Pasar Kampung (rekening demo)",
}

# Card payments through Stripe: without all three keys the card method is hidden.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # empty: Stripe's own servers
# A buyer waits for Stripe while placing an order: answer within 10 seconds either way.
STRIPE_TIMEOUT_SECONDS = 8
STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300
UNPAID_CARD_CHECKOUT_LIFETIME_MINUTES = 60
# Pay shops with a Stripe account by Connect transfers: only where Stripe offers Connect to
# the platform (not to Indonesian platforms today); otherwise every payout is a bank transfer.
STRIPE_CONNECT_ENABLED = os.environ.get("STRIPE_CONNECT_ENABLED", "") == "1"

# The platform's commission on goods (not shipping), in percent; a shop may have its own.
DEFAULT_COMMISSION_PERCENT = os.environ.get("DEFAULT_COMMISSION_PERCENT", "5")

# Days after delivery in which a buyer may still complain; then the order is payable.
RETURN_WINDOW_DAYS = int(os.environ.get("RETURN_WINDOW_DAYS", "3"))

# The regency this installation serves (Kemendagri code), e.g. "14.08" for Siak.
REGENCY_CODE = os.environ.get("REGENCY_CODE", "14.08")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Accounts and public address (Trust issue) -------------------------------------
# The one public address of the site: links in e-mail, the Django Site (Oscar's mail)
# and the default Wagtail Site (sitemap, feeds, JSON-LD, canonical URLs) come from it,
# set on every `migrate` (marketplace.sites). production.py refuses to start without it.
SITE_URL = (os.environ.get("SITE_URL") or os.environ.get("BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
OSCAR_URL_SCHEMA = SITE_URL.split("://", 1)[0]

# Repeated wrong passwords lock that account from that address for a while
# (django-axes); `manage.py axes_reset_username <e-mail>` lifts it sooner.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes asks
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "marketplace.throttle.axes_username"
AXES_LOCKOUT_CALLABLE = "marketplace.throttle.axes_locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# Behind our own reverse proxy (deploy/nginx.conf) set TRUST_X_REAL_IP=1 so that the
# client's address is read from the X-Real-IP it sets; otherwise the connection's counts.
TRUST_X_REAL_IP = env_bool("TRUST_X_REAL_IP")
AXES_CLIENT_IP_CALLABLE = "marketplace.throttle.client_ip"

# Mail to an address typed by an anonymous visitor (registration, password reset,
# stock alerts) is limited per address and per client IP: (count, seconds).
# The counters live in the database so every web process shares them.
# Every cache is shared by all web and worker processes: PostgreSQL tables by default (no
# service to install), Valkey or Redis when CACHE_URL names one (docker-compose does).
CACHE_URL = os.environ.get("CACHE_URL", "")


def _cache(table: str, prefix: str, **options) -> dict:
    if CACHE_URL.startswith(("redis://", "rediss://", "valkey://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": CACHE_URL.replace("valkey://", "redis://", 1), "KEY_PREFIX": prefix}
    return {"BACKEND": "marketplace.cache_backends.PostgresCache", "LOCATION": table, "OPTIONS": options}


CACHES = {
    "default": _cache("cache_default", "default", MAX_ENTRIES=50_000),
    # Whole pages for anonymous visitors (marketplace.page_cache): one row a page and tag, a few
    # KB each once PostgreSQL compresses it; past 50,000 a quarter goes.
    "pages": _cache("cache_pages", "pages", MAX_ENTRIES=50_000, CULL_FREQUENCY=4),
    "throttle": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "throttle_cache"},
    # Each process's own memory, for lookups of rows that do not change once made: the files
    # of photos' thumbnails (sorl) and of Wagtail's renditions.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renditions",
                   "OPTIONS": {"MAX_ENTRIES": 10_000}},
}
PAGE_CACHE_ALIAS = "pages"
# How long a stored page may live at most (a change drops it at once), and how long a CDN
# or nginx in front may keep a page without forms between purges; 0 turns the cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_SHARED_SECONDS = int(os.environ.get("PAGE_CACHE_SHARED_SECONDS", "60"))
# A cache in front (nginx, Varnish) that takes PURGE requests: Wagtail purges a page there
# when it is published, unpublished or moved.
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {"default": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                                        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"]}}
THROTTLE_MAIL_PER_ADDRESS = (3, 60 * 60)
THROTTLE_MAIL_PER_IP = (20, 60 * 60)

# --- Uploaded files (Trust issue, files) ----------------------------------------------
# Private files (transfer proofs, residents' documents) live here, outside MEDIA_ROOT and
# without a URL; marketplace.files.PrivateStorage refuses a root inside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))

# Residents' letters (cms.letters). Their documents are deleted this many days after the
# request closes (UU PDP 27/2022: kept no longer than needed); the letter record stays.
LETTERS_DOCUMENT_RETENTION_DAYS = int(os.environ.get("LETTERS_DOCUMENT_RETENTION_DAYS", "30"))
# Who signs letters: the default signs with the certificate the regency's own authority
# issues to each village; BSrE would be another class behind the same interface.
LETTERS_SIGNING_PROVIDER = os.environ.get("LETTERS_SIGNING_PROVIDER", "cms.letters.signing.VillageCertificateProvider")
# Encrypts the signing keys at rest; derived from SECRET_KEY unless set on its own.
LETTERS_KEY_SECRET = os.environ.get("LETTERS_KEY_SECRET", "")
# Limits per client address and window (count, seconds): files the public verification page
# checks; writes of the request forms (requests sent, files kept for a correction; typing
# slips do not count); failed lookups of a request by code and birth date or NIK (birth-date
# guesses also per code).
LETTERS_VERIFY_UPLOADS_PER_IP = (30, 60 * 60)
THROTTLE_LETTER_POSTS_PER_IP = (30, 60 * 60)
THROTTLE_LETTER_LOOKUP_FAILURES = (10, 60 * 60)
# Proof uploads a checkout, and a client address, may send per hour (Django's cache).
PROOF_UPLOADS_PER_HOUR_PER_CHECKOUT = 5
PROOF_UPLOADS_PER_HOUR_PER_IP = 20
# Wagtail's image forms check an upload with Pillow before Wagtail stores it.
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.image_forms.CheckedImageForm"
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000  # decoded whole on upload: about 150 MB of memory at most

# --- Hostile input (issue 9, area "hostile") ------------------------------------------
# Items one basket may hold (Oscar's default is 10 000): with prices up to the column's
# Rp 9.999.999.999, checkout totals are capped too (marketplace.constants.MAX_CHECKOUT_TOTAL).
OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 1000

# Content-Security-Policy (django-csp 4) on every page: the public site, Oscar's dashboard,
# Wagtail's admin and error pages. Inline scripts only with the request's nonce
# (`{{ request.csp_nonce }}`); Stripe's Payment Element loads from js.stripe.com and talks to
# api.stripe.com. Wagtail's admin gets inline scripts under its prefix only (marketplace/csp.py).
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

CSP_WAGTAIL_ADMIN_PREFIX = "/admin/"
# Oscar's dashboard uses TinyMCE, which writes inline event handlers into its editor: handlers
# (script-src-attr) only, under this prefix only; script elements still need the nonce there.
CSP_OSCAR_DASHBOARD_PREFIX = "/toko/dashboard/"
# Wagtail's admin would load avatars from gravatar.com and ask releases.wagtail.org for news:
# neither is needed, and both would leave the regency's network and break the policy.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, "https://js.stripe.com"],
        # Bootstrap, TinyMCE and Wagtail's admin set style attributes; styles cannot run code.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", "https://*.stripe.com"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF, "https://api.stripe.com"],
        "frame-src": [SELF, "https://js.stripe.com", "https://hooks.stripe.com"],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# addbumkam: a BUMKam's public application makes a shop and an account, so a client IP
# gets this many per window: (count, seconds).
THROTTLE_SHOP_APPLICATION_PER_IP = (5, 60 * 60)

# Resilience (issue 10). A persistent connection is checked once per request before it is
# reused, so a database that restarted costs no request a 500. The embedded PostgreSQL
# gets a backend that starts it again when a connection is refused; a DATABASE_URL
# database keeps Django's backend (and /healthz answers 503 while it is down).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if not os.environ.get("DATABASE_URL"):
    DATABASES["default"].update(ENGINE="marketplace.embedded_backend", PGDATA=str(VAR_DIR / "pgdata"))

# --- Outbox (issue 10): every e-mail (ours, Oscar's, Django's, Wagtail's) is first a row of
# marketplace.mail's outbox, then sent by a task through the delivery backend, which is what
# the EMAIL_BACKEND environment variable names (the console by default). A mail server that
# is away is tried again after 1, 2, 4 ... minutes; after OUTBOX_MAX_ATTEMPTS the mail is
# marked failed and listed for the regency admin. `manage.py send_outbox` sends what waits.
OUTBOX_DELIVERY_BACKEND = os.environ.get("OUTBOX_DELIVERY_BACKEND") or EMAIL_BACKEND
EMAIL_BACKEND = "marketplace.mail.backends.OutboxBackend"
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "6"))
OUTBOX_RETRY_SECONDS = 60

# Issue 10, the buyer's word before money moves (marketplace/orders: complaints, completion).
# A delivered order the buyer neither confirms nor complains about completes by itself this many
# days after delivery (a task deferred to then; `manage.py complete_orders` sweeps after outages).
ORDER_AUTO_COMPLETE_DAYS = int(os.environ.get("ORDER_AUTO_COMPLETE_DAYS", RETURN_WINDOW_DAYS))
# Photos a buyer, a shop or the regency admin may attach to one complaint message.
COMPLAINT_PHOTOS_PER_MESSAGE = 3
# Complaint messages (with their photos) one client address may post per hour.
COMPLAINT_MESSAGES_PER_HOUR_PER_IP = 30

# Issue 11, part C: a guest's order lookup (/toko/lacak-pesanan/). Failed lookups one client
# address may make per window, (count, seconds): a reference plus an e-mail or phone is easy
# to guess at, so guessing is what is counted.
THROTTLE_ORDER_LOOKUP_FAILURES_PER_IP = (10, 60 * 60)

# --- Issue 11 (Bahasa Indonesia): a product without a photo shows a wordless picture
# (marketplace/static/oscar/img/tanpa-foto.png) instead of Oscar's, which reads "Image Not Available".
OSCAR_MISSING_IMAGE_URL = "tanpa-foto.png"

# --- Issue 12 (Elasticsearch engine): the alias searches read; a rebuild fills a new index
# named after it plus a timestamp. Sites sharing one cluster each set their own.
ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "pasar-products")

# --- Issue 14 (make bench): BENCH_CEILING=1 adds /bench/ceiling/, a view without a database query
# that the benchmark serves beside the pages as the machine's ceiling. Never set on a real site.
BENCH_CEILING = env_bool("BENCH_CEILING")
