"""The PostgreSQL side of the index: one row per product for sale, the words the
typo tolerance may correct to, and the journal of changes still to index.

Rows are written only by `indexing.sync_pending` (after the change commits), from the
same documents Elasticsearch receives (documents.product_documents).
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models


class ProductDocument(models.Model):
    """What a search reads of a product, flattened so that a search, its facet counts and
    its sorting touch this table alone: the text in the `indonesian` configuration
    (stemmed, weighted title > place and kind > description), stored and GIN-indexed."""

    product = models.OneToOneField("catalogue.Product", primary_key=True, on_delete=models.CASCADE,
                                   related_name="+", db_constraint=False)
    title = models.CharField(max_length=255)
    # text.fold(title): what a half-typed word is looked for in (LIKE, on a trigram index)
    title_folded = models.CharField(max_length=255)
    # canonical words (text.canonical_text): the title; the shop, its kampung, kecamatan,
    # regency, the producer, categories and permits; the description
    text_a = models.TextField(blank=True)
    text_b = models.TextField(blank=True)
    text_c = models.TextField(blank=True)
    document = models.GeneratedField(
        expression=SearchVector("text_a", weight="A", config="indonesian")
        + SearchVector("text_b", weight="B", config="indonesian")
        + SearchVector("text_c", weight="C", config="indonesian"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    shop_id = models.PositiveIntegerField()
    kampung_slug = models.CharField(max_length=120)
    kecamatan_code = models.CharField(max_length=13)
    # the product's categories and all their ancestors: a filter on 'Makanan ringan'
    # finds what is filed under 'Keripik'
    category_ids = ArrayField(models.PositiveIntegerField(), default=list)
    price = models.PositiveBigIntegerField()
    in_stock = models.BooleanField()
    halal = models.BooleanField()
    pirt = models.BooleanField()
    is_flagship = models.BooleanField()
    sold = models.PositiveIntegerField(default=0)
    date_created = models.DateTimeField()

    class Meta:
        indexes = [
            GinIndex(fields=["document"], name="search_doc_document_gin"),
            GinIndex(fields=["category_ids"], name="search_doc_categories_gin"),
            GinIndex(fields=["title_folded"], opclasses=["gin_trgm_ops"], name="search_doc_title_trgm"),
            models.Index(fields=["kecamatan_code"], name="search_doc_kecamatan"),
            models.Index(fields=["kampung_slug"], name="search_doc_kampung"),
            models.Index(fields=["price"], name="search_doc_price"),
            models.Index(fields=["-date_created"], name="search_doc_newest"),
            # a search without words: the facet counts read this narrow index alone (an
            # index-only scan of a few MB at 100,000 products), not the wide rows; the first
            # page in the default and best-selling orders walks an index and stops
            models.Index(fields=["kampung_slug", "kecamatan_code", "price", "halal", "pirt", "in_stock"],
                         include=["category_ids"], name="search_doc_facets"),
            models.Index(fields=["-is_flagship", "title", "product_id"], name="search_doc_listing"),
            models.Index(fields=["-sold", "title", "product_id"], name="search_doc_sold"),
        ]


class SearchWord(models.Model):
    """A word of the catalogue, unstemmed and canonical: what 'kerupk' or 'kopii' is
    corrected to (pg_trgm finds the candidates; backends.postgres keeps those one edit away)."""

    word = models.CharField(max_length=40, primary_key=True)

    class Meta:
        indexes = [GinIndex(fields=["word"], name="search_word_trgm", opclasses=["gin_trgm_ops"])]


class IndexChange(models.Model):
    """A product whose document must be written again, recorded in the transaction that
    changed it: rolled back with it, done only once every engine has it. A rebuild replays
    the changes made while it built."""

    id = models.BigAutoField(primary_key=True)
    product_id = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["id"], name="search_change_pending", condition=models.Q(done_at=None))]


class IndexVersion(models.Model):
    """One row, its number raised in the same transaction as every write to ProductDocument:
    a search reads it to know whether facet counts it has kept are still the catalogue's
    (a reader sees the new number exactly when it sees the new rows)."""

    number = models.PositiveBigIntegerField(default=0)
