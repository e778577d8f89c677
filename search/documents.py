"""What the index holds of a product, built once for both engines.

A product is in the index while it is for sale (selectors.products_for_sale: public, of an
approved shop, with a price); its document says where it is sold (the seller's shop, as
everywhere: catalogue.selectors.SELLER), what it is, and whether any is left.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, Sum
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from marketplace.catalogue.selectors import products_for_sale, shop_stockrecords
from marketplace.orders.moves import ENDED_UNSENT

from .text import canonical_text, fold

Category = get_model("catalogue", "Category")
Line = get_model("order", "Line")
Product = get_model("catalogue", "Product")
BATCH = 500


@dataclass(frozen=True, kw_only=True)
class ProductDoc:
    id: int
    title: str
    description: str
    categories: list[str]
    category_ids: list[int]
    producer: str
    shop: str
    shop_id: int
    kampung: str
    kampung_slug: str
    kecamatan: str
    kecamatan_code: str
    regency: str
    price: int
    in_stock: bool
    halal: bool
    pirt: bool
    is_flagship: bool
    sold: int
    date_created: datetime

    @property
    def place_and_kind(self) -> str:
        """What a buyer may type besides the name: the village, kecamatan and regency, the
        shop and producer, the categories and the permits."""
        permits = [word for word, held in (("halal", self.halal), ("pirt p-irt", self.pirt)) if held]
        return " ".join([self.shop, self.producer, self.kampung, self.kecamatan, self.regency,
                         *self.categories, *permits])


def product_documents(product_ids: Iterable[int]) -> tuple[list[ProductDoc], set[int]]:
    """The documents of those products still for sale, and the ids of the rest (to remove)."""
    wanted = set(product_ids)
    products = _for_sale().filter(pk__in=wanted)
    docs = _documents(products)
    return docs, wanted - {doc.id for doc in docs}


def all_product_documents() -> Iterator[list[ProductDoc]]:
    """Every product for sale, in batches: a rebuild never holds the catalogue in memory."""
    ids = list(_for_sale().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        yield _documents(_for_sale().filter(pk__in=ids[start:start + BATCH]))


def _for_sale():
    return (
        products_for_sale()
        .filter(stockrecords__price__isnull=False)
        .select_related("producer")
        .prefetch_related(None)
        .prefetch_related(
            "categories",
            Prefetch("stockrecords", queryset=shop_stockrecords().select_related(
                "partner__bumkam__kampung__kecamatan__regency")),
        )
    )


def _documents(products) -> list[ProductDoc]:
    products = list(products)
    categories = {category.path: category for category in Category.objects.only("pk", "path", "name", "depth")}
    sold = dict(
        Line.objects.filter(product__in=products)
        .exclude(order__status__in=ENDED_UNSENT)  # cancelled or expired before it left the shop: not sold
        .values_list("product").annotate(total=Sum("quantity"))
    )
    docs = []
    for product in products:
        record = next((r for r in product.stockrecords.all() if getattr(r.partner, "bumkam", None)), None)
        if record is None or record.price is None:
            continue
        shop = record.partner.bumkam
        own = list(product.categories.all())
        lineage = {path[:end] for category in own for path in [category.path]
                   for end in range(Category.steplen, len(path) + 1, Category.steplen)}
        ancestors = sorted((categories[path] for path in lineage if path in categories), key=lambda c: c.path)
        docs.append(ProductDoc(
            id=product.pk,
            title=product.title,
            description=strip_tags(product.description or ""),
            categories=[category.name for category in ancestors],
            category_ids=[category.pk for category in ancestors],
            producer=product.producer.name if product.producer else "",
            shop=shop.name,
            shop_id=shop.pk,
            kampung=shop.kampung.name,
            kampung_slug=shop.kampung.slug,
            kecamatan=shop.kampung.kecamatan.name,
            kecamatan_code=shop.kampung.kecamatan.code,
            regency=shop.kampung.kecamatan.regency.name,
            price=int(record.price),
            in_stock=record.num_in_stock - (record.num_allocated or 0) > 0,
            halal=bool(product.halal_number),
            pirt=bool(product.pirt_number),
            is_flagship=product.is_flagship,
            sold=sold.get(product.pk) or 0,
            date_created=product.date_created,
        ))
    return docs


def document_row(doc: ProductDoc) -> dict:
    """The PostgreSQL row of a document (models.ProductDocument), its text canonical."""
    return {
        "title": doc.title[:255],
        "title_folded": fold(doc.title)[:255],
        "text_a": canonical_text(doc.title),
        "text_b": canonical_text(doc.place_and_kind),
        "text_c": canonical_text(doc.description),
        **{name: getattr(doc, name) for name in (
            "shop_id", "kampung_slug", "kecamatan_code", "category_ids", "price", "in_stock",
            "halal", "pirt", "is_flagship", "sold", "date_created")},
    }


def products_changed_by(*, shop_ids=(), producer_ids=(), category_ids=()) -> list[int]:
    """Products whose document a change elsewhere alters: a shop frozen or renamed, a
    producer renamed, a category renamed or moved."""
    condition = Q()
    if shop_ids:
        condition |= Q(stockrecords__partner__bumkam__in=shop_ids)
    if producer_ids:
        condition |= Q(producer__in=producer_ids)
    if category_ids:
        condition |= Q(categories__in=category_ids)
    if not condition:
        return []
    return list(Product.objects.filter(condition).values_list("pk", flat=True).distinct())
