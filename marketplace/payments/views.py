import logging
from functools import wraps

import stripe
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..checkout.models import Checkout
from ..constants import CheckoutStatus, PaymentMethod
from ..errors import UserError
from ..html import rupiah
from ..orders.models import ShopOrder
from . import stripe_gateway
from .forms import ConfirmTransferForm, OverpaymentRefundForm, RefundForm, TransferDifferenceForm
from .models import DifferenceKind, PaymentDifference
from .services import (
    AmountDiffers,
    cash_received,
    overpayment_mark_refunded,
    payment_confirm_bank_transfer,
    refund_issue,
    transfer_accept_overpayment,
    transfer_accept_shortfall,
    transfer_keep_awaiting,
    transfer_received_so_far,
)
from .stripe_events import UnknownEvent, event_handle, flagged_resolve

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe signs the body instead
@require_POST
def stripe_webhook(request):
    """400 and no write for anything not signed by Stripe with our secret, or not ours to apply."""
    if not stripe_gateway.card_enabled():
        return HttpResponseBadRequest("Pembayaran kartu tidak aktif.")
    try:
        event = stripe_gateway.webhook_event(request.body, request.headers.get("Stripe-Signature", ""))
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("rejected Stripe webhook: %s", error)
        return HttpResponseBadRequest("Tanda tangan webhook tidak sah.")
    except (TypeError, AttributeError, KeyError) as error:  # signed, but its JSON is not an object
        logger.warning("malformed Stripe webhook: %s", error)
        return HttpResponseBadRequest("Peristiwa tidak dikenal: isinya bukan objek peristiwa.")
    try:
        result = event_handle(event)
    except UnknownEvent as error:
        return HttpResponseBadRequest(f"Peristiwa tidak dikenal: {error}")
    return JsonResponse({"event": event.id, "result": result})



@login_required
@require_POST
def manager_order_cash(request, number):
    """The shop says it has the buyer's cash for a COD order."""
    shop_order = get_object_or_404(ShopOrder, order__number=number)
    try:
        cash_received(shop_order=shop_order, acting_user=request.user)
    except UserError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Uang tunai pesanan %(number)s dicatat.") % {"number": number})
    return redirect("marketplace:manager-orders")


def _back(request):
    """Back to the complaint page the refund was made from, else to the orders."""
    back = request.POST.get("next", "")
    if back.startswith("/toko/kelola/komplain/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)
    return redirect("marketplace:manager-orders")


@login_required
@require_POST
def manager_order_refund(request, number):
    shop_order = get_object_or_404(ShopOrder.objects.select_related("order", "checkout"), order__number=number)
    form = RefundForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(request)
    data = form.cleaned_data
    try:
        refund = refund_issue(shop_order=shop_order, amount=data["amount"], reason=data["reason"],
                              acting_user=request.user, reference=data["reference"])
    except UserError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pengembalian %(amount)s untuk %(number)s: %(status)s.") % {
            "amount": rupiah(refund.amount), "number": number, "status": refund.get_status_display()})
    return _back(request)


def regency_admin_required(view):
    """Signed-in people other than the regency admin get 403, not a sign-in page they cannot pass."""
    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return checked


def _transfers_page(request, *, status=200, entry=None, deciding=None, refunding=None):
    """The admin's transfer page; a form that failed (entry, deciding, refunding) comes back
    filled as typed, with its errors, on the card it belongs to."""
    awaiting = list(Checkout.objects.filter(status=CheckoutStatus.AWAITING_PAYMENT,
                                            payment_method=PaymentMethod.BANK_TRANSFER)
                    .annotate(received=Coalesce(Sum("transfer_receipts__amount"), 0)).order_by("expires_at"))
    for checkout in awaiting:
        checkout.short = checkout.amount_due - checkout.received if checkout.received else 0
    flagged = Checkout.objects.filter(status=CheckoutStatus.PAID_FLAGGED).order_by("paid_at", "pk")
    return render(request, "marketplace/transfers.html", {
        "checkouts": awaiting, "flagged": flagged, "form": ConfirmTransferForm(),
        "refunds_due": PaymentDifference.objects.filter(kind=DifferenceKind.OVERPAID, refunded_at__isnull=True)
                                                 .select_related("checkout"),
        "differences": PaymentDifference.objects.select_related("checkout", "created_by").order_by("-pk")[:20],
        "entry": entry, "deciding": deciding, "refunding": refunding,
    }, status=status)


