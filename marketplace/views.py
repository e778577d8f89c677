from django.db import DatabaseError, connection
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise: what a load balancer asks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "tidak terjangkau"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bench_ceiling(request):
    """The benchmark's ceiling (settings.BENCH_CEILING only): what one request costs this server
    when the page itself costs nothing, so every page's figure can be read against it."""
    return HttpResponse("ok", content_type="text/plain")


# Pages of one person or of the staff: never worth a crawler's visit (they also say noindex).
ROBOTS_DISALLOW = ["/admin/", "/surat/", "/verifikasi/", "/toko/kelola/", "/toko/checkout/", "/toko/basket/",
                   "/toko/accounts/", "/toko/pesanan/", "/toko/bukti-transfer/", "/toko/search/saran/"]


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
             f"Sitemap: {settings.SITE_URL}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
