"""Writes of the shops domain: regions from the official codes, shops, producers."""

import csv
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .constants import AuditAction, ChangeStatus, ShopStatus, VillageKind
from .models import (
    PAYOUT_ACCOUNT_FIELDS,
    AuditEntry,
    Bumkam,
    Kampung,
    Kecamatan,
    PayoutAccountChange,
    Producer,
    Regency,
)

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


class ShopChangeRefused(ValueError):
    """An anticipated refusal, with a message for the user."""


@transaction.atomic
def bumkam_create(*, kampung: Kampung, name: str, acting_user=None, via: str = "admin", applicant: dict | None = None,
                  **profile) -> Bumkam:
    """The one door for a new shop, with its Oscar partner: the regency admin's form, a
    BUMKam's own application (acting_user None, via "pendaftaran") and the demo seed.
    It sells nothing until a regency admin approves it."""
    from oscar.core.loading import get_model

    if acting_user is not None:
        _require_regency_admin(acting_user)
    kampung = Kampung.objects.select_for_update().get(pk=kampung.pk)  # two applications for one kampung
    if Bumkam.objects.filter(kampung=kampung).exists():
        raise ShopChangeRefused(_("%(kampung)s sudah punya BUMKam.") % {"kampung": kampung})
    Partner = get_model("partner", "Partner")
    partner = Partner.objects.create(name=name)
    bumkam = Bumkam.objects.create(
        kampung=kampung,
        partner=partner,
        name=name,
        slug=kampung.slug,
        status=ShopStatus.PENDING,
        **profile,
    )
    audit_record(acting_user=acting_user, action=AuditAction.SHOP_CREATE, target=bumkam, new={
        "via": via, "kampung": kampung.code, "name": name, "partner_id": partner.pk, "status": bumkam.status,
        **{field: getattr(bumkam, field) for field in (*PAYOUT_ACCOUNT_FIELDS, "establishment_regulation",
                                                      "legal_entity_number", "whatsapp")},
        **({"applicant": applicant} if applicant else {}),
    })
    return bumkam


@dataclass(frozen=True)
class ManagerContact:
    name: str
    email: str
    whatsapp: str


@transaction.atomic
def bumkam_apply(*, kampung: Kampung, name: str, manager: ManagerContact, **profile) -> Bumkam:
    """A BUMKam's own application from the public form: a pending shop, and its manager's
    account, inactive and without a usable password, so nothing can be done with it until
    the regency admin has checked the application and activated it (the password is then
    set through the e-mailed reset link). An address that already has an account is not
    made a manager by an anonymous form: the admin sees the contact in the audit row."""
    from django.contrib.auth import get_user_model

    bumkam = bumkam_create(kampung=kampung, name=name, via="pendaftaran", applicant=asdict(manager),
                           whatsapp=manager.whatsapp, **profile)
    User = get_user_model()
    if User.objects.filter(email__iexact=manager.email).exists():
        return bumkam
    username = manager.email.lower()[:150]
    if User.objects.filter(username__iexact=username).exists():
        username = f"{username[:140]}.{bumkam.pk}"
    user = User(username=username, email=manager.email, first_name=manager.name[:150], is_active=False)
    user.set_unusable_password()
    user.save()
    bumkam_add_manager(bumkam=bumkam, user=user)
    return bumkam


