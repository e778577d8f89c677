"""What the buyer is told when a shop order moves."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

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
