"""The site's one public address (settings.SITE_URL) written where Django, Oscar and
Wagtail look for it.

Oscar builds the links in its e-mail from the Django Site's domain and
OSCAR_URL_SCHEMA; Wagtail builds sitemap, feed, canonical and JSON-LD URLs from its
default Site's hostname and port. Both are set on every `migrate` (post_migrate), so
`make run`, a deployment and the test database all carry the configured address;
kampung sites served on their own hostnames keep their own Wagtail Site.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_address() -> tuple[str, str, int]:
    """(scheme, hostname, port) of SITE_URL, the port explicit as Wagtail wants it."""
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def site_url(path: str = "/") -> str:
    """An absolute link on the public site, for e-mail and other places without a request."""
    return settings.SITE_URL + path


def sites_configure() -> None:
    from django.contrib.sites.models import Site as DjangoSite
    from wagtail.models import Site as WagtailSite

    _scheme, hostname, port = site_address()
    DjangoSite.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": urlsplit(settings.SITE_URL).netloc, "name": settings.OSCAR_SHOP_NAME})
    default = WagtailSite.objects.filter(is_default_site=True).first()
    if default is not None and (default.hostname, default.port) != (hostname, port):
        default.hostname, default.port = hostname, port
        default.save()


def sites_configure_after_migrate(sender, using, **kwargs):
    """post_migrate: the address, and the throttle counters' cache table."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
    sites_configure()
