"""MediaWiki import (issue 13): an article's description for search
engines, its interlanguage links, and the contributor of each revision
imported from a wiki. Editors edit interlanguage links like the article's
other rows (all actions)."""

from importlib import import_module

import django.core.validators
import django.db.models.deletion
import people.models
from django.db import migrations, models


editors_group = import_module("articles.migrations.0003_editors_group")
# Adding a column rebuilds articles_article on SQLite, and its search
# triggers go with the old table (see 0006).
search_index = import_module("articles.migrations.0006_search_fts_sqlite")

ACTIONS = {("articles", "interlanguagelink"): editors_group.ALL_ACTIONS}


def grant(apps, schema_editor):
    editors_group.grant_actions(apps, schema_editor, ACTIONS)


def revoke(apps, schema_editor):
    editors_group.revoke_actions(apps, schema_editor, ACTIONS)


def restore_search_triggers(apps, schema_editor):
    search_index.recreate_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0012_editors_sources'),
        ('reversion', '0002_add_index_on_version_for_content_type_and_db'),
    ]

    operations = [
        # Reversed last: the triggers come back after the column goes.
        migrations.RunPython(migrations.RunPython.noop, restore_search_triggers),
        migrations.AddField(
            model_name='article',
            name='description',
            field=models.CharField(blank=True, help_text="One line for search engines; empty: the lead's first words.", max_length=300, validators=[people.models.validate_line]),
        ),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
        migrations.CreateModel(
            name='RevisionOrigin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('contributor', models.CharField(blank=True, max_length=255)),
                ('wiki_revision_id', models.BigIntegerField(blank=True, null=True)),
                ('revision', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='origin', to='reversion.revision')),
            ],
        ),
        migrations.CreateModel(
            name='InterlanguageLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(help_text='A language code: ru, fa, ps...', max_length=20, validators=[django.core.validators.RegexValidator('\\A[a-z]{2,8}(-[a-z0-9]{1,8})*\\Z', 'A language code is lowercase letters, with parts after hyphens: ru, fa, zh-min-nan.')])),
                ('title', models.CharField(max_length=255, validators=[people.models.validate_line])),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interlanguage_links', to='articles.article')),
            ],
            options={
                'ordering': ['language', 'id'],
                'constraints': [models.UniqueConstraint(fields=('article', 'language'), name='one_link_per_language')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
