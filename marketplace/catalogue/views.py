from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shops.services import payout_account_change_request, payout_account_pending

from ..errors import UserError
from .forms import ProductImportForm, ProductListingForm, ShopProfileForm
from .importing import COLUMNS, ImportRejected, products_import
from .services import ProductData, product_create, sku_for


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
        try:
            product = product_create(
                bumkam=bumkam, acting_user=request.user,
                image=image or None,  # already checked and re-encoded by the form
                data=ProductData(
                    title=data["title"], description=data["description"], category=data["category"],
                    price=data["price"], stock=data["stock"], weight_grams=data["weight_grams"],
                    sku=sku_for(bumkam=bumkam, name=data["title"]),
                    producer=data["producer"], is_flagship=data["is_flagship"], pirt_number=data["pirt_number"],
                    halal_number=data["halal_number"], bpom_number=data["bpom_number"],
                ),
            )
        except UserError as error:  # a SKU the shop already uses: the form again, nothing saved
            form.add_error("title", str(error))
        else:
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
    return render(request, "marketplace/shop_profile.html", {"form": form, "bumkam": bumkam, "pending_account": pending},
                  status=400 if form.errors else 200)
