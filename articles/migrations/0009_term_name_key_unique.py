"""Language.name_key and Religion.name_key unique (filled by 0007_term_name_key), and term
names checked by validate_name."""

from django.db import migrations, models

import people.models


def _key() -> models.CharField:
    return models.CharField(editable=False, max_length=255, unique=True)


def _name() -> models.CharField:
    return models.CharField(max_length=255, unique=True, validators=[people.models.validate_name])


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_import_job")]

    operations = [
        migrations.AlterField(model_name="language", name="name_key", field=_key()),
        migrations.AlterField(model_name="religion", name="name_key", field=_key()),
        migrations.AlterField(model_name="language", name="name", field=_name()),
        migrations.AlterField(model_name="religion", name="name", field=_name()),
    ]
