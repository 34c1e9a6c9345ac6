"""The GIN index behind site search on PostgreSQL (articles/search.py).

Its expression is the SQL Django writes for ``articles.search.SEARCH_VECTOR``
(title weighted A, search document weighted B, "english" configuration): the
planner only uses an expression index for the very same expression. Other
databases have no full-text index; this migration does nothing there.
"""

from django.db import migrations

INDEX_NAME = "articles_article_search_idx"

CREATE_SQL = f"""
CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON articles_article USING gin ((
    setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE(search_document, '')), 'B')
))
"""

DROP_SQL = f"DROP INDEX IF EXISTS {INDEX_NAME}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
