from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField

from ..blocks import RICH_TEXT_FEATURES, BodyBlock
from ..rich_text import SafeRichTextField
from .base import SitePage

VILLAGE_SECTIONS = [
    "cms.NewsIndexPage",
    "cms.ServiceIndexPage",
    "cms.ProfilePage",
    "cms.TransparencyPage",
    "cms.StorefrontPage",
]


class KampungHomePage(SitePage):
    shows_goods = True
    kampung = models.OneToOneField(
        "shops.Kampung", on_delete=models.PROTECT, related_name="home_page", verbose_name=_("kampung")
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("gambar utama"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    profile = SafeRichTextField(_("profil singkat"), blank=True, features=RICH_TEXT_FEATURES)
    address = models.CharField(_("alamat kantor penghulu"), max_length=255, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True, help_text=_("Mis. 6281234567890"))
    office_hours = models.CharField(_("jam pelayanan"), max_length=100, blank=True)

    content_panels = SitePage.content_panels + [
        FieldPanel("hero_image"),
        FieldPanel("profile"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("whatsapp"), FieldPanel("office_hours")],
            heading=_("Kontak"),
        ),
    ]
    parent_page_types = ["cms.KampungIndexPage"]
    subpage_types = VILLAGE_SECTIONS

    class Meta:
        verbose_name = _("beranda kampung")

    def get_meta_description(self):
        return self.search_description or str(
            _("Situs resmi %(kampung)s, Kecamatan %(kecamatan)s: berita, layanan, APBKam dan produk unggulan.")
            % {"kampung": self.region(), "kecamatan": self.region().kecamatan.name}
        )

    def get_share_image(self):
        return self.hero_image

    def get_json_ld(self, request):
        kampung = self.region()
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentOrganization",
            "name": f"Pemerintah {kampung}",
            "url": self.get_full_url(request),
            "description": self.get_meta_description(),
            "address": {
                "@type": "PostalAddress",
                "streetAddress": self.address,
                "addressLocality": kampung.name,
                "addressRegion": kampung.kecamatan.regency.province_name,
                "addressCountry": "ID",
            },
            "areaServed": {
                "@type": "Place",
                "name": str(kampung),
                "identifier": kampung.code,
                "containedInPlace": {"@type": "Place", "name": f"Kecamatan {kampung.kecamatan.name}, {kampung.kecamatan.regency.name}"},
            },
        }
        if kampung.latitude is not None:
            data["areaServed"]["geo"] = {
                "@type": "GeoCoordinates", "latitude": float(kampung.latitude), "longitude": float(kampung.longitude),
            }
        if self.phone:
            data["telephone"] = self.phone
        return data

    def get_context(self, request, *args, **kwargs):
        from marketplace.catalogue.selectors import products_in_kampung

        from .news import NewsPage
        from .public_services import ServicePage

        context = super().get_context(request, *args, **kwargs)
        products = products_in_kampung(self.kampung_id)  # sold by its shop, whoever made them
        context["flagship"] = products.filter(is_flagship=True).first()
        context["newest_products"] = products.order_by("-date_created")[:6]
        context["latest_news"] = NewsPage.objects.live().descendant_of(self).order_by("-date", "-pk")[:3]
        context["services"] = ServicePage.objects.live().descendant_of(self).order_by("title")
        context["sections"] = self.menu_sections()
        return context

    def region(self):
        """The kampung with its kecamatan and regency, one query for the description and JSON-LD."""
        from shops.models import Kampung

        if not hasattr(self, "_region"):
            self._region = Kampung.objects.select_related("kecamatan__regency").get(pk=self.kampung_id)
            self.kampung = self._region
        return self._region


class ProfilePage(SitePage):
    history = StreamField(BodyBlock(), verbose_name=_("sejarah"), blank=True)
    geography = SafeRichTextField(_("geografi"), blank=True, features=RICH_TEXT_FEATURES)
    area_km2 = models.DecimalField(_("luas (km²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    population = models.PositiveIntegerField(_("jumlah penduduk"), null=True, blank=True)
    population_male = models.PositiveIntegerField(_("laki-laki"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("perempuan"), null=True, blank=True)
    households = models.PositiveIntegerField(_("jumlah kepala keluarga"), null=True, blank=True)
    potential = StreamField(BodyBlock(), verbose_name=_("potensi"), blank=True)

    content_panels = SitePage.content_panels + [
        FieldPanel("history"),
        FieldPanel("geography"),
        MultiFieldPanel(
            [FieldPanel("area_km2"), FieldPanel("population"), FieldPanel("population_male"),
             FieldPanel("population_female"), FieldPanel("households")],
            heading=_("Angka kependudukan"),
        ),
        FieldPanel("potential"),
    ]
    parent_page_types = ["cms.KampungHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("profil kampung")

    @property
    def density(self):
        if self.population and self.area_km2:
            return round(self.population / float(self.area_km2))
        return None


class StorefrontPage(SitePage):
    """The village's BUMKam shop with all its goods, on the village's own site."""
    shows_goods = True

    parent_page_types = ["cms.KampungHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("toko kampung")

    def get_context(self, request, *args, **kwargs):
        from marketplace.catalogue.selectors import products_in_kampung

        context = super().get_context(request, *args, **kwargs)
        home = self.get_parent().specific
        bumkam = getattr(home.kampung, "bumkam", None)
        context["bumkam"] = bumkam if bumkam is not None and bumkam.is_selling else None
        products = products_in_kampung(home.kampung_id).order_by("-is_flagship", "title", "id")
        context["products"] = Paginator(products, 24).get_page(request.GET.get("page"))
        return context
