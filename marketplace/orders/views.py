import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shops.services import official_place

from ..checkout.models import Checkout
from ..checkout.views import OPENED_CHECKOUTS, _remember_checkout
from ..constants import Actor, OrderStatus, PaymentMethod, ShippingMethod
from ..errors import UserError
from ..files import private_file_response
from ..forms import phone_number
from ..html import phone_display, whatsapp_url
from ..payments.forms import RefundForm
from ..payments.models import Provider
from ..payments.services import with_refundable
from ..payments.views import regency_admin_required
from ..throttle import client_ip, limit_reached, rate_limit, too_many
from .forms import COURIERS, ComplaintDecisionForm, ComplaintOpenForm, ComplaintReplyForm, OrderLookupForm, ShipForm
from .models import Complaint, ComplaintPhoto, ComplaintStatus, ShopOrder
from .moves import ENDED_UNSENT, next_statuses
from .selectors import (
    DEFAULT_TAB,
    SLIP_TABS,
    TAB_BY_SLUG,
    TABS,
    buyer_phone,
    checkout_lookup,
    complaints_prefetch,
    managed_by,
    manager_orders_list,
    manager_tab_counts,
    shipping_place,
    tab_of_status,
)
from .services import (
    can_manage,
    complaint_decide,
    complaint_open,
    complaint_refusal,
    complaint_reply,
    complaint_withdraw,
    return_window_ends,
    shop_order_advance,
    shop_order_receive,
)


PAGE_SIZE = 20
SLIPS_AT_ONCE = 100


def _shop_orders_of(request):
    return managed_by(ShopOrder.objects.all(), request.user)


def _card(request, so, form=None) -> dict:
    """What one order card shows and offers: the buyer's phone and whole address, the moves the
    table gives a manager (none for an order that is not paid, or COD), refund and cash forms."""
    address = so.order.shipping_address
    phone = buyer_phone(so)
    greeting = _("Halo %(name)s, kami dari %(shop)s tentang pesanan %(number)s.") % {
        "name": address.first_name if address else "", "shop": so.bumkam.name, "number": so.order.number}
    return {
        "shop_order": so, "next": next_statuses(so.order.status, Actor.MANAGER), "form": form or ShipForm(),
        "address": address, "place": shipping_place(address) if address else None,
        "phone": phone, "phone_display": phone_display(phone),
        "whatsapp": whatsapp_url(phone, greeting) if phone else "",
        "by_courier": so.order.shipping_code == ShippingMethod.COURIER,
        "refundable": so.refundable_amount,
        # the platform's bank account pays transfers back: only the regency admin refunds them
        "refunds_here": so.payment_provider != Provider.BANK_TRANSFER or request.user.is_superuser,
        "cash_due": (so.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY and not so.is_paid
                     and so.order.status not in ENDED_UNSENT),
    }


def _orders_page(request, *, tab, page_number=None, pinned: str = "", failed=None, status=200):
    """One tab of the shop's orders, a page at a time. `pinned` (an order just moved, or whose
    form was refused) is shown first whichever tab it is now in; `failed` is (shop order, bound
    form) for a move refused, so what was typed comes back with the reason beside it."""
    mine = _shop_orders_of(request)
    listed = with_refundable(manager_orders_list(mine, tab))
    pinned_rows = []
    if pinned:
        pinned_rows = list(with_refundable(manager_orders_list(mine)).filter(order__number=pinned))
        listed = listed.exclude(order__number=pinned)
    page = Paginator(listed, PAGE_SIZE).get_page(page_number)
    failed_pk, failed_form = failed if failed else (None, None)
    counts = manager_tab_counts(mine)
    return render(request, "marketplace/manager_orders.html", {
        "tabs": [{"tab": t, "count": counts[t.slug], "active": t == tab} for t in TABS], "tab": tab,
        "pinned": [_card(request, so, failed_form if so.pk == failed_pk else None) for so in pinned_rows],
        "rows": [_card(request, so) for so in page.object_list], "page_obj": page,
        "can_print_all": tab.slug in SLIP_TABS and counts[tab.slug] > 0,
        "SHIPPED": OrderStatus.SHIPPED, "couriers": COURIERS,
        "refund_form": RefundForm(), "reply_form": ComplaintReplyForm()}, status=status)


