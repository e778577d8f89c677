"""The letter queue in the Wagtail admin: for each village's editors (its office) and the
regency admin; the regency alone gets the figures across villages."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from shops.services import is_regency_admin

from . import admin_views
from .models import OPEN_STATUSES
from .permissions import operator_kampung_ids, requests_for


def works_letters(user) -> bool:
    kampung_ids = operator_kampung_ids(user)
    return kampung_ids is None or bool(kampung_ids)


class LetterQueueMenuItem(MenuItem):
    """"Permohonan surat", with how many are open, for whoever works a letter queue."""

    def is_shown(self, request):
        return works_letters(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        waiting = requests_for(request.user).filter(status__in=OPEN_STATUSES).count()
        if waiting:
            component.label = f"{self.label} ({waiting})"
        return component


class LetterSettingsMenuItem(MenuItem):
    def is_shown(self, request):
        return works_letters(request.user)


class LetterStatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_regency_admin(request.user)


@hooks.register("register_admin_urls")
def register_letter_urls():
    return [
        path("surat/", admin_views.queue, name="letters_queue"),
        path("surat/<int:pk>/", admin_views.request_detail, name="letters_request"),
        path("surat/<int:pk>/minta-dilengkapi/", admin_views.request_ask_more, name="letters_ask_more"),
        path("surat/<int:pk>/setujui/", admin_views.request_approve, name="letters_approve"),
        path("surat/<int:pk>/terbitkan/", admin_views.request_sign, name="letters_sign"),
        path("surat/<int:pk>/tolak/", admin_views.request_reject, name="letters_reject"),
        path("surat/<int:pk>/surat.pdf", admin_views.issued_pdf, name="letters_issued_pdf"),
        path("surat/berkas/<int:pk>/", admin_views.document, name="letters_document"),
        path("surat/pengaturan/", admin_views.settings_index, name="letters_settings_index"),
        path("surat/pengaturan/<int:kampung_id>/", admin_views.letter_settings, name="letters_settings"),
        path("surat/jenis/<int:pk>/", admin_views.letter_kind, name="letters_kind"),
        path("surat/statistik/", admin_views.statistics, name="letters_statistics"),
        path("surat/statistik/csv/", admin_views.statistics_csv, name="letters_statistics_csv"),
    ]


@hooks.register("register_admin_menu_item")
def register_letter_queue_menu_item():
    return LetterQueueMenuItem(_("Permohonan surat"), reverse("letters_queue"), icon_name="mail", order=300)


@hooks.register("register_admin_menu_item")
def register_letter_settings_menu_item():
    return LetterSettingsMenuItem(_("Pengaturan surat"), reverse("letters_settings_index"), icon_name="cog",
                                  order=310)


@hooks.register("register_admin_menu_item")
def register_letter_statistics_menu_item():
    return LetterStatisticsMenuItem(_("Statistik surat"), reverse("letters_statistics"), icon_name="table",
                                    order=9030)
