"""Writes of the shops domain: regions from the official codes, shops, producers."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .constants import ShopStatus, VillageKind
from .models import Bumkam, Kampung, Kecamatan, Producer, Regency

AREA_DATA = Path(__file__).resolve().parent / "data" / "idn-area"


class UnknownRegency(ValueError):
    pass


@dataclass(frozen=True)
class RegencySetup:
    regency: Regency
    kecamatan_count: int
    kampung_count: int
    created: int


@cache
def _rows(name: str) -> tuple[dict, ...]:
    with open(AREA_DATA / f"{name}.csv", newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def area_name(name: str) -> str:
    """'KABUPATEN SIAK' → 'Kabupaten Siak'; village names in the data are already cased."""
    return name.title() if name.isupper() else name


@transaction.atomic
def regency_setup(*, code: str) -> RegencySetup:
    """Create or refresh a regency with all its kecamatan and kampung; safe to repeat."""
    code = code.strip()
    regency_row = next((r for r in _rows("regencies") if r["code"] == code), None)
    if regency_row is None:
        raise UnknownRegency(
            _("Kode kabupaten/kota %(code)s tidak ada dalam data wilayah Kemendagri.")
            % {"code": code}
        )
    province = next(r for r in _rows("provinces") if r["code"] == regency_row["province_code"])
    regency, _created = Regency.objects.update_or_create(
        code=code,
        defaults={"name": area_name(regency_row["name"]), "province_name": area_name(province["name"])},
    )

    created = 0
    districts = [r for r in _rows("districts") if r["regency_code"] == code]
    kecamatan_by_code = {}
    for row in districts:
        kecamatan, was_created = Kecamatan.objects.update_or_create(
            code=row["code"], defaults={"regency": regency, "name": area_name(row["name"])}
        )
        kecamatan_by_code[row["code"]] = kecamatan
        created += was_created

    villages = [r for r in _rows("villages") if r["district_code"] in kecamatan_by_code]
    existing = {k.code: k for k in Kampung.objects.filter(code__in=[v["code"] for v in villages])}
    taken_slugs = set(Kampung.objects.values_list("slug", flat=True))
    for row in villages:
        kampung = existing.get(row["code"])
        name = area_name(row["name"])
        kecamatan = kecamatan_by_code[row["district_code"]]
        kind = village_kind(row["code"])
        if kampung is None:
            slug = _free_slug(name, kecamatan.name, row["code"], taken_slugs)
            Kampung.objects.create(code=row["code"], name=name, kecamatan=kecamatan, kind=kind, slug=slug)
            created += 1
        elif (kampung.name, kampung.kecamatan_id, kampung.kind) != (name, kecamatan.pk, kind):
            kampung.name, kampung.kecamatan, kampung.kind = name, kecamatan, kind
            kampung.save(update_fields=["name", "kecamatan", "kind"])
    return RegencySetup(
        regency=regency,
        kecamatan_count=len(districts),
        kampung_count=len(villages),
        created=created,
    )


def village_kind(code: str) -> str:
    """Kemendagri village codes: 1xxx is a kelurahan, 2xxx a desa (a kampung in Siak)."""
    return VillageKind.KELURAHAN if code.rsplit(".", 1)[1].startswith("1") else VillageKind.KAMPUNG


def _free_slug(name: str, kecamatan_name: str, code: str, taken: set[str]) -> str:
    for candidate in (
        slugify(name),
        slugify(f"{name} {kecamatan_name}"),
        slugify(f"{name} {code.replace('.', '')}"),
    ):
        if candidate and candidate not in taken:
            taken.add(candidate)
            return candidate
    raise ValueError(code)  # the code is unique, so the last candidate always is


@transaction.atomic
def bumkam_create(*, kampung: Kampung, name: str, acting_user=None, **profile) -> Bumkam:
    """A new shop with its Oscar partner; it sells nothing until a regency admin approves it."""
    from oscar.core.loading import get_model

    Partner = get_model("partner", "Partner")
    partner = Partner.objects.create(name=name)
    return Bumkam.objects.create(
        kampung=kampung,
        partner=partner,
        name=name,
        slug=kampung.slug,
        status=ShopStatus.PENDING,
        **profile,
    )


@transaction.atomic
def bumkam_approve(*, bumkam: Bumkam, acting_user=None) -> Bumkam:
    bumkam.status = ShopStatus.APPROVED
    bumkam.save(update_fields=["status"])
    return bumkam


def bumkam_add_manager(*, bumkam: Bumkam, user) -> None:
    """The manager also becomes one of the Oscar partner's users (shops.signal_handlers)."""
    bumkam.managers.add(user)


def producer_create(*, bumkam: Bumkam, name: str, owner_name: str = "") -> Producer:
    producer, _created = Producer.objects.get_or_create(
        bumkam=bumkam, name=name, defaults={"owner_name": owner_name}
    )
    return producer


@cache
def _by_code(name: str) -> dict[str, dict]:
    return {row["code"]: row for row in _rows(name)}


def official_village(code: str) -> dict | None:
    """The official row of a village code, or None: {'code', 'district_code', 'name'}."""
    return _by_code("villages").get(code.strip())


@transaction.atomic
def kampung_create(*, code: str, slug: str = "", latitude=None, longitude=None) -> Kampung:
    """A single kampung from its official code; its kecamatan must already be set up."""
    row = official_village(code)
    if row is None:
        raise UnknownRegency(_("Kode kampung %(code)s tidak ada dalam data wilayah Kemendagri.") % {"code": code})
    kecamatan = Kecamatan.objects.filter(code=row["district_code"]).first()
    if kecamatan is None:
        raise UnknownRegency(
            _("Kecamatan %(code)s belum dibuat: jalankan setup_regency untuk kabupatennya dulu.")
            % {"code": row["district_code"]}
        )
    name = area_name(row["name"])
    taken = set(Kampung.objects.values_list("slug", flat=True))
    kind = village_kind(row["code"])
    return Kampung.objects.create(
        code=row["code"], name=name, kecamatan=kecamatan, kind=kind,
        slug=slug if slug and slug not in taken else _free_slug(name, kecamatan.name, row["code"], taken),
        latitude=latitude, longitude=longitude,
    )


def official_place(village_code: str) -> dict | None:
    """Names of a village and the areas above it, from its official code."""
    village = official_village(village_code)
    if village is None:
        return None
    district = _by_code("districts")[village["district_code"]]
    regency = _by_code("regencies")[district["regency_code"]]
    province = _by_code("provinces")[regency["province_code"]]
    return {
        "village": area_name(village["name"]), "district": area_name(district["name"]),
        "regency": area_name(regency["name"]), "province": area_name(province["name"]),
    }


def official_children(code: str = "") -> list[tuple[str, str]]:
    """The areas directly below a code ('' gives the provinces), as (code, name), for address pickers."""
    level = {0: ("provinces", None), 1: ("regencies", "province_code"), 2: ("districts", "regency_code"),
             3: ("villages", "district_code")}
    depth = 0 if not code else code.count(".") + 1
    if depth not in level:
        return []
    table, parent = level[depth]
    return sorted(((r["code"], area_name(r["name"])) for r in _rows(table) if parent is None or r[parent] == code),
                  key=lambda item: item[1])
