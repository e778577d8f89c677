from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "cms.letters"
    label = "letters"
    verbose_name = _("Layanan surat")

    def ready(self):
        from marketplace.worker import worker_sweep

        from .tasks import purge_when_due

        worker_sweep.connect(purge_when_due, dispatch_uid="letters-purge")
