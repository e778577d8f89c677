from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import rupiah_field


class ConfirmTransferForm(forms.Form):
    amount_received = rupiah_field(_("Jumlah diterima (Rp)"))


class TransferDifferenceForm(forms.Form):
    """What the admin does with a transfer of another amount than the one due."""

    SHORTFALL, AWAIT, OVERPAID = "shortfall", "await", "overpaid"
    action = forms.ChoiceField(choices=[
        (SHORTFALL, _("Terima sebagai lunas, kekurangan ditanggung platform")),
        (AWAIT, _("Catat dan tunggu kekurangannya")),
        (OVERPAID, _("Terima sebagai lunas, kelebihan dikembalikan ke pembeli")),
    ], error_messages={"invalid_choice": _("Pilih salah satu tindakan."), "required": _("Pilih salah satu tindakan.")})
    # 0: nothing new came, the admin decides about what came before
    amount_received = rupiah_field(_("Jumlah transfer ini (Rp)"), min_value=0)
    reason = forms.CharField(label=_("Alasan"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") in (self.SHORTFALL, self.OVERPAID) and not data.get("reason", "").strip():
            self.add_error("reason", _("Tulis alasannya, mis. \"kode unik lupa ditambahkan\"."))
        return data


class OverpaymentRefundForm(forms.Form):
    reference = forms.CharField(label=_("Referensi transfer pengembalian"), max_length=60,
                                error_messages={"required": _("Isi referensi transfer pengembalian dari bank.")})


class RefundForm(forms.Form):
    amount = rupiah_field(_("Jumlah dikembalikan (Rp)"))
    reason = forms.CharField(label=_("Alasan"), max_length=200)
    reference = forms.CharField(label=_("Referensi transfer / serah terima tunai"), max_length=60, required=False,
                                help_text=_("Tidak perlu untuk pembayaran kartu: Stripe mengembalikannya."))
