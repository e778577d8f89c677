import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..checkout.models import Checkout
from ..checkout.views import OPENED_CHECKOUTS, _remember_checkout
from ..constants import Actor, OrderStatus, PaymentMethod
from ..errors import UserError
from ..files import private_file_response
from ..payments.forms import RefundForm
from ..payments.models import Provider
from ..payments.services import with_refundable
from ..throttle import client_ip, limit_reached, rate_limit, too_many
from .forms import ComplaintDecisionForm, ComplaintOpenForm, ComplaintReplyForm, OrderLookupForm, ShipForm
from .models import Complaint, ComplaintPhoto, ComplaintStatus, ShopOrder
from .moves import ENDED_UNSENT, STATUSES, next_statuses
from .selectors import checkout_lookup, complaints_prefetch, managed_by
from .services import (
    complaint_decide,
    complaint_open,
    complaint_refusal,
    complaint_reply,
    complaint_withdraw,
    return_window_ends,
    shop_order_advance,
    shop_order_receive,
)


# Statuses in which a shop has something to do: their orders come first on the manager's page.
NEEDS_SHOP = [status for status in STATUSES if next_statuses(status, Actor.MANAGER)]


@login_required
def manager_orders(request):
    """A shop's orders, those waiting for it first (the newest paid on top), each with only the
    moves the table allows a manager: none at all for an order that is not paid (or COD)."""
    shop_orders = managed_by(
        ShopOrder.objects.select_related("order", "bumkam", "checkout").prefetch_related("refunds", "events", complaints_prefetch())
        .annotate(waiting=Case(When(order__status__in=NEEDS_SHOP, then=Value(0)), default=Value(1)),
                  paid_or_placed=Coalesce("checkout__paid_at", "order__date_placed"))
        .order_by("waiting", "-paid_or_placed", "-pk"), request.user)
    rows = [{"shop_order": so, "next": next_statuses(so.order.status, Actor.MANAGER), "form": ShipForm(),
             "refundable": so.refundable_amount,
             # the platform's bank account pays transfers back: only the regency admin refunds them
             "refunds_here": so.payment_provider != Provider.BANK_TRANSFER or request.user.is_superuser,
             "cash_due": (so.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY and not so.is_paid
                          and so.order.status not in ENDED_UNSENT)}
            for so in with_refundable(shop_orders)[:200]]
    return render(request, "marketplace/manager_orders.html", {
        "rows": rows, "SHIPPED": OrderStatus.SHIPPED, "refund_form": RefundForm(), "reply_form": ComplaintReplyForm()})


@login_required
@require_POST
def manager_order_advance(request, number):
    shop_order = get_object_or_404(ShopOrder, order__number=number)
    form = ShipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Status tidak dikenal."))
        return redirect("marketplace:manager-orders")
    try:
        shop_order_advance(shop_order=shop_order, status=form.cleaned_data["status"], acting_user=request.user,
                           tracking_number=form.cleaned_data["tracking_number"], courier=form.cleaned_data["courier"])
    except UserError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pesanan %(number)s: %(status)s.") % {"number": number, "status": form.cleaned_data["status"]})
    return redirect("marketplace:manager-orders")


# The buyer's side: the checkout's reference in the address is the key, as on the order page.

def _buyer_shop_order(request, reference, number) -> ShopOrder:
    placed = get_object_or_404(Checkout, reference=reference)
    shop_order = get_object_or_404(
        ShopOrder.objects.select_related("order", "bumkam", "checkout").prefetch_related(complaints_prefetch()),
        checkout=placed, order__number=number)
    _remember_checkout(request, placed)  # this browser may open the complaint's photos
    if request.method == "POST":
        _buyer_check(request, placed)
    return shop_order


def _buyer_check(request, placed) -> None:
    """Only the buyer speaks as the buyer: the account that placed the checkout (signed in), or
    for a guest's checkout whoever holds its reference, never a manager of one of its shops nor
    the regency admin, who act from their own pages."""
    user = request.user
    if placed.user_id and not user.is_authenticated:
        raise PermissionDenied(_("Masuk dengan akun yang memesan untuk mengubah pesanan ini."))
    if placed.user_id and user.pk != placed.user_id:
        raise PermissionDenied(_("Pesanan ini milik akun lain."))
    if user.is_authenticated and user.pk != placed.user_id and (
            user.is_superuser or placed.shop_orders.filter(bumkam__managers=user).exists()):
        raise PermissionDenied(_("Toko dan admin kabupaten menjawab dari halaman kelola, bukan sebagai pembeli."))


