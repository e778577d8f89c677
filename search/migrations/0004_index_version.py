from django.db import migrations, models


def first_version(apps, schema_editor):
    apps.get_model("search", "IndexVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0003_search_facet_and_listing_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexVersion",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
