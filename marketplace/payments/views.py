import logging

import stripe
from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
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
from .forms import ConfirmTransferForm, RefundForm
from .services import cash_received, payment_confirm_bank_transfer, refund_issue
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


@user_passes_test(lambda user: user.is_superuser)
def transfers(request):
    if request.method == "POST":
        placed = get_object_or_404(Checkout, reference=request.POST.get("reference", ""))
        form = ConfirmTransferForm(request.POST)
        if form.is_valid():
            try:
                payment_confirm_bank_transfer(checkout=placed, amount_received=form.cleaned_data["amount_received"],
                                              acting_user=request.user)
            except UserError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Pembayaran %(ref)s dicatat.") % {"ref": placed.reference})
        else:
            messages.error(request, _("Isi jumlah yang diterima dalam rupiah."))
        return redirect("marketplace:transfers")
    awaiting = Checkout.objects.filter(status=CheckoutStatus.AWAITING_PAYMENT,
                                       payment_method=PaymentMethod.BANK_TRANSFER).order_by("expires_at")
    flagged = Checkout.objects.filter(status=CheckoutStatus.PAID_FLAGGED).order_by("paid_at", "pk")
    return render(request, "marketplace/transfers.html", {
        "checkouts": awaiting, "flagged": flagged, "form": ConfirmTransferForm()})


@user_passes_test(lambda user: user.is_superuser)
@require_POST
def flagged_checkout_resolve(request, reference):
    placed = flagged_resolve(checkout=get_object_or_404(Checkout, reference=reference), acting_user=request.user)
    messages.success(request, _("Checkout %(ref)s diteruskan ke toko.") % {"ref": placed.reference})
    return redirect("marketplace:transfers")
