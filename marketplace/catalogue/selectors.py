"""Reads of the catalogue: what is for sale, and the regency's category tree."""

from django.db.models import Prefetch, Q
from oscar.core.loading import get_model

from shops.constants import ShopStatus

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

# THE answer to "which shop sells this": the BUMKam of the product's stock record's partner
# (the same one the basket, checkout and orders use), never the producer's BUMKam. Filters on
# a shop, its kampung or its kecamatan go through this path; the producer only says who made it.
SELLER = "stockrecords__partner__bumkam"


def shop_stockrecords():
    """Stock records with their shop, kampung and kecamatan: prefetched, each product in a
    list answers `product.shop` without a query of its own."""
    return StockRecord.objects.select_related("partner__bumkam__kampung__kecamatan").order_by("pk")


def products_for_sale(*, shop=None, kampung=None, kampung_slug: str = "", kecamatan_code: str = ""):
    """Public products of approved shops (a pending or suspended shop sells nothing), of one
    shop, kampung or kecamatan if asked; the conditions share one join, so they hold for the
    same stock record."""
    seller = {f"{SELLER}__status": ShopStatus.APPROVED}
    if shop is not None:
        seller[SELLER] = shop
    if kampung is not None:
        seller[f"{SELLER}__kampung"] = kampung
    if kampung_slug:
        seller[f"{SELLER}__kampung__slug"] = kampung_slug
    if kecamatan_code:
        seller[f"{SELLER}__kampung__kecamatan__code"] = kecamatan_code
    return (
        Product.objects.browsable()
        .filter(**seller)
        .select_related("producer", "product_class")  # each card asks its class (Oscar's shipping rule)
        .prefetch_related("images", Prefetch("stockrecords", queryset=shop_stockrecords()))
        .distinct()
    )


def products_in_order(ids) -> list:
    """Products by id for a page of cards (a search's hits), in the order given."""
    found = Product.objects.filter(pk__in=ids).select_related("producer", "product_class").prefetch_related(
        "images", Prefetch("stockrecords", queryset=shop_stockrecords()))
    by_id = {product.pk: product for product in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def products_of_shop(bumkam):
    """What a BUMKam sells: its storefront."""
    return products_for_sale(shop=bumkam)


def products_in_kampung(kampung):
    """What the shop of a kampung sells, whoever made it: the village home and storefront."""
    return products_for_sale(kampung=kampung)


def shops_kept_by(user):
    """The shops whose goods a person keeps: their own, or every shop for the regency admin."""
    from shops.models import Bumkam

    shops = Bumkam.objects.select_related("kampung", "partner").order_by("name")
    return shops if user.is_superuser else shops.filter(managers=user)


def products_kept_by(*, bumkam, query: str = ""):
    """A shop's own goods for its product list, published or not, found by name or SKU."""
    products = Product.objects.filter(stockrecords__partner=bumkam.partner)
    query = query.strip()
    if query:
        products = products.filter(Q(title__icontains=query) | Q(stockrecords__partner_sku__icontains=query))
    return products.prefetch_related("images", "stockrecords").order_by("title", "pk").distinct()


def flagship_products(limit: int = 8):
    return products_for_sale().filter(is_flagship=True).order_by("-date_created")[:limit]


def categories_of_regency():
    """The regency's category tree in tree order: what a manager may file a product under."""
    return Category.objects.order_by("path")


def category_paths() -> list[tuple[str, object]]:
    """Each category with its full name ("Minuman > Kopi"), in tree order, in one query."""
    names_by_depth, paths = {}, []
    for category in categories_of_regency():
        names_by_depth[category.depth] = category.name
        paths.append((" > ".join(names_by_depth[d] for d in range(1, category.depth + 1)), category))
    return paths


def _normalised(text: str) -> str:
    return " > ".join(part.strip().casefold() for part in text.split(">"))


class CategoryIndex:
    """Finds the category a spreadsheet names, by its full path or, if unique, its own name."""

    def __init__(self):
        self.by_path, self.by_name = {}, {}
        for path, category in category_paths():
            self.by_path.setdefault(_normalised(path), category)
            key = category.name.strip().casefold()
            self.by_name[key] = None if key in self.by_name else category  # None: the name is ambiguous

    def find(self, text: str):
        wanted = _normalised(text or "")
        return self.by_path.get(wanted) or self.by_name.get(wanted)
