"""Sources and citations (issue 12): Source, ArticleReference and Citation;
Article's verifiability columns; a population figure's range, method and
source.

Adding NOT NULL columns makes SQLite rebuild ``articles_article``, and the
search index's triggers (migration 0006) go with the old table: they are
put back after the columns are added, and again after they are removed when
this migration is reversed.
"""

import importlib

import articles.models
import django.core.validators
import django.db.models.deletion
import people.models
from django.db import migrations, models


_search_index = importlib.import_module("articles.migrations.0006_search_fts_sqlite")


def restore_search_triggers(apps, schema_editor):
    _search_index.recreate_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_related_group'),
    ]

    operations = [
        # Reversed last: the triggers come back after the columns go.
        migrations.RunPython(migrations.RunPython.noop, restore_search_triggers),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type', models.CharField(choices=[('web', 'Web page'), ('news', 'News article'), ('book', 'Book'), ('journal', 'Journal article'), ('report', 'Report'), ('dataset', 'Dataset')], default='web', max_length=10)),
                ('title', models.CharField(max_length=255, validators=[people.models.validate_line])),
                ('authors', models.JSONField(blank=True, default=list, help_text='The names, in order.')),
                ('work', models.CharField(blank=True, help_text='The website, newspaper or journal.', max_length=255, validators=[people.models.validate_line])),
                ('publisher', models.CharField(blank=True, max_length=255, validators=[people.models.validate_line])),
                ('date', models.CharField(blank=True, help_text='ISO 8601: 2019, 2019-06 or 2019-06-12.', max_length=10)),
                ('url', models.CharField(blank=True, max_length=2000, verbose_name='URL')),
                ('isbn', models.CharField(blank=True, max_length=32, verbose_name='ISBN')),
                ('doi', models.CharField(blank=True, max_length=255, verbose_name='DOI')),
                ('language', models.CharField(blank=True, max_length=35, validators=[people.models.validate_line])),
                ('archive_url', models.CharField(blank=True, max_length=2000, verbose_name='archive URL')),
                ('archive_date', models.CharField(blank=True, max_length=10)),
                ('identity', models.CharField(editable=False, max_length=64, unique=True)),
                ('slug', models.SlugField(allow_unicode=True, max_length=255, unique=True)),
                ('created', articles.models.MillisecondDateTimeField(auto_now_add=True)),
                ('updated', articles.models.MillisecondDateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['title', 'id'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='citations_needed',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='article',
            name='cited_paragraphs',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='article',
            name='paragraphs',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='populationfigure',
            name='high',
            field=models.PositiveBigIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(1000000000000)]),
        ),
        migrations.AddField(
            model_name='populationfigure',
            name='locator',
            field=models.CharField(blank=True, help_text='p. 42, table 3...', max_length=100),
        ),
        migrations.AddField(
            model_name='populationfigure',
            name='low',
            field=models.PositiveBigIntegerField(blank=True, help_text='The lowest figure of a range; the count stays the headline figure.', null=True, validators=[django.core.validators.MaxValueValidator(1000000000000)]),
        ),
        migrations.AddField(
            model_name='populationfigure',
            name='method',
            field=models.CharField(blank=True, choices=[('census', 'Census'), ('estimate', 'Estimate'), ('survey', 'Survey'), ('other', 'Other')], max_length=10),
        ),
        migrations.CreateModel(
            name='ArticleReference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0)),
                ('key', models.CharField(help_text='As the markers write it: [^smith] is smith.', max_length=50)),
                ('accessed', models.CharField(blank=True, help_text="When this article's editor read it (ISO 8601).", max_length=10)),
                ('quote', models.CharField(blank=True, max_length=1000)),
                ('extras', models.JSONField(blank=True, default=list)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='references', to='articles.article')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='references', to='articles.source')),
            ],
            options={
                'verbose_name': 'reference',
                'ordering': ['position', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Citation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0)),
                ('locator', models.CharField(blank=True, help_text='p. 42, pp. 50–52, § 3', max_length=100)),
                ('place', models.CharField(max_length=80)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='citations', to='articles.article')),
                ('reference', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='citations', to='articles.articlereference')),
            ],
            options={
                'ordering': ['position', 'id'],
                'abstract': False,
            },
        ),
        migrations.AddField(
            model_name='populationfigure',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='population_figures', to='articles.source'),
        ),
        migrations.AddConstraint(
            model_name='articlereference',
            constraint=models.UniqueConstraint(fields=('article', 'key'), name='unique_article_reference'),
        ),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
    ]
