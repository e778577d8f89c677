"""Whole pages for anonymous visitors, kept in the shared cache and dropped precisely.

Most visits are anonymous and see the same bytes: the portal, a village's pages, the
catalogue, a category, a product, a popular search. Rendering them costs tens of queries; serving a stored
copy costs one or two cache reads, for every worker and process alike (the "pages" cache
is shared: PostgreSQL by default, Valkey in docker-compose).

A stored page remembers the versions of the *tags* it was built from:
- `goods`: anything a listing shows (a product, its stock or price, a shop frozen);
- `product:<id>`: one product's page;
- `places`: names of shops, producers, categories and places, shown on every page;
- `pages`: the Wagtail pages (a publish, a move, a setting).
A change bumps its tags when its transaction commits (`changed()`), so the next request
after the commit renders afresh; the versions are read before the view reads the
database, so a page rendered while a change committed is stored under the old version
and never served. Listings read the search index, which the worker writes a moment after
the change: its sync bumps `goods` again (search.indexing). A view opts in by its URL name
(`VIEW_TAGS`); Wagtail pages say whether they show goods (`shows_goods`). Links from chats
and ads (`fbclid`, `utm_*`) are served the page stored without them.

Served from here only to a GET without a session, a basket or a pending message; the
response must be a plain 200 that sets no cookie but the CSRF one and uses no CSP nonce.
A form's CSRF token is stored as a placeholder and each visitor gets their own. The
basket and checkout are never stored: they read live stock.

In front of the project a CDN or nginx may hold the pages without forms too
(`Cache-Control: public, s-maxage=PAGE_CACHE_SHARED_SECONDS`); Wagtail's frontend cache
purges a page there on publish (WAGTAILFRONTENDCACHE). A page with a form (a product's,
with its basket button) carries the visitor's own CSRF token, so only this cache and the
visitor's browser keep it.
"""

import gzip
import hashlib
import logging
import re
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags

logger = logging.getLogger(__name__)
GLOBAL_TAGS = ("goods", "places", "pages")
# URL name -> the tags its page is built from; "{pk}" is filled from the URL.
VIEW_TAGS = {
    "wagtail_serve": GLOBAL_TAGS,  # narrowed by the page's shows_goods (cms.wagtail_hooks)
    "catalogue:index": GLOBAL_TAGS,
    "catalogue:category": GLOBAL_TAGS,
    "catalogue:detail": ("product:{pk}", "places", "pages"),
    # A promotion day's buyers type the same few words: the same answer, counts and all.
    "search:search": GLOBAL_TAGS,
}
# Parameters for the sender's statistics, not for the page (chats, ads, newsletters).
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = {"fbclid", "gclid", "dclid", "msclkid", "igshid", "ttclid", "twclid", "mc_cid", "mc_eid", "ref"}
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
PLACEHOLDER = b"\x00csrf\x00"
_csrf = CsrfViewMiddleware(lambda request: None)


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _tag_key(tag: str) -> str:
    return f"tag:{tag}"


def _new_version() -> str:
    return uuid.uuid4().hex[:12]


class _Bump:
    """One cache write per transaction, however many rows it changes (a demo load, an
    import, a checkout allocating twenty lines)."""

    def __init__(self, sids):
        self.sids, self.tags, self.ran = sids, set(), False

    def __call__(self):
        self.ran = True
        try:
            _cache().set_many({_tag_key(tag): _new_version() for tag in self.tags}, timeout=None)
        except Exception as error:  # the cache away (or not made yet, in a migration): its pages with it
            logger.warning("page cache: could not mark %s changed: %s", sorted(self.tags), str(error).splitlines()[0])


def changed(*tags: str) -> None:
    """Pages built from these tags are stale once the current transaction commits."""
    connection = transaction.get_connection()
    sids = set(connection.savepoint_ids)
    bump = next((func for ids, func, _robust in connection.run_on_commit
                 if isinstance(func, _Bump) and not func.ran and ids == sids), None)
    if bump is None:
        bump = _Bump(sids)
        if connection.in_atomic_block:
            transaction.on_commit(bump)
    bump.tags.update(tags)
    if not connection.in_atomic_block:
        bump()


def products_changed(product_ids) -> None:
    ids = {int(pk) for pk in product_ids if pk}
    if ids:
        changed("goods", *(f"product:{pk}" for pk in ids))


