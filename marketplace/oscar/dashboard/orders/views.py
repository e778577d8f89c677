"""Oscar's order list, with its "Download selected orders as CSV" through our safe writer."""

from django.http import HttpResponse
from oscar.apps.dashboard.orders.views import OrderListView as OscarOrderListView

from marketplace.exports import OscarSafeCSVWriter


class OrderListView(OscarOrderListView):
    def download_selected_orders(self, request, orders):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_download_filename(request)}"'
        writer = OscarSafeCSVWriter(open_file=response)
        writer.writerow(self.CSV_COLUMNS.values())
        for order in orders:
            values = self.get_row_values(order)
            writer.writerow([values.get(column, "") for column in self.CSV_COLUMNS])
        return response
