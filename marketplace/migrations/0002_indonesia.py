from django.db import migrations


def add_indonesia(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="ID",
        defaults={"iso_3166_1_a3": "IDN", "iso_3166_1_numeric": "360", "printable_name": "Indonesia",
                  "name": "Republik Indonesia", "is_shipping_country": True},
    )


class Migration(migrations.Migration):
    """Buyers ship within Indonesia: Oscar's addresses need the country to exist."""

    dependencies = [("marketplace", "0001_initial"), ("address", "0001_initial")]

    operations = [migrations.RunPython(add_indonesia, migrations.RunPython.noop)]
