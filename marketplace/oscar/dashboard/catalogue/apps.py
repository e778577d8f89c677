import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's get_class would look for our views under the `dashboard` app (label
    "dashboard"), which is not forked; so the one replaced view is set here by hand."""

    name = "marketplace.oscar.dashboard.catalogue"

    def ready(self):
        super().ready()
        from .views import ProductCreateUpdateView

        self.product_createupdate_view = ProductCreateUpdateView
