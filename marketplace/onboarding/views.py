from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shops.services import ManagerContact, ShopChangeRefused, bumkam_apply

from ..throttle import client_ip, rate_limit, too_many
from .forms import BumkamApplicationForm


@require_http_methods(["GET", "POST"])
def apply(request):
    """Anyone may apply; each application makes a shop and an account, so a client IP gets
    a few per hour (settings.THROTTLE_SHOP_APPLICATION_PER_IP)."""
    form = BumkamApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit, period = settings.THROTTLE_SHOP_APPLICATION_PER_IP
        if not rate_limit(f"shop-application:ip:{client_ip(request) or 'unknown'}", limit=limit, period=period):
            return too_many(request, retry_after=timedelta(seconds=period), message=_(
                "Terlalu banyak pendaftaran BUMKam dari jaringan Anda. Pendaftaran ini belum disimpan."))
        data = form.cleaned_data
        try:
            with transaction.atomic():
                bumkam_apply(
                    kampung=data["kampung"], name=data["name"],
                    manager=ManagerContact(name=data["manager_name"], email=data["manager_email"],
                                           whatsapp=data["manager_whatsapp"]),
                    **{field: data[field] for field in ("establishment_regulation", "legal_entity_number",
                                                         "bank_name", "bank_account_number", "bank_account_holder")},
                )
        except ShopChangeRefused as refused:  # another application for this kampung came first
            form.add_error("kampung", str(refused))
        else:
            return redirect("onboarding:applied")
    return render(request, "marketplace/onboarding/apply.html", {"form": form}, status=400 if form.errors else 200)


def applied(request):
    return render(request, "marketplace/onboarding/applied.html")
