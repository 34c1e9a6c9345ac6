"""Language.name_key and Religion.name_key: terms are unique by name_key
(NFC, invisible characters removed, case folded; articles/wikitext/names.py),
so that "Dari" and "dari" cannot be two languages whose export
("Langs: Dari, dari") would not import back.

Existing rows get their key; should two already share one, the later (by
id) gets its id appended so that the migration never fails, and the admin
shows the clash when it is next saved. 0009_term_name_key_unique makes the key unique (a separate
migration: on PostgreSQL an ALTER TABLE after updates in one transaction can
fail with "pending trigger events").
"""

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    from articles.wikitext.names import name_key

    for model_name in ("Language", "Religion"):
        model = apps.get_model("articles", model_name)
        seen = set()
        for term in model.objects.order_by("pk").only("pk", "name").iterator():
            key = name_key(term.name)
            if key in seen:
                key = f"{key}#{term.pk}"
            seen.add(key)
            model.objects.filter(pk=term.pk).update(name_key=key)


def _key() -> models.CharField:
    return models.CharField(editable=False, max_length=255, null=True)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_search_fts_sqlite"),
        ("people", "0003_place_name_key_unique"),
    ]

    operations = [
        migrations.AddField(model_name="language", name="name_key", field=_key()),
        migrations.AddField(model_name="religion", name="name_key", field=_key()),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
