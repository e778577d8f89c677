"""Admin customisations: the village fence for editors, and kampung for the regency."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry

from marketplace import page_cache
from marketplace.accounts.services import manager_invite
from marketplace.catalogue.forms import COURIER_FIELDS, CourierRatesMixin
from marketplace.forms import PhoneField
from marketplace.orders.models import Complaint, ComplaintStatus
from shops.constants import ShopStatus
from shops.models import PAYOUT_ACCOUNT_FIELDS, Bumkam, Kampung, Kecamatan
from shops.services import (
    ShopChangeRefused,
    bumkam_add_manager,
    bumkam_create,
    bumkam_remove_manager,
    bumkam_set_commission,
    bumkam_set_status,
    bumkam_set_stripe_account,
    is_regency_admin,
    kampung_create,
    official_village,
    payout_account_set,
)

from . import views
from .permissions import sees_every_village, within_own_villages


@hooks.register("before_serve_page")
def stored_pages_follow_their_content(page, request, serve_args, serve_kwargs):
    """A page of text is not made stale by a stock change (marketplace.page_cache)."""
    if not getattr(page, "shows_goods", True):
        page_cache.keep_only(request, "places", "pages")


@hooks.register("construct_page_chooser_queryset")
def page_chooser_offers_only_own_village(pages, request):
    # Wagtail's chooser lists every site's pages; an editor links within their village.
    return within_own_villages(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def explorer_lists_only_own_village(parent_page, pages, request):
    return within_own_villages(pages, request.user)


@hooks.register("before_move_page")
def move_only_what_one_may_move(request, page, destination):
    # Wagtail's move confirmation page shows the page and destination to anyone with admin
    # access (only its POST checks permissions): another village's draft titles would show.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("construct_reports_menu")
def page_types_report_only_for_the_regency(request, menu_items):
    # Its "last edited page" column names pages of every village (urls.py denies the view).
    if not sees_every_village(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


class OwnImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """Wagtail's admin API lists every image in a collection without view restrictions,
    whatever the asker's collection permissions; an editor gets only what they may choose."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(get_image_model())
        chooseable = policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change"])
        return super().get_queryset().filter(pk__in=chooseable.values("pk"))


class OwnDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """As for images: the admin API answers only with the asker's collections' documents."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(get_document_model())
        chooseable = policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change"])
        return super().get_queryset().filter(pk__in=chooseable.values("pk"))


@hooks.register("construct_admin_api", order=100)  # after wagtail.images/documents register theirs
def admin_api_media_only_from_own_collections(router):
    router.register_endpoint("images", OwnImagesAdminAPIViewSet)
    router.register_endpoint("documents", OwnDocumentsAdminAPIViewSet)


class KampungForm(WagtailAdminModelForm):
    """A kampung is made from its official code; name and kecamatan come from the data."""

    class Meta:
        model = Kampung
        fields = ["code", "slug", "latitude", "longitude"]
        help_texts = {"code": _("Kode Kemendagri, mis. 14.08.08.2001")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if self.instance.pk:
            return self.instance.code
        row = official_village(code)
        if row is None:
            raise forms.ValidationError(_("Kode ini tidak ada dalam data wilayah Kemendagri."))
        if not Kecamatan.objects.filter(code=row["district_code"]).exists():
            raise forms.ValidationError(
                _("Kecamatan %(code)s belum dibuat: jalankan setup_regency untuk kabupatennya dulu.")
                % {"code": row["district_code"]}
            )
        return code

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit=commit)
        self.instance = kampung_create(
            code=self.cleaned_data["code"], slug=self.cleaned_data.get("slug") or "",
            latitude=self.cleaned_data.get("latitude"), longitude=self.cleaned_data.get("longitude"),
        )
        return self.instance


class KampungViewSet(ModelViewSet):
    model = Kampung
    icon = "site"
    menu_label = _("Kampung")
    add_to_admin_menu = True
    list_display = ["name", "code", "kecamatan", "kind"]
    list_filter = ["kecamatan", "kind"]
    search_fields = ["name", "code"]

    def get_form_class(self, for_update=False):
        return KampungForm


@hooks.register("register_admin_viewset")
def register_kampung_viewset():
    return KampungViewSet("kampung")


class BumkamForm(CourierRatesMixin, WagtailAdminModelForm):
    """The generic edit form, except that approval, commission, payout accounts and managers
    are changed through their services, each locking the shop and writing an audit row that
    names the admin. The rest is the shop's plain profile."""

    GUARDED = ("status", "commission_percent", "stripe_account_id", *PAYOUT_ACCOUNT_FIELDS, "managers")
    whatsapp = PhoneField(label=_("Nomor WhatsApp"), required=False)

    class Meta:
        model = Bumkam
        fields = ["name", "status", "establishment_regulation", "legal_entity_number", "story", "whatsapp", "pickup_address", "pickup_hours", "logo", "bank_name",
                  "bank_account_number", "bank_account_holder", "allows_pickup", *COURIER_FIELDS,
                  "allows_cash_on_delivery", "commission_percent", "stripe_account_id", "managers"]

    def clean_commission_percent(self):
        value = self.cleaned_data.get("commission_percent")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("Komisi harus antara 0 dan 100 persen."))
        return value

    def clean_bank_account_number(self):
        value = "".join(self.cleaned_data.get("bank_account_number", "").split())
        if value and not value.isdigit():
            raise forms.ValidationError(_("Nomor rekening hanya berisi angka."))
        return value

    def save(self, commit=True):
        if not self.instance.pk or not commit:
            return super().save(commit=commit)
        bumkam, data, user, changed = self.instance, self.cleaned_data, self.for_user, set(self.changed_data)
        with transaction.atomic():
            plain = [name for name in changed if name not in self.GUARDED]
            if plain:
                bumkam.save(update_fields=plain)
            if "status" in changed:
                bumkam_set_status(bumkam=bumkam, status=data["status"], acting_user=user)
                if data["status"] == ShopStatus.APPROVED:  # managers from its own application
                    for manager in bumkam.managers.all():
                        manager_invite(user=manager)
            if "commission_percent" in changed:
                bumkam_set_commission(bumkam=bumkam, commission_percent=data["commission_percent"], acting_user=user)
            if "stripe_account_id" in changed:
                bumkam_set_stripe_account(bumkam=bumkam, stripe_account_id=data["stripe_account_id"], acting_user=user)
            if changed & set(PAYOUT_ACCOUNT_FIELDS):
                payout_account_set(bumkam=bumkam, acting_user=user,
                                   **{field: data[field] for field in PAYOUT_ACCOUNT_FIELDS})
            if "managers" in changed:
                before, after = set(Bumkam.objects.get(pk=bumkam.pk).managers.all()), set(data["managers"])
                for user_added in after - before:
                    bumkam_add_manager(bumkam=bumkam, user=user_added, acting_user=user)
                for user_removed in before - after:
                    bumkam_remove_manager(bumkam=bumkam, user=user_removed, acting_user=user)
        bumkam.refresh_from_db()
        return bumkam


class KampungChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} (Kec. {obj.kecamatan.name})"


class BumkamCreateForm(BumkamForm):
    """A new shop for a kampung that has none, its partner made with it by `bumkam_create`,
    which writes the audit row naming the admin. Status and managers are set afterwards."""

    kampung = KampungChoiceField(
        label=_("Kampung"), queryset=Kampung.objects.filter(bumkam__isnull=True).select_related("kecamatan")
        .order_by("kecamatan__name", "name"),
        error_messages={"invalid_choice": _("Kampung ini sudah punya BUMKam atau tidak ada.")},
    )

    class Meta:
        model = Bumkam
        fields = ["name", "establishment_regulation", "legal_entity_number", "story", "whatsapp", "pickup_address",
                  "pickup_hours", "bank_name", "bank_account_number", "bank_account_holder", "allows_pickup",
                  *COURIER_FIELDS, "allows_cash_on_delivery"]

    field_order = ["kampung", *Meta.fields]

    def save(self, commit=True):
        data = self.cleaned_data
        try:
            self.instance = bumkam_create(
                kampung=data["kampung"], name=data["name"], acting_user=self.for_user,
                **{field: data[field] for field in self.Meta.fields if field != "name"},
            )
        except ShopChangeRefused as refused:  # another admin was quicker for this kampung
            raise PermissionDenied(str(refused)) from refused
        return self.instance


