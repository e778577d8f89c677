"""Reads of the catalogue: what is for sale, and the regency's category tree."""

from oscar.core.loading import get_model

from shops.constants import ShopStatus

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


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
