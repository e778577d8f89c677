"""Descriptions saved before the sanitizer are cleaned once; a category saved with an
empty slug (a name of symbols only) gets `kategori-<pk>`, so its pages have a URL again."""

from django.db import migrations


def clean_existing(apps, schema_editor):
    from shops.rich_text import clean_html

    Product = apps.get_model("catalogue", "Product")
    for product in Product.objects.exclude(description="").only("pk", "description").iterator():
        cleaned = clean_html(product.description)
        if cleaned != product.description:
            Product.objects.filter(pk=product.pk).update(description=cleaned)
    Category = apps.get_model("catalogue", "Category")
    for category in Category.objects.all().only("pk", "slug", "description", "long_description"):
        changes = {}
        if not category.slug.strip("-"):
            changes["slug"] = f"kategori-{category.pk}"
        for field in ("description", "long_description"):
            value = getattr(category, field) or ""
            if clean_html(value) != value:
                changes[field] = clean_html(value)
        if changes:
            Category.objects.filter(pk=category.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0033_product_bpom_number_product_halal_number_and_more")]

    operations = [migrations.RunPython(clean_existing, migrations.RunPython.noop)]
