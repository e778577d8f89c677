from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = _("Wilayah dan BUMKam")

    def ready(self):
        from . import signal_handlers  # noqa: F401
