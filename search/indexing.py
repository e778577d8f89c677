"""Keeping the index in step with the catalogue.

A change anywhere (a product saved, stock allocated, a shop frozen, a category renamed)
writes an `IndexChange` row in its own transaction; when that commits, a background task
(tasks.sync_index) writes the documents to every engine. A rolled-back change leaves no
row, so it is never indexed; an engine that is away keeps the rows pending and the task
comes back later, so nothing is dropped. A row whose task was lost (the process died
between the commit and the enqueue) is picked up by the next sync, or by the worker's
sweep (`marketplace.worker.worker_sweep`) within seconds.

Every write that changes a document either saves a model (the receivers below) or, when it
bypasses the signals with a bulk update, sends `marketplace.catalogue.signals.goods_changed`.
"""

import logging
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace import page_cache
from marketplace.catalogue.signals import goods_changed
from marketplace.worker import worker_sweep
from shops.models import Bumkam, Kampung, Kecamatan, Producer, Regency

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
# A pending row older than this has lost its task (a fresh one's task is on its way).
LOST_AFTER = timezone.timedelta(seconds=10)
# Syncs take this advisory lock (namespace "SE", key 1) one after another: two syncs writing
# one product at once could otherwise let the older document land last.
SYNC_LOCK = (0x5345, 1)


def queue_products(product_ids) -> None:
    """Record that these products' documents must be written again, in the current
    transaction, and have the task run once it commits."""
    ids = {int(pk) for pk in product_ids if pk}
    if not ids:
        return
    IndexChange.objects.bulk_create([IndexChange(product_id=pk) for pk in sorted(ids)])
    if not any(isinstance(func, _SyncOnCommit) and not func.ran for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_SyncOnCommit())


class _SyncOnCommit:
    """One sync task per transaction, however many changes it journals. A callback that
    has run does not count: a test's captured callbacks run but stay listed."""

    ran = False

    def __call__(self) -> None:
        from .tasks import sync_index

        self.ran = True
        sync_index.enqueue()


