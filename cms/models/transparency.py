from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable

from ..blocks import RICH_TEXT_FEATURES
from ..rich_text import SafeRichTextField
from .base import SitePage


class BudgetKind(models.TextChoices):
    INCOME = "pendapatan", _("Pendapatan")
    SPENDING = "belanja", _("Belanja")
    FINANCING = "pembiayaan", _("Pembiayaan")


class TransparencyPage(RoutablePageMixin, SitePage):
    """APBKam: what the village planned to receive and spend, and what it realised each quarter."""

    intro = SafeRichTextField(_("pengantar"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = SitePage.content_panels + [
        FieldPanel("intro"),
        InlinePanel("budget_lines", heading=_("Baris anggaran"), label=_("baris anggaran")),
    ]
    parent_page_types = ["cms.KampungHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("transparansi APBKam")

    def years(self) -> list[int]:
        return sorted({line.year for line in self.budget_lines.all()}, reverse=True)

    def chosen_year(self, request) -> int | None:
        years = self.years()
        try:
            year = int(request.GET.get("tahun", ""))
        except ValueError:
            year = None
        return year if year in years else (years[0] if years else None)

    @path("")
    def index(self, request):
        from ..budget import budget_report

        year = self.chosen_year(request)
        return self.render(request, context_overrides={
            "years": self.years(), "year": year,
            "report": budget_report(page=self, year=year) if year else None,
        })

    @path("csv/")
    def csv(self, request):
        from ..budget import budget_csv, budget_report

        year = self.chosen_year(request)
        if year is None:
            return HttpResponse(_("Belum ada data anggaran."), status=404, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"apbkam-{self.get_parent().slug}-{year}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        budget_csv(budget_report(page=self, year=year), response)
        return response


class BudgetLine(Orderable):
    page = ParentalKey(TransparencyPage, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2015), MaxValueValidator(2100)])
    kind = models.CharField(_("jenis"), max_length=12, choices=BudgetKind.choices, default=BudgetKind.SPENDING)
    name = models.CharField(_("uraian"), max_length=200)
    planned = models.PositiveBigIntegerField(_("anggaran (Rp)"))
    realised_q1 = models.PositiveBigIntegerField(_("realisasi triwulan I (Rp)"), default=0)
    realised_q2 = models.PositiveBigIntegerField(_("realisasi triwulan II (Rp)"), default=0)
    realised_q3 = models.PositiveBigIntegerField(_("realisasi triwulan III (Rp)"), default=0)
    realised_q4 = models.PositiveBigIntegerField(_("realisasi triwulan IV (Rp)"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("kind")]),
        FieldPanel("name"),
        FieldPanel("planned"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("realised_q1"), FieldPanel("realised_q2"),
                            FieldPanel("realised_q3"), FieldPanel("realised_q4")])],
            heading=_("Realisasi per triwulan"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("baris anggaran")
        verbose_name_plural = _("baris anggaran")

    @property
    def quarters(self) -> tuple[int, int, int, int]:
        return (self.realised_q1, self.realised_q2, self.realised_q3, self.realised_q4)
