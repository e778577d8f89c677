import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Settlement


def _visible(user):
    settlements = Settlement.objects.select_related("bumkam__kampung__kecamatan").prefetch_related("lines")
    return settlements if user.is_superuser else settlements.filter(bumkam__managers=user)


@login_required
def settlement_list(request):
    settlements = list(_visible(request.user)[:200])
    by_kecamatan = {}
    for settlement in settlements:
        key = settlement.bumkam.kampung.kecamatan.name
        by_kecamatan[key] = by_kecamatan.get(key, 0) + settlement.totals()["net"]
    return render(request, "settlements/settlement_list.html", {
        "settlements": settlements, "by_kecamatan": sorted(by_kecamatan.items()),
        "regency_view": request.user.is_superuser,
    })


@login_required
def settlement_detail(request, pk):
    settlement = get_object_or_404(_visible(request.user), pk=pk)  # another shop's is a 404
    lines = settlement.lines.select_related("shop_order__order")
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{settlement.number}.csv"'
        writer = csv.writer(response)
        writer.writerow(["Nomor pesanan", "Tanggal diterima", "Bruto", "Ongkos kirim", "Komisi", "Bersih"])
        for line in lines:
            writer.writerow([line.shop_order.order.number, f"{line.shop_order.delivered_at:%Y-%m-%d}",
                             line.gross, line.shipping, line.commission, line.net])
        totals = settlement.totals()
        writer.writerow(["Jumlah", "", totals["gross"], totals["shipping"], totals["commission"], totals["net"]])
        return response
    if request.GET.get("format"):
        raise Http404
    return render(request, "settlements/settlement_detail.html", {
        "settlement": settlement, "lines": lines, "totals": settlement.totals(),
    })
