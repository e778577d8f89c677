"""Reads of shop orders and of whatever a manager may see."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from ..checkout.models import Checkout
from ..constants import OrderStatus
from ..forms import phone_number
from .models import Complaint
from .services import complaint_refusal, completes_at, return_window_ends


def managed_by(queryset, user, *, bumkam: str = "bumkam"):
    """All of it for the regency admin, a manager's own shop's part, and nothing for anyone else."""
    if user.is_superuser:
        return queryset
    if not user.managed_bumkam.exists():
        raise PermissionDenied
    return queryset.filter(**{f"{bumkam}__managers": user})


def complaints_prefetch(prefix: str = "") -> Prefetch:
    """Each shop order's complaints with their threads and photos, newest complaint first."""
    return Prefetch(f"{prefix}complaints", queryset=Complaint.objects.prefetch_related(
        "messages__photos", "messages__author"))


def buyer_options(shop_order) -> dict:
    """What the buyer's order page offers for one shop order: confirm receipt, complain, and until when."""
    complaints = list(shop_order.complaints.all())
    delivered = shop_order.order.status == OrderStatus.DELIVERED and shop_order.delivered_at is not None
    has_open = any(c.is_open for c in complaints)
    return {
        "complaints": complaints,
        "can_receive": delivered and not has_open,
        "can_complain": delivered and not complaint_refusal(shop_order),
        "window_ends": return_window_ends(shop_order) if delivered else None,
        "completes_at": completes_at(shop_order) if delivered and not has_open else None,
    }


def checkout_lookup(*, reference: str = "", number: str = "", email: str = "", phone: str = ""):
    """The checkout a guest names by its reference or one of its shop orders' numbers, when the
    e-mail (any case) or the phone (any usual writing, compared as 62812...) is the one given at
    checkout; None otherwise, whichever half did not match."""
    if reference:
        placed = Checkout.objects.filter(reference=reference).first()
    else:
        placed = Checkout.objects.filter(shop_orders__order__number=number).first() if number else None
    if placed is None:
        return None
    if email.strip() and placed.email.strip().lower() == email.strip().lower():
        return placed
    if phone_number(phone) and phone_number(placed.phone) == phone_number(phone):
        return placed
    return None
