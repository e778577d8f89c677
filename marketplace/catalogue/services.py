"""Writes of the commerce domain: the catalogue of each BUMKam."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shops.models import Bumkam, Producer

from ..errors import UserError
from ..oscar.catalogue.models import category_name_error

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

VILLAGE_PRODUCT_CLASS = "Produk kampung"


@dataclass(frozen=True, kw_only=True)
class ProductData:
    """What a manager fills in to list one product."""

    title: str
    description: str
    category: Category  # one of the regency's tree; managers do not create categories
    price: int  # rupiah
    stock: int
    weight_grams: int
    sku: str  # sku_for(bumkam=..., name=title)
    producer: Producer | None = None
    is_flagship: bool = False
    pirt_number: str = ""
    halal_number: str = ""
    bpom_number: str = ""


@transaction.atomic
def category_ensure(*, breadcrumb: str, acting_user) -> Category:
    """The regency admin adds a path of the category tree ("Minuman > Kopi"), reusing what exists.

    Only staff curate the tree: a manager files goods under it. A name whose slug would be
    empty (only symbols) is refused, since such a category has no URL.
    """
    if not (acting_user and (acting_user.is_staff or acting_user.is_superuser)):
        raise PermissionDenied("Hanya admin kabupaten yang menyusun kategori.")
    names = [part.strip() for part in breadcrumb.split(">")]
    parent = None
    for name in names:
        error = category_name_error(name)
        if error:
            raise ValidationError(error)
        siblings = parent.get_children() if parent else Category.get_root_nodes()
        found = siblings.filter(name__iexact=name).first()
        parent = found or (parent.add_child(name=name) if parent else Category.add_root(name=name))
    return parent


def village_product_class():
    product_class, _created = ProductClass.objects.get_or_create(
        name=VILLAGE_PRODUCT_CLASS, defaults={"requires_shipping": True, "track_stock": True}
    )
    return product_class


def sku_for(*, bumkam: Bumkam, name: str) -> str:
    """THE SKU rule: the kampung's Kemendagri code and the product's name as a slug
    ("14.08.08.2001-dodol-ketan-300-g"). The same name in one shop is the same SKU, so listing
    a product twice (or importing a file twice) is refused instead of duplicating it. The
    listing form and the import pass the title; the demo passes its short product key."""
    slug = slugify(name)[:100].strip("-") or hashlib.sha256(name.strip().casefold().encode()).hexdigest()[:12]
    return f"{bumkam.kampung.code}-{slug}"


def sku_clash_message(*, partner, sku: str, record=None) -> str | None:
    """Why this SKU cannot be used by this shop (its Oscar partner), or None: SKUs are unique
    per shop (Oscar's StockRecord is unique on partner and partner_sku). `record` is the stock
    record being edited, which may keep its own SKU."""
    taken = StockRecord.objects.filter(partner=partner, partner_sku=sku).select_related("product")
    if record is not None and record.pk:
        taken = taken.exclude(pk=record.pk)
    taken = taken.first()
    if taken is None:
        return None
    return _("Toko ini sudah menjual \u201c%(title)s\u201d dengan kode SKU %(sku)s; beri nama atau kode lain, "
             "atau ubah stok dan harga produk itu.") % {"title": taken.product.get_title(), "sku": sku}


def producer_check(*, producer: Producer | None, bumkam: Bumkam | None) -> None:
    """A producer, when given, is an UMKM of the shop that sells the product: a manager
    lists the goods of their own village, not another village's UMKM."""
    if producer is not None and (bumkam is None or producer.bumkam_id != bumkam.pk):
        raise UserError(_("%(producer)s bukan UMKM binaan %(shop)s; pilih produsen dari toko yang menjual "
                          "produk ini.") % {"producer": producer.name, "shop": bumkam.name if bumkam else _("toko ini")})


@transaction.atomic
def product_create(
    *, bumkam: Bumkam, data: ProductData, image: ContentFile | None = None, acting_user=None
):
    """List a product in a shop: the product, its category, its stock record and picture.
    The shop is the stock record's partner; the producer, if any, must be one of its UMKM."""
    producer_check(producer=data.producer, bumkam=bumkam)
    clash = sku_clash_message(partner=bumkam.partner, sku=data.sku)
    if clash:
        raise UserError(clash)
    product = Product.objects.create(
        product_class=village_product_class(),
        title=data.title,
        description=data.description,
        producer=data.producer,
        weight_grams=data.weight_grams,
        pirt_number=data.pirt_number,
        halal_number=data.halal_number,
        bpom_number=data.bpom_number,
    )
    ProductCategory.objects.create(product=product, category=data.category)
    try:
        with transaction.atomic():
            StockRecord.objects.create(
                product=product,
                partner=bumkam.partner,
                partner_sku=data.sku,
                price=data.price,
                price_currency="IDR",
                num_in_stock=data.stock,
            )
    except IntegrityError:  # the same SKU listed at the same moment by another request
        raise UserError(sku_clash_message(partner=bumkam.partner, sku=data.sku) or _("Kode SKU ini sudah dipakai.")) from None
    if image is not None:
        ProductImage.objects.create(product=product, original=image, caption=data.title, display_order=0)
    if data.is_flagship:
        product_mark_flagship(bumkam=bumkam, product=product)
    return product


@transaction.atomic
def product_mark_flagship(*, bumkam: Bumkam, product) -> None:
    """One village, one product: marking a flagship unmarks the shop's previous one."""
    Product.objects.filter(stockrecords__partner=bumkam.partner, is_flagship=True).exclude(
        pk=product.pk
    ).update(is_flagship=False)
    Product.objects.filter(pk=product.pk).update(is_flagship=True)
    product.is_flagship = True
