"""The admin of the articles app, one module per workflow.

- ``article``: ``ArticleAdmin`` and its inlines; every custom URL of the
  article admin, and the change form's hooks composing the workflows below.
- ``change_form``: the form, wiki-text fields, a revision per save, and the
  no-lost-edits merge of a POST (``articles.merge``).
- ``citations``: the article's references and infobox citations, and the
  check of the form's markers against its references.
- ``verifiability``: the share of cited paragraphs and the citations
  needed, in the article list, and the articles that most need sources.
- ``ordered``: inlines of ordered rows.
- ``history_views``: the history page's revisions, compare and revert.
- ``create_related``: the add form prefilled from a "create" link.
- ``import_views``: wiki-text import: upload, preview, confirm, job page.
- ``terms``: languages and religions.
- ``sources``: the shared sources that references cite.
- ``people``: people and places (the ``people`` app's models; their refresh
  is an articles service).

Importing the modules registers their admins with ``admin.site``.
"""

from . import article, people, sources, terms
from .article import ArticleAdmin

__all__ = ["ArticleAdmin", "article", "people", "sources", "terms"]
