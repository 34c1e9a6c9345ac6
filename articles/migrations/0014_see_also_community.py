"""Related communities through indexes (issue 14): each See also row keeps
its title read as a community (communities.community_from_title), filled
here for the rows there are; and the indexes selectors.related_articles
uses, on those and on the articles' group and host country."""

from django.db import migrations, models

from articles.communities import community_from_title

BATCH = 1000


def fill(apps, schema_editor):
    SeeAlso = apps.get_model("articles", "SeeAlso")
    rows = SeeAlso.objects.using(schema_editor.connection.alias).only("target_title")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        row.target_group, row.target_host = community_from_title(row.target_title) or ("", "")
        if row.target_group:  # the others keep the column's "", unwritten
            batch.append(row)
        if len(batch) == BATCH:
            SeeAlso.objects.bulk_update(batch, ["target_group", "target_host"])
            batch = []
    if batch:
        SeeAlso.objects.bulk_update(batch, ["target_group", "target_host"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_mediawiki'),
    ]

    operations = [
        migrations.AddField(
            model_name='seealso',
            name='target_group',
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name='seealso',
            name='target_host',
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        # Reversed: nothing to undo, the columns go with their values.
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='seealso',
            index=models.Index(fields=['target_group', 'target'], name='seealso_group_unlinked'),
        ),
        migrations.AddIndex(
            model_name='seealso',
            index=models.Index(fields=['target_host', 'target'], name='seealso_host_unlinked'),
        ),
        migrations.AddIndex(
            model_name='seealso',
            index=models.Index(fields=['target_title', 'target'], name='seealso_title_unlinked'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['origin_group', 'status'], name='article_group_status'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['host_country', 'status'], name='article_host_status'),
        ),
    ]
