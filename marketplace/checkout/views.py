from django.conf import settings
from django.db.models import Prefetch
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from shops.services import official_children, official_place

from ..constants import CheckoutStatus, PaymentMethod
from ..errors import UserError
from ..files import private_file_response
from ..html import whatsapp_url
from ..orders.selectors import buyer_options, complaints_prefetch
from ..payments import stripe_gateway
from ..payments.services import transfer_received_so_far
from ..throttle import client_ip, rate_limit
from .forms import CheckoutForm, PaymentProofForm
from ..orders.models import ShopOrder
from .models import Checkout
from .services import (
    QuoteChanged,
    card_payment_start,
    checkout_accepts_proof,
    checkout_place,
    checkout_proof_attach,
    checkout_quote,
    shop_parts,
)


REVIEW = "checkout_review"  # in the session: what the buyer typed, for the review and the way back


def _basket_parts(request):
    """The basket's shop parts, or a redirect to the basket page saying why there are none."""
    basket = request.basket
    if basket.is_empty:
        messages.info(request, _("Keranjang Anda masih kosong."))
        return None, redirect("basket:summary")
    try:
        return shop_parts(basket), None
    except UserError as error:
        messages.error(request, str(error))
        return None, redirect("basket:summary")


def _saved(request) -> dict | None:
    state = request.session.get(REVIEW)
    return state if state and state.get("basket") == request.basket.pk else None


def _starting_area(parts) -> dict:
    """A new address starts in the first shop's regency, where most buyers live; any other can be chosen."""
    province, regency = parts[0].bumkam.kampung.code.split(".")[:2]
    return {"province": province, "regency": f"{province}.{regency}"}


def checkout(request):
    """The address, each shop's way of shipping and the way to pay; then the review.

    Works without JavaScript: the area lists come from the server, one level at a time
    ("Tampilkan pilihan wilayah" posts the form back with everything typed)."""
    parts, away = _basket_parts(request)
    if away:
        return away
    saved = _saved(request)
    status = 200
    if request.method == "POST" and request.POST.get("step") == "area":
        form = CheckoutForm(parts=parts, initial=request.POST.dict())
    elif request.method == "POST":
        form = CheckoutForm(request.POST, parts=parts)
        if form.is_valid():
            request.session[REVIEW] = {"basket": request.basket.pk, "data": form.typed(),
                                       "unique_code": (saved or {}).get("unique_code", 0)}
            return redirect("marketplace:checkout-review")
        status = 400
    elif saved:  # back from the review: everything as the buyer left it
        form = CheckoutForm(saved["data"], parts=parts)
    else:
        initial = {"email": request.user.email} if request.user.is_authenticated else {}
        form = CheckoutForm(parts=parts, initial={**initial, **_starting_area(parts)})
    return render(request, "marketplace/checkout.html", {"form": form, "parts": parts, "basket": request.basket},
                  status=status)


@never_cache
def checkout_review(request):
    """Each shop's goods and shipping, the unique transfer code and the amount to pay: the
    figures "Pesan sekarang" then places, or the buyer is shown them again."""
    parts, away = _basket_parts(request)
    if away:
        return away
    saved = _saved(request)
    if saved is None:
        messages.info(request, _("Isi alamat, cara kirim dan cara bayar dulu."))
        return redirect("marketplace:checkout")
    form = CheckoutForm(saved["data"], parts=parts)
    if not form.is_valid():
        messages.error(request, _("Ada yang perlu diperiksa lagi sebelum memesan."))
        return redirect("marketplace:checkout")
    data = form.cleaned_data
    try:
        quote = checkout_quote(basket=request.basket, village_code=data["village_code"], shipping=form.shipping(),
                               payment_method=data["payment_method"], unique_code=saved.get("unique_code", 0))
    except UserError as error:
        messages.error(request, str(error))
        return redirect("marketplace:checkout")
    if quote.unique_code != saved.get("unique_code", 0):
        request.session[REVIEW] = {**saved, "unique_code": quote.unique_code}
    error, status = "", 200
    if request.method == "POST":
        try:
            placed = checkout_place(
                basket=request.basket, email=data["email"], shipping=form.shipping(),
                payment_method=data["payment_method"], user=request.user, request=request, address=form.address(),
                unique_code=quote.unique_code, amount_due=_whole(request.POST.get("amount_due")),
            )
            if placed.payment_method == PaymentMethod.CARD:
                placed = card_payment_start(placed)
        except QuoteChanged as changed:
            messages.warning(request, str(changed))
            return redirect("marketplace:checkout-review")
        except UserError as problem:
            error, status = str(problem), 400
        else:
            request.session.pop(REVIEW, None)
            return redirect(placed)
    return render(request, "marketplace/checkout_review.html", {
        "form": form, "quote": quote, "place": official_place(data["village_code"]), "error": error,
        "payment_label": PaymentMethod(data["payment_method"]).label,
    }, status=status)


def _whole(text) -> int:
    """The amount the review showed, posted back; anything unreadable matches no amount."""
    try:
        return int(text)
    except (TypeError, ValueError):
        return -1


