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
from .signals import goods_changed

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
    previous = list(Product.objects.filter(stockrecords__partner=bumkam.partner, is_flagship=True).exclude(
        pk=product.pk).values_list("pk", flat=True))
    Product.objects.filter(pk__in=previous).update(is_flagship=False)
    Product.objects.filter(pk=product.pk).update(is_flagship=True)
    product.is_flagship = True
    goods_changed.send(sender=Product, product_ids=[*previous, product.pk])


def seller_check(*, acting_user, bumkam: Bumkam) -> None:
    """A manager changes only their own shop's goods, the regency admin any shop's;
    acting_user None is the system (the demo, commands)."""
    if acting_user is None or acting_user.is_superuser:
        return
    if not bumkam.managers.filter(pk=acting_user.pk).exists():
        raise PermissionDenied


def _locked_record(product):
    """The product's stock record (one per product: its shop), locked against a checkout
    allocating from it at the same moment."""
    return StockRecord.objects.select_for_update(of=("self",)).select_related("partner__bumkam__kampung").get(
        product=product)


class StockBelowAllocated(UserError):
    """Stock set below what buyers have ordered and the shop has not sent yet."""


def _stock_check(record, stock: int) -> None:
    """Oscar's num_in_stock counts what is on the shelf, units ordered but not yet sent
    (num_allocated) included: stock below those would sell goods twice."""
    if stock < (record.num_allocated or 0):
        raise StockBelowAllocated(_("Stok tidak bisa kurang dari %(allocated)d: sebanyak itu sudah dipesan pembeli dan "
                          "belum dikirim.") % {"allocated": record.num_allocated})


@transaction.atomic
def stockrecord_update(*, product, price: int, stock: int, acting_user) -> bool:
    """The quick edit of the product list: price and stock of one product. True if anything changed."""
    record = _locked_record(product)
    seller_check(acting_user=acting_user, bumkam=record.partner.bumkam)
    _stock_check(record, stock)
    if record.price is not None and int(record.price) == price and record.num_in_stock == stock:
        return False
    record.price, record.num_in_stock = price, stock
    record.save(update_fields=["price", "num_in_stock", "date_updated"])
    return True


@transaction.atomic
def product_publish(*, product, is_public: bool, acting_user) -> None:
    """Show or hide a product on the storefront and in search; its orders and stock stay."""
    record = _locked_record(product)
    seller_check(acting_user=acting_user, bumkam=record.partner.bumkam)
    if product.is_public != is_public:
        product.is_public = is_public
        product.save(update_fields=["is_public", "date_updated"])


@transaction.atomic
def product_update(*, product, data: ProductData, image: ContentFile | None = None, acting_user=None) -> bool:
    """Change a listed product, from the edit page or a spreadsheet row with its SKU; a new
    picture replaces the old ones. True if anything changed (the import counts them)."""
    record = _locked_record(product)
    bumkam = record.partner.bumkam
    seller_check(acting_user=acting_user, bumkam=bumkam)
    producer_check(producer=data.producer, bumkam=bumkam)
    _stock_check(record, data.stock)
    # the new name may not be another product's of this shop (its SKU is that product's)
    for sku in {data.sku, sku_for(bumkam=bumkam, name=data.title)}:
        clash = sku_clash_message(partner=record.partner, sku=sku, record=record)
        if clash:
            raise UserError(clash)
    fields = {"title": data.title, "description": data.description, "producer_id": data.producer.pk if data.producer else None,
              "weight_grams": data.weight_grams, "pirt_number": data.pirt_number, "halal_number": data.halal_number,
              "bpom_number": data.bpom_number}
    changed_fields = [name for name, value in fields.items() if getattr(product, name) != value]
    for name in changed_fields:
        setattr(product, name, fields[name])
    if changed_fields:
        product.save(update_fields=[*changed_fields, "date_updated"])
    changed = bool(changed_fields)
    if list(product.categories.values_list("pk", flat=True)) != [data.category.pk]:
        ProductCategory.objects.filter(product=product).delete()
        ProductCategory.objects.create(product=product, category=data.category)
        changed = True
    if (int(record.price) if record.price is not None else None, record.num_in_stock, record.partner_sku) != (
            data.price, data.stock, data.sku):
        record.price, record.num_in_stock, record.partner_sku = data.price, data.stock, data.sku
        record.save(update_fields=["price", "num_in_stock", "partner_sku", "date_updated"])
        changed = True
    if image is not None:
        for old in product.images.all():
            old.delete()
        ProductImage.objects.create(product=product, original=image, caption=data.title, display_order=0)
        changed = True
    if data.is_flagship != product.is_flagship:
        if data.is_flagship:
            product_mark_flagship(bumkam=bumkam, product=product)
        else:
            Product.objects.filter(pk=product.pk).update(is_flagship=False)
            product.is_flagship = False
            goods_changed.send(sender=Product, product_ids=[product.pk])
        changed = True
    return changed
