from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from ..blocks import RICH_TEXT_FEATURES
from ..rich_text import SafeRichTextField
from .base import SitePage


class PortalPage(RoutablePageMixin, SitePage):
    """The regency's home: featured kampung and products, latest news, the directories."""
    shows_goods = True

    intro = SafeRichTextField(_("pengantar"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = SitePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.KampungIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("portal kabupaten")

    def get_meta_description(self):
        return self.search_description or str(_("Berita, layanan dan produk unggulan kampung se-kabupaten."))

    def get_json_ld(self, request):
        return {
            "@context": "https://schema.org",
            "@type": "GovernmentOrganization",
            "name": self.title,
            "url": self.get_full_url(request),
        }

    def get_context(self, request, *args, **kwargs):
        from marketplace.catalogue.selectors import flagship_products

        from ..selectors import featured_kampung, kecamatan_directory, latest_news, village_map

        context = super().get_context(request, *args, **kwargs)
        context["flagship_products"] = flagship_products(limit=8)
        context["featured_kampung"] = featured_kampung(limit=6)
        context["latest_news"] = latest_news(limit=6)
        context["directory"] = kecamatan_directory()
        context["map"] = village_map()
        return context

    @path("layanan/")
    def service_directory(self, request):
        from ..selectors import service_directory

        return render(request, "cms/service_directory.html", {
            "page": self, "self": self, "services": service_directory(),
        })

    @path("berita/rss/")
    def rss(self, request):
        from ..feeds import RegencyNewsFeed

        return RegencyNewsFeed(self)(request)

    @path("berita/atom/")
    def atom(self, request):
        from ..feeds import RegencyNewsAtomFeed

        return RegencyNewsAtomFeed(self)(request)


class KampungIndexPage(SitePage):
    """/kampung/: every kampung of the regency, grouped by kecamatan."""

    parent_page_types = ["cms.PortalPage"]
    subpage_types = ["cms.KampungHomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("direktori kampung")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import kecamatan_directory, village_map

        context = super().get_context(request, *args, **kwargs)
        context["directory"] = kecamatan_directory()
        context["map"] = village_map()
        return context
