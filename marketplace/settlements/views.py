"""Statements and payouts: a manager sees their own shop's, the regency admin sees all,
with totals per kecamatan and kampung, and exports them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..errors import UserError
from ..exports import csv_response
from ..html import rupiah, thousands
from ..orders.selectors import managed_by
from ..payments.views import regency_admin_required
from .models import Payout, PayoutBatch, PayoutStatus, Settlement
from .payouts import (
    BankBatchProvider,
    StripeConnectProvider,
    payout_batch_file,
    payout_confirm,
    payout_create,
    payout_fail,
    payouts_send,
)
from .pdf import statement_pdf
from .selectors import settlements_waiting, shops_without_account
from .services import settlements_run
from .tasks import send_payouts

COLUMNS = [  # (heading, SettlementLine field)
    (gettext_lazy("Bruto"), "gross"), (gettext_lazy("Ongkos kirim"), "shipping"),
    (gettext_lazy("Dikembalikan"), "refunded"), (gettext_lazy("Komisi"), "commission"),
    (gettext_lazy("Tunai COD di toko"), "cash_collected"), (gettext_lazy("Bersih"), "net"),
]


def _visible(user):
    return managed_by(Settlement.objects.select_related("bumkam__kampung__kecamatan", "payout", "carried_into")
                      .prefetch_related("lines"), user)


@login_required
def settlement_list(request):
    settlements = list(_visible(request.user)[:500])
    if request.GET.get("format") == "csv":
        return _regency_export(request, settlements)
    by_kecamatan, by_kampung = {}, {}
    for settlement in settlements:
        net, kampung = settlement.totals()["net"], settlement.bumkam.kampung
        by_kecamatan[kampung.kecamatan.name] = by_kecamatan.get(kampung.kecamatan.name, 0) + net
        by_kampung[kampung.name] = by_kampung.get(kampung.name, 0) + net
    return render(request, "settlements/settlement_list.html", {
        "settlements": settlements, "by_kecamatan": sorted(by_kecamatan.items()),
        "by_kampung": sorted(by_kampung.items()), "regency_view": request.user.is_superuser,
    })


def _regency_export(request, settlements):
    """For regency finance: one row per statement, with its kecamatan and kampung, to add up in a spreadsheet."""
    if not request.user.is_superuser:
        raise PermissionDenied
    return csv_response("penyelesaian-kabupaten.csv", [
        _("Nomor"), _("Tanggal"), _("Kecamatan"), _("Kampung"), _("BUMKam"),
        *[heading for heading, _field in COLUMNS], _("Status pembayaran"),
    ], [
        [settlement.number, f"{settlement.created_at:%Y-%m-%d}", settlement.bumkam.kampung.kecamatan.name,
         settlement.bumkam.kampung.name, settlement.bumkam.name, *[settlement.totals()[f] for _h, f in COLUMNS],
         _payout_state(settlement, getattr(settlement, "payout", None))]
        for settlement in settlements
    ])


def _payout_state(settlement, payout) -> str:
    if payout is not None:
        return f"{payout.get_status_display()} {rupiah(payout.amount)}"
    if settlement.carried_into_id:
        return _("Dihitung dalam %(number)s") % {"number": settlement.carried_into.number}
    return _("Belum ada (toko berutang komisi)")


@regency_admin_required
@require_POST
def settlements_run_now(request):
    made = settlements_run(acting_user=request.user)
    for settlement in made:
        payout_create(settlement=settlement)
    if not made:  # say why, so that the admin knows whether to wait, decide a complaint or ask a shop
        messages.warning(request, _("Tidak ada laporan penyelesaian dibuat: %(why)s.") % {
            "why": "; ".join(settlements_waiting())})
        return redirect("marketplace:settlements")
    messages.success(request, _("%(count)d laporan penyelesaian dibuat.") % {"count": len(made)})
    missing = shops_without_account(settlement.bumkam for settlement in made)
    if missing:
        messages.warning(request, _("Belum ada nomor rekening, pembayarannya belum bisa dikirim: %(shops)s.") % {
            "shops": ", ".join(missing)})
    return redirect("marketplace:settlements")


@login_required
def settlement_detail(request, pk):
    settlement = get_object_or_404(_visible(request.user), pk=pk)  # another shop's is a 404
    lines = list(settlement.lines.select_related("shop_order__order"))
    totals = settlement.totals()
    fmt = request.GET.get("format", "")
    if fmt == "csv":
        return csv_response(f"{settlement.number}.csv", [
            _("Nomor pesanan"), _("Tanggal diterima"), *[heading for heading, _f in COLUMNS],
        ], [
            *([line.shop_order.order.number, f"{line.shop_order.delivered_at:%Y-%m-%d}",
               *[getattr(line, f) for _h, f in COLUMNS]] for line in lines),
            [_("Jumlah"), "", *[totals[f] for _h, f in COLUMNS]],
        ])
    if fmt == "pdf":
        response = HttpResponse(_statement_pdf(settlement, lines, totals), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{settlement.number}.pdf"'
        return response
    if fmt:
        raise Http404
    return render(request, "settlements/settlement_detail.html", {
        "settlement": settlement, "carried": settlement.carried.all(), "payout": getattr(settlement, "payout", None), "headings": [heading for heading, _f in COLUMNS],
        "rows": [(line, [getattr(line, f) for _h, f in COLUMNS]) for line in lines],
        "totals": [totals[f] for _h, f in COLUMNS],
    })


def _statement_pdf(settlement, lines, totals) -> bytes:
    shop = settlement.bumkam
    carried = [_("Dibawa dari laporan %(number)s: %(net)s") % {"number": other.number, "net": rupiah(other.totals()["net"])}
               for other in settlement.carried.all()]
    return statement_pdf(
        title=f"{settlement.number} {shop.name}",
        heading=[
            _("LAPORAN PENYELESAIAN %(number)s") % {"number": settlement.number},
            f"{shop.name}, {shop.kampung.name}, Kecamatan {shop.kampung.kecamatan.name}",
            _("Dibuat %(date)s") % {"date": f"{settlement.created_at:%d-%m-%Y}"},
            _("Rekening: %(bank)s %(number)s a.n. %(holder)s") % {
                "bank": shop.bank_name or "-", "number": shop.bank_account_number or "-",
                "holder": shop.bank_account_holder or "-"},
        ],
        columns=[_("Pesanan"), _("Diterima"), *[str(h) for h, _f in COLUMNS]],
        rows=[[line.shop_order.order.number, f"{line.shop_order.delivered_at:%d-%m-%Y}",
               *[thousands(getattr(line, f)) for _h, f in COLUMNS]] for line in lines],
        total=[_("Jumlah"), "", *[thousands(totals[f]) for _h, f in COLUMNS]],
        notes=[*[(text, False) for text in carried],
               (_("Dibayarkan ke BUMKam: %(amount)s") % {"amount": rupiah(settlement.payout.amount)}
                if hasattr(settlement, "payout") else
                _("Belum ada pembayaran: toko masih berutang komisi; dihitung di laporan berikutnya."), True),
               (_("Angka dalam rupiah. Bersih = bruto - dikembalikan - komisi - tunai COD yang sudah di toko."), False)],
        signers=(_("Bendahara BUMKam"), _("Pengelola keuangan kabupaten")),
        created=settlement.created_at,
    )


# --- Payouts ---------------------------------------------------------------------------


@login_required
def payout_list(request):
    payouts = managed_by(Payout.objects.select_related("settlement__bumkam__kampung").order_by("-pk"),
                         request.user, bumkam="settlement__bumkam")
    return render(request, "settlements/payout_list.html", {
        "payouts": payouts[:300], "regency_view": request.user.is_superuser,
        "batches": PayoutBatch.objects.all()[:20] if request.user.is_superuser else [],
        "pending_bank": Payout.objects.filter(status=PayoutStatus.PENDING, provider=BankBatchProvider.code).exists(),
        "pending_connect": Payout.objects.filter(provider=StripeConnectProvider.code,
                                                 status__in=(PayoutStatus.PENDING, PayoutStatus.SENT)).exists(),
    })


@regency_admin_required
@require_POST
def payouts_bank_batch(request):
    """The bulk-transfer file for the regency's bank; its payouts then wait for the bank's references.
    The file is kept (PayoutBatch) and can be downloaded again from its own page."""
    try:
        sent, batch = payouts_send(provider_code=BankBatchProvider.code, acting_user=request.user)
    except UserError as error:  # a shop without an account number: nothing is marked sent
        messages.error(request, str(error))
        return redirect("marketplace:payouts")
    if not sent:
        messages.info(request, _("Tidak ada pembayaran yang menunggu dikirim."))
        return redirect("marketplace:payouts")
    response = HttpResponse(batch, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="transfer-massal.csv"'
    return response


@regency_admin_required
def payout_batch_detail(request, pk):
    batch = get_object_or_404(PayoutBatch.objects.select_related("created_by"), pk=pk)
    return render(request, "settlements/payout_batch.html", {
        "batch": batch, "payouts": batch.payouts.select_related("settlement__bumkam").order_by("pk")})


@regency_admin_required
def payout_batch_download(request, pk):
    """The same bytes as the first download: the bank gets the same file however often it is asked for."""
    batch = get_object_or_404(PayoutBatch, pk=pk)
    response = HttpResponse(payout_batch_file(batch=batch, acting_user=request.user),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.filename}"'
    return response


@regency_admin_required
@require_POST
def payouts_stripe_connect(request):
    send_payouts.enqueue(StripeConnectProvider.code)
    messages.success(request, _("Transfer Stripe Connect dijalankan di latar belakang."))
    return redirect("marketplace:payouts")


@regency_admin_required
@require_POST
def payout_update(request, pk):
    payout = get_object_or_404(Payout, pk=pk)
    reference = request.POST.get("bank_reference", "").strip()
    try:
        if request.POST.get("action") == "fail":
            payout_fail(payout=payout)
            messages.info(request, _("Pembayaran %(number)s kembali menunggu dikirim.") % {"number": payout.settlement.number})
        elif not reference:
            messages.error(request, _("Isi referensi transfer dari bank."))
        else:
            payout_confirm(payout=payout, bank_reference=reference[:60], acting_user=request.user)
            messages.success(request, _("Pembayaran %(number)s dicatat lunas.") % {"number": payout.settlement.number})
    except UserError as error:
        messages.error(request, str(error))
    return redirect("marketplace:payouts")