OPENED_CHECKOUTS = "opened_checkouts"


def _remember_checkout(request, placed) -> None:
    """This browser has shown the checkout's reference: it may open the checkout's private files."""
    opened = request.session.get(OPENED_CHECKOUTS, [])
    if placed.pk not in opened:
        request.session[OPENED_CHECKOUTS] = (opened + [placed.pk])[-20:]


def _proof_upload(request, placed):
    """The form with its errors and the HTTP status, or None when the proof is stored."""
    form = PaymentProofForm(request.POST, request.FILES)
    if not checkout_accepts_proof(placed):
        form.add_error(None, _("Transaksi ini sudah dibayar, kedaluwarsa atau ditutup: bukti transfer tidak "
                               "diterima lagi."))
        return form, 400
    # Every attempt from one client counts; for the checkout, only proofs that pass the check,
    # so that refused files do not use up the buyer's own uploads.
    too_many = _("Terlalu banyak unggahan bukti transfer. Coba lagi dalam satu jam.")
    per_hour = 60 * 60
    if not rate_limit(f"proof:ip:{client_ip(request) or 'unknown'}", limit=settings.PROOF_UPLOADS_PER_HOUR_PER_IP,
                      period=per_hour):
        form.add_error(None, too_many)
        return form, 429
    if not form.is_valid():
        return form, 400
    if not rate_limit(f"proof:checkout:{placed.pk}", limit=settings.PROOF_UPLOADS_PER_HOUR_PER_CHECKOUT,
                      period=per_hour):
        form.add_error(None, too_many)
        return form, 429
    try:
        checkout_proof_attach(checkout=placed, proof=form.cleaned_data["proof"])
    except UserError as error:
        form.add_error(None, str(error))
        return form, 400
    return None, 302


def checkout_detail(request, reference):
    """The buyer's page of one checkout: its reference in the address is the key (50 random bits)."""
    # each shop order with its order, shop and kampung in one query, whatever the number of shops
    shop_orders = Prefetch("shop_orders", queryset=ShopOrder.objects.select_related("order", "bumkam__kampung"))
    placed = get_object_or_404(Checkout.objects.prefetch_related(shop_orders, "shop_orders__order__lines",
                                                               "shop_orders__refunds", "shop_orders__events",
                                                               complaints_prefetch("shop_orders__")),
                               reference=reference)
    _remember_checkout(request, placed)
    form, status = PaymentProofForm(), 200
    if request.method == "POST" and placed.payment_method == PaymentMethod.BANK_TRANSFER:
        form, status = _proof_upload(request, placed)
        if form is None:
            messages.success(request, _("Bukti transfer diterima; admin kabupaten akan memeriksanya."))
            return redirect(placed)
    shops = []
    for shop_order in placed.shop_orders.all():
        # the shop's own order number only: the checkout's reference is the buyer's key to this page
        text = _("Halo %(shop)s, saya sudah memesan nomor %(number)s di Pasar Kampung.") % {
            "shop": shop_order.bumkam.name, "number": shop_order.order.number}
        whatsapp = whatsapp_url(shop_order.bumkam.whatsapp, text) if shop_order.bumkam.whatsapp else ""
        shops.append({"shop_order": shop_order, "order": shop_order.order, "whatsapp": whatsapp,
                      **buyer_options(shop_order)})
    received = transfer_received_so_far(placed) if placed.status == CheckoutStatus.AWAITING_PAYMENT else 0
    paying_by_card = (placed.payment_method == PaymentMethod.CARD and placed.status == CheckoutStatus.AWAITING_PAYMENT
                      and placed.payment_client_secret and stripe_gateway.card_enabled())
    return render(request, "marketplace/checkout_detail.html", {
        "checkout": placed, "shops": shops, "proof_form": form,
        "bank": settings.PLATFORM_BANK_ACCOUNT, "paying_by_card": paying_by_card,
        "received_so_far": received, "still_due": placed.amount_due - received,
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "returned_from_card": request.GET.get("redirect_status", "") if paying_by_card else "",
    }, status=status)


@never_cache
def checkout_proof(request, pk):
    """A buyer's transfer proof (their bank details): for the regency admin, a manager of
    one of the checkout's shops, the buyer's account, or the browser that opened the
    checkout page with its reference. A link alone opens nothing; everyone else gets 404."""
    placed = get_object_or_404(Checkout, pk=pk)
    user = request.user
    allowed = (
        pk in request.session.get(OPENED_CHECKOUTS, [])
        or (user.is_authenticated and (
            user.is_superuser
            or placed.user_id == user.pk
            or placed.shop_orders.filter(bumkam__managers=user).exists()))
    )
    if not allowed or not placed.payment_proof:
        raise Http404
    return private_file_response(placed.payment_proof, download_name=f"bukti-transfer-{placed.reference}")


def areas(request):
    """Children of an official area code, for the address picker."""
    code = request.GET.get("kode", "")
    return JsonResponse({"areas": [{"code": c, "name": n} for c, n in official_children(code)]})
