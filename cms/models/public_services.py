from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES, FormDocumentsBlock
from ..letters.kinds import KIND_CHOICES
from ..rich_text import SafeRichTextField
from .base import SitePage


class ServiceIndexPage(SitePage):
    parent_page_types = ["cms.KampungHomePage"]
    subpage_types = ["cms.ServicePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("indeks layanan")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.live().child_of(self).order_by("title")
        return context


class ServicePage(RoutablePageMixin, SitePage):
    """A public service of the village office: what to bring, what to do, how long, how much;
    with `online_letter` set, residents ask for the letter at its `ajukan/` route."""

    requirements = SafeRichTextField(_("persyaratan"), features=RICH_TEXT_FEATURES)
    steps = SafeRichTextField(_("alur"), features=RICH_TEXT_FEATURES)
    duration = models.CharField(_("lama pelayanan"), max_length=100)
    fee = models.PositiveIntegerField(_("biaya (Rp)"), default=0)
    location = models.CharField(_("tempat"), max_length=255)
    forms = StreamField(FormDocumentsBlock(), verbose_name=_("formulir unduhan"), blank=True)
    online_letter = models.CharField(
        _("surat yang bisa diajukan online"), max_length=20, choices=KIND_CHOICES, blank=True,
        help_text=_("Pilih jenis surat agar warga bisa mengajukan dari halaman ini. Setiap butir "
                    "persyaratan menjadi satu unggahan berkas."))
    promised_days = models.PositiveSmallIntegerField(
        _("janji waktu (hari kerja)"), default=1,
        help_text=_("Berapa hari kerja sejak diajukan surat selesai; dipakai untuk antrean dan laporan."))

    search_fields = SitePage.search_fields + [index.SearchField("requirements"), index.SearchField("steps")]
    content_panels = SitePage.content_panels + [
        FieldPanel("requirements"),
        FieldPanel("steps"),
        FieldPanel("duration"),
        FieldPanel("fee"),
        FieldPanel("location"),
        FieldPanel("forms"),
        MultiFieldPanel([FieldPanel("online_letter"), FieldPanel("promised_days")], heading=_("Layanan online")),
    ]
    parent_page_types = ["cms.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")

    @path("ajukan/", name="letter_request")
    def letter_request(self, request):
        from ..letters.views import request_form

        return request_form(request, page=self)

    def get_meta_description(self):
        return self.search_description or str(
            _("%(service)s: persyaratan, alur, lama pelayanan dan biaya.") % {"service": self.title}
        )

    def get_json_ld(self, request):
        home = self.kampung_home()
        return {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": self.title,
            "url": self.get_full_url(request),
            "description": self.get_meta_description(),
            "provider": {"@type": "GovernmentOrganization", "name": f"Pemerintah {home.kampung}"} if home else None,
            "offers": {"@type": "Offer", "price": self.fee, "priceCurrency": "IDR"},
        }
