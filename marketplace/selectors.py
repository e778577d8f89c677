"""Reads of the commerce domain."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from oscar.core.loading import get_model

from shops.constants import ShopStatus

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


def managed_by(queryset, user, *, bumkam: str = "bumkam"):
    """All of it for the regency admin, a manager's own shop's part, and nothing for anyone else."""
    if user.is_superuser:
        return queryset
    if not user.managed_bumkam.exists():
        raise PermissionDenied
    return queryset.filter(**{f"{bumkam}__managers": user})


def products_for_sale():
    """Public products of approved shops: a pending or suspended shop sells nothing."""
    return (
        Product.objects.browsable()
        .filter(stockrecords__partner__bumkam__status=ShopStatus.APPROVED)
        .select_related("producer__bumkam__kampung__kecamatan")
        .prefetch_related("images", "stockrecords__partner__bumkam")
        .distinct()
    )


def flagship_products(limit: int = 8):
    return products_for_sale().filter(is_flagship=True).order_by("-date_created")[:limit]


@dataclass
class ShopPart:
    """The lines of a basket that one shop fulfils: shown grouped on the basket page, and
    at checkout handed to Oscar's OrderCreator, to which it looks like a basket."""

    basket: object
    lines: list

    is_empty = property(lambda self: not self.lines)
    offer_applications: tuple = ()

    @property
    def partner(self):
        return self.lines[0].stockrecord.partner

    @property
    def bumkam(self):
        return getattr(self.partner, "bumkam", None)

    def all_lines(self):
        return self.lines

    @property
    def subtotal(self) -> int:
        return int(sum(line.line_price_incl_tax or 0 for line in self.lines))

    @property
    def weight_grams(self) -> int:
        return sum((line.product.weight_grams or 0) * line.quantity for line in self.lines)

    def __getattr__(self, name):
        return getattr(self.basket, name)


def basket_by_shop(basket) -> list[ShopPart]:
    """The basket's lines grouped by shop (its Oscar partner), ordered by shop name."""
    parts = {}
    for line in basket.all_lines():
        parts.setdefault(line.stockrecord.partner_id, ShopPart(basket=basket, lines=[])).lines.append(line)
    return sorted(parts.values(), key=lambda part: part.partner.name)


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
