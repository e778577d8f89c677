from django.db import transaction
from django.forms.formsets import ManagementForm
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.dashboard.catalogue import views

from marketplace.catalogue.services import producer_check
from marketplace.errors import UserError

PARTS = {"category_formset": gettext_lazy("kategori"), "image_formset": gettext_lazy("foto"),
         "recommended_formset": gettext_lazy("rekomendasi"), "stockrecord_formset": gettext_lazy("stok dan harga")}


class ProductCreateUpdateView(views.ProductCreateUpdateView):
    """Oscar's product editor, with the product saved only if every formset is valid.

    Oscar saves a new product before it validates the formsets (they need it as their
    instance) and deletes it again if they fail. A post without a formset's management
    form then broke in between (its stock record formset indexes its first form: an
    IndexError, a 500) and left the product behind. Here such a post is the form again
    with a 400, and the whole save runs in one transaction that is rolled back unless
    Oscar answers with its redirect, so nothing half-made survives any failure.
    Only the form processing changes; the forms themselves stay Oscar's (or a fork's).
    """

    def process_all_forms(self, form):
        missing = [name for name, formset_class in self.formsets.items()
                   if not ManagementForm(self.request.POST, prefix=formset_class.get_default_prefix()).is_valid()]
        if missing:
            form.is_valid()  # so that its own errors show too
            form.add_error(None, _("Formulir tidak lengkap (bagian %(parts)s hilang); muat ulang halaman dan "
                                   "isi lagi.") % {"parts": ", ".join(str(PARTS.get(name, name)) for name in missing)})
            response = self.forms_invalid(form, {})
        else:
            with transaction.atomic():
                response = super().process_all_forms(form)
                if not isinstance(response, HttpResponseRedirect):
                    transaction.set_rollback(True)
        if not isinstance(response, HttpResponseRedirect):
            response.status_code = 400
        return response

    form_valid = form_invalid = process_all_forms  # Oscar binds these to its own function by name

    def clean(self, form, formsets):
        """One shop sells a product (catalogue.selectors.SELLER): its stock records have one
        partner, and its producer, if any, is an UMKM of that partner's BUMKam, so that no edit
        here (a staff member moving the stock to another village) splits "who sells it"."""
        records = formsets.get("stockrecord_formset")
        if records is None or not records.is_valid():
            return True  # its own errors are shown
        partners = {record.cleaned_data["partner"] for record in records.forms
                    if record.cleaned_data.get("partner") and record not in records.deleted_forms}
        if len(partners) > 1:
            form.add_error(None, _("Satu produk dijual oleh satu toko: semua stok dan harga harus milik "
                                   "mitra (BUMKam) yang sama."))
            return False
        if partners:
            try:
                producer_check(producer=form.instance.producer, bumkam=getattr(partners.pop(), "bumkam", None))
            except UserError as error:
                form.add_error(None, str(error))
                return False
        return True


class ProductLookupView(views.ProductLookupView):
    """Oscar's product lookup (the product pickers of the editor: upselling, ranges) lists
    every shop's products; a manager, who is not staff, gets only their own shop's."""

    def get_queryset(self):
        products = super().get_queryset()
        if self.request.user.is_staff:
            return products
        return products.filter(stockrecords__partner__users=self.request.user).distinct()
