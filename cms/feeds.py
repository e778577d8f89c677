"""RSS and Atom feeds of a village's news and of the whole regency's."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import NewsPage

FEED_LENGTH = 20


class NewsFeed(Feed):
    def __init__(self, page):
        super().__init__()
        self.page = page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return self.page.get_full_url(self.request)

    def articles(self):
        raise NotImplementedError

    def items(self):
        return self.articles().select_related("image").order_by("-date", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.published_at

    def item_author_name(self, item):
        return item.author or None


class VillageNewsFeed(NewsFeed):
    def title(self):
        return _("Berita %(kampung)s") % {"kampung": self.page.get_parent().title}

    def description(self):
        return _("Berita terbaru dari situs resmi %(kampung)s") % {"kampung": self.page.get_parent().title}

    def articles(self):
        return NewsPage.objects.live().child_of(self.page)


class VillageNewsAtomFeed(VillageNewsFeed):
    feed_type = Atom1Feed
    subtitle = VillageNewsFeed.description


class RegencyNewsFeed(NewsFeed):
    def title(self):
        return _("Berita kampung %(portal)s") % {"portal": self.page.title}

    def description(self):
        return _("Berita terbaru dari semua kampung")

    def articles(self):
        return NewsPage.objects.live().descendant_of(self.page)


class RegencyNewsAtomFeed(RegencyNewsFeed):
    feed_type = Atom1Feed
    subtitle = RegencyNewsFeed.description
