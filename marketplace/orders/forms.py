from django import forms
from django.utils.translation import gettext_lazy as _


class ShipForm(forms.Form):
    status = forms.CharField(widget=forms.HiddenInput)
    courier = forms.CharField(label=_("Kurir"), max_length=60, required=False)
    tracking_number = forms.CharField(label=_("Nomor resi"), max_length=60, required=False)
