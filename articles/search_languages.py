"""Which text search configuration reads an article, and a query, on
PostgreSQL (``articles.search`` searches with them; see its docstring).

An article's vectors are made with the configuration of its language
(migration 0020's SQL function ``articles_search_config``: ``russian`` for
a Russian article, ``simple`` for Dari and Pashto). A query is parsed with
the configurations its scripts need, and ``simple``, OR-ed
(``tsquery_sql``), with Russian stems forgiven.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings

# PostgreSQL's text search configuration for a language, by the primary
# subtag of its BCP 47 code, for those PostgreSQL 15 has a stemmer for
# (SELECT cfgname FROM pg_ts_config); any other language is "simple".
# migrations/0020_search_language.py holds a copy, as the SQL function
# articles_search_config(language); a test keeps the two equal.
LANGUAGE_SEARCH_CONFIGS = {
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
FALLBACK_CONFIG = "simple"


def search_config(language: str) -> str:
    """The text search configuration of ``language`` (BCP 47 or Django's
    lower-case code): ``russian`` for ``ru``, ``simple`` for ``fa-AF``."""
    primary = language.split("-", 1)[0].lower()
    return LANGUAGE_SEARCH_CONFIGS.get(primary, FALLBACK_CONFIG)


# The scripts whose words a configuration's stemmer changes; it leaves other
# words as "simple" does, so a query without a letter of them skips it (each
# configuration OR-ed costs the GIN index a lookup per word). A configuration
# not listed is always used.
STEMMED_SCRIPTS = {
    "english": {"LATIN"},
    "russian": {"CYRILLIC"},
}


def _scripts(text: str) -> set[str]:
    """The scripts of the letters of ``text``, as the first word of their
    Unicode names: LATIN, CYRILLIC, ARABIC, CJK ..."""
    return {unicodedata.name(ch, "?").split()[0] for ch in text if ch.isalpha()}


def query_configs(text: str) -> list[str]:
    """The configurations ``text`` is parsed with: those of the interface
    languages whose stemmer changes a word of it (STEMMED_SCRIPTS), and
    ``simple`` always (for the languages without a stemmer, and for words
    as an article in any other language writes them)."""
    scripts = _scripts(text)
    configs = {
        config
        for config in (search_config(code) for code, _name in settings.LANGUAGES)
        if STEMMED_SCRIPTS.get(config, scripts) & scripts
    }
    return sorted(configs | {FALLBACK_CONFIG})


# Configurations whose stems are forgiven (_forgiven_sql): Snowball's
# Russian stemmer takes the "-н" of "-ан"/"-ян" nouns for a verb's ending,
# so "Казахстан" is 'казахста' but "Казахстане" is 'казахстан'.
FORGIVEN_CONFIGS = ("russian",)
# Forgiven stems of at least this many Cyrillic letters also match as
# prefixes: 'город' finds "городской", but 'мир' does not find "Мирза".
PREFIX_MIN_LETTERS = 5

def _literal(text: str) -> str:
    """``text`` as an SQL string literal (text of this module, never input)."""
    return "'" + text.replace("'", "''") + "'"


def _forgiven_sql(config: str, parsed: str) -> str:
    """The tsquery ``parsed`` (of ``config``) with its stems stemmed once
    more, and those of PREFIX_MIN_LETTERS Cyrillic letters or more as
    prefixes: in its text each 'lexeme' becomes 'lexeme':*, and to_tsquery
    reads the text again, stemming each lexeme and keeping the operators
    (& | ! <->). "Казахстане" is 'казахстан', again 'казахста', the stem of
    "Казахстан"; "Казахстан" is 'казахста', again 'казахст':*, a prefix of
    both. A lexeme is quoted in the text; the pattern holds no quote and no
    space, so it cannot reach across two lexemes."""
    pattern = _literal("'([а-яё]{%d,})'" % PREFIX_MIN_LETTERS)
    replacement = _literal(r"'\1':*")
    return (
        f"to_tsquery('{config}'::regconfig,"
        f" regexp_replace(({parsed})::text, {pattern}, {replacement}, 'g'))"
    )


def tsquery_sql(text: str, *, parser: str = "websearch_to_tsquery") -> tuple[str, list[str]]:
    """SQL for the tsquery of ``text`` in every language searched: parsed
    by ``parser`` with each of query_configs(text), OR-ed, with the forgiven
    stems of FORGIVEN_CONFIGS. A constant expression: the GIN index on the
    stored vectors answers ``search_vector @@`` it."""
    parts, params = [], []
    for config in query_configs(text):
        parsed = f"{parser}('{config}'::regconfig, %s)"
        parts.append(parsed)
        params.append(text)
        if config in FORGIVEN_CONFIGS:
            parts.append(_forgiven_sql(config, parsed))
            params.append(text)
    return f"({' || '.join(parts)})", params