def _deciding(checkout, *, received, amount, form=None):
    """The choice offered for a transfer of another amount: short, or more than due."""
    due = checkout.amount_due
    return {"checkout": checkout, "received": received, "due": due, "amount": amount,
            "short": max(due - received, 0), "excess": max(received - due, 0),
            "form": form or TransferDifferenceForm(initial={"amount_received": amount})}


@regency_admin_required
def transfers(request):
    """Record a transfer: the exact amount due is confirmed at once; another amount asks the admin
    what to do with the difference (transfer_difference)."""
    if request.method != "POST":
        return _transfers_page(request)
    placed = get_object_or_404(Checkout, reference=request.POST.get("reference", ""))
    form = ConfirmTransferForm(request.POST)
    if not form.is_valid():
        return _transfers_page(request, status=400, entry={"checkout": placed, "form": form})
    amount = form.cleaned_data["amount_received"]
    try:
        payment_confirm_bank_transfer(checkout=placed, amount_received=amount, acting_user=request.user)
    except AmountDiffers as differs:
        return _transfers_page(request, deciding=_deciding(placed, received=differs.received, amount=amount))
    except UserError as error:
        messages.error(request, str(error))
        return _transfers_page(request, status=400)
    messages.success(request, _("Pembayaran %(ref)s dicatat.") % {"ref": placed.reference})
    return redirect("marketplace:transfers")


@regency_admin_required
@require_POST
def transfer_difference(request, reference):
    placed = get_object_or_404(Checkout, reference=reference)
    form = TransferDifferenceForm(request.POST)
    if not form.is_valid():
        amount = form.cleaned_data.get("amount_received") or 0
        return _transfers_page(request, status=400, deciding=_deciding(
            placed, received=transfer_received_so_far(placed) + amount, amount=amount, form=form))
    data = form.cleaned_data
    decide = {form.SHORTFALL: transfer_accept_shortfall, form.AWAIT: transfer_keep_awaiting,
              form.OVERPAID: transfer_accept_overpayment}[data["action"]]
    try:
        decide(checkout=placed, amount_received=data["amount_received"], reason=data["reason"],
               acting_user=request.user)
    except UserError as error:
        messages.error(request, str(error))
        return _transfers_page(request, status=400, deciding=_deciding(
            placed, received=transfer_received_so_far(placed) + data["amount_received"],
            amount=data["amount_received"], form=form))
    done = {form.SHORTFALL: _("Pembayaran %(ref)s dicatat lunas; kekurangannya ditanggung platform."),
            form.AWAIT: _("Transfer %(ref)s dicatat; menunggu kekurangannya dari pembeli."),
            form.OVERPAID: _("Pembayaran %(ref)s dicatat lunas; kelebihannya menunggu dikembalikan ke pembeli.")}
    messages.success(request, done[data["action"]] % {"ref": placed.reference})
    return redirect("marketplace:transfers")


@regency_admin_required
@require_POST
def overpayment_refunded(request, reference):
    difference = get_object_or_404(PaymentDifference, checkout__reference=reference, kind=DifferenceKind.OVERPAID)
    form = OverpaymentRefundForm(request.POST)
    if not form.is_valid():
        return _transfers_page(request, status=400, refunding={"difference": difference, "form": form})
    try:
        overpayment_mark_refunded(difference=difference, reference=form.cleaned_data["reference"],
                                  acting_user=request.user)
    except UserError as error:
        messages.error(request, str(error))
        return _transfers_page(request, status=400, refunding={"difference": difference, "form": form})
    messages.success(request, _("Kelebihan %(amount)s untuk %(ref)s dicatat sudah dikembalikan.") % {
        "amount": rupiah(difference.amount), "ref": reference})
    return redirect("marketplace:transfers")


@regency_admin_required
@require_POST
def flagged_checkout_resolve(request, reference):
    placed = flagged_resolve(checkout=get_object_or_404(Checkout, reference=reference), acting_user=request.user)
    messages.success(request, _("Transaksi %(ref)s diteruskan ke toko.") % {"ref": placed.reference})
    return redirect("marketplace:transfers")