class BumkamViewSet(ModelViewSet):
    """The regency admin approves, suspends and corrects shops; managers never see this."""

    model = Bumkam
    icon = "doc-full-inverse"
    menu_label = _("BUMKam")
    add_to_admin_menu = True
    list_display = ["name", "kampung", "status"]
    list_filter = ["status"]
    search_fields = ["name"]
    form_fields = BumkamForm.Meta.fields

    def get_form_class(self, for_update=False):
        return BumkamForm if for_update else BumkamCreateForm


@hooks.register("register_admin_viewset")
def register_bumkam_viewset():
    return BumkamViewSet("bumkam")


class RegencyAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_regency_admin(request.user)


class QueueMenuItem(RegencyAdminMenuItem):
    """One of the regency admin's queues, with how many wait in it (counted when the menu is drawn)."""

    def __init__(self, label, url, *, count, suffix="", **kwargs):
        super().__init__(label, url, **kwargs)
        self.count, self.suffix = count, suffix

    def render_component(self, request):
        component = super().render_component(request)
        waiting = self.count()
        if waiting:
            component.label = f"{self.label} ({waiting}{self.suffix})"
        return component


def _flagged_or_awaiting_transfers() -> int:
    from marketplace.checkout.models import Checkout
    from marketplace.constants import CheckoutStatus, PaymentMethod

    return Checkout.objects.filter(
        Q(status=CheckoutStatus.PAID_FLAGGED)
        | Q(status=CheckoutStatus.AWAITING_PAYMENT, payment_method=PaymentMethod.BANK_TRANSFER)
        & ~Q(payment_proof="")).count()


def _failed_mail() -> int:
    from marketplace.mail.models import OutboxMail, OutboxStatus

    return OutboxMail.objects.filter(status=OutboxStatus.FAILED).count()


# The regency admin's queues: shops to approve, complaints holding money back, payments to check
# (transfers with a proof, payments flagged), and mail the server refused.
@hooks.register("register_admin_menu_item")
def register_pending_shops_menu_item():
    return QueueMenuItem(_("BUMKam menunggu"), reverse("bumkam:index") + f"?status={ShopStatus.PENDING}",
                         count=Bumkam.objects.filter(status=ShopStatus.PENDING).count, icon_name="warning",
                         order=8990)


@hooks.register("register_admin_menu_item")
def register_open_complaints_menu_item():
    return QueueMenuItem(_("Komplain pembeli"), reverse("marketplace:complaints"),
                         count=Complaint.objects.filter(status=ComplaintStatus.OPEN).count, icon_name="warning",
                         order=8995)


@hooks.register("register_admin_menu_item")
def register_payments_to_check_menu_item():
    return QueueMenuItem(_("Pembayaran perlu diperiksa"), reverse("marketplace:transfers"),
                         count=_flagged_or_awaiting_transfers, icon_name="warning", order=8997)


@hooks.register("register_admin_urls")
def register_regency_admin_urls():
    return [
        path("rekening-bumkam/", views.payout_account_changes, name="cms_payout_account_changes"),
        path("rekening-bumkam/<int:pk>/putuskan/", views.payout_account_change_decide,
             name="cms_payout_account_change_decide"),
        path("audit/", views.audit_log, name="cms_audit_log"),
        path("surat-keluar/", views.outbox, name="cms_outbox"),
    ]


@hooks.register("register_admin_menu_item")
def register_payout_account_changes_menu_item():
    return RegencyAdminMenuItem(_("Rekening BUMKam"), reverse("cms_payout_account_changes"),
                                icon_name="doc-full-inverse", order=9000)


@hooks.register("register_admin_menu_item")
def register_audit_log_menu_item():
    return RegencyAdminMenuItem(_("Catatan audit"), reverse("cms_audit_log"), icon_name="history", order=9010)


@hooks.register("register_admin_menu_item")
def register_outbox_menu_item():
    return QueueMenuItem(_("Surat keluar"), reverse("cms_outbox"), count=_failed_mail, suffix=" gagal",
                         icon_name="mail", order=9020)
