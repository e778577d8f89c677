"""The facet counts of an answer, in words a buyer reads and with the link that applies each."""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.html import rupiah
from shops.models import Kampung, Kecamatan

from .backends import PRICE_BANDS, ProductQuery

Category = get_model("catalogue", "Category")


@dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    href: str
    selected: bool
    depth: int = 1


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    values: list[FacetValue]
    note: str = ""


# Kampung links shown before a kecamatan is chosen: the ones with the most goods.
KAMPUNG_FACET_MAX = 12


def search_href(params: QueryDict, **changes) -> str:
    """This search with some parameters set or (None, "") removed, from its first page."""
    params = params.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = str(value)
    return "?" + params.urlencode()


def _toggle(params: QueryDict, selected: bool, **changes) -> str:
    """A value's link applies it; the selected value's link takes it off again."""
    return search_href(params, **({key: None for key in changes} if selected else changes))


@dataclass(frozen=True)
class Applied:
    label: str
    remove_href: str


def applied_filters(form, params: QueryDict) -> list[Applied]:
    """The filters in use, each with the link that removes only it ('Hapus saringan')."""
    return [Applied(label, without(params, name)) for name, label in form.applied()]


def without_filters(params: QueryDict) -> str:
    """The same words, tab and order with every filter removed ('Hapus semua saringan')."""
    from .forms import FILTERS

    return search_href(params, **{name: None for name in FILTERS})


def without(params: QueryDict, name: str) -> str:
    return search_href(params, **{name: None})


def _bands() -> list[tuple[str, int | None, int | None, str]]:
    edges = [None, *PRICE_BANDS, None]
    bands = []
    for number, (low, high) in enumerate(zip(edges, edges[1:])):
        if low is None:
            label = _("di bawah %(high)s") % {"high": rupiah(high)}
        elif high is None:
            label = _("%(low)s ke atas") % {"low": rupiah(low)}
        else:
            label = f"{rupiah(low)} – {rupiah(high - 1)}"
        bands.append((str(number), low, None if high is None else high - 1, label))
    return bands


def _place(param: str, title: str, counts: dict[str, int], names: dict[str, str], chosen: str,
           params: QueryDict) -> Facet:
    """A kecamatan or kampung facet: its places by name, each link choosing it or, if chosen, dropping it."""
    return Facet(param, title, sorted((
        FacetValue(names.get(key, key), count, _toggle(params, key == chosen, **{param: key}), key == chosen)
        for key, count in counts.items()), key=lambda value: value.label))


def facets_for(counts: dict[str, dict[str, int]], query: ProductQuery, params: QueryDict) -> list[Facet]:
    """The facets with at least one value, in the order a buyer narrows: where, what, how much, which."""
    found = []
    kecamatan = counts.get("kecamatan", {})
    if kecamatan:
        names = dict(Kecamatan.objects.filter(code__in=kecamatan).values_list("code", "name"))
        found.append(_place("kecamatan", _("Kecamatan"), kecamatan, names, query.kecamatan_code, params))
    kampung = counts.get("kampung", {})
    if kampung:
        note = ""
        if not query.kecamatan_code and len(kampung) > KAMPUNG_FACET_MAX:
            most = sorted(kampung, key=lambda slug: (-kampung[slug], slug))[:KAMPUNG_FACET_MAX]
            kampung = {slug: kampung[slug] for slug in {*most, query.kampung_slug} if slug in kampung}
            note = _("Kampung dengan produk terbanyak; pilih kecamatan untuk melihat semua kampungnya.")
        names = dict(Kampung.objects.filter(slug__in=kampung).values_list("slug", "name"))
        facet = _place("kampung", _("Kampung"), kampung, names, query.kampung_slug, params)
        found.append(Facet(facet.name, facet.title, facet.values, note))
    category = counts.get("category", {})
    if category:
        found.append(Facet("category", _("Kategori"), [
            FacetValue(item.name, category[str(item.pk)], _toggle(params, item.pk == query.category_id, kategori=item.pk),
                       item.pk == query.category_id, item.depth)
            for item in Category.objects.filter(pk__in=[int(pk) for pk in category]).order_by("path")]))
    price = counts.get("price", {})
    if price:
        found.append(Facet("price", _("Harga"), [
            FacetValue(label, price[number], _toggle(params, (query.min_price, query.max_price) == (low, high),
                                                     min_price=low, max_price=high),
                       (query.min_price, query.max_price) == (low, high))
            for number, low, high, label in _bands() if number in price]))
    flags = []
    for name, label in (("halal", _("Bersertifikat halal")), ("pirt", _("Punya P-IRT"))):
        count = counts.get(name, {}).get("true")
        if count:
            on = getattr(query, name)
            flags.append(FacetValue(label, count, search_href(params, **{name: "" if on else "on"}), on))
    sold_out = counts.get("stock", {}).get("false")
    if sold_out:
        flags.append(FacetValue(_("Termasuk stok habis"), sold_out,
                                search_href(params, habis="" if query.include_sold_out else "on"), query.include_sold_out))
    if flags:
        found.append(Facet("flags", _("Lainnya"), flags))
    return found
