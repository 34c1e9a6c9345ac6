"""Site search on SQLite from an FTS5 index (articles/search.py).

Without it, SQLite's search read every article's whole search document with
LIKE for every query: seconds per search at 100,000 articles. This adds an
external-content FTS5 table over the title and the search document, filled
from the existing rows and kept in step by triggers on every INSERT, DELETE
and UPDATE of the title or the search document (whichever way the row is
written: save, ``update(search_document=...)``, bulk_create, loaddata).

The table is no model: Django never reads or writes it, and it stays out of
dumpdata. One caution: when a later migration makes SQLite rebuild
``articles_article`` (most AlterField and RemoveField operations do), the
triggers go with the old table; tests/search/test_search_scale.py checks
that they exist after all migrations, and ``recreate_triggers`` here puts
them back (the rows keep their ids, so the index stays valid).

Other databases (PostgreSQL: migration 0005) get nothing here.
"""

from django.db import migrations

FTS_TABLE = "articles_article_fts"
TRIGGERS = {
    "articles_article_fts_insert": f"""
        CREATE TRIGGER IF NOT EXISTS articles_article_fts_insert
        AFTER INSERT ON articles_article BEGIN
            INSERT INTO {FTS_TABLE}(rowid, title, search_document)
            VALUES (new.id, new.title, new.search_document);
        END""",
    "articles_article_fts_delete": f"""
        CREATE TRIGGER IF NOT EXISTS articles_article_fts_delete
        AFTER DELETE ON articles_article BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, search_document)
            VALUES ('delete', old.id, old.title, old.search_document);
        END""",
    "articles_article_fts_update": f"""
        CREATE TRIGGER IF NOT EXISTS articles_article_fts_update
        AFTER UPDATE OF title, search_document ON articles_article BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, search_document)
            VALUES ('delete', old.id, old.title, old.search_document);
            INSERT INTO {FTS_TABLE}(rowid, title, search_document)
            VALUES (new.id, new.title, new.search_document);
        END""",
}

FORWARD_SQL = [
    # Words of letters and digits, case and diacritics folded, then reduced
    # to their stems (porter: English, as PostgreSQL's "english" search).
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        title, search_document,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    *TRIGGERS.values(),
]

BACKWARD_SQL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def recreate_triggers(schema_editor) -> None:
    """For a later migration that rebuilt articles_article on SQLite."""
    if schema_editor.connection.vendor == "sqlite":
        for sql in TRIGGERS.values():
            schema_editor.execute(sql)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in FORWARD_SQL:
            schema_editor.execute(sql)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in BACKWARD_SQL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0005_search_vector"),
    ]

    operations = [
        migrations.RunPython(add_index, remove_index),
    ]
