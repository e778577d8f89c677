"""Oscar's catalogue, forked to give a product what a village product carries.

A product here is made by an UMKM producer, weighs something (couriers charge by
weight), may carry the permits buyers filter on (P-IRT, halal, BPOM) and may be
its village's flagship ("one village one product"). Oscar's attribute system
could hold these as strings, but they are filtered, joined and validated on
every catalogue query, so they are columns.

A product image is checked and re-encoded (marketplace.files) whichever way it comes:
our listing form, the import, the seed, or Oscar's dashboard, whose image form calls
the model's clean().
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.core.exceptions import ValidationError
from oscar.apps.catalogue.abstract_models import AbstractProduct, AbstractProductImage

from marketplace.files import checked_field_photo


class Product(AbstractProduct):
    producer = models.ForeignKey(
        "shops.Producer",
        verbose_name=_("produsen (UMKM)"),
        related_name="products",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    weight_grams = models.PositiveIntegerField(_("berat (gram)"), default=0)
    is_flagship = models.BooleanField(_("produk unggulan kampung"), default=False)
    pirt_number = models.CharField(_("nomor P-IRT"), max_length=30, blank=True)
    halal_number = models.CharField(_("nomor sertifikat halal"), max_length=40, blank=True)
    bpom_number = models.CharField(_("nomor BPOM"), max_length=30, blank=True)


class ProductImage(AbstractProductImage):
    def clean(self):
        super().clean()
        try:
            self.original = checked_field_photo(self.original)
        except ValidationError as error:
            raise ValidationError({"original": error.messages}) from None

    def save(self, *args, **kwargs):
        self.original = checked_field_photo(self.original)
        super().save(*args, **kwargs)


from oscar.apps.catalogue.models import *  # noqa: E402,F403  (Oscar's fork pattern)
