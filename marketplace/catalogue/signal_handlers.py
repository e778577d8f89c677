"""A product photo's files go when its row is gone for good, not before.

Oscar deletes them in `post_delete` (OSCAR_DELETE_IMAGE_FILES), inside the transaction: a
replaced photo whose save then rolls back keeps its row and loses its file. Here the files
(the original and sorl's thumbnails) are deleted only after the transaction commits."""

from django.db import models, transaction
from oscar.core.thumbnails import get_thumbnailer


def image_files_delete_on_commit(sender, instance, **kwargs):
    for field in instance._meta.fields:
        if isinstance(field, models.ImageField) and (field_file := getattr(instance, field.name)):
            transaction.on_commit(lambda field_file=field_file: get_thumbnailer().delete_thumbnails(field_file))


def connect():
    from django.db.models.signals import post_delete
    from oscar.core.loading import get_model

    for model in (get_model("catalogue", "ProductImage"), get_model("catalogue", "Category")):
        post_delete.connect(image_files_delete_on_commit, sender=model, dispatch_uid=f"image_files_{model.__name__}")
