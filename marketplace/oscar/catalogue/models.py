"""Oscar's catalogue, forked to give a product what a village product carries.

A product here is sold by the BUMKam of its stock record's partner (`Product.shop`),
may be made by one of that shop's UMKM producers, weighs something (couriers charge by
weight), may carry the permits buyers filter on (P-IRT, halal, BPOM) and may be
its village's flagship ("one village one product"). Oscar's attribute system
could hold these as strings, but they are filtered, joined and validated on
every catalogue query, so they are columns.

A product image is checked and re-encoded (marketplace.files) whichever way it comes:
our listing form, the import, the seed, or Oscar's dashboard, whose image form calls
the model's clean().

The fork is also the one door for what a manager types: a product's description
is cleaned by the commerce sanitizer on every save (our forms, the import and
Oscar's dashboard all save through here), and a category whose name gives no
slug is refused, since a category without a slug has no URL and every page that
lists categories would fail.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractCategory, AbstractProduct, AbstractProductImage

from marketplace.files import checked_field_photo
from shops.rich_text import clean_html


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

    class Meta(AbstractProduct.Meta):
        indexes = [
            # The portal's flagships, newest first: a handful among the whole catalogue, found
            # without reading it (a scan of 100,000 products took 170 ms of every portal view).
            models.Index(fields=["-date_created"], condition=models.Q(is_flagship=True, is_public=True),
                         name="product_flagship_newest"),
        ]

    def clean(self):
        self.description = clean_html(self.description)
        super().clean()

    def save(self, *args, **kwargs):
        self.description = clean_html(self.description)
        super().save(*args, **kwargs)

    @cached_property
    def shop(self):
        """The BUMKam that sells this product: its stock record's partner's, the one the basket
        and the order use (marketplace.catalogue.selectors.SELLER). Not the producer's: a
        product may have no producer, and the producer only says who made it. Lists prefetch
        the stock records with their shop (selectors.products_for_sale); a single product
        costs one query."""
        records = self.stockrecords.all()
        if "stockrecords" not in getattr(self, "_prefetched_objects_cache", {}):
            records = records.select_related("partner__bumkam__kampung__kecamatan")
        for record in sorted(records, key=lambda record: record.pk):
            bumkam = getattr(record.partner, "bumkam", None)
            if bumkam is not None:
                return bumkam
        return None


def category_name_error(name: str) -> str | None:
    """Why a category name cannot be used, in the words a manager or admin reads; None if it can."""
    from oscar.core.utils import slugify

    if not (name or "").strip():
        return _("Nama kategori tidak boleh kosong.")
    if not slugify(name.strip()):
        return _("Nama kategori \u201c%(name)s\u201d harus memuat huruf atau angka, bukan hanya tanda baca atau simbol.") % {
            "name": name.strip()}
    return None


class Category(AbstractCategory):
    def get_full_slug(self, parent_slug=None):
        """A category left with an empty slug (before names were checked) still has a URL."""
        if not self.slug:
            self.slug = f"kategori-{self.pk}"  # in memory only; migration 0034 stores it
        return super().get_full_slug(parent_slug=parent_slug)

    def clean(self):
        super().clean()
        error = category_name_error(self.name)
        if error:
            raise ValidationError({"name": error})

    def save(self, *args, **kwargs):
        self.name = (self.name or "").strip()
        self.description = clean_html(self.description)
        self.long_description = clean_html(self.long_description)
        if not self.slug:
            self.slug = self.generate_slug()
        if not self.slug:  # every way in (forms, import, dashboard, shell) stops here: no category without a URL
            raise ValidationError({"name": category_name_error(self.name) or _("Kategori ini tidak punya slug.")})
        super().save(*args, **kwargs)


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
