from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..constants import Actor, OrderStatus, PaymentMethod
from ..errors import UserError
from ..payments.forms import RefundForm
from ..payments.models import Provider
from ..payments.services import with_refundable
from .forms import ShipForm
from .models import ShopOrder
from .moves import ENDED_UNSENT, STATUSES, next_statuses
from .selectors import managed_by
from .services import shop_order_advance


# Statuses in which a shop has something to do: their orders come first on the manager's page.
NEEDS_SHOP = [status for status in STATUSES if next_statuses(status, Actor.MANAGER)]


@login_required
def manager_orders(request):
    """A shop's orders, those waiting for it first (the newest paid on top), each with only the
    moves the table allows a manager: none at all for an order that is not paid (or COD)."""
    shop_orders = managed_by(
        ShopOrder.objects.select_related("order", "bumkam", "checkout").prefetch_related("refunds", "events")
        .annotate(waiting=Case(When(order__status__in=NEEDS_SHOP, then=Value(0)), default=Value(1)),
                  paid_or_placed=Coalesce("checkout__paid_at", "order__date_placed"))
        .order_by("waiting", "-paid_or_placed", "-pk"), request.user)
    rows = [{"shop_order": so, "next": next_statuses(so.order.status, Actor.MANAGER), "form": ShipForm(),
             "refundable": so.refundable_amount,
             # the platform's bank account pays transfers back: only the regency admin refunds them
             "refunds_here": so.payment_provider != Provider.BANK_TRANSFER or request.user.is_superuser,
             "cash_due": (so.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY and not so.is_paid
                          and so.order.status not in ENDED_UNSENT)}
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
