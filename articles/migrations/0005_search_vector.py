"""Site search on PostgreSQL from stored vectors (articles/search.py).

Migration 0002 indexed an expression: the index found the matching rows, but
ranking (ts_rank) and the recheck of every match recomputed to_tsvector from
the whole search document, about 1 ms per matching article. This migration
stores the vectors in two columns that a trigger fills on every INSERT, and
on every UPDATE of the title or the search document, whichever way the row
is written (save, ``update(search_document=...)`` in
services.search_document_update, bulk_create, loaddata):

* ``search_vector``: title (weight A) and search document (weight B), the
  very expression of migration 0002. The GIN index
  ``articles_article_search_idx`` (same name as before) is on this column.
* ``search_title_vector``: the title alone (weight A), a few bytes kept in
  the row, with its own GIN index ``articles_article_search_title_idx``.
  When a query matches more than search.RESULT_LIMIT articles, those whose
  title matches come first, ranked by this vector, then the others by
  title: no matching document's vector is read for ranking.

A trigger rather than generated columns: PostgreSQL refuses to change the
type of a column that a generated column reads, so a later migration
altering ``title`` would fail; a trigger does not stand in its way.

The columns are not model fields: Django never reads or writes them (they
stay out of dumpdata, revisions and every ``Article`` fetch) and search.py
names them. Other databases get nothing here.
"""

from django.db import migrations

INDEX_NAME = "articles_article_search_idx"
VECTOR_COLUMN = "search_vector"
TITLE_VECTOR_COLUMN = "search_title_vector"
TITLE_INDEX_NAME = "articles_article_search_title_idx"
FUNCTION_NAME = "articles_article_search_vectors"
TRIGGER_NAME = "articles_article_search_vectors"


def _vector_sql(row: str) -> str:
    return (
        f"setweight(to_tsvector('english'::regconfig, COALESCE({row}title, '')), 'A')"
        f" || setweight(to_tsvector('english'::regconfig, COALESCE({row}search_document, '')), 'B')"
    )


def _title_vector_sql(row: str) -> str:
    return f"setweight(to_tsvector('english'::regconfig, COALESCE({row}title, '')), 'A')"


FORWARD_SQL = [
    f"DROP INDEX IF EXISTS {INDEX_NAME}",
    f"ALTER TABLE articles_article ADD COLUMN {VECTOR_COLUMN} tsvector,"
    f" ADD COLUMN {TITLE_VECTOR_COLUMN} tsvector",
    f"""CREATE FUNCTION {FUNCTION_NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.{VECTOR_COLUMN} := {_vector_sql("NEW.")};
    NEW.{TITLE_VECTOR_COLUMN} := {_title_vector_sql("NEW.")};
    RETURN NEW;
END
$$""",
    f"CREATE TRIGGER {TRIGGER_NAME} BEFORE INSERT OR UPDATE OF title, search_document"
    f" ON articles_article FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}()",
    f"UPDATE articles_article SET {VECTOR_COLUMN} = {_vector_sql('')},"
    f" {TITLE_VECTOR_COLUMN} = {_title_vector_sql('')}",
    f"CREATE INDEX {INDEX_NAME} ON articles_article USING gin ({VECTOR_COLUMN})",
    f"CREATE INDEX {TITLE_INDEX_NAME} ON articles_article USING gin ({TITLE_VECTOR_COLUMN})",
]

# Back to migration 0002's expression index.
BACKWARD_SQL = [
    f"DROP INDEX IF EXISTS {INDEX_NAME}",
    f"DROP INDEX IF EXISTS {TITLE_INDEX_NAME}",
    f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON articles_article",
    f"DROP FUNCTION IF EXISTS {FUNCTION_NAME}()",
    f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {VECTOR_COLUMN},"
    f" DROP COLUMN IF EXISTS {TITLE_VECTOR_COLUMN}",
    f"CREATE INDEX {INDEX_NAME} ON articles_article USING gin (({_vector_sql('')}))",
]


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD_SQL:
            schema_editor.execute(sql)


def remove_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD_SQL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0004_article_times_to_the_millisecond"),
    ]

    operations = [
        migrations.RunPython(add_vectors, remove_vectors),
    ]