def _acting(request):
    return request.user if request.user.is_authenticated else None


@require_POST
def buyer_order_received(request, reference, number):
    """"Pesanan diterima": the buyer confirms, the order completes and may be settled."""
    shop_order = _buyer_shop_order(request, reference, number)
    try:
        shop_order_receive(shop_order=shop_order, acting_user=_acting(request))
    except UserError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Terima kasih! Pesanan %(number)s selesai.") % {"number": number})
    return redirect(shop_order.checkout)


def _complaint_post_allowed(request) -> bool:
    return rate_limit(f"complaint:ip:{client_ip(request) or 'unknown'}",
                      limit=settings.COMPLAINT_MESSAGES_PER_HOUR_PER_IP, period=60 * 60)


@never_cache
def buyer_complaint(request, reference, number):
    """Open a complaint, or read and answer its thread."""
    shop_order = _buyer_shop_order(request, reference, number)
    complaints = list(shop_order.complaints.all())
    current = next((c for c in complaints if c.is_open), None)
    refusal = "" if current else complaint_refusal(shop_order)
    form_class = ComplaintReplyForm if current else ComplaintOpenForm
    form, status = form_class(), 200
    if request.method == "POST":
        if not _complaint_post_allowed(request):
            return too_many(request, message=_("Terlalu banyak pesan komplain dari alamat ini. Coba lagi dalam satu jam."))
        form, status = form_class(request.POST, request.FILES), 400
        if refusal:
            form.add_error(None, refusal)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                if current:
                    complaint_reply(complaint=current, text=data["text"], photos=data["photos"], actor=Actor.BUYER,
                                    acting_user=_acting(request))
                else:
                    complaint_open(shop_order=shop_order, reason=data["reason"], text=data["text"],
                                   photos=data["photos"], acting_user=_acting(request))
            except UserError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Pesan terkirim ke toko.") if current
                                 else _("Komplain diajukan; toko sudah diberi tahu. Dana pesanan ini ditahan "
                                        "sampai komplain selesai."))
                return redirect(request.path)
    return render(request, "marketplace/buyer_complaint.html", {
        "shop_order": shop_order, "checkout": shop_order.checkout, "complaints": complaints, "current": current,
        "form": form, "refusal": refusal,
        "window_ends": return_window_ends(shop_order) if shop_order.delivered_at else None,
    }, status=status)


@require_POST
def buyer_complaint_withdraw(request, reference, number):
    shop_order = _buyer_shop_order(request, reference, number)
    current = next((c for c in shop_order.complaints.all() if c.is_open), None)
    if current is None:
        raise Http404
    try:
        complaint_withdraw(complaint=current, acting_user=_acting(request))
    except UserError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Komplain dibatalkan."))
    return redirect(shop_order.checkout)


@never_cache
def complaint_photo(request, pk):
    """A complaint's photo: for the browser that opened the buyer's order page with its reference,
    the buyer's account, the shop's managers and the regency admin. Everyone else gets 404."""
    photo = get_object_or_404(ComplaintPhoto.objects.select_related("message__complaint__shop_order"), pk=pk)
    shop_order = photo.message.complaint.shop_order
    user = request.user
    allowed = (
        shop_order.checkout_id in request.session.get(OPENED_CHECKOUTS, [])
        or (user.is_authenticated and (
            user.is_superuser
            or Checkout.objects.filter(pk=shop_order.checkout_id, user=user).exists()
            or shop_order.bumkam.managers.filter(pk=user.pk).exists()))
    )
    if not allowed:
        raise Http404
    return private_file_response(photo.image, download_name=f"komplain-{shop_order.order.number}-{photo.pk}")


# The shop's and the regency admin's side.

