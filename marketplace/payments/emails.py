"""What the buyer is told when money arrives or goes back; each mail links to the order page."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from ..checkout.emails import order_page_url
from ..html import rupiah
from .models import Provider


def payment_received(checkout, amount: int) -> None:
    lines = [_("Pembayaran %(amount)s untuk checkout %(ref)s sudah kami terima. Toko mulai memproses:")
             % {"amount": rupiah(amount), "ref": checkout.reference}]
    lines += [f"- {so.order.number} ({so.bumkam.name})" for so in checkout.shop_orders.select_related("order", "bumkam")]
    lines.append(_("Halaman pesanan Anda: %(url)s") % {"url": order_page_url(checkout)})
    transaction.on_commit(lambda: send_mail(_("Pembayaran %(ref)s diterima") % {"ref": checkout.reference},
                                            "\n".join(lines), None, [checkout.email], fail_silently=True))


def refund_succeeded(refund) -> None:
    order, checkout = refund.shop_order.order, refund.shop_order.checkout
    how = {Provider.STRIPE: _("ke kartu yang Anda pakai (tampil di rekening dalam 5-10 hari kerja)"),
           Provider.BANK_TRANSFER: _("ke rekening Anda, referensi %(ref)s") % {"ref": refund.provider_reference},
           Provider.CASH: _("secara tunai oleh toko")}[refund.provider]
    body = _("Dana %(amount)s untuk pesanan %(number)s dikembalikan %(how)s.\nAlasan: %(reason)s\n\n"
             "Halaman pesanan Anda: %(url)s") % {
        "amount": rupiah(refund.amount), "number": order.number, "how": how, "reason": refund.reason,
        "url": order_page_url(checkout)}
    transaction.on_commit(lambda: send_mail(
        _("Pengembalian dana pesanan %(number)s") % {"number": order.number}, body, None, [checkout.email],
        fail_silently=True))
