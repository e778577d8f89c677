"""Shop stories saved before the sanitizer are cleaned once (see shops/rich_text.py)."""

from django.db import migrations


def clean_stories(apps, schema_editor):
    from shops.rich_text import clean_html

    Bumkam = apps.get_model("shops", "Bumkam")
    for bumkam in Bumkam.objects.exclude(story="").only("pk", "story"):
        if clean_html(bumkam.story) != bumkam.story:
            Bumkam.objects.filter(pk=bumkam.pk).update(story=clean_html(bumkam.story))


class Migration(migrations.Migration):
    dependencies = [("shops", "0005_money_payout_account_change_and_audit")]

    operations = [migrations.RunPython(clean_stories, migrations.RunPython.noop)]
