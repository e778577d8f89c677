"""Reads of shop orders and of whatever a manager may see."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from shops.services import official_place

from ..checkout.models import Checkout
from ..constants import Actor, OrderStatus
from ..forms import phone_number
from .models import Complaint, ComplaintStatus
from .moves import STATUSES, next_statuses
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


# --- The manager's order pages: tabs, cards and packing slips ---------------------------------

@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    ordering: tuple  # over manager_orders_list's annotations
    statuses: tuple = field(default=())
    open_complaint: bool = False

    @property
    def condition(self):
        """Which shop orders the tab holds; None for all of them."""
        if self.statuses:
            return Q(order__status__in=self.statuses)
        if self.open_complaint:
            return Q(Exists(Complaint.objects.filter(shop_order=OuterRef("pk"), status=ComplaintStatus.OPEN)))
        return None


S = OrderStatus
OLDEST_FIRST, NEWEST_FIRST = ("paid_or_placed", "pk"), ("-paid_or_placed", "-pk")
# Work to do is listed oldest first (first paid, first packed), what is done newest first. A
# packed order has its own status, so "Perlu dikirim" is a tab of its own. "Semua" keeps the
# page's old order: whatever waits for the shop on top, the newest paid first.
TABS: tuple[Tab, ...] = (
    Tab("perlu-diproses", _("Perlu diproses"), OLDEST_FIRST, statuses=(S.PROCESSING,)),
    Tab("perlu-dikirim", _("Perlu dikirim"), OLDEST_FIRST, statuses=(S.PACKED,)),
    Tab("dikirim", _("Dikirim"), NEWEST_FIRST, statuses=(S.SHIPPED,)),
    Tab("selesai", _("Selesai"), NEWEST_FIRST, statuses=(S.DELIVERED, S.COMPLETED)),
    Tab("komplain", _("Komplain"), OLDEST_FIRST, open_complaint=True),
    Tab("semua", _("Semua"), ("waiting", "-paid_or_placed", "-pk")),
)
TAB_BY_SLUG = {tab.slug: tab for tab in TABS}
DEFAULT_TAB = TABS[0]
SLIP_TABS = ("perlu-dikirim", "perlu-diproses")  # "print every slip" is offered for these
MANAGER_WAITS_IN = [status for status in STATUSES if next_statuses(status, Actor.MANAGER)]


def tab_of_status(status: str) -> Tab:
    """Where an order in `status` is listed, besides "Semua" (and "Komplain" while one is open)."""
    return next((tab for tab in TABS if status in tab.statuses), TAB_BY_SLUG["semua"])


def manager_tab_counts(shop_orders) -> dict[str, int]:
    """How many orders each tab holds, in one query."""
    return shop_orders.order_by().aggregate(**{
        tab.slug: Count("pk", filter=tab.condition) if tab.condition is not None else Count("pk") for tab in TABS})


def manager_orders_list(shop_orders, tab: Tab | None = None):
    """The shop orders with everything an order card or a packing slip shows, in a number of
    queries that does not grow with the number of orders; only `tab`'s orders, in its order."""
    shop_orders = (
        shop_orders.select_related("order", "order__shipping_address", "bumkam", "bumkam__kampung", "checkout")
        .prefetch_related("order__lines", "refunds", "events", complaints_prefetch())
        .annotate(waiting=Case(When(order__status__in=MANAGER_WAITS_IN, then=Value(0)), default=Value(1)),
                  paid_or_placed=Coalesce("checkout__paid_at", "order__date_placed")))
    if tab is None:
        return shop_orders
    if tab.condition is not None:
        shop_orders = shop_orders.filter(tab.condition)
    return shop_orders.order_by(*tab.ordering)


def shipping_place(address) -> dict:
    """The buyer's village, kecamatan, kabupaten/kota and province, named from the village's
    official code (the checkout keeps it in the address's notes), else as the address was written."""
    code = (address.notes or "").strip()
    place = official_place(code) if code else None
    if place:
        return {**place, "code": code}
    village, _sep, district = (address.line2 or "").partition(", Kecamatan ")
    return {"village": village, "district": district, "regency": address.line3 or address.line4,
            "province": address.state, "code": ""}


def buyer_phone(shop_order) -> str:
    """The buyer's mobile number as 62812..., what tel: and wa.me links want ("" when there is none)."""
    address = shop_order.order.shipping_address
    return phone_number(shop_order.checkout.phone) or phone_number(str(address.phone_number or "") if address else "")
