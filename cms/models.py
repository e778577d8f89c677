"""The regency portal and every kampung's site.

The page tree is written down here: Portal → Direktori kampung → Beranda kampung
→ (Berita → Artikel, Layanan → Layanan). The village-websites issue deepens the
page types; their places in the tree stay.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES, BodyBlock


class PortalPage(Page):
    """The regency's home: featured kampung and products, latest news, the directory."""

    intro = RichTextField(_("pengantar"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.KampungIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("portal kabupaten")

    def get_context(self, request, *args, **kwargs):
        from marketplace.selectors import flagship_products

        from .selectors import kecamatan_directory, latest_news

        context = super().get_context(request, *args, **kwargs)
        context["flagship_products"] = flagship_products(limit=8)
        context["latest_news"] = latest_news(limit=6)
        context["directory"] = kecamatan_directory()
        return context


class KampungIndexPage(Page):
    """/kampung/: every kampung of the regency, grouped by kecamatan."""

    parent_page_types = ["cms.PortalPage"]
    subpage_types = ["cms.KampungHomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("direktori kampung")

    def get_context(self, request, *args, **kwargs):
        from .selectors import kecamatan_directory

        context = super().get_context(request, *args, **kwargs)
        context["directory"] = kecamatan_directory()
        return context


class KampungHomePage(Page):
    kampung = models.OneToOneField(
        "shops.Kampung", on_delete=models.PROTECT, related_name="home_page", verbose_name=_("kampung")
    )
    profile = RichTextField(_("profil singkat"), blank=True, features=RICH_TEXT_FEATURES)
    address = models.CharField(_("alamat kantor penghulu"), max_length=255, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True)
    office_hours = models.CharField(_("jam pelayanan"), max_length=100, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("kampung"),
        FieldPanel("profile"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("whatsapp"),
        FieldPanel("office_hours"),
    ]
    parent_page_types = ["cms.KampungIndexPage"]
    subpage_types = ["cms.NewsIndexPage", "cms.ServiceIndexPage"]

    class Meta:
        verbose_name = _("beranda kampung")

    def get_context(self, request, *args, **kwargs):
        from marketplace.selectors import products_for_sale

        context = super().get_context(request, *args, **kwargs)
        products = products_for_sale().filter(producer__bumkam__kampung=self.kampung_id)
        context["flagship"] = products.filter(is_flagship=True).first()
        context["newest_products"] = products.order_by("-date_created")[:6]
        context["latest_news"] = NewsPage.objects.live().descendant_of(self).order_by("-date")[:3]
        context["services"] = ServicePage.objects.live().descendant_of(self).order_by("title")
        return context


class NewsIndexPage(Page):
    parent_page_types = ["cms.KampungHomePage"]
    subpage_types = ["cms.NewsPage"]

    class Meta:
        verbose_name = _("indeks berita")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = NewsPage.objects.live().child_of(self).order_by("-date")
        return context


class NewsPage(Page):
    date = models.DateField(_("tanggal"), default=timezone.localdate)
    summary = models.CharField(_("ringkasan"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("isi"), blank=True)

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("berita")
        verbose_name_plural = _("berita")


class ServiceIndexPage(Page):
    parent_page_types = ["cms.KampungHomePage"]
    subpage_types = ["cms.ServicePage"]

    class Meta:
        verbose_name = _("indeks layanan")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.live().child_of(self).order_by("title")
        return context


class ServicePage(Page):
    """A public service of the village office: what to bring, what to do, how long, how much."""

    requirements = RichTextField(_("persyaratan"), features=RICH_TEXT_FEATURES)
    steps = RichTextField(_("alur"), features=RICH_TEXT_FEATURES)
    duration = models.CharField(_("lama pelayanan"), max_length=100)
    fee = models.PositiveIntegerField(_("biaya (Rp)"), default=0)
    location = models.CharField(_("tempat"), max_length=255)

    search_fields = Page.search_fields + [index.SearchField("requirements")]
    content_panels = Page.content_panels + [
        FieldPanel("requirements"),
        FieldPanel("steps"),
        FieldPanel("duration"),
        FieldPanel("fee"),
        FieldPanel("location"),
    ]
    parent_page_types = ["cms.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