@contextmanager
def _one_sync_at_a_time():
    """A session lock, released once the batch's transaction is over (a transaction lock
    would outlive it in a test's transaction and hold a server's sync back)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", SYNC_LOCK)
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", SYNC_LOCK)
        except DatabaseError:  # the connection is gone, and its lock with it
            logger.warning("search index: could not release the sync lock", exc_info=True)


def sync_pending() -> int:
    """Write every pending change to every engine; the number of changes done. Raises
    IndexUnavailable (the rows stay pending) when an engine cannot be reached; PostgreSQL
    has been written by then, so searches falling back to it see the change. Pending rows
    of any age are taken, so the next sync also does what a lost task left behind."""
    done = 0
    while True:
        with _one_sync_at_a_time(), transaction.atomic():
            changes = list(IndexChange.objects.filter(done_at=None).order_by("id")
                           .select_for_update(skip_locked=True)[:BATCH])
            if not changes:
                break
            docs, removed = product_documents({change.product_id for change in changes})
            # Listings read the index: a page stored between the change and this sync is stale.
            page_cache.changed("goods")
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
    with _one_sync_at_a_time(), transaction.atomic():
        replayed = set(IndexChange.objects.filter(id__gt=mark).values_list("product_id", flat=True))
        if replayed:
            docs, removed = product_documents(replayed)
            for engine in engines():
                engine.write(docs, removed)
    return len(replayed)


def pending_resume() -> bool:
    """Enqueue a sync when changes wait whose task was lost and no sync is queued or
    running (one deferred by an engine that is away counts as queued). Run by the worker's
    sweep; True if a sync was enqueued."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import sync_index

    if not IndexChange.objects.filter(done_at=None, created_at__lte=timezone.now() - LOST_AFTER).exists():
        return False
    if DBTaskResult.objects.filter(task_path=sync_index.module_path,
                                   status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists():
        return False
    logger.warning("search index: changes left pending by a lost task; syncing them")
    sync_index.enqueue()
    return True


# -- what changes a document

def _product_saved(sender, instance, **kwargs):
    queue_products([instance.pk])


def _product_row_saved(sender, instance, **kwargs):
    """A stock record or a category link: a row of its product."""
    queue_products([instance.product_id])


def _categories_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if action in ("post_add", "post_remove", "post_clear", "pre_clear"):
        queue_products((pk_set or []) if reverse else [instance.pk])


def _goods_changed(sender, product_ids, **kwargs):
    queue_products(product_ids)


def _category_saved(sender, instance, **kwargs):
    """Every save, not only a rename: the dashboard's move form saves first, then moves the
    node (treebeard rewrites the paths in SQL); the family is the same set either way."""
    family = Category.objects.filter(path__startswith=instance.path).values_list("pk", flat=True)
    queue_products(products_changed_by(category_ids=list(family)))


def _shops_products(shops) -> list[int]:
    return products_changed_by(shop_ids=list(shops.values_list("pk", flat=True)))


# Fields of the places, shops and producers that a document holds, and the products each
# row's change reaches; a save that leaves them alone (a shop's payout account, a regency
# set up again by the demo) queues nothing.
WATCHED = {
    Bumkam: (("name", "status", "kampung_id"),
             lambda shop: products_changed_by(shop_ids=[shop.pk])),
    Producer: (("name",), lambda producer: products_changed_by(producer_ids=[producer.pk])),
    Kampung: (("name", "slug", "kecamatan_id"), lambda kampung: _shops_products(Bumkam.objects.filter(kampung=kampung))),
    Kecamatan: (("name", "code", "regency_id"),
                lambda kecamatan: _shops_products(Bumkam.objects.filter(kampung__kecamatan=kecamatan))),
    Regency: (("name",), lambda regency: _shops_products(Bumkam.objects.filter(kampung__kecamatan__regency=regency))),
}


def _remember(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before the save: what the row held of the watched fields."""
    fields, _products = WATCHED[sender]
    if update_fields is not None:
        saved = {sender._meta.get_field(name).attname for name in update_fields}
        fields = [name for name in fields if name in saved]
    before = None
    if instance.pk is not None and fields and not raw:
        before = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    instance._search_before = before


def _watched_saved(sender, instance, created, **kwargs):
    before = instance.__dict__.pop("_search_before", None)
    if created or not before:
        return
    if any(getattr(instance, name) != value for name, value in before.items()):
        _fields, products = WATCHED[sender]
        queue_products(products(instance))


def _shop_deleted(sender, instance, **kwargs):
    """Before the row goes: its products must leave the index."""
    queue_products(products_changed_by(shop_ids=[instance.pk]))


def _worker_swept(sender, **kwargs):
    pending_resume()


def connect() -> None:
    """Called once by the app's ready()."""
    for signal in (post_save, post_delete):
        signal.connect(_product_saved, sender=Product, dispatch_uid=f"search-product-{signal}")
        signal.connect(_product_row_saved, sender=StockRecord, dispatch_uid=f"search-stock-{signal}")
        signal.connect(_product_row_saved, sender=ProductCategory, dispatch_uid=f"search-pc-{signal}")
    m2m_changed.connect(_categories_changed, sender=ProductCategory, dispatch_uid="search-categories")
    goods_changed.connect(_goods_changed, dispatch_uid="search-goods")
    post_save.connect(_category_saved, sender=Category, dispatch_uid="search-category")
    for model in WATCHED:
        pre_save.connect(_remember, sender=model, dispatch_uid=f"search-before-{model._meta.label}")
        post_save.connect(_watched_saved, sender=model, dispatch_uid=f"search-after-{model._meta.label}")
    pre_delete.connect(_shop_deleted, sender=Bumkam, dispatch_uid="search-shop-deleted")
    worker_sweep.connect(_worker_swept, dispatch_uid="search-sweep")


__all__ = ["IndexUnavailable", "connect", "pending_resume", "queue_products", "rebuild", "sync_pending"]
