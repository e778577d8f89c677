from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shops.services import payout_account_change_request, payout_account_pending

from .constants import CheckoutStatus, OrderStatus, PaymentMethod
from .forms import (
    CheckoutForm,
    ConfirmTransferForm,
    PaymentProofForm,
    ProductImportForm,
    ProductListingForm,
    RefundForm,
    ShipForm,
    ShopProfileForm,
)
from .files import private_file_response
from .html import rupiah, whatsapp_url
from .models import Checkout, ShopOrder, unguessable_code
from .selectors import managed_by
from .services import ProductData, product_create
from .payments import stripe_gateway
from .payments.stripe_events import flagged_resolve
from .services.checkout import AddressData, CheckoutError, card_payment_start, checkout_place, shop_parts
from .services.fulfilment import cash_received, payment_confirm_bank_transfer, shop_order_advance
from .throttle import client_ip, rate_limit
from .services.proofs import checkout_accepts_proof, checkout_proof_attach
from .services.refunds import refund_issue, with_refundable
from .services.importing import COLUMNS, ImportRejected, products_import


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise: what a load balancer asks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "tidak terjangkau"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# --- Buying: one checkout for a basket of several shops ------------------------------


def checkout(request):
    basket = request.basket
    if basket.is_empty:
        messages.info(request, _("Keranjang Anda masih kosong."))
        return redirect("basket:summary")
    try:
        parts = shop_parts(basket)
    except CheckoutError as error:
        messages.error(request, str(error))
        return redirect("basket:summary")
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = CheckoutForm(request.POST or None, parts=parts, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                placed = checkout_place(
                    basket=basket, email=data["email"], shipping=form.shipping(),
                    payment_method=data["payment_method"], user=request.user, request=request,
                    address=AddressData(name=data["name"], phone=data["phone"], line1=data["line1"],
                                        village_code=data["village_code"], postcode=data.get("postcode") or ""),
                )
                if placed.payment_method == PaymentMethod.CARD:
                    placed = card_payment_start(placed)
            except CheckoutError as error:
                form.add_error(None, str(error))
            else:
                return redirect(placed)
        status = 400
    return render(request, "marketplace/checkout.html", {"form": form, "parts": parts, "basket": basket}, status=status)


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
        form.add_error(None, _("Checkout ini sudah dibayar, kedaluwarsa atau ditutup: bukti transfer tidak "
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
    except CheckoutError as error:
        form.add_error(None, str(error))
        return form, 400
    return None, 302


def checkout_detail(request, reference):
    """The buyer's page of one checkout: its reference in the address is the key (50 random bits)."""
    placed = get_object_or_404(Checkout.objects.prefetch_related("shop_orders__order__lines", "shop_orders__bumkam",
                                                               "shop_orders__refunds"),
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
        text = _("Halo %(shop)s, saya sudah memesan nomor %(number)s (checkout %(ref)s) di Pasar Kampung.") % {
            "shop": shop_order.bumkam.name, "number": shop_order.order.number, "ref": placed.reference}
        whatsapp = whatsapp_url(shop_order.bumkam.whatsapp, text) if shop_order.bumkam.whatsapp else ""
        shops.append({"shop_order": shop_order, "order": shop_order.order, "whatsapp": whatsapp})
    paying_by_card = (placed.payment_method == PaymentMethod.CARD and placed.status == CheckoutStatus.AWAITING_PAYMENT
                      and placed.payment_client_secret and stripe_gateway.card_enabled())
    return render(request, "marketplace/checkout_detail.html", {
        "checkout": placed, "shops": shops, "proof_form": form,
        "bank": settings.PLATFORM_BANK_ACCOUNT, "paying_by_card": paying_by_card,
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


@login_required
def manager_orders(request):
    shop_orders = managed_by(ShopOrder.objects.select_related("order", "bumkam", "checkout")
                             .prefetch_related("refunds").order_by("-order__date_placed"), request.user)
    rows = [{"shop_order": so, "next": OrderStatus.PIPELINE.get(so.order.status, ()), "form": ShipForm(),
             "refundable": so.refundable_amount,
             # the platform's bank account pays transfers back: only the regency admin refunds them
             "refunds_here": so.payment_provider != "bank_transfer" or request.user.is_superuser,
             "cash_due": (so.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY and not so.is_paid
                          and so.order.status not in OrderStatus.RELEASES_STOCK)}
            for so in with_refundable(shop_orders)[:200]]
    return render(request, "marketplace/manager_orders.html", {
        "rows": rows, "SHIPPED": OrderStatus.SHIPPED, "refund_form": RefundForm()})


@login_required
@require_POST
def manager_order_cash(request, number):
    """The shop says it has the buyer's cash for a COD order."""
    shop_order = get_object_or_404(ShopOrder, order__number=number)
    try:
        cash_received(shop_order=shop_order, acting_user=request.user)
    except CheckoutError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Uang tunai pesanan %(number)s dicatat.") % {"number": number})
    return redirect("marketplace:manager-orders")


@login_required
@require_POST
def manager_order_refund(request, number):
    shop_order = get_object_or_404(ShopOrder.objects.select_related("order", "checkout"), order__number=number)
    form = RefundForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("marketplace:manager-orders")
    data = form.cleaned_data
    try:
        refund = refund_issue(shop_order=shop_order, amount=data["amount"], reason=data["reason"],
                              acting_user=request.user, reference=data["reference"])
    except CheckoutError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pengembalian %(amount)s untuk %(number)s: %(status)s.") % {
            "amount": rupiah(refund.amount), "number": number, "status": refund.get_status_display()})
    return redirect("marketplace:manager-orders")


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
    except CheckoutError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pesanan %(number)s: %(status)s.") % {"number": number, "status": form.cleaned_data["status"]})
    return redirect("marketplace:manager-orders")


@user_passes_test(lambda user: user.is_superuser)
def transfers(request):
    if request.method == "POST":
        placed = get_object_or_404(Checkout, reference=request.POST.get("reference", ""))
        form = ConfirmTransferForm(request.POST)
        if form.is_valid():
            try:
                payment_confirm_bank_transfer(checkout=placed, amount_received=form.cleaned_data["amount_received"],
                                              acting_user=request.user)
            except CheckoutError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Pembayaran %(ref)s dicatat.") % {"ref": placed.reference})
        else:
            messages.error(request, _("Isi jumlah yang diterima dalam rupiah."))
        return redirect("marketplace:transfers")
    awaiting = Checkout.objects.filter(status=CheckoutStatus.AWAITING_PAYMENT,
                                       payment_method=PaymentMethod.BANK_TRANSFER).order_by("expires_at")
    flagged = Checkout.objects.filter(status=CheckoutStatus.PAID_FLAGGED).order_by("paid_at", "pk")
    return render(request, "marketplace/transfers.html", {
        "checkouts": awaiting, "flagged": flagged, "form": ConfirmTransferForm()})


@user_passes_test(lambda user: user.is_superuser)
@require_POST
def flagged_checkout_resolve(request, reference):
    placed = flagged_resolve(checkout=get_object_or_404(Checkout, reference=reference), acting_user=request.user)
    messages.success(request, _("Checkout %(ref)s diteruskan ke toko.") % {"ref": placed.reference})
    return redirect("marketplace:transfers")


def areas(request):
    """Children of an official area code, for the address picker."""
    from shops.services import official_children

    code = request.GET.get("kode", "")
    return JsonResponse({"areas": [{"code": c, "name": n} for c, n in official_children(code)]})


# --- Listing goods: one product, or many from a spreadsheet ---------------------------


def _managed_bumkam(request):
    bumkam = request.user.managed_bumkam.select_related("kampung").first()
    if bumkam is None:
        raise PermissionDenied
    return bumkam


@login_required
def product_new(request):
    bumkam = _managed_bumkam(request)
    form = ProductListingForm(request.POST or None, request.FILES or None, bumkam=bumkam)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        image = data.get("image")
        product = product_create(
            bumkam=bumkam, acting_user=request.user,
            image=image or None,  # already checked and re-encoded by the form
            data=ProductData(
                title=data["title"], description=data["description"], category=data["category"],
                price=data["price"], stock=data["stock"], weight_grams=data["weight_grams"],
                sku=f"{bumkam.kampung.code}-{slugify(data['title'])[:40]}-{unguessable_code(4)}",
                producer=data["producer"], is_flagship=data["is_flagship"], pirt_number=data["pirt_number"],
                halal_number=data["halal_number"], bpom_number=data["bpom_number"],
            ),
        )
        messages.success(request, _("%(title)s sudah dijual.") % {"title": product.title})
        return redirect(product.get_absolute_url())
    return render(request, "marketplace/product_form.html", {"form": form, "bumkam": bumkam},
                  status=400 if form.errors else 200)


@login_required
def product_import(request):
    bumkam = _managed_bumkam(request)
    form = ProductImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["spreadsheet"]
        try:
            created = products_import(bumkam=bumkam, name=upload.name, content=upload.read(), acting_user=request.user)
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, _("%(count)d produk diimpor.") % {"count": len(created)})
            return redirect("marketplace:product-import")
    return render(request, "marketplace/product_import.html", {
        "form": form, "bumkam": bumkam, "errors": errors, "columns": COLUMNS,
    }, status=400 if errors or form.errors else 200)


@login_required
def shop_profile(request):
    """The profile saves at once; a new payout account waits for the regency admin."""
    bumkam = _managed_bumkam(request)
    pending = payout_account_pending(bumkam)
    form = ShopProfileForm(request.POST or None, request.FILES or None, instance=bumkam, pending=pending)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # only the profile's own columns: an account approved meanwhile is not written back
            form.save(commit=False).save(update_fields=ShopProfileForm.Meta.fields)
            account = form.payout_account()
            if account is not None:
                pending = payout_account_change_request(bumkam=bumkam, acting_user=request.user, **account)
        messages.success(request, _("Profil toko disimpan."))
        if pending is not None:
            messages.info(request, _("Perubahan rekening menunggu persetujuan kabupaten; sampai disetujui, "
                                     "pembayaran tetap ke rekening lama."))
        return redirect("marketplace:shop-profile")
    return render(request, "marketplace/product_form.html", {"form": form, "bumkam": bumkam, "profile": True,
                                                             "pending_account": pending},
                  status=400 if form.errors else 200)
