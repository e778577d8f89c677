from wagtail.models import Page


class SitePage(Page):
    """What every page of the portal and the village sites tells search engines and chats."""

    og_type = "website"
    # Whether the page lists products, so that a change of stock or price makes it stale
    # (marketplace.page_cache); pages of text stay stored through a busy day of orders.
    shows_goods = False

    class Meta:
        abstract = True

    def get_meta_description(self) -> str:
        return self.search_description or ""

    def get_share_image(self):
        return None

    def share_image_url(self) -> str:
        """The share picture's address on this page's own site, as canonical URLs are."""
        image = self.get_share_image()
        if image is None:
            return ""
        return self.get_site().root_url + image.get_rendition("fill-1200x630|format-jpeg").url

    def get_json_ld(self, request) -> dict:
        return {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": self.title,
            "url": self.get_full_url(request),
            "description": self.get_meta_description(),
        }

    def kampung_home(self):
        from .village import KampungHomePage

        return KampungHomePage.objects.ancestor_of(self, inclusive=True).first()
