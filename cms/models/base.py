from django.http import Http404
from wagtail.models import Page


class SitePage(Page):
    """What every page of the portal and the village sites tells search engines and chats."""

    og_type = "website"
    # Whether the page lists products, so that a change of stock or price makes it stale
    # (marketplace.page_cache); pages of text stay stored through a busy day of orders.
    shows_goods = False

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Wagtail's routing, with the pages along the asked path found in one query for the whole
        request instead of one per level (each level still becomes its own type to route on)."""
        if not path_components or request is None:
            return super().route(request, path_components)
        child = _pages_along(request, self, path_components).get(self.url_path + path_components[0] + "/")
        if child is None:
            raise Http404
        child._cached_parent_obj = self
        return child.specific.route(request, path_components[1:])

    def get_meta_description(self) -> str:
        return self.search_description or ""

    def get_share_image(self):
        return None

    def share_image_url(self) -> str:
        """The share picture's address on this page's own site, as canonical URLs are."""
        image = self.get_share_image()
        if image is None:
            return ""
        url_parts = self.get_url_parts()  # the site's root URL from Wagtail's cached site roots, no query
        if url_parts is None:
            return ""
        return url_parts[1] + image.get_rendition("fill-1200x630|format-jpeg").url

    def get_json_ld(self, request) -> dict:
        return {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": self.title,
            "url": self.get_full_url(request),
            "description": self.get_meta_description(),
        }

    def menu_sections(self):
        """The live sections in this page's menu, asked once per page object."""
        if not hasattr(self, "_menu_sections"):
            self._menu_sections = list(self.get_children().live().in_menu())
        return self._menu_sections

    def kampung_home(self):
        """The village home above this page (itself if it is one), asked once per page object:
        the village menu, the JSON-LD and the letter views all ask."""
        from .village import KampungHomePage

        if isinstance(self, KampungHomePage):
            return self
        if not hasattr(self, "_kampung_home"):
            self._kampung_home = KampungHomePage.objects.ancestor_of(self, inclusive=True).first()
        return self._kampung_home


def _pages_along(request, page, path_components) -> dict:
    """The pages below `page` at each step of the asked path, by url_path; kept on the request,
    so the levels below ask nothing more."""
    known = request.__dict__.setdefault("_site_pages_by_url_path", {})
    wanted = [page.url_path + "/".join(path_components[:n]) + "/" for n in range(1, len(path_components) + 1)]
    missing = [url_path for url_path in wanted if url_path not in known]
    if missing:
        found = {found.url_path: found for found in
                 Page.objects.filter(url_path__in=missing, path__startswith=page.path, depth__gt=page.depth)}
        known.update({url_path: found.get(url_path) for url_path in missing})
    return known
