from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..constants import OrderStatus, PaymentMethod
from ..errors import UserError
from ..payments.forms import RefundForm
from ..payments.models import Provider
from ..payments.services import with_refundable
from .forms import ShipForm
from .models import ShopOrder
from .selectors import managed_by
from .services import shop_order_advance


@login_required
def manager_orders(request):
    shop_orders = managed_by(ShopOrder.objects.select_related("order", "bumkam", "checkout")
                             .prefetch_related("refunds").order_by("-order__date_placed"), request.user)
    rows = [{"shop_order": so, "next": OrderStatus.PIPELINE.get(so.order.status, ()), "form": ShipForm(),
             "refundable": so.refundable_amount,
             # the platform's bank account pays transfers back: only the regency admin refunds them
             "refunds_here": so.payment_provider != Provider.BANK_TRANSFER or request.user.is_superuser,
             "cash_due": (so.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY and not so.is_paid
                          and so.order.status not in OrderStatus.RELEASES_STOCK)}
            for so in with_refundable(shop_orders)[:200]]
    return render(request, "marketplace/manager_orders.html", {
        "rows": rows, "SHIPPED": OrderStatus.SHIPPED, "refund_form": RefundForm()})


@login_required
@require_POST
def manager_order_advance(request, number):
    shop_order = get_object_or_404(ShopOrder, order__number=number)
    form = ShipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Status tidak dikenal."))
        return redirect("marketplace:manager-orders")
    try:
        shop_order_advance(shop_order=shop_order, status=form.cleaned_data["status"], acting_user=request.user,
                           tracking_number=form.cleaned_data["tracking_number"], courier=form.cleaned_data["courier"])
    except UserError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pesanan %(number)s: %(status)s.") % {"number": number, "status": form.cleaned_data["status"]})
    return redirect("marketplace:manager-orders")
