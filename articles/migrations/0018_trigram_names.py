"""Search that forgives (articles/search_forgiving.py), on PostgreSQL: the
pg_trgm extension and GIN trigram indexes on the names compared, so that
``name %> query`` reads an index instead of every name. SQLite compares the
names in Python; this migration does nothing there (TrigramExtension skips
other databases itself)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (index, table, column): the names search_forgiving compares.
INDEXES = (
    ("articles_article_title_trgm", "articles_article", "title"),
    ("people_person_name_trgm", "people_person", "name"),
    ("people_alias_name_trgm", "people_alias", "name"),
    ("people_place_name_trgm", "people_place", "name"),
)


class PostgresTrigramExtension(TrigramExtension):
    """TrigramExtension skips other databases going forwards, not backwards:
    unapplying it on SQLite would read pg_extension."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, table, column in INDEXES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _table, _column in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0017_article_render_page"),
        ("people", "0003_place_name_key_unique"),
    ]

    operations = [
        PostgresTrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