def _versions(tags) -> dict:
    """The tags' current versions; a tag never bumped (or evicted) gets one now."""
    keys = [_tag_key(tag) for tag in tags]
    found = _cache().get_many(keys)
    for key in keys:
        if key not in found:
            _cache().add(key, _new_version(), timeout=None)
            found[key] = _cache().get(key)
    return {tag: found[key] for tag, key in zip(tags, keys)}


def storable_request(request) -> bool:
    cookies = request.COOKIES
    return (request.method in ("GET", "HEAD") and settings.PAGE_CACHE_SECONDS > 0
            and settings.SESSION_COOKIE_NAME not in cookies
            and settings.OSCAR_BASKET_COOKIE_OPEN not in cookies
            and "messages" not in cookies and "HTTP_AUTHORIZATION" not in request.META)


def _tracking(name: str) -> bool:
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMETERS


def _key(request) -> str:
    """The page's address without the tags that links shared in chats and ads carry (a new
    `fbclid` for every click), so that those visits are served the stored page too."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    query = request.GET.copy()
    for name in [name for name in query if _tracking(name)]:
        del query[name]
    raw = f"{request.get_host()}|{language}|{request.path}?{query.urlencode()}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _may_store(path: str) -> bool:
    """Whether the address is a view that opts in: no cache read for the basket, a letter,
    a file, or an address that is not there."""
    try:
        return resolve(path).view_name in VIEW_TAGS
    except Resolver404:
        return False


def depends_on(request, *tags: str) -> None:
    """This request's page is built from these tags (read before the view reads)."""
    if getattr(request, "_page_cache_key", None):
        try:
            request._page_cache_tags.update(_versions(tags))
        except Exception:  # the cache away: this page is rendered, not stored
            request._page_cache_key = None


def keep_only(request, *tags: str) -> None:
    """Narrow a view's tags (a Wagtail page that shows no goods)."""
    if getattr(request, "_page_cache_key", None):
        request._page_cache_tags = {tag: v for tag, v in request._page_cache_tags.items() if tag in tags}


