"""What the buyer is told when money arrives or goes back; each mail links to the order page."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ..checkout.emails import order_page_url
from ..html import rupiah
from .models import Provider


def payment_received(checkout, amount: int) -> None:
    lines = [_("Pembayaran %(amount)s untuk transaksi %(ref)s sudah kami terima. Toko mulai memproses:")
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


def transfer_short(checkout, *, received: int, short: int) -> None:
    """The buyer sent too little and the regency admin waits for the rest: say how much, and by when."""
    body = _("Kami sudah menerima %(received)s untuk transaksi %(ref)s, tetapi tagihannya %(due)s. Mohon transfer "
             "kekurangannya, %(short)s, paling lambat %(deadline)s; pesanan diproses setelah lunas.\n\n"
             "Halaman pesanan Anda: %(url)s") % {
        "received": rupiah(received), "ref": checkout.reference, "due": rupiah(checkout.amount_due),
        "short": rupiah(short), "deadline": date_format(localtime(checkout.expires_at), "j F Y H.i"),
        "url": order_page_url(checkout)}
    transaction.on_commit(lambda: send_mail(_("Transfer %(ref)s masih kurang %(short)s") % {
        "ref": checkout.reference, "short": rupiah(short)}, body, None, [checkout.email], fail_silently=True))


def overpayment_refunded(difference) -> None:
    checkout = difference.checkout
    body = _("Kelebihan transfer %(amount)s untuk transaksi %(ref)s sudah kami kembalikan ke rekening Anda, "
             "referensi %(reference)s.\n\nHalaman pesanan Anda: %(url)s") % {
        "amount": rupiah(difference.amount), "ref": checkout.reference, "reference": difference.refund_reference,
        "url": order_page_url(checkout)}
    transaction.on_commit(lambda: send_mail(_("Kelebihan transfer %(ref)s dikembalikan") % {"ref": checkout.reference},
                                            body, None, [checkout.email], fail_silently=True))
