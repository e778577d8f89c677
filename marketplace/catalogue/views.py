from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from shops.services import payout_account_change_request, payout_account_pending

from ..errors import UserError
from ..exports import csv_response
from ..html import thousands
from .forms import ProductImportForm, ProductListingForm, PublishForm, QuickEditForm, ShopProfileForm, listing_initial
from .importing import COLUMNS, ImportRejected, products_import, template_rows
from .selectors import products_kept_by, shops_kept_by
from .services import (ProductData, StockBelowAllocated, product_create, product_publish, product_update, sku_for,
                       stockrecord_update)

Product = get_model("catalogue", "Product")
PER_PAGE = 20


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
            result = products_import(bumkam=bumkam, name=upload.name, content=upload.read(), acting_user=request.user)
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, _("Impor selesai: %(created)d produk baru, %(updated)d diperbarui, "
                                        "%(unchanged)d tidak berubah.") % {
                "created": len(result.created), "updated": len(result.updated), "unchanged": len(result.unchanged)})
            return redirect("marketplace:product-import")
    return render(request, "marketplace/product_import.html", {
        "form": form, "bumkam": bumkam, "errors": errors, "columns": COLUMNS,
    }, status=400 if errors or form.errors else 200)


@login_required
def product_import_template(request):
    _managed_bumkam(request)
    header, rows = template_rows()
    return csv_response("templat-produk.csv", header, rows)


def _shops(request):
    """The shops this person keeps goods for; a buyer has none."""
    shops = shops_kept_by(request.user)
    if not request.user.is_superuser and not shops.exists():
        raise PermissionDenied
    return shops


def _kept_product(request, pk):
    """One product of a shop this person keeps: another shop's answers 404, as if it did not exist."""
    product = get_object_or_404(Product.objects.filter(stockrecords__partner__bumkam__in=_shops(request)).distinct(),
                                pk=pk)
    product.record = product.stockrecords.select_related("partner__bumkam").get()
    return product


def _back_to_list(request, product):
    """The list as it was (search, page, shop), at the row just changed."""
    query = request.GET.urlencode()
    return redirect(f"{reverse('marketplace:product-list')}{'?' + query if query else ''}#produk-{product.pk}")


def _list_page(request, *, bound=None, status=200):
    """The product list; `bound` is a row's quick-edit form sent back with its errors."""
    shops = _shops(request)
    chosen = request.GET.get("toko", "")
    bumkam = shops.filter(pk=chosen).first() if chosen.isdigit() else None
    if bumkam is None and not request.user.is_superuser:
        bumkam = shops.first()  # a manager's own shop; the regency admin chooses one
    query = request.GET.get("q", "")[:100]
    page = None
    if bumkam is not None:
        page = Paginator(products_kept_by(bumkam=bumkam, query=query), PER_PAGE).get_page(request.GET.get("page"))
        for product in page:
            product.record = product.stockrecords.all()[0]
            product.stock_text = thousands(product.record.num_in_stock or 0)
            if bound is not None and bound.product_pk == product.pk:
                product.quick_form = bound
            else:
                product.quick_form = QuickEditForm.for_record(product.record)
    return render(request, "marketplace/product_list.html", {
        "bumkam": bumkam, "shops": shops if shops.count() > 1 or request.user.is_superuser else None,
        "query": query, "page": page, "here": request.GET.urlencode(),
    }, status=status)


@login_required
def product_list(request):
    return _list_page(request)


@login_required
@require_POST
def product_quick_edit(request, pk):
    product = _kept_product(request, pk)
    form = QuickEditForm(request.POST, product_pk=product.pk)
    if form.is_valid():
        try:
            changed = stockrecord_update(product=product, price=form.cleaned_data["price"],
                                         stock=form.cleaned_data["stock"], acting_user=request.user)
        except UserError as error:
            form.add_error("stock", str(error))
        else:
            if changed:
                messages.success(request, _("%(title)s: harga dan stok disimpan.") % {"title": product.title})
            else:
                messages.info(request, _("%(title)s: harga dan stok tidak berubah.") % {"title": product.title})
            return _back_to_list(request, product)
    messages.error(request, _("%(title)s belum disimpan: periksa isiannya.") % {"title": product.title})
    return _list_page(request, bound=form, status=400)


@login_required
@require_POST
def product_set_public(request, pk):
    product = _kept_product(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih tayangkan atau sembunyikan."))
        return _list_page(request, status=400)
    product_publish(product=product, is_public=form.cleaned_data["is_public"], acting_user=request.user)
    messages.success(request, (_("%(title)s tampil lagi di toko.") if product.is_public
                               else _("%(title)s disembunyikan dari toko.")) % {"title": product.title})
    return _back_to_list(request, product)


@login_required
def product_edit(request, pk):
    """The listing form again, filled in; a new photo replaces the old one, none keeps it."""
    product = _kept_product(request, pk)
    bumkam = product.record.partner.bumkam
    form = ProductListingForm(request.POST or None, request.FILES or None, bumkam=bumkam,
                              initial=listing_initial(product))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product_update(
                product=product, acting_user=request.user, image=data.get("image") or None,
                data=ProductData(
                    title=data["title"], description=data["description"], category=data["category"],
                    price=data["price"], stock=data["stock"], weight_grams=data["weight_grams"],
                    # the SKU is given once, from the first name, and kept: spreadsheets name the product by it
                    sku=product.record.partner_sku,
                    producer=data["producer"], is_flagship=data["is_flagship"], pirt_number=data["pirt_number"],
                    halal_number=data["halal_number"], bpom_number=data["bpom_number"],
                ),
            )
        except StockBelowAllocated as error:
            form.add_error("stock", str(error))
        except UserError as error:  # the new name is another product's of the shop
            form.add_error("title", str(error))
        else:
            messages.success(request, _("%(title)s disimpan.") % {"title": data["title"]})
            return redirect(f"{reverse('marketplace:product-list')}?toko={bumkam.pk}#produk-{product.pk}")
    return render(request, "marketplace/product_form.html", {"form": form, "bumkam": bumkam, "product": product},
                  status=400 if form.errors else 200)


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
