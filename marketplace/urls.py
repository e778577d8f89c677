from django.apps import apps
from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.permissions import regency_only
from cms.views import ExternalLinkChooserView
from marketplace.views import healthz, robots_txt

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # fences: Wagtail's page-types report names the last edited page of every village;
    # served here first (Wagtail's own names still reverse to these addresses) for the regency only.
    path("admin/reports/page-types-usage/", regency_only(PageTypesUsageReportView.as_view())),
    path("admin/reports/page-types-usage/results/",
         regency_only(PageTypesUsageReportView.as_view(results_only=True))),
    # Wagtail's external-link chooser, without its 500 on a post that lacks the url field.
    path("admin/choose-external-link/", require_admin_access(ExternalLinkChooserView.as_view()),
         name="wagtailadmin_choose_page_external_link"),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumen/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Our one-step checkout for several shops comes before Oscar's, whose
    # /toko/checkout/ it takes over; then Oscar: catalogue, basket, accounts, search
    # and the managers' dashboard.
    path("toko/", include("marketplace.shop_urls")),
    path("toko/", include("marketplace.onboarding.urls")),  # a BUMKam's own application
    # Oscar's login, registration, password reset and stock alerts, throttled and
    # closed against account enumeration, at Oscar's own addresses.
    path("toko/", include("marketplace.accounts.urls")),
    path("toko/", include(apps.get_app_config("oscar").urls[0])),
    # Residents' letters (cms.letters): tracking by the secret link, the lookup, and the public
    # verification page the letter's QR code opens (the form itself is a service page's route).
    path("", include("cms.letters.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Issue 14, make bench: the machine's ceiling, a view without a query through all the middleware.
if settings.BENCH_CEILING:
    from marketplace.views import bench_ceiling

    urlpatterns += [path("bench/ceiling/", bench_ceiling)]

# Wagtail last: the regency portal and every village site.
urlpatterns += [path("", include(wagtail_urls))]
