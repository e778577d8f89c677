import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard with one door closed: the product lookup.

    Oscar opens `catalogue-product-lookup` to partner users, but the view answers with
    every shop's browsable products (it has no partner filter), and only staff-only
    pages use it (ranges, offers). A BUMKam manager therefore gets 403 there; their own
    product pages stay open and Oscar already narrows those to their partner. A fork of
    the app config only: no models, views or templates are copied.
    """

    name = "marketplace.oscar.dashboard.catalogue"

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map["catalogue-product-lookup"] = ["is_staff"]