@user_passes_test(lambda user: user.is_superuser)
def complaints_queue(request):
    """The regency admin's queue: open complaints, the oldest first, then the latest closed."""
    base = Complaint.objects.select_related("shop_order__order", "shop_order__bumkam")
    return render(request, "marketplace/complaints_queue.html", {
        "open": base.filter(status=ComplaintStatus.OPEN).order_by("opened_at", "pk"),
        "closed": base.exclude(status=ComplaintStatus.OPEN).order_by("-closed_at", "-pk")[:30],
    })


def _managed_complaint(request, pk) -> Complaint:
    complaints = managed_by(Complaint.objects.select_related("shop_order__order", "shop_order__bumkam",
                                                             "shop_order__checkout"),
                            request.user, bumkam="shop_order__bumkam")
    return get_object_or_404(complaints, pk=pk)


def _manage_page(request, complaint, *, reply_form=None, decision_form=None, status=200):
    shop_order = with_refundable(ShopOrder.objects.filter(pk=complaint.shop_order_id)
                                 .select_related("order", "checkout", "bumkam")).get()
    thread = (Complaint.objects.filter(pk=complaint.pk).prefetch_related("messages__photos", "messages__author").get())
    return render(request, "marketplace/complaint_manage.html", {
        "complaint": thread, "shop_order": shop_order, "order": shop_order.order,
        "reply_form": reply_form or ComplaintReplyForm(), "decision_form": decision_form or ComplaintDecisionForm(),
        "refund_form": RefundForm(), "refundable": shop_order.refundable_amount,
        "refunds_here": shop_order.payment_provider != "bank_transfer" or request.user.is_superuser,
        "back": request.path,
    }, status=status)


@login_required
@never_cache
def complaint_manage(request, pk):
    """One complaint's thread for its shop and the regency admin: reply, refund, decide."""
    complaint = _managed_complaint(request, pk)
    if request.method != "POST":
        return _manage_page(request, complaint)
    form = ComplaintReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            complaint_reply(complaint=complaint, text=form.cleaned_data["text"], photos=form.cleaned_data["photos"],
                            acting_user=request.user)
        except UserError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Balasan terkirim; pembeli diberi tahu lewat e-mail."))
            return redirect("marketplace:complaint-manage", pk=pk)
    return _manage_page(request, complaint, reply_form=form, status=400)


@login_required
@require_POST
def complaint_decide_view(request, pk):
    complaint = _managed_complaint(request, pk)
    form = ComplaintDecisionForm(request.POST)
    if form.is_valid():
        try:
            complaint_decide(complaint=complaint, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"],
                             acting_user=request.user)
        except UserError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Komplain ditutup."))
            return redirect("marketplace:complaint-manage", pk=pk)
    return _manage_page(request, complaint, decision_form=form, status=400)


# A guest's way back to their order: a reference (or a shop order's number) and the e-mail or
# phone given at checkout. Guessing is what the limit counts, and a client past it gets the 429
# page before any lookup, so a right guess after many wrong ones tells nothing either.

@never_cache
def order_lookup(request):
    form = OrderLookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        key = f"order-lookup:ip:{client_ip(request) or 'unknown'}"
        limit, period = settings.THROTTLE_ORDER_LOOKUP_FAILURES_PER_IP
        if limit_reached(key, limit=limit):
            return _lookup_refused(request, period)
        if form.is_valid():
            placed = checkout_lookup(**form.cleaned_data["code"], **form.cleaned_data["contact"])
            if placed is not None:
                _remember_checkout(request, placed)
                number = form.cleaned_data["code"].get("number")
                return redirect(placed.get_absolute_url() + (f"#pesanan-{number}" if number else ""))
            form.add_error(None, _("Tidak ada pesanan dengan nomor dan e-mail atau nomor HP itu. Periksa keduanya "
                                   "seperti tertulis di e-mail pesanan Anda."))
        if not rate_limit(key, limit=limit, period=period):
            return _lookup_refused(request, period)
        status = 400
    recent = request.user.checkouts.all()[:10] if request.user.is_authenticated else []
    return render(request, "marketplace/order_lookup.html", {"form": form, "recent": recent}, status=status)


def _lookup_refused(request, period: int):
    return too_many(request, retry_after=datetime.timedelta(seconds=period), message=_(
        "Terlalu banyak pencarian pesanan yang tidak cocok dari jaringan Anda. Nomor pesanan dan tautannya "
        "ada di e-mail pesanan Anda."))
