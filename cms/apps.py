from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    default = True  # this module also holds AuditedUsersConfig
    name = "cms"
    verbose_name = _("Situs kampung")

    def ready(self):
        from . import signal_handlers  # noqa: F401


class AuditedUsersConfig(WagtailUsersAppConfig):
    """wagtail.users, whose user screens audit changes of groups and admin rights (cms.users)."""

    default = False
    user_viewset = "cms.users.UserViewSet"
