"""Oscar's order list and order page, with two changes.

Every status change, one order's or the list's bulk change, goes through
`marketplace.orders.services.shop_order_advance` with the user: the table of moves decides
who may make it (a manager never moves an unpaid order) and the move does what it must
(stock, tracking number, delivered_at, event row, e-mails). A refused move is one of Oscar's
error messages, never a 500. The order page offers only the moves the user may make, with
the courier and tracking number a shipment needs.

The list's "Download selected orders as CSV" goes through our safe writer.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders.forms import OrderStatusForm
from oscar.apps.dashboard.orders.views import OrderDetailView as OscarOrderDetailView
from oscar.apps.dashboard.orders.views import OrderListView as OscarOrderListView

from marketplace.errors import UserError
from marketplace.exports import OscarSafeCSVWriter
from marketplace.orders.models import ShopOrder
from marketplace.orders.services import actor_of, next_statuses, shop_order_advance

# Oscar's own words (its msgids, so its translations apply).
NOT_VALID = _("Unable to change order status as the requested new status is not valid")


def advance_through_the_table(request, order, new_status: str, *, tracking_number: str = "", courier: str = "") -> bool:
    """Move `order` as `request.user`, or say why not in Oscar's message area."""
    shop_order = ShopOrder.objects.filter(order=order).first()
    if shop_order is None:  # not placed through our checkout: nothing may move it
        messages.error(request, NOT_VALID)
        return False
    try:
        shop_order_advance(shop_order=shop_order, status=new_status, acting_user=request.user,
                           tracking_number=tracking_number, courier=courier)
    except PermissionDenied:
        messages.error(request, NOT_VALID)
        return False
    except UserError as error:
        messages.error(request, str(error))
        return False
    return True


class ShopOrderStatusForm(OrderStatusForm):
    courier = forms.CharField(label=_("Kurir"), max_length=60, required=False)
    tracking_number = forms.CharField(label=_("Nomor resi"), max_length=60, required=False,
                                      help_text=_("Wajib untuk pesanan kurir yang dijadikan Dikirim."))

    def __init__(self, order, *args, offered: list[str] | None = None, **kwargs):
        super().__init__(order, *args, **kwargs)
        if offered is not None:  # what the page shows; a posted choice is judged by the table
            self.fields["new_status"].choices = [(status, status) for status in offered]


class OrderDetailView(OscarOrderDetailView):
    def get_order_status_form(self):
        if self.request.method == "POST":
            return ShopOrderStatusForm(order=self.object, data=self.request.POST)
        return ShopOrderStatusForm(order=self.object, offered=self._offered())

    def _offered(self) -> list[str]:
        shop_order = ShopOrder.objects.filter(order=self.object).select_related("bumkam").first()
        if shop_order is None:
            return []
        try:
            role = actor_of(self.request.user, shop_order)
        except PermissionDenied:
            return []
        return next_statuses(self.object.status, role)

    def change_order_status(self, request, order):
        form = self.get_order_status_form()
        if not form.is_valid():
            return self.reload_page(error=_("Invalid form submission"))
        old_status, new_status = order.status, form.cleaned_data["new_status"]
        if advance_through_the_table(request, order, new_status, tracking_number=form.cleaned_data["tracking_number"],
                                     courier=form.cleaned_data["courier"]):
            messages.info(request, _("Order status changed from '%(old_status)s' to '%(new_status)s'")
                          % {"old_status": old_status, "new_status": new_status})
        return self.reload_page()


class OrderListView(OscarOrderListView):
    def change_order_status(self, request, order):
        """The list's bulk change: one order at a time through the table (no tracking number here)."""
        new_status = request.POST.get("new_status", "").strip()
        if not new_status:
            messages.error(request, _("The new status '%s' is not valid") % new_status)
            return
        old_status = order.status
        if advance_through_the_table(request, order, new_status):
            messages.info(request, _("Order status changed from '%(old_status)s' to '%(new_status)s'")
                          % {"old_status": old_status, "new_status": new_status})

    def download_selected_orders(self, request, orders):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_download_filename(request)}"'
        writer = OscarSafeCSVWriter(open_file=response)
        writer.writerow(self.CSV_COLUMNS.values())
        for order in orders:
            values = self.get_row_values(order)
            writer.writerow([values.get(column, "") for column in self.CSV_COLUMNS])
        return response
