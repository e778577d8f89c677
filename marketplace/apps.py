from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Pasar")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import page_cache
        from .catalogue import signal_handlers as catalogue_signals
        from .sites import sites_configure_after_migrate

        catalogue_signals.connect()
        page_cache.connect()

        post_migrate.connect(sites_configure_after_migrate, sender=self, dispatch_uid="marketplace.sites_configure")
