"""Site search on PostgreSQL in the article's own language (articles/search.py).

Migration 0005's trigger made every stored vector with the "english" text
search configuration: a Russian article's "Казахстане" was kept as it is,
and the query "Казахстан" missed it. Now the configuration follows
``Article.language``:

* ``articles_search_config(language)``: the configuration of a BCP 47
  language, by its primary subtag (``ru`` -> russian, ``en`` -> english,
  ``ar`` -> arabic ...), for each of those PostgreSQL has (the mapping below
  is kept to the configurations ``pg_ts_config`` lists when this runs), else
  ``simple``: PostgreSQL has no stemmer for Dari (``fa-AF``) or Pashto
  (``ps``), and ``simple`` keeps their words as they are, in lower case.
  IMMUTABLE, so that a query naming a constant language is planned as the
  constant configuration (and the GIN index still answers it).
* the trigger function of migration 0005 (same name) computes both vectors
  with the row's configuration, and now also fires when ``language``
  changes; the rows not in English get their vectors again.

Why not a generated column: PostgreSQL refuses ``to_tsvector(config, ...)``
with a configuration read from the row in a generated column (a cast from
text to regconfig is not immutable), and 0005's reason against generated
columns still holds. Why not a stored ``search_config`` column: the
function of the language is enough, and Django never sees it.

SEARCH_CONFIGS is a frozen copy of ``articles.search_languages.LANGUAGE_SEARCH_CONFIGS``
(a migration must not change when the code does); a test keeps them equal.
SQLite: its FTS5 index (migration 0006) splits every script into words the
same way, and needs no language. But 0019's new columns made SQLite rebuild
articles_article, and the index's triggers went with the old table: they
are made again here, and the index rebuilt from the rows, which the
articles written since 0019 may have left behind.
"""

from importlib import import_module

from django.db import migrations

search_index = import_module("articles.migrations.0006_search_fts_sqlite")

CONFIG_FUNCTION = "articles_search_config"
FUNCTION_NAME = "articles_article_search_vectors"  # migration 0005's
TRIGGER_NAME = "articles_article_search_vectors"

SEARCH_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


def _config_function_sql(available: set[str]) -> str:
    cases = "\n".join(
        f"        WHEN '{code}' THEN '{config}'::regconfig"
        for code, config in sorted(SEARCH_CONFIGS.items())
        if config in available
    )
    return f"""CREATE OR REPLACE FUNCTION {CONFIG_FUNCTION}(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lower(split_part(COALESCE(language, ''), '-', 1))
{cases}
        ELSE 'simple'::regconfig
    END
$$"""


def _vectors_sql(row: str, config: str) -> tuple[str, str]:
    title = f"setweight(to_tsvector({config}, COALESCE({row}title, '')), 'A')"
    document = f"setweight(to_tsvector({config}, COALESCE({row}search_document, '')), 'B')"
    return f"{title} || {document}", title


def _trigger_sql(config: str, columns: str) -> list[str]:
    vector, title_vector = _vectors_sql("NEW.", config)
    return [
        f"""CREATE OR REPLACE FUNCTION {FUNCTION_NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := {vector};
    NEW.search_title_vector := {title_vector};
    RETURN NEW;
END
$$""",
        f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON articles_article",
        f"CREATE TRIGGER {TRIGGER_NAME} BEFORE INSERT OR UPDATE OF {columns}"
        f" ON articles_article FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}()",
    ]


def _refill_sql(config: str, where: str) -> str:
    vector, title_vector = _vectors_sql("", config)
    return (
        f"UPDATE articles_article SET search_vector = {vector},"
        f" search_title_vector = {title_vector} WHERE {where}"
    )


ROW_CONFIG = f"{CONFIG_FUNCTION}(language)"
FORWARD_SQL = [
    *_trigger_sql(f"{CONFIG_FUNCTION}(NEW.language)", "title, search_document, language"),
    _refill_sql(ROW_CONFIG, f"{ROW_CONFIG} <> 'english'::regconfig"),
]
BACKWARD_SQL = [
    _refill_sql("'english'::regconfig", f"{ROW_CONFIG} <> 'english'::regconfig"),
    *_trigger_sql("'english'::regconfig", "title, search_document"),
    f"DROP FUNCTION IF EXISTS {CONFIG_FUNCTION}(text)",
]


def available_configs(schema_editor) -> set[str]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        return {row[0] for row in cursor.fetchall()}


def add_language(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_config_function_sql(available_configs(schema_editor)))
        for sql in FORWARD_SQL:
            schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "sqlite":
        search_index.recreate_triggers(schema_editor)
        table = search_index.FTS_TABLE
        schema_editor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")


def remove_language(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD_SQL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0019_article_language"),
    ]

    operations = [
        migrations.RunPython(add_language, remove_language),
    ]
