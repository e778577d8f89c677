"""Transfer proofs leave public media: each existing proof is checked (a photo re-encoded,
a PDF read), moved into private storage under a random name, and its public copy deleted."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import migrations, models, transaction

import marketplace.files
import marketplace.models


def move_proofs_to_private_storage(apps, schema_editor):
    from marketplace.files import checked_document, private_storage, random_name

    Checkout = apps.get_model("marketplace", "Checkout")
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    private = private_storage()
    for checkout in Checkout.objects.exclude(payment_proof="").only("pk", "payment_proof").iterator():
        name = checkout.payment_proof.name
        if not public.exists(name):
            continue  # already private, or lost before this migration: nothing public to move
        with public.open(name, "rb") as source:
            data = source.read()
        try:
            checked = checked_document(ContentFile(data, name="proof"))
            content, extension = checked.content, checked.extension
        except ValidationError:  # kept for the admin, but only ever served as a download
            content, extension = data, ".bin"
        stored = private.save(random_name("bukti-transfer", f"proof{extension}"), ContentFile(content))
        Checkout.objects.filter(pk=checkout.pk).update(payment_proof=stored)
        transaction.on_commit(lambda name=name: public.delete(name))


class Migration(migrations.Migration):

    dependencies = [
        ("marketplace", "0007_provider_refunded"),
    ]

    operations = [
        migrations.AlterField(
            model_name="checkout",
            name="payment_proof",
            field=models.FileField(blank=True, max_length=200, storage=marketplace.files.private_storage,
                                   upload_to=marketplace.models.payment_proof_upload_to,
                                   verbose_name="bukti transfer"),
        ),
        migrations.RunPython(move_proofs_to_private_storage, migrations.RunPython.noop),
    ]