class PageCacheMiddleware:
    """Near the top of MIDDLEWARE: a stored page skips everything below it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _respond(self, request):
        if not (storable_request(request) and _may_store(request.path_info)):
            return self.get_response(request)
        key = request._page_cache_key = _key(request)
        request._page_cache_tags = {}
        try:
            entry = self._fresh(key)
        except Exception as error:  # the cache away: render, as if nothing were stored
            logger.warning("page cache: unreachable: %s", str(error).splitlines()[0])
            request._page_cache_key = None
            return self.get_response(request)
        if entry:
            return self._serve(request, entry)
        response = self.get_response(request)
        # A page rendered with tracking tags would carry them in its links: served, not stored.
        if (request._page_cache_key and request._page_cache_tags and self._storable(request, response)
                and not any(_tracking(name) for name in request.GET)):
            try:
                entry = self._store(key, request._page_cache_tags, response)
            except Exception as error:
                logger.warning("page cache: could not store: %s", str(error).splitlines()[0])
            else:
                self._headers(response, entry)
        return response

    def __call__(self, request):
        response = self._respond(request)
        if "Cache-Control" not in response:  # rendered for this visitor: for no cache in between
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def _fresh(key) -> dict | None:
        """The stored page if none of its tags changed: one read with the common tags."""
        found = _cache().get_many([key, *(_tag_key(tag) for tag in GLOBAL_TAGS)])
        entry = found.get(key)
        if not entry:
            return None
        own = [tag for tag in entry["tags"] if tag not in GLOBAL_TAGS]
        current = {tag: found.get(_tag_key(tag)) for tag in entry["tags"] if tag in GLOBAL_TAGS}
        current.update(_versions(own) if own else {})
        return entry if current == entry["tags"] else None

    def process_view(self, request, view_func, view_args, view_kwargs):
        tags = getattr(request, "_page_cache_key", None) and VIEW_TAGS.get(request.resolver_match.view_name)
        if tags:
            depends_on(request, *(tag.format(**view_kwargs) for tag in tags))

    @staticmethod
    def _storable(request, response) -> bool:
        control = response.get("Cache-Control", "")
        return (response.status_code == 200 and not response.streaming
                and not any(word in control for word in ("private", "no-store", "no-cache"))
                and not isinstance(getattr(request, "_csp_nonce", None), str)  # the CSP header comes later
                and set(response.cookies) <= {settings.CSRF_COOKIE_NAME})

    @staticmethod
    def _store(key, tags, response) -> dict:
        content, forms = TOKEN.subn(rb"\1" + PLACEHOLDER + rb"\2", response.content)
        headers = {name: value for name, value in response.items() if name.lower() != "set-cookie"}
        # A page without a form is kept compressed: read from the cache in a tenth of the bytes,
        # sent as it is to a browser that takes gzip rather than compressed on every visit. A
        # page with a form is not: its token differs per visitor (and BREACH pads it).
        entry = {"content": content if forms else None, "headers": headers, "tags": tags, "forms": bool(forms),
                 "etag": '"%s"' % hashlib.md5(content, usedforsecurity=False).hexdigest(),
                 "gzip": None if forms else gzip.compress(content, compresslevel=6, mtime=0)}
        _cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
        return entry

    @staticmethod
    def _headers(response, entry) -> None:
        if entry["forms"]:
            # The visitor's own token is in it: only this browser may keep it, and never as
            # "not modified", since its token cookie may have changed since (a sign-in).
            patch_cache_control(response, private=True, max_age=0)
        else:  # weak when compressed, as GZipMiddleware makes it for a page it compresses
            response["ETag"] = ("W/" if response.get("Content-Encoding") else "") + entry["etag"]
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SHARED_SECONDS)

    def _serve(self, request, entry):
        # GZipMiddleware above weakens the ETag it compresses ("W/..."); a browser sends that back.
        asked = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
        compressed = False
        if not entry["forms"] and ("*" in asked or any(tag.removeprefix("W/") == entry["etag"] for tag in asked)):
            response = HttpResponseNotModified()
        else:
            if entry["forms"]:
                _csrf.process_request(request)
                content = entry["content"].replace(PLACEHOLDER, get_token(request).encode())
            elif "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""):
                content, compressed = entry["gzip"], True
            else:
                content = gzip.decompress(entry["gzip"])
            response = HttpResponse(content)
        for name, value in entry["headers"].items():
            if not (response.status_code == 304 and name.lower() in ("content-length", "content-type")):
                response[name] = value
        if compressed:
            response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it as it is
            patch_vary_headers(response, ("Accept-Encoding",))
        if entry["forms"]:
            _csrf.process_response(request, response)
        if response.status_code == 200:
            response["Content-Length"] = str(len(response.content))
        self._headers(response, entry)
        response["X-Page-Cache"] = "stored"  # for whoever checks (the benchmark, an operator's curl)
        return response


# -- what makes a page stale

def _products_of(sender, instance, **kwargs):
    products_changed([getattr(instance, "product_id", instance.pk)])


def _categories_linked(sender, instance, action, pk_set, reverse, **kwargs):
    if action.startswith("post_") or action == "pre_clear":
        products_changed((pk_set or []) if reverse else [instance.pk])


def _goods_changed(sender, product_ids, **kwargs):
    products_changed(product_ids)


def _names_changed(sender, instance, **kwargs):
    """A shop (frozen, approved, renamed), a producer, a category or a place."""
    changed("goods", "places")


def connect() -> None:
    """Called once by the app's ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from oscar.core.loading import get_model

    from shops.models import Bumkam, Kampung, Kecamatan, Producer, Regency

    from .catalogue.signals import goods_changed

    product_rows = [get_model("catalogue", "Product"), get_model("partner", "StockRecord"), get_model("catalogue", "ProductCategory"),
                    get_model("catalogue", "ProductImage"), get_model("catalogue", "ProductAttributeValue")]
    for signal in (post_save, post_delete):
        for model in product_rows:
            signal.connect(_products_of, sender=model, dispatch_uid=f"page-cache-{model._meta.label}")
        for model in (Bumkam, Producer, Kampung, Kecamatan, Regency, get_model("catalogue", "Category")):
            signal.connect(_names_changed, sender=model, dispatch_uid=f"page-cache-{model._meta.label}")
    m2m_changed.connect(_categories_linked, sender=get_model("catalogue", "ProductCategory"),
                        dispatch_uid="page-cache-categories")
    goods_changed.connect(_goods_changed, dispatch_uid="page-cache-goods")
    # Oscar writes each product viewed into a cookie for a "recently viewed" list that no page
    # of ours shows; the cookie would make every product page a page of its own visitor.
    from oscar.apps.catalogue.signals import product_viewed
    from oscar.apps.customer.receivers import receive_product_view

    product_viewed.disconnect(receive_product_view)

