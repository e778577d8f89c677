"""The regency portal and every kampung's site.

The page tree is written down in the models: Portal → Direktori kampung →
Beranda kampung → Berita (→ artikel), Layanan (→ layanan), Profil, APBKam, Toko.
"""

from .news import NewsIndexPage, NewsPage, NewsPageTag
from .portal import KampungIndexPage, PortalPage
from .public_services import ServiceIndexPage, ServicePage
from .transparency import BudgetLine, TransparencyPage
from .village import KampungHomePage, ProfilePage, StorefrontPage

__all__ = [
    "BudgetLine",
    "KampungHomePage",
    "KampungIndexPage",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "PortalPage",
    "ProfilePage",
    "ServiceIndexPage",
    "ServicePage",
    "StorefrontPage",
    "TransparencyPage",
]
