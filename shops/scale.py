"""A province at scale for load tests (manage.py bench_data): the official villages of several
regencies and an approved BUMKam in each, written in bulk.

A real shop comes through services.bumkam_create (its checks, its audit row, then an
approval); a thousand of those are not what a benchmark measures, so the same two rows per
shop (Partner, Bumkam) are written in one batch, approved, with the courier rates every
demo shop has. Nothing here runs outside the benchmark's own database.
"""

from dataclasses import dataclass

from django.db import transaction
from oscar.core.loading import get_model

from .constants import ShopStatus
from .models import Bumkam, Kampung
from .services import _rows, regency_setup

Partner = get_model("partner", "Partner")

HOME_REGENCY = "14.08"  # Siak, the demo's own


@dataclass(frozen=True)
class Province:
    regencies: tuple[str, ...]
    kampung: int


def regencies_for(*, villages: int, home: str = HOME_REGENCY) -> tuple[str, ...]:
    """The home regency, then its province's other regencies in code order, until their
    villages number at least `villages` (Riau: Siak 131, Kampar 250, Indragiri Hulu 194...)."""
    province = home.split(".")[0]
    counts: dict[str, int] = {}
    for row in _rows("villages"):
        regency = row["code"][:5]
        if regency.startswith(province + "."):
            counts[regency] = counts.get(regency, 0) + 1
    chosen, total = [home], counts.get(home, 0)
    for code in sorted(counts):
        if total >= villages:
            break
        if code != home:
            chosen.append(code)
            total += counts[code]
    return tuple(chosen)


def province_setup(*, villages: int) -> Province:
    """Every village of enough regencies, through the same regency_setup an admin runs."""
    regencies = regencies_for(villages=villages)
    for code in regencies:
        regency_setup(code=code)
    return Province(regencies=regencies,
                    kampung=Kampung.objects.filter(kecamatan__regency__code__in=regencies).count())


@transaction.atomic
def shops_bulk_create(*, regencies: tuple[str, ...]) -> int:
    """An approved BUMKam for every kampung of these regencies that has none; the number made."""
    kampung = list(Kampung.objects.filter(kecamatan__regency__code__in=regencies, bumkam__isnull=True)
                   .select_related("kecamatan").order_by("code"))
    if not kampung:
        return 0
    taken = set(Bumkam.objects.values_list("slug", flat=True))
    names = [f"BUMKam {place.name}" for place in kampung]
    partners = Partner.objects.bulk_create([
        Partner(name=name, code=f"bumkam-{place.code.replace('.', '-')}") for place, name in zip(kampung, names)
    ])
    shops = []
    for place, name, partner in zip(kampung, names, partners):
        slug = place.slug if place.slug not in taken else f"{place.slug}-{place.code.replace('.', '')}"
        taken.add(slug)
        shops.append(Bumkam(
            kampung=place, partner=partner, name=name, slug=slug, status=ShopStatus.APPROVED,
            pickup_address=f"Kantor {place}, Kecamatan {place.kecamatan.name}", pickup_hours="Senin-Sabtu 08.00-16.00",
            whatsapp="6281200000000", allows_cash_on_delivery=True,
            courier_per_kg_kecamatan=5_000, courier_minimum_kecamatan=8_000,
            courier_per_kg_regency=8_000, courier_minimum_regency=10_000,
            courier_per_kg_province=12_000, courier_minimum_province=15_000,
            courier_per_kg_elsewhere=25_000, courier_minimum_elsewhere=30_000,
        ))
    Bumkam.objects.bulk_create(shops)
    return len(shops)
