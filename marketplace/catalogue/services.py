"""Writes of the commerce domain: the catalogue of each BUMKam."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model

from shops.models import Bumkam, Producer

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
    sku: str
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


@transaction.atomic
def product_create(
    *, bumkam: Bumkam, data: ProductData, image: ContentFile | None = None, acting_user=None
):
    """List a product in a shop: the product, its category, its stock record and picture."""
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
    StockRecord.objects.create(
        product=product,
        partner=bumkam.partner,
        partner_sku=data.sku,
        price=data.price,
        price_currency="IDR",
        num_in_stock=data.stock,
    )
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
