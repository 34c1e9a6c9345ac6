"""Writes that touch several models. The admin, the management commands and
the views all call these: one implementation of each operation.

One subject per module, as Wagtail splits ``wagtail/models/``; this package
re-exports their public names, so callers import from ``articles.services``:

- ``importing``: the import pipeline (``articles_import``), with its parts
  ``import_sources`` (reading and parsing the files), ``import_rows`` (each
  article's rows, built and checked before writing), ``import_names``
  (slugs, and the places, languages and religions an import creates) and
  ``import_references`` (the shared Source rows an import finds, makes or
  updates);
- ``import_plan``: the admin's import preview (``articles_import_plan``);
- ``refresh``: data derived from the text (citations and verifiability,
  render, links, mentions, search);
- ``revisions``: recording revisions and reverting to one;
- ``editing``: an editor's save (``article_saved``, after the admin's
  forms; ``article_edit``, a change of an article's own fields by code);
- ``export``: articles as wiki-text files.

Not here: the "X in Y" community rule (``articles.communities``, pure) and
the reads the services share (``articles.lookups.resolve_titles``); both are
re-exported below for callers of ``articles.services``.

A module imports what it needs from its siblings directly, never through
this package. Tests that patch a name patch it on the module that looks it
up (``articles.services.importing.IMPORT_BATCH``), not on this package.
"""

from .editing import article_edit, article_saved
from .export import (
    MAX_FILE_NAME_BYTES,
    ExportFailed,
    article_export,
    article_to_doc,
    articles_export,
    articles_export_to_folder,
    export_file_name,
)
from .import_plan import (
    ImportPlan,
    PlannedArticle,
    PlannedRow,
    PlannedSection,
    articles_import_plan,
)
from .import_references import sources_import
from .import_sources import ImportFailed, Source
from .import_workers import render_and_find
from .importing import ImportResult, articles_import
from .refresh import (
    article_delete,
    article_refresh,
    article_render,
    article_text,
    article_text_of,
    citations_update,
    mentions_detect,
    name_index,
    person_refresh,
    place_refresh,
    render_text,
    search_document_text,
    search_document_update,
    see_also_link,
)
from .revisions import (
    RevertRefused,
    RevisionMeta,
    article_revert,
    article_revision_save,
    revisions_save,
)
# Not services, re-exported so that callers keep working: a pure rule and a read.
from ..communities import community_from_title
from ..lookups import resolve_titles

__all__ = [
    "MAX_FILE_NAME_BYTES",
    "ExportFailed",
    "ImportFailed",
    "ImportPlan",
    "ImportResult",
    "PlannedArticle",
    "PlannedRow",
    "PlannedSection",
    "RevertRefused",
    "Source",
    "article_delete",
    "article_edit",
    "article_export",
    "article_refresh",
    "article_render",
    "article_revert",
    "article_revision_save",
    "article_saved",
    "article_text",
    "article_text_of",
    "article_to_doc",
    "articles_export",
    "articles_export_to_folder",
    "articles_import",
    "articles_import_plan",
    "citations_update",
    "community_from_title",
    "export_file_name",
    "mentions_detect",
    "name_index",
    "person_refresh",
    "place_refresh",
    "render_and_find",
    "render_text",
    "resolve_titles",
    "revisions_save",
    "RevisionMeta",
    "search_document_text",
    "search_document_update",
    "see_also_link",
    "sources_import",
]
