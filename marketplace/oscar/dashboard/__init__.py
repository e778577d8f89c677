"""Oscar's dashboard app, forked only so that some of its classes can be replaced by name
(Oscar's `get_class("dashboard.…")` looks them up in the app labelled `dashboard`):
`orders.views.OrderListView` and `reports.reports.ReportCSVFormatter`, whose CSV downloads
now go through `marketplace.exports`, so a buyer's or a shop's text never becomes a
spreadsheet formula; `orders.views.OrderDetailView` and the list's bulk status change,
which move an order only through `marketplace.orders.services.shop_order_advance`;
`catalogue.views.ProductCreateUpdateView`, which saves a product only together with all
its formsets and with one shop selling it; `catalogue.views.ProductLookupView`, which
gives a manager only their own shop's products; and `catalogue.forms.StockRecordForm`,
which refuses a SKU the shop already uses with a clear message. Everything else, views,
URLs and templates, is Oscar's; the dashboard has no models, so the fork brings no
migrations.
"""
