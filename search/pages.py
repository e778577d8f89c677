"""The village sites' news and service pages, found with Wagtail's own search.

Wagtail indexes its pages itself (WAGTAILSEARCH_BACKENDS, the database backend): only
live pages that no view restriction hides are ever asked for, so a draft, an
unpublished page or a private one is never listed, whatever the index holds.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page

from cms.models import KampungHomePage, NewsPage, ServicePage

from .text import fold

PAGE_TYPES = (NewsPage, ServicePage)
SNIPPET_WORDS = 30


@dataclass(frozen=True)
class PageHit:
    title: str
    url: str
    village: str
    snippet: str
    date: date | None
    kind: str


def pages_matching(text: str, *, kampung_slug: str = "", kecamatan_code: str = ""):
    """Live, public news and service pages with every word of `text` (folded, so SQL,
    markup or punctuation are only skipped characters), of one kampung or kecamatan if
    asked, as the products are; the newest first when no words."""
    pages = Page.objects.live().public().type(*PAGE_TYPES).specific()
    if kampung_slug or kecamatan_code:
        homes = KampungHomePage.objects.all()
        if kampung_slug:
            homes = homes.filter(kampung__slug=kampung_slug)
        if kecamatan_code:
            homes = homes.filter(kampung__kecamatan__code=kecamatan_code)
        within = Q(pk__in=[])
        for path in homes.values_list("path", flat=True):
            within |= Q(path__startswith=path)
        pages = pages.filter(within)
    words = fold(text)
    if not words:
        return pages.order_by("-first_published_at", "-pk")
    return pages.search(words, operator="and")


def page_hits(pages, *, request=None) -> list[PageHit]:
    """One page of results as a buyer reads them: title, village, a few words, date."""
    pages = list(pages)
    homes = {home.path: home.title for home in KampungHomePage.objects.live().only("path", "title")}
    depth = len(next(iter(homes), ""))  # every village home sits at the same depth of the tree
    hits = []
    for page in pages:
        snippet = page.get_meta_description() if hasattr(page, "get_meta_description") else page.search_description
        published = getattr(page, "date", None) or (page.last_published_at.date() if page.last_published_at else None)
        hits.append(PageHit(
            title=page.title, url=page.get_url(request), village=homes.get(page.path[:depth], ""),
            snippet=Truncator(strip_tags(str(snippet or ""))).words(SNIPPET_WORDS),
            date=published, kind=str(page._meta.verbose_name).capitalize(),
        ))
    return hits
