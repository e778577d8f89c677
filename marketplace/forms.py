"""Form fields every stage uses: numbers bounded by their columns, messages in Indonesian."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .constants import MAX_BIGINT, MAX_POSITIVE_INTEGER
from .html import rupiah, thousands


def whole_number_field(label, *, min_value=0, max_value=MAX_POSITIVE_INTEGER, **kwargs):
    """An integer field bounded by what its column holds, with its messages in Indonesian:
    a number past the column is a form error here, not a database error (a 500) on save."""
    return forms.IntegerField(label=label, min_value=min_value, max_value=max_value, error_messages={
        "invalid": _("Isi bilangan bulat, tanpa titik atau koma."),
        "min_value": format_lazy(_("Paling kecil {}."), thousands(min_value)),
        "max_value": format_lazy(_("Paling besar {}."), thousands(max_value)),
    }, **kwargs)


def rupiah_field(label, *, min_value=1, max_value=MAX_BIGINT, **kwargs):
    """An amount in whole rupiah, within its column."""
    return forms.IntegerField(label=label, min_value=min_value, max_value=max_value, error_messages={
        "required": _("Isi jumlahnya dalam rupiah."),
        "invalid": _("Isi jumlah dalam rupiah, tanpa titik."),
        "min_value": format_lazy(_("Jumlah minimal {}."), rupiah(min_value)),
        "max_value": format_lazy(_("Jumlah paling besar {}."), rupiah(max_value)),
    }, **kwargs)
