"""The regency admin's pages in the Wagtail admin: payout-account changes waiting for a
decision, the audit log, and the outbox's mail that is waiting or failed. All are for regency admins only: a village editor or a shop
manager who reaches the admin gets 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.views import chooser

from marketplace.mail.models import OutboxMail, OutboxStatus
from shops.constants import ChangeStatus
from shops.models import AuditEntry, PayoutAccountChange
from shops.services import (
    ShopChangeRefused,
    is_regency_admin,
    payout_account_change_approve,
    payout_account_change_reject,
)


def _regency_only(request):
    if not is_regency_admin(request.user):
        raise PermissionDenied


def payout_account_changes(request):
    _regency_only(request)
    changes = PayoutAccountChange.objects.select_related("bumkam__kampung", "requested_by", "decided_by")
    return TemplateResponse(request, "cms/admin/payout_account_changes.html", {
        "page_title": _("Perubahan rekening BUMKam"), "header_icon": "doc-full-inverse",
        "pending": changes.filter(status=ChangeStatus.PENDING).order_by("requested_at"),
        "decided": changes.exclude(status=ChangeStatus.PENDING)[:50],
    })


@require_POST
def payout_account_change_decide(request, pk):
    _regency_only(request)
    change = get_object_or_404(PayoutAccountChange, pk=pk)
    decide = {"approve": payout_account_change_approve, "reject": payout_account_change_reject}.get(
        request.POST.get("action", ""))
    if decide is None:
        messages.error(request, _("Pilih setujui atau tolak."))
        return redirect("cms_payout_account_changes")
    try:
        decide(change=change, acting_user=request.user)
    except ShopChangeRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Rekening %(shop)s disetujui.") % {"shop": change.bumkam.name}
                         if decide is payout_account_change_approve else
                         _("Perubahan rekening %(shop)s ditolak; rekening lama tetap dipakai.") % {"shop": change.bumkam.name})
    return redirect("cms_payout_account_changes")


def audit_log(request):
    _regency_only(request)
    entries = AuditEntry.objects.select_related("actor")
    if request.GET.get("action"):
        entries = entries.filter(action=request.GET["action"])
    page = Paginator(entries, 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "cms/admin/audit_log.html", {
        "page_title": _("Catatan audit"), "header_icon": "history", "page": page,
        "actions": AuditEntry._meta.get_field("action").choices, "chosen": request.GET.get("action", ""),
    })


def outbox(request):
    """Read-only: which mail has not left (the server was away) or has given up, and why."""
    _regency_only(request)
    chosen = request.GET.get("status", "")
    shown = [chosen] if chosen in OutboxStatus.values else [OutboxStatus.QUEUED, OutboxStatus.FAILED]
    page = Paginator(OutboxMail.objects.filter(status__in=shown).order_by("-pk"), 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "cms/admin/outbox.html", {
        "page_title": _("Surat keluar"), "header_icon": "mail", "page": page,
        "statuses": OutboxStatus.choices, "chosen": chosen,
    })


class ExternalLinkChooserView(chooser.ExternalLinkView):
    """Wagtail 8's external-link chooser fails (AttributeError, a 500) on a post without its
    url field; such a post is read as an empty url, which the form then refuses."""

    def post(self, request):
        field = f"{self.form_prefix}-url"
        if field not in request.POST:
            request.POST = request.POST.copy()
            request.POST[field] = ""
        return super().post(request)
