"""Place.name_key unique (filled by 0002), and names checked by validate_name."""

from django.db import migrations, models

import people.models


class Migration(migrations.Migration):
    dependencies = [("people", "0002_place_name_key")]

    operations = [
        migrations.AlterField(
            model_name="place",
            name="name_key",
            field=models.CharField(editable=False, max_length=255, unique=True),
        ),
        migrations.AlterField(
            model_name="alias",
            name="name",
            field=models.CharField(max_length=255, validators=[people.models.validate_name]),
        ),
        migrations.AlterField(
            model_name="person",
            name="name",
            field=models.CharField(max_length=255, validators=[people.models.validate_name]),
        ),
        migrations.AlterField(
            model_name="place",
            name="name",
            field=models.CharField(
                max_length=255, unique=True, validators=[people.models.validate_name]
            ),
        ),
    ]
