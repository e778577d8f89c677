"""A shop order's status changes here and nowhere else.

Every change goes through one function that checks who acts against the table of moves
(`moves.MOVES`), does what that move does (stock, `delivered_at`, the tracking number), writes
the event row, moves the Oscar order along the pipeline and tells the buyer and the shop.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.partner.exceptions import InvalidStockAdjustment

from shops.constants import AuditAction
from shops.services import audit_record

from ..constants import Actor, OrderStatus, ShippingMethod
from ..errors import UserError
from ..html import rupiah
from . import emails
from .models import (
    Complaint,
    ComplaintMessage,
    ComplaintMessageKind,
    ComplaintPhoto,
    ComplaintStatus,
    ShopOrder,
    ShopOrderEvent,
)
from .moves import MOVES, Move, Stock, next_statuses

__all__ = ["MOVES", "actor_of", "can_manage", "next_statuses", "shop_order_advance"]


def _person(acting_user):
    """The signed-in account behind an action, or None for a guest buyer or the system."""
    return acting_user if acting_user is not None and acting_user.is_authenticated else None


def can_manage(user, shop_order: ShopOrder) -> bool:
    return user.is_superuser or shop_order.bumkam.managers.filter(pk=user.pk).exists()


def actor_of(acting_user, shop_order: ShopOrder, claimed: str | None = None) -> str:
    """The role in which someone acts on this order. The buyer is claimed by the caller, the
    buyer's order page, which has checked the checkout's reference (or the buyer's account);
    the system by a payment service, which records the admin who confirmed the money."""
    if claimed in (Actor.BUYER, Actor.SYSTEM):
        return claimed
    if acting_user is None:
        return Actor.SYSTEM
    if acting_user.is_superuser:
        return Actor.REGENCY
    if shop_order.bumkam.managers.filter(pk=acting_user.pk).exists():
        return Actor.MANAGER
    raise PermissionDenied


@transaction.atomic
def shop_order_advance(*, shop_order: ShopOrder, status: str, acting_user, actor: str | None = None,
                       tracking_number: str = "", courier: str = "", note: str = "",
                       notify: bool = True) -> ShopOrder:
    """The one way a shop order's status changes, from any page, task or webhook.

    A move the table does not have is a UserError; one it has, made by someone it does not
    name, is PermissionDenied. `notify=False` spares the buyer this move's e-mail when the
    caller tells them itself (a payment's receipt); the shop is told regardless."""
    shop_order = (ShopOrder.objects.select_for_update()
                  .select_related("order", "bumkam", "checkout").get(pk=shop_order.pk))
    role = actor_of(acting_user, shop_order, actor)
    order = shop_order.order
    old_status = order.status
    move = MOVES.get((old_status, status))
    if move is None:
        raise UserError(_("Pesanan %(number)s tidak bisa diubah dari %(old)s ke %(new)s.")
                        % {"number": order.number, "old": old_status, "new": status})
    if role not in move.actors:
        raise PermissionDenied
    if status == OrderStatus.COMPLETED and shop_order.complaints.filter(status=ComplaintStatus.OPEN).exists():
        raise UserError(_("Komplain pesanan %(number)s masih terbuka; putuskan komplainnya dulu.")
                        % {"number": order.number})
    tracking_number, courier = tracking_number.strip(), courier.strip()
    if move.needs_tracking and order.shipping_code == ShippingMethod.COURIER and not tracking_number:
        raise UserError(_("Isi nomor resi untuk pesanan yang dikirim kurir."))

    _move_stock(order, move)
    order.set_status(status)  # Oscar's pipeline is built from the same table (settings)
    changed = []
    if move.needs_tracking:
        shop_order.tracking_number, shop_order.courier = tracking_number, courier
        changed += ["tracking_number", "courier"]
    if move.stamps_delivered:
        shop_order.delivered_at = timezone.now()
        changed.append("delivered_at")
        transaction.on_commit(lambda: _schedule_completion(shop_order))  # completes by itself later
    if changed:
        shop_order.save(update_fields=changed)
    if tracking_number and not note:
        note = _("Kurir %(courier)s, resi %(tracking)s") % {"courier": courier or "-", "tracking": tracking_number}
    ShopOrderEvent.objects.create(
        shop_order=shop_order, old_status=old_status, new_status=status, actor=role,
        acting_user=_person(acting_user),
        note=note[:200])
    if notify:
        emails.status_changed(shop_order)
    if move.tells_shop:
        emails.new_paid_order(shop_order)
    return shop_order


def _move_stock(order, move: Move) -> None:
    """Shipped goods leave the shelf; an order that ends before shipping puts its goods back on sale."""
    if not move.stock:
        return
    for line in order.lines.select_related("stockrecord"):
        if line.stockrecord is None:  # the product was deleted since; nothing left to count
            continue
        if move.stock == Stock.CONSUME:
            try:
                line.stockrecord.consume_allocation(line.quantity)
            except InvalidStockAdjustment as error:  # the shelf was recounted below what is reserved
                raise UserError(_("Stok %(product)s tercatat kurang dari %(quantity)d yang dipesan; perbaiki "
                                  "stoknya dulu, lalu kirim.") % {"product": line.title, "quantity": line.quantity}
                                ) from error
        else:
            line.stockrecord.cancel_allocation(line.quantity)


def shop_orders_placed(shop_orders) -> None:
    """A checkout placed straight into processing (COD) is a new paid order for each shop."""
    for shop_order in shop_orders:
        if shop_order.order.status == OrderStatus.PROCESSING:
            emails.new_paid_order(shop_order)


# The buyer's word: "received" or "something is wrong", and completion when they say nothing.
#
# A complaint can be opened on a delivered order within RETURN_WINDOW_DAYS of delivery; while it is
# open the order is neither completed nor settled. It closes in one of three ways:
# - resolved: money went back through payments.services.refund_issue. A refund of everything that
#   was paid closes it by itself; after a partial refund the shop (or the regency admin) marks it
#   resolved, since only they know whether the rest was settled another way (a replacement sent).
# - rejected by the regency admin, with a reason: the order then settles as usual;
# - withdrawn by the buyer.
# Confirming receipt ends the right to complain: a completed order may be settled at once.


def return_window_ends(shop_order: ShopOrder):
    return shop_order.delivered_at + datetime.timedelta(days=settings.RETURN_WINDOW_DAYS)


def completes_at(shop_order: ShopOrder):
    return shop_order.delivered_at + datetime.timedelta(days=settings.ORDER_AUTO_COMPLETE_DAYS)


def complaint_refusal(shop_order: ShopOrder, *, now=None) -> str:
    """Why the buyer may not open a complaint on this order now; "" when they may."""
    number = shop_order.order.number
    if shop_order.order.status == OrderStatus.COMPLETED:
        return _("Pesanan %(number)s sudah selesai (Anda menyatakan barang diterima atau batas komplain lewat); "
                 "komplain tidak bisa diajukan lagi.") % {"number": number}
    if shop_order.order.status != OrderStatus.DELIVERED or shop_order.delivered_at is None:
        return _("Komplain bisa diajukan setelah pesanan %(number)s berstatus Diterima.") % {"number": number}
    ends = return_window_ends(shop_order)
    if (now or timezone.now()) >= ends:
        return _("Batas waktu komplain pesanan %(number)s sudah lewat: %(days)d hari setelah diterima, sampai "
                 "%(end)s.") % {"number": number, "days": settings.RETURN_WINDOW_DAYS,
                                "end": timezone.localtime(ends).strftime("%d-%m-%Y %H.%M")}
    statuses = set(shop_order.complaints.values_list("status", flat=True))
    if ComplaintStatus.OPEN in statuses:
        return _("Komplain pesanan %(number)s masih terbuka; tulis di utas komplainnya.") % {"number": number}
    if statuses - {ComplaintStatus.WITHDRAWN}:
        return _("Komplain pesanan %(number)s sudah diputuskan; hubungi admin kabupaten bila masih ada "
                 "masalah.") % {"number": number}
    if hasattr(shop_order, "settlement_line"):
        return _("Pesanan %(number)s sudah masuk laporan penyelesaian.") % {"number": number}
    return ""


def _locked_order(shop_order: ShopOrder) -> ShopOrder:
    return (ShopOrder.objects.select_for_update(of=("self",)).select_related("order", "bumkam", "checkout")
            .get(pk=shop_order.pk))


def _locked_complaint(complaint: Complaint) -> Complaint:
    """The shop order's row first, then the complaint's, as every complaint service and
    settlements_run take them."""
    _locked_order(complaint.shop_order)
    return (Complaint.objects.select_for_update(of=("self",)).select_related("shop_order__order", "shop_order__bumkam",
                                                                           "shop_order__checkout")
            .get(pk=complaint.pk))


def _writer_role(acting_user, shop_order: ShopOrder, claimed: str | None) -> str:
    """Who writes in a thread: the buyer (claimed by their order page), the shop's manager or the
    regency admin; never the system, never anyone else."""
    if claimed == Actor.BUYER:
        return Actor.BUYER
    if acting_user is None or not acting_user.is_authenticated:
        raise PermissionDenied
    role = actor_of(acting_user, shop_order)
    if role not in (Actor.MANAGER, Actor.REGENCY):
        raise PermissionDenied
    return role


def _message_add(*, complaint: Complaint, kind: str, role: str, acting_user, text: str = "", photos=()) -> ComplaintMessage:
    author = _person(acting_user)
    message = ComplaintMessage.objects.create(complaint=complaint, kind=kind, author_role=role, author=author,
                                              text=text.strip())
    written = []
    try:
        for photo in photos:
            upload = photo.as_file()
            stored = ComplaintPhoto(message=message)
            stored.image.save(upload.name, upload, save=False)
            written.append(stored.image)
            stored.save()
    except Exception:
        for field_file in written:  # the rows are rolled back: so are their files
            field_file.storage.delete(field_file.name)
        raise
    return message


def _photos_checked(photos) -> list:
    photos = list(photos or ())
    if len(photos) > settings.COMPLAINT_PHOTOS_PER_MESSAGE:
        raise UserError(_("Paling banyak %(n)d foto per pesan.") % {"n": settings.COMPLAINT_PHOTOS_PER_MESSAGE})
    return photos


@transaction.atomic
def complaint_open(*, shop_order: ShopOrder, reason: str, text: str, acting_user=None, photos=()) -> Complaint:
    """The buyer says something is wrong: `photos` already checked by marketplace.files.checked_image.
    The caller is the buyer's order page, which checked the reference; `acting_user` is their
    account if they are signed in."""
    shop_order = _locked_order(shop_order)
    refusal = complaint_refusal(shop_order)
    if refusal:
        raise UserError(refusal)
    if not text.strip():
        raise UserError(_("Ceritakan apa yang salah dengan pesanan ini."))
    photos = _photos_checked(photos)
    author = _person(acting_user)
    complaint = Complaint.objects.create(shop_order=shop_order, reason=reason, opened_by=author)
    _message_add(complaint=complaint, kind=ComplaintMessageKind.OPENED, role=Actor.BUYER, acting_user=acting_user,
                 text=text, photos=photos)
    emails.complaint_opened(complaint)
    return complaint


@transaction.atomic
def complaint_reply(*, complaint: Complaint, text: str, acting_user, actor: str | None = None,
                    photos=()) -> ComplaintMessage:
    """A message in an open complaint's thread from the buyer, the shop or the regency admin."""
    complaint = _locked_complaint(complaint)
    role = _writer_role(acting_user, complaint.shop_order, actor)
    if not complaint.is_open:
        raise UserError(_("Komplain ini sudah ditutup: %(status)s.") % {"status": complaint.get_status_display()})
    photos = _photos_checked(photos)
    if not text.strip() and not photos:
        raise UserError(_("Tulis pesan atau lampirkan foto."))
    message = _message_add(complaint=complaint, kind=ComplaintMessageKind.REPLY, role=role, acting_user=acting_user,
                           text=text, photos=photos)
    emails.complaint_replied(complaint, message)
    return message


def _close(*, complaint: Complaint, status: str, kind: str, role: str, acting_user, note: str) -> Complaint:
    complaint.status, complaint.closed_at, complaint.outcome = status, timezone.now(), note.strip()
    complaint.closed_by = _person(acting_user)
    complaint.save(update_fields=["status", "closed_at", "outcome", "closed_by"])
    _message_add(complaint=complaint, kind=kind, role=role, acting_user=acting_user, text=note)
    emails.complaint_closed(complaint)
    _complete_if_due(complaint.shop_order)
    return complaint


@transaction.atomic
def complaint_withdraw(*, complaint: Complaint, acting_user=None) -> Complaint:
    """The buyer takes their complaint back (the shop sorted it out): the order settles as usual."""
    complaint = _locked_complaint(complaint)
    if not complaint.is_open:
        raise UserError(_("Komplain ini sudah ditutup: %(status)s.") % {"status": complaint.get_status_display()})
    return _close(complaint=complaint, status=ComplaintStatus.WITHDRAWN, kind=ComplaintMessageKind.WITHDRAWN,
                  role=Actor.BUYER, acting_user=acting_user, note=_("Pembeli membatalkan komplain."))


@transaction.atomic
def complaint_decide(*, complaint: Complaint, outcome: str, note: str, acting_user) -> Complaint:
    """Close an open complaint, with an audit row naming who: rejected (the regency admin only,
    with a reason) or resolved after money went back (the shop or the regency admin)."""
    complaint = _locked_complaint(complaint)
    role = _writer_role(acting_user, complaint.shop_order, None)
    if outcome == ComplaintStatus.REJECTED:
        if role != Actor.REGENCY:
            raise PermissionDenied
        if not note.strip():
            raise UserError(_("Tulis alasan penolakan komplain; pembeli dan toko membacanya."))
        kind, action = ComplaintMessageKind.REJECTED, AuditAction.COMPLAINT_REJECT
    elif outcome == ComplaintStatus.RESOLVED:
        kind, action = ComplaintMessageKind.RESOLVED, AuditAction.COMPLAINT_RESOLVE
    else:
        raise UserError(_("Keputusan tidak dikenal."))
    if not complaint.is_open:
        raise UserError(_("Komplain ini sudah ditutup: %(status)s.") % {"status": complaint.get_status_display()})
    if outcome == ComplaintStatus.RESOLVED and not complaint.refunded:
        raise UserError(_("Kembalikan dana dulu (sebagian atau seluruhnya) sebelum menandai komplain selesai. "
                          "Komplain yang tidak berdasar diputuskan admin kabupaten."))
    audit_record(acting_user=acting_user, action=action, target=complaint,
                 old={"status": ComplaintStatus.OPEN},
                 new={"status": outcome, "refunded": complaint.refunded, "note": note.strip()[:500]})
    return _close(complaint=complaint, status=outcome, kind=kind, role=role, acting_user=acting_user,
                  note=note or _("Ditandai selesai setelah pengembalian dana."))


def complaint_refund_recorded(*, refund, remaining: int) -> Complaint | None:
    """Called by payments when money went back for a shop order: the open complaint's thread
    records it, and a refund of everything paid (`remaining` 0) resolves the complaint."""
    _locked_order(refund.shop_order)
    complaint = (Complaint.objects.select_for_update(of=("self",))
                 .filter(shop_order_id=refund.shop_order_id, status=ComplaintStatus.OPEN)
                 .select_related("shop_order__order", "shop_order__bumkam", "shop_order__checkout").first())
    if complaint is None:
        return None
    complaint.refunded += refund.amount
    complaint.save(update_fields=["refunded"])
    try:
        role = actor_of(refund.created_by, complaint.shop_order)
    except PermissionDenied:
        role = Actor.SYSTEM
    _message_add(complaint=complaint, kind=ComplaintMessageKind.REFUND, role=role, acting_user=refund.created_by,
                 text=_("Dana %(amount)s dikembalikan: %(reason)s") % {"amount": rupiah(refund.amount),
                                                                       "reason": refund.reason})
    if remaining == 0:
        audit_record(acting_user=refund.created_by, action=AuditAction.COMPLAINT_RESOLVE, target=complaint,
                     old={"status": ComplaintStatus.OPEN},
                     new={"status": ComplaintStatus.RESOLVED, "refunded": complaint.refunded, "refund": refund.pk})
        _close(complaint=complaint, status=ComplaintStatus.RESOLVED, kind=ComplaintMessageKind.RESOLVED, role=role,
               acting_user=refund.created_by, note=_("Seluruh dana dikembalikan."))
    return complaint


@transaction.atomic
def shop_order_receive(*, shop_order: ShopOrder, acting_user=None) -> ShopOrder:
    """The buyer's "Pesanan diterima": the order completes, and may be settled at once."""
    shop_order = _locked_order(shop_order)
    if shop_order.complaints.filter(status=ComplaintStatus.OPEN).exists():
        raise UserError(_("Komplain pesanan %(number)s masih terbuka: batalkan komplainnya dulu bila barang sudah "
                          "beres.") % {"number": shop_order.order.number})
    return shop_order_advance(shop_order=shop_order, status=OrderStatus.COMPLETED, actor=Actor.BUYER,
                              acting_user=_person(acting_user))


def shop_orders_complete(*, now=None, only=None) -> int:
    """Delivered orders the buyer said nothing about complete ORDER_AUTO_COMPLETE_DAYS after delivery;
    an open complaint holds its order. Each order's own deferred task does this at its moment;
    `manage.py complete_orders` sweeps up after an outage."""
    now = now or timezone.now()
    candidates = only if only is not None else ShopOrder.objects.all()
    due = (candidates.filter(order__status=OrderStatus.DELIVERED,
                             delivered_at__lte=now - datetime.timedelta(days=settings.ORDER_AUTO_COMPLETE_DAYS))
           .exclude(complaints__status=ComplaintStatus.OPEN).values_list("pk", flat=True))
    completed = 0
    for pk in due:
        with transaction.atomic():
            shop_order = _locked_order(ShopOrder(pk=pk))
            if (shop_order.order.status != OrderStatus.DELIVERED
                    or shop_order.complaints.filter(status=ComplaintStatus.OPEN).exists()):
                continue
            shop_order_advance(shop_order=shop_order, status=OrderStatus.COMPLETED, acting_user=None,
                               actor=Actor.SYSTEM)
            completed += 1
    return completed


def _complete_if_due(shop_order: ShopOrder) -> None:
    """A complaint closed after the order's completion time: it completes now."""
    shop_orders_complete(only=ShopOrder.objects.filter(pk=shop_order.pk))


def _schedule_completion(shop_order: ShopOrder) -> None:
    from .tasks import complete_shop_order  # the task module imports this one

    if complete_shop_order.get_backend().supports_defer:  # the database backend in every real deployment
        complete_shop_order.using(run_after=completes_at(shop_order)).enqueue(shop_order.pk)