@login_required
@never_cache
def manager_orders(request):
    """A shop's orders under tabs (work to do first); the regency admin sees every shop's."""
    tab = TAB_BY_SLUG.get(request.GET.get("tab", ""), DEFAULT_TAB)
    return _orders_page(request, tab=tab, page_number=request.GET.get("page"),
                        pinned=request.GET.get("pesanan", "")[:40])


@login_required
@require_POST
def manager_order_advance(request, number):
    """A move from an order card. Done: the page of the tab the order is now in, with it on top.
    Refused: 400 and the same page again, the order on top with what was typed and why not."""
    shop_order = get_object_or_404(ShopOrder.objects.select_related("order", "bumkam"), order__number=number)
    if not can_manage(request.user, shop_order):
        raise PermissionDenied
    form = ShipForm(request.POST, shop_order=shop_order)
    if form.is_valid():
        try:
            shop_order_advance(shop_order=shop_order, status=form.cleaned_data["status"], acting_user=request.user,
                               tracking_number=form.cleaned_data["tracking_number"],
                               courier=form.cleaned_data["courier"])
        except UserError as error:
            form.add_error(None, str(error))
        else:
            new = form.cleaned_data["status"]
            tab = tab_of_status(new)
            messages.success(request, _("Pesanan %(number)s: %(status)s. Sekarang di tab %(tab)s.")
                             % {"number": number, "status": new, "tab": tab.label})
            return redirect(f"{reverse('marketplace:manager-orders')}?{urlencode({'tab': tab.slug, 'pesanan': number})}"
                            f"#pesanan-{number}")
    errors = [str(e) for e in form.non_field_errors()] or [str(e) for field in form.errors.values() for e in field]
    messages.error(request, _("Pesanan %(number)s belum diubah: %(why)s") % {"number": number, "why": " ".join(errors)})
    tab = TAB_BY_SLUG.get(request.POST.get("tab", ""), tab_of_status(shop_order.order.status))
    return _orders_page(request, tab=tab, page_number=request.POST.get("page"), pinned=number,
                        failed=(shop_order.pk, form), status=400)


def _slip(shop_order) -> dict:
    address = shop_order.order.shipping_address
    phone = buyer_phone(shop_order)
    return {"shop_order": shop_order, "order": shop_order.order, "bumkam": shop_order.bumkam,
            "shop_place": official_place(shop_order.bumkam.kampung.code),
            "shop_phone": phone_display(phone_number(shop_order.bumkam.whatsapp)),
            "address": address, "place": shipping_place(address) if address else None,
            "phone_display": phone_display(phone)}


@login_required
@never_cache
def manager_packing_slip(request, number):
    """One order's packing slip, plain HTML the browser prints: for its shop's managers and the
    regency admin only (another shop's manager gets 404, anyone else 403)."""
    shop_order = get_object_or_404(manager_orders_list(_shop_orders_of(request)), order__number=number)
    return render(request, "marketplace/packing_slip.html", {
        "slips": [_slip(shop_order)], "back": f"{reverse('marketplace:manager-orders')}?"
                                              f"{urlencode({'pesanan': number, 'tab': tab_of_status(shop_order.order.status).slug})}"})


@login_required
@never_cache
def manager_packing_slips(request):
    """Every slip of "Perlu dikirim" (or "Perlu diproses") at once, oldest first, one to a page."""
    tab = TAB_BY_SLUG[request.GET.get("tab") if request.GET.get("tab") in SLIP_TABS else SLIP_TABS[0]]
    shop_orders = manager_orders_list(_shop_orders_of(request), tab)[:SLIPS_AT_ONCE]
    return render(request, "marketplace/packing_slip.html", {
        "slips": [_slip(so) for so in shop_orders], "tab": tab,
        "back": f"{reverse('marketplace:manager-orders')}?{urlencode({'tab': tab.slug})}"})


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

@regency_admin_required
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
