"""Related (Wikipedia's related/related_groups) becomes a typed infobox
field: the other infobox rows keyed "Related" become RelatedGroup rows, and
back. The rows' positions are places among all the infobox's rows, and the
number of rows does not change either way, so the other rows' positions
stay true."""

import articles.models
import django.db.models.deletion
from django.db import migrations, models

from articles import wikitext
from articles.wikitext.values import InfoboxValueError


def _titles(value: str) -> list[str]:
    try:
        return wikitext.infobox.RELATED.read(value)
    except InfoboxValueError:
        # Typed by hand in the admin: keep what can be kept.
        titles, seen = [], set()
        for item in value.split(","):
            title = wikitext.names.normalize_name(item.strip()).strip("=").strip()
            if title and wikitext.name_key(title) not in seen:
                seen.add(wikitext.name_key(title))
                titles.append(title)
        return titles


def rows_to_related(apps, schema_editor):
    InfoboxRow = apps.get_model("articles", "InfoboxRow")
    RelatedGroup = apps.get_model("articles", "RelatedGroup")
    for row in InfoboxRow.objects.order_by("article_id", "position", "id"):
        if row.key.casefold() != "related":
            continue
        taken = set(RelatedGroup.objects.filter(article_id=row.article_id)
                    .values_list("title", flat=True))
        position = len(taken)
        for title in _titles(row.value):
            if title not in taken:
                RelatedGroup.objects.create(article_id=row.article_id, title=title, position=position)
                taken.add(title)
                position += 1
        row.delete()


def related_to_rows(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    InfoboxRow = apps.get_model("articles", "InfoboxRow")
    RelatedGroup = apps.get_model("articles", "RelatedGroup")
    ids = RelatedGroup.objects.values_list("article_id", flat=True).distinct()
    for article in Article.objects.filter(pk__in=list(ids)):
        titles = list(RelatedGroup.objects.filter(article=article)
                      .order_by("position", "id").values_list("title", flat=True))
        # Where the writer put the typed row: after the typed rows before it.
        typed = [
            key for key, present in (
                ("Group", bool(article.group_name)),
                ("Population", article.population is not None or bool(article.population_note)),
                ("Popplace", article.place_rows.exists()),
                ("Langs", article.language_rows.exists()),
                ("Rels", article.religion_rows.exists()),
                ("Related", True),
            ) if present
        ]
        extras = [(r.position, r.key) for r in InfoboxRow.objects.filter(article=article)]
        position = wikitext.merge_rows(typed, extras).index("Related")
        InfoboxRow.objects.create(
            article=article, key="Related", value=", ".join(titles), position=position
        )
    RelatedGroup.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_term_name_key_unique'),
    ]

    operations = [
        migrations.CreateModel(
            name='RelatedGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0)),
                ('title', models.CharField(max_length=255, validators=[articles.models.validate_title])),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='related_rows', to='articles.article')),
            ],
            options={
                'verbose_name': 'related ethnic group',
                'ordering': ['position', 'id'],
                'abstract': False,
                'constraints': [models.UniqueConstraint(fields=('article', 'title'), name='unique_related_group')],
            },
        ),
        migrations.RunPython(rows_to_related, related_to_rows),
    ]
