"""Place.name_key: places are unique by name_key (NFC, invisible characters
removed, case folded; articles/wikitext/names.py), so that "Kabul" and
"kabul" cannot be two places whose export would not import back.

Existing rows get their key; should two existing places already share one,
the later (by id) gets its id appended so that the migration never fails:
the admin then shows the clash when it is next saved, for an editor to
merge by hand. The unique constraint is added by the next migration: on
PostgreSQL an ALTER TABLE after updates in one transaction can fail with
"pending trigger events".
"""

from django.db import migrations, models

import people.models


def fill_keys(apps, schema_editor):
    from articles.wikitext.names import name_key

    Place = apps.get_model("people", "Place")
    seen = set()
    for place in Place.objects.order_by("pk").only("pk", "name").iterator():
        key = name_key(place.name)
        if key in seen:
            key = f"{key}#{place.pk}"
        seen.add(key)
        Place.objects.filter(pk=place.pk).update(name_key=key)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="place",
            name="name_key",
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
