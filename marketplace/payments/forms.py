from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import rupiah_field


class ConfirmTransferForm(forms.Form):
    amount_received = rupiah_field(_("Jumlah diterima (Rp)"))


class RefundForm(forms.Form):
    amount = rupiah_field(_("Jumlah dikembalikan (Rp)"))
    reason = forms.CharField(label=_("Alasan"), max_length=200)
    reference = forms.CharField(label=_("Referensi transfer / serah terima tunai"), max_length=60, required=False,
                                help_text=_("Tidak perlu untuk pembayaran kartu: Stripe mengembalikannya."))
