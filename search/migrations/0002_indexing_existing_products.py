"""Products listed before the index existed are journalled, so that the next sync (the
worker's, `search_index --sync`, or load_demo's) writes their documents."""

from django.db import migrations

BATCH = 5000


def journal_every_product(apps, schema_editor):
    Product = apps.get_model("catalogue", "Product")
    IndexChange = apps.get_model("search", "IndexChange")
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        IndexChange.objects.bulk_create([IndexChange(product_id=pk) for pk in ids[start:start + BATCH]])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_product_documents"),
    ]

    operations = [migrations.RunPython(journal_every_product, migrations.RunPython.noop)]
