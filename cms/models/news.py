import datetime

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.search import index

from ..blocks import BodyBlock
from .base import SitePage

NEWS_PER_PAGE = 10


class NewsIndexPage(RoutablePageMixin, SitePage):
    parent_page_types = ["cms.KampungHomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("indeks berita")

    def articles(self):
        return NewsPage.objects.live().child_of(self).order_by("-date", "-pk")

    @path("")
    def index(self, request):
        articles = self.articles()
        tag = request.GET.get("tag")
        if tag:
            articles = articles.filter(tags__name=tag)
        return self.render(request, context_overrides={
            "articles": Paginator(articles, NEWS_PER_PAGE).get_page(request.GET.get("page")),
            "tag": tag,
        })

    @path("rss/")
    def rss(self, request):
        from ..feeds import VillageNewsFeed

        return VillageNewsFeed(self)(request)

    @path("atom/")
    def atom(self, request):
        from ..feeds import VillageNewsAtomFeed

        return VillageNewsAtomFeed(self)(request)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("cms.NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class NewsPage(SitePage):
    og_type = "article"

    date = models.DateField(_("tanggal"), default=timezone.localdate)
    author = models.CharField(_("penulis"), max_length=100, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("gambar"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    summary = models.CharField(_("ringkasan"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("isi"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("label"))

    search_fields = SitePage.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    content_panels = SitePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("author"),
        FieldPanel("image"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("berita")
        verbose_name_plural = _("berita")

    def get_meta_description(self):
        return self.search_description or self.summary

    def get_share_image(self):
        return self.image

    @property
    def published_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, datetime.time(8)))

    def get_json_ld(self, request):
        home = self.kampung_home()
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "datePublished": self.published_at.isoformat(),
            "dateModified": (self.last_published_at or self.published_at).isoformat(),
            "author": {"@type": "Person", "name": self.author} if self.author else {"@type": "Organization", "name": home.title if home else ""},
            "inLanguage": "id",
        }
        if home is not None:
            data["publisher"] = {"@type": "GovernmentOrganization", "name": f"Pemerintah {home.kampung}", "url": home.get_full_url(request)}
        if self.image is not None:
            data["image"] = self.share_image_url()
        return data
