"""Reads of the village sites."""

from itertools import groupby

from shops.models import Kecamatan

from .models import KampungHomePage, NewsPage, ServicePage


def latest_news(*, limit: int):
    """The newest news of every village, each knowing its section and village (the portal names
    the village of each) from one query instead of two per article."""
    news = list(NewsPage.objects.live().order_by("-date", "-pk")[:limit])
    with_ancestors(news, levels=2)
    return news


def with_ancestors(pages, *, levels: int) -> None:
    """Sets the parent (and its parent, up to `levels`) of each page from one query, where
    Treebeard's get_parent() finds it instead of asking the database."""
    from wagtail.models import Page

    paths = {page.path[:len(page.path) - Page.steplen * up] for page in pages for up in range(1, levels + 1)}
    found = {page.path: page for page in Page.objects.filter(path__in=paths)}
    for page in [*pages, *found.values()]:
        parent = found.get(page.path[:-Page.steplen])
        if parent is not None:
            page._cached_parent_obj = parent


def featured_kampung(*, limit: int):
    """Kampung whose shops sell, with their sites: the regency's showcase."""
    return (
        KampungHomePage.objects.live()
        .filter(kampung__bumkam__status="approved")
        .select_related("kampung__kecamatan", "hero_image")
        .order_by("title")[:limit]
    )


def kecamatan_directory():
    """Kecamatan with their kampung, each kampung carrying its site if it has one."""
    sites = {page.kampung_id: page for page in KampungHomePage.objects.live().only("pk", "url_path", "kampung_id", "title", "path", "depth")}
    kecamatan = Kecamatan.objects.prefetch_related("kampung").order_by("name")
    return [
        (k, [(kampung, sites.get(kampung.pk)) for kampung in k.kampung.all()])
        for k in kecamatan
    ]


def service_directory():
    """Each public service with the villages that offer it: 'where can I get an SKTM?'"""
    services = ServicePage.objects.live().order_by("title", "url_path")
    homes = {home.path: home for home in KampungHomePage.objects.live().select_related("kampung")}
    home_path_length = len(next(iter(homes), ""))  # every home sits at the same depth
    return [
        (title, [(homes.get(page.path[:home_path_length]), page) for page in pages])
        for title, pages in groupby(services, key=lambda page: page.title)
    ]


def village_map(*, width: int = 640, height: int = 400) -> dict | None:
    """Known village locations projected onto an SVG box: a map that needs no tile server."""
    from shops.models import Kampung

    located = list(
        Kampung.objects.filter(latitude__isnull=False, longitude__isnull=False).select_related("home_page")
    )
    if not located:
        return None
    lats = [float(k.latitude) for k in located]
    lons = [float(k.longitude) for k in located]
    lat_span = (max(lats) - min(lats)) or 0.01
    lon_span = (max(lons) - min(lons)) or 0.01
    margin = 20
    points = []
    for kampung, lat, lon in zip(located, lats, lons):
        home = getattr(kampung, "home_page", None)
        points.append({
            "x": round(margin + (lon - min(lons)) / lon_span * (width - 2 * margin), 1),
            "y": round(margin + (max(lats) - lat) / lat_span * (height - 2 * margin), 1),
            "label": str(kampung),
            "url": home.url if home is not None else "",
        })
    return {"width": width, "height": height, "points": points}
