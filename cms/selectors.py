from shops.models import Kecamatan

from .models import KampungHomePage, NewsPage


def latest_news(*, limit: int):
    return NewsPage.objects.live().order_by("-date", "-pk")[:limit]


def kecamatan_directory():
    """Kecamatan with their kampung, each kampung carrying its site if it has one."""
    sites = {page.kampung_id: page for page in KampungHomePage.objects.live().only("pk", "url_path", "kampung_id", "title")}
    kecamatan = Kecamatan.objects.prefetch_related("kampung").order_by("name")
    return [
        (k, [(kampung, sites.get(kampung.pk)) for kampung in k.kampung.all()])
        for k in kecamatan
    ]
