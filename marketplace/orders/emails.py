"""What the buyer is told when a shop order moves, the shop when a paid order arrives, and both
sides when a complaint does."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from ..checkout.emails import is_pickup, order_page_url
from ..constants import Actor, OrderStatus
from ..html import rupiah
from ..sites import site_url


def status_changed(shop_order) -> None:
    order, checkout = shop_order.order, shop_order.checkout
    body = render_to_string("marketplace/emails/status_changed.txt", {
        "shop_order": shop_order, "order": order, "checkout": checkout, "order_url": order_page_url(checkout),
        # where and when to collect, until the order is collected or has ended
        "pickup": is_pickup(shop_order) and order.status in (OrderStatus.PROCESSING, OrderStatus.PACKED),
    })
    transaction.on_commit(lambda: send_mail(
        _("Pesanan %(number)s: %(status)s") % {"number": order.number, "status": order.status},
        body, None, [checkout.email], fail_silently=True,
    ))


def manager_order_url(shop_order) -> str:
    """The order on its shop's managers' page, pinned on top of "Semua" whatever its status is by
    the time the mail is read: the one link every mail to a manager carries."""
    number = shop_order.order.number
    return site_url(f"{reverse('marketplace:manager-orders')}?tab=semua&pesanan={number}#pesanan-{number}")


def _shop_addresses(shop_order) -> list[str]:
    """The shop's managers who can still sign in and have an e-mail address."""
    return list(shop_order.bumkam.managers.filter(is_active=True).exclude(email="").values_list("email", flat=True))


def new_paid_order(shop_order) -> None:
    """Each manager of the shop, by their own e-mail: a paid (or COD) order waits to be packed."""
    order = shop_order.order
    recipients = _shop_addresses(shop_order)
    if not recipients:
        return
    subject = _("Pesanan baru %(number)s siap diproses") % {"number": order.number}
    lines = [_("%(shop)s menerima pesanan %(number)s (%(total)s, %(shipping)s), sudah dibayar atau bayar di tempat:")
             % {"shop": shop_order.bumkam.name, "number": order.number, "total": rupiah(order.total_incl_tax),
                "shipping": order.shipping_method}]
    lines += [f"- {line.quantity} × {line.title}" for line in order.lines.all()]
    lines.append(_("Proses di %(url)s") % {"url": manager_order_url(shop_order)})
    body = "\n".join(lines)

    def send():
        for address in recipients:  # one message each: managers do not see one another's addresses
            send_mail(subject, body, None, [address], fail_silently=True)

    transaction.on_commit(send)


def _send(subject: str, body: str, to: list[str]) -> None:
    if to:
        transaction.on_commit(lambda: send_mail(subject, body, None, to, fail_silently=True))


def _shop_link(complaint) -> str:
    return site_url(reverse("marketplace:complaint-manage", args=[complaint.pk]))


def _buyer_link(complaint) -> str:
    shop_order = complaint.shop_order
    return site_url(reverse("marketplace:buyer-complaint", args=[shop_order.checkout.reference, shop_order.order.number]))


def _order_page_line(complaint) -> str:
    return _("Halaman pesanan Anda: %(url)s") % {"url": order_page_url(complaint.shop_order.checkout)}


def complaint_opened(complaint) -> None:
    """The shop hears of a complaint at once: it holds the order's money until it is settled."""
    shop_order = complaint.shop_order
    body = "\n".join([
        _("Pembeli mengajukan komplain untuk pesanan %(number)s: %(reason)s.")
        % {"number": shop_order.order.number, "reason": complaint.get_reason_display()},
        _("Dana pesanan ini ditahan sampai komplain selesai. Balas atau kembalikan dana di %(url)s")
        % {"url": _shop_link(complaint)},
    ])
    _send(_("Komplain pesanan %(number)s") % {"number": shop_order.order.number}, body, _shop_addresses(shop_order))


def complaint_replied(complaint, message) -> None:
    """A new message goes to the other side: the buyer's to the shop, the shop's or the admin's to the buyer."""
    number = complaint.shop_order.order.number
    subject = _("Balasan komplain pesanan %(number)s") % {"number": number}
    if message.author_role == Actor.BUYER:
        body = _("Pembeli membalas komplain pesanan %(number)s. Baca di %(url)s") % {
            "number": number, "url": _shop_link(complaint)}
        _send(subject, body, _shop_addresses(complaint.shop_order))
    else:
        body = _("%(who)s membalas komplain Anda untuk pesanan %(number)s. Baca dan balas di %(url)s") % {
            "who": message.get_author_role_display(), "number": number, "url": _buyer_link(complaint)}
        body += "\n" + _order_page_line(complaint)
        _send(subject, body, [complaint.shop_order.checkout.email])


def complaint_closed(complaint) -> None:
    """Both sides hear the outcome."""
    number = complaint.shop_order.order.number
    subject = _("Komplain pesanan %(number)s: %(status)s") % {"number": number, "status": complaint.get_status_display()}
    outcome = _("Komplain pesanan %(number)s ditutup: %(status)s.") % {
        "number": number, "status": complaint.get_status_display()}
    if complaint.outcome:
        outcome += "\n" + _("Keterangan: %(note)s") % {"note": complaint.outcome}
    _send(subject, outcome + "\n" + _("Lihat di %(url)s") % {"url": _buyer_link(complaint)} + "\n"
          + _order_page_line(complaint),
          [complaint.shop_order.checkout.email])
    _send(subject, outcome + "\n" + _("Lihat di %(url)s") % {"url": _shop_link(complaint)},
          _shop_addresses(complaint.shop_order))
