"""What the buyer is told when a shop order moves, and the shop when a paid order arrives."""

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ..html import rupiah
from ..sites import site_url


def status_changed(shop_order) -> None:
    order, checkout = shop_order.order, shop_order.checkout
    lines = [
        _("Pesanan %(number)s dari %(shop)s sekarang: %(status)s.")
        % {"number": order.number, "shop": shop_order.bumkam.name, "status": order.status},
    ]
    if shop_order.tracking_number:
        lines.append(_("Kurir %(courier)s, nomor resi %(tracking)s.")
                     % {"courier": shop_order.courier or "-", "tracking": shop_order.tracking_number})
    lines.append(_("Lihat semua pesanan checkout %(ref)s di %(url)s") % {
        "ref": checkout.reference, "url": site_url(checkout.get_absolute_url())})
    transaction.on_commit(lambda: send_mail(
        _("Pesanan %(number)s: %(status)s") % {"number": order.number, "status": order.status},
        "\n".join(lines), None, [checkout.email], fail_silently=True,
    ))


def new_paid_order(shop_order) -> None:
    """Each manager of the shop, by their own e-mail: a paid (or COD) order waits to be packed."""
    order = shop_order.order
    recipients = list(shop_order.bumkam.managers.filter(is_active=True).exclude(email="")
                      .values_list("email", flat=True))
    if not recipients:
        return
    subject = _("Pesanan baru %(number)s siap diproses") % {"number": order.number}
    lines = [_("%(shop)s menerima pesanan %(number)s (%(total)s, %(shipping)s), sudah dibayar atau bayar di tempat:")
             % {"shop": shop_order.bumkam.name, "number": order.number, "total": rupiah(order.total_incl_tax),
                "shipping": order.shipping_method}]
    lines += [f"- {line.quantity} × {line.title}" for line in order.lines.all()]
    lines.append(_("Proses di %(url)s") % {"url": site_url(reverse("marketplace:manager-orders"))})
    body = "\n".join(lines)

    def send():
        for address in recipients:  # one message each: managers do not see one another's addresses
            send_mail(subject, body, None, [address], fail_silently=True)

    transaction.on_commit(send)