def is_regency_admin(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


def _require_regency_admin(user) -> None:
    if not is_regency_admin(user):
        raise PermissionDenied(_("Hanya admin kabupaten yang boleh melakukan ini."))


def audit_record(*, acting_user, action: str, target, old=None, new=None) -> AuditEntry:
    """One audit row; called by the service making the change, inside its transaction."""
    return AuditEntry.objects.create(
        actor=acting_user if acting_user is not None and acting_user.pk else None,
        actor_name=acting_user.get_username() if acting_user is not None else _("sistem"),
        action=action, object_type=target._meta.label, object_id=str(target.pk), object_repr=str(target)[:200],
        old=old, new=new,
    )


def _locked(bumkam: Bumkam) -> Bumkam:
    return Bumkam.objects.select_for_update().get(pk=bumkam.pk)


def _set_field(*, bumkam: Bumkam, field: str, value, action: str, acting_user, as_json=lambda v: v) -> Bumkam:
    """Change one guarded field of a shop under its row lock, with an audit row; nothing if unchanged."""
    locked = _locked(bumkam)
    old = getattr(locked, field)
    if old != value:
        setattr(locked, field, value)
        locked.save(update_fields=[field])
        audit_record(acting_user=acting_user, action=action, target=locked,
                     old={field: as_json(old)}, new={field: as_json(value)})
    setattr(bumkam, field, value)
    return locked


@transaction.atomic
def bumkam_set_status(*, bumkam: Bumkam, status: str, acting_user=None) -> Bumkam:
    """Approve, suspend or send back a shop; acting_user None is the system (seed, commands)."""
    if acting_user is not None:
        _require_regency_admin(acting_user)
    if status not in ShopStatus.values:
        raise ShopChangeRefused(_("Status toko tidak dikenal."))
    return _set_field(bumkam=bumkam, field="status", value=status, action=AuditAction.SHOP_STATUS,
                      acting_user=acting_user)


def bumkam_approve(*, bumkam: Bumkam, acting_user=None) -> Bumkam:
    return bumkam_set_status(bumkam=bumkam, status=ShopStatus.APPROVED, acting_user=acting_user)


@transaction.atomic
def bumkam_set_commission(*, bumkam: Bumkam, commission_percent: Decimal | None, acting_user=None) -> Bumkam:
    """The shop's own commission rate (None: the regency's default); orders already placed keep theirs."""
    if acting_user is not None:
        _require_regency_admin(acting_user)
    if commission_percent is not None and not Decimal(0) <= Decimal(commission_percent) <= Decimal(100):
        raise ShopChangeRefused(_("Komisi harus antara 0 dan 100 persen."))
    value = None if commission_percent is None else Decimal(commission_percent).quantize(Decimal("0.01"))
    return _set_field(bumkam=bumkam, field="commission_percent", value=value, action=AuditAction.SHOP_COMMISSION,
                      acting_user=acting_user, as_json=lambda v: None if v is None else str(v))


@transaction.atomic
def bumkam_set_stripe_account(*, bumkam: Bumkam, stripe_account_id: str, acting_user=None) -> Bumkam:
    """Where Stripe Connect pays the shop: a payout account, so only the regency admin sets it."""
    if acting_user is not None:
        _require_regency_admin(acting_user)
    return _set_field(bumkam=bumkam, field="stripe_account_id", value=stripe_account_id.strip(),
                      action=AuditAction.SHOP_STRIPE_ACCOUNT, acting_user=acting_user)


def payout_account(bumkam: Bumkam) -> dict:
    return {field: getattr(bumkam, field) for field in PAYOUT_ACCOUNT_FIELDS}


def payout_account_pending(bumkam: Bumkam) -> PayoutAccountChange | None:
    return bumkam.payout_account_changes.filter(status=ChangeStatus.PENDING).first()


@transaction.atomic
def payout_account_change_request(*, bumkam: Bumkam, acting_user, bank_name: str, bank_account_number: str,
                                  bank_account_holder: str) -> PayoutAccountChange | None:
    """A manager asks for payouts to go to another account. The approved account keeps being
    paid until a regency admin approves; a newer request replaces a pending one, and asking
    for the account already approved withdraws it. None when nothing is pending afterwards."""
    locked = _locked(bumkam)
    new = {"bank_name": bank_name.strip(), "bank_account_number": bank_account_number.strip(),
           "bank_account_holder": bank_account_holder.strip()}
    pending = PayoutAccountChange.objects.select_for_update().filter(
        bumkam=locked, status=ChangeStatus.PENDING).first()
    if pending is not None and pending.new == new:
        return pending
    if pending is not None:
        pending.status, pending.decided_at = ChangeStatus.WITHDRAWN, timezone.now()
        pending.save(update_fields=["status", "decided_at"])
    if new == payout_account(locked):
        return None
    change = PayoutAccountChange.objects.create(bumkam=locked, old=payout_account(locked), new=new,
                                                requested_by=acting_user)
    audit_record(acting_user=acting_user, action=AuditAction.PAYOUT_ACCOUNT_REQUEST, target=locked,
                 old=change.old, new=change.new)
    return change


def _decide(change: PayoutAccountChange, acting_user) -> tuple[PayoutAccountChange, Bumkam]:
    _require_regency_admin(acting_user)
    bumkam = _locked(change.bumkam)
    change = PayoutAccountChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PENDING:
        raise ShopChangeRefused(_("Pengajuan ini sudah diputuskan atau diganti pengajuan lain."))
    change.decided_by, change.decided_at = acting_user, timezone.now()
    return change, bumkam


@transaction.atomic
def payout_account_change_approve(*, change: PayoutAccountChange, acting_user) -> Bumkam:
    """From now on the shop is paid into the new account."""
    change, bumkam = _decide(change, acting_user)
    old = payout_account(bumkam)
    for field in PAYOUT_ACCOUNT_FIELDS:
        setattr(bumkam, field, change.new[field])
    bumkam.save(update_fields=list(PAYOUT_ACCOUNT_FIELDS))
    change.status = ChangeStatus.APPROVED
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(acting_user=acting_user, action=AuditAction.PAYOUT_ACCOUNT_APPROVE, target=bumkam,
                 old=old, new=change.new)
    return bumkam


@transaction.atomic
def payout_account_change_reject(*, change: PayoutAccountChange, acting_user) -> PayoutAccountChange:
    """The old account stays the one paid."""
    change, bumkam = _decide(change, acting_user)
    change.status = ChangeStatus.REJECTED
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(acting_user=acting_user, action=AuditAction.PAYOUT_ACCOUNT_REJECT, target=bumkam,
                 old=payout_account(bumkam), new=change.new)
    return change


@transaction.atomic
def payout_account_set(*, bumkam: Bumkam, acting_user, **account) -> Bumkam:
    """The regency admin's own correction: requested and approved at once, both rows naming them."""
    _require_regency_admin(acting_user)
    change = payout_account_change_request(bumkam=bumkam, acting_user=acting_user, **account)
    if change is not None:
        bumkam = payout_account_change_approve(change=change, acting_user=acting_user)
    return bumkam


@transaction.atomic
def bumkam_add_manager(*, bumkam: Bumkam, user, acting_user=None) -> None:
    """The manager also becomes one of the Oscar partner's users (shops.signal_handlers)."""
    locked = _locked(bumkam)
    if not locked.managers.filter(pk=user.pk).exists():
        locked.managers.add(user)
        audit_record(acting_user=acting_user, action=AuditAction.MANAGER_ADD, target=locked,
                     new={"user": user.get_username(), "user_id": user.pk})


@transaction.atomic
def bumkam_remove_manager(*, bumkam: Bumkam, user, acting_user=None) -> None:
    locked = _locked(bumkam)
    if locked.managers.filter(pk=user.pk).exists():
        locked.managers.remove(user)
        audit_record(acting_user=acting_user, action=AuditAction.MANAGER_REMOVE, target=locked,
                     old={"user": user.get_username(), "user_id": user.pk})


def producer_create(*, bumkam: Bumkam, name: str, owner_name: str = "") -> Producer:
    producer, _created = Producer.objects.get_or_create(
        bumkam=bumkam, name=name, defaults={"owner_name": owner_name}
    )
    return producer


@cache
def _by_code(name: str) -> dict[str, dict]:
    return {row["code"]: row for row in _rows(name)}


def official_district(code: str) -> dict | None:
    """The official row of a kecamatan code ('14.08.06'), or None: {'code', 'regency_code', 'name'}."""
    return _by_code("districts").get(code.strip())


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
