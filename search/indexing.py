"""Keeping the index in step with the catalogue.

A change anywhere (a product saved, stock allocated, a shop frozen, a category renamed)
writes an `IndexChange` row in its own transaction; when that commits, a background task
(tasks.sync_index) writes the documents to every engine. A rolled-back change leaves no
row, so it is never indexed; an engine that is away keeps the rows pending and the task
comes back later, so nothing is dropped.
"""

import logging

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.catalogue.signals import goods_changed
from shops.models import Bumkam, Kampung, Producer

from .backends import IndexUnavailable, engines
from .documents import all_product_documents, product_documents, products_changed_by
from .models import IndexChange

logger = logging.getLogger(__name__)
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")
BATCH = 500
KEEP_DONE = timezone.timedelta(days=2)


def queue_products(product_ids) -> None:
    """Record that these products' documents must be written again, in the current
    transaction, and have the task run once it commits."""
    ids = {int(pk) for pk in product_ids if pk}
    if not ids:
        return
    IndexChange.objects.bulk_create([IndexChange(product_id=pk) for pk in sorted(ids)])
    _schedule_sync()


def _schedule_sync() -> None:
    """One task per transaction, however many changes it makes (an import saves hundreds)."""
    waiting = getattr(connection, "search_sync", None)
    if waiting is not None and not waiting.ran and any(func is waiting for _, func, _ in connection.run_on_commit):
        return

    def enqueue():
        from .tasks import sync_index

        enqueue.ran = True
        sync_index.enqueue()

    enqueue.ran = False
    connection.search_sync = enqueue
    transaction.on_commit(enqueue)


def sync_pending() -> int:
    """Write every pending change to every engine; the number of changes done. Raises
    IndexUnavailable (the rows stay pending) when an engine cannot be reached; PostgreSQL
    has been written by then, so searches falling back to it see the change."""
    done = 0
    while True:
        with transaction.atomic():
            changes = list(IndexChange.objects.filter(done_at=None).order_by("id")
                           .select_for_update(skip_locked=True)[:BATCH])
            if not changes:
                break
            docs, removed = product_documents({change.product_id for change in changes})
            failed = None
            for engine in engines():
                try:
                    engine.write(docs, removed)
                except IndexUnavailable as error:
                    failed = error
            if failed is None:
                IndexChange.objects.filter(pk__in=[change.pk for change in changes]).update(done_at=timezone.now())
                done += len(changes)
        if failed is not None:
            raise failed
    IndexChange.objects.filter(done_at__lt=timezone.now() - KEEP_DONE).delete()
    return done


def rebuild() -> int:
    """Every engine built anew from the catalogue, then the changes made meanwhile applied
    again: the last change before the build began marks where to replay from."""
    mark = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for engine in engines():
        engine.rebuild(all_product_documents())
    replayed = set(IndexChange.objects.filter(id__gt=mark).values_list("product_id", flat=True))
    if replayed:
        docs, removed = product_documents(replayed)
        for engine in engines():
            engine.write(docs, removed)
    return len(replayed)


# -- what changes a document

def _product_saved(sender, instance, **kwargs):
    queue_products([instance.pk])


def _stock_saved(sender, instance, **kwargs):
    queue_products([instance.product_id])


def _categories_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if action in ("post_add", "post_remove", "post_clear", "pre_clear"):
        queue_products((pk_set or []) if reverse else [instance.pk])


def _product_category_saved(sender, instance, **kwargs):
    queue_products([instance.product_id])


def _goods_changed(sender, product_ids, **kwargs):
    queue_products(product_ids)


def _shop_saved(sender, instance, **kwargs):
    queue_products(products_changed_by(shop_ids=[instance.pk]))


def _kampung_saved(sender, instance, **kwargs):
    shop = Bumkam.objects.filter(kampung=instance).first()
    if shop is not None:
        queue_products(products_changed_by(shop_ids=[shop.pk]))


def _producer_saved(sender, instance, **kwargs):
    queue_products(products_changed_by(producer_ids=[instance.pk]))


def _category_saved(sender, instance, **kwargs):
    family = Category.objects.filter(path__startswith=instance.path).values_list("pk", flat=True)
    queue_products(products_changed_by(category_ids=list(family)))


def connect() -> None:
    """Called once by the app's ready()."""
    for signal in (post_save, post_delete):
        signal.connect(_product_saved, sender=Product, dispatch_uid=f"search-product-{signal}")
        signal.connect(_stock_saved, sender=StockRecord, dispatch_uid=f"search-stock-{signal}")
        signal.connect(_product_category_saved, sender=ProductCategory, dispatch_uid=f"search-pc-{signal}")
    m2m_changed.connect(_categories_changed, sender=ProductCategory, dispatch_uid="search-categories")
    goods_changed.connect(_goods_changed, dispatch_uid="search-goods")
    post_save.connect(_shop_saved, sender=Bumkam, dispatch_uid="search-shop")
    post_save.connect(_kampung_saved, sender=Kampung, dispatch_uid="search-kampung")
    post_save.connect(_producer_saved, sender=Producer, dispatch_uid="search-producer")
    post_save.connect(_category_saved, sender=Category, dispatch_uid="search-category")


__all__ = ["IndexUnavailable", "connect", "queue_products", "rebuild", "sync_pending"]
