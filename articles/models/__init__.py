"""The articles app's models, one subject a module, as Wagtail splits
``wagtail/models/``; every model is importable from ``articles.models``.

- ``article``: Article, its queryset and its validators.
- ``rows``: the rows inside an article (infobox terms and lists, extra
  infobox rows, sections, See also).
- ``mentions``: people and places mentioned, ``[[links]]``, former titles.
- ``population``: the population history's figures.
- ``references``: sources (shared), an article's references, citations.
- ``jobs``: background admin imports.
- ``mediawiki``: interlanguage links and the contributors of imported revisions.
- ``render``: each article's page as last rendered.
"""

from reversion import register as versioned

from .article import (
    DEFAULT_CONTENT_LANGUAGE,
    Article,
    ArticleQuerySet,
    TranslationGroup,
    MillisecondDateTimeField,
    normalize_title,
    published_slug,
    validate_body,
    validate_content_language,
    validate_lead,
    validate_title,
)
from .jobs import ImportJob
from .mediawiki import InterlanguageLink, RevisionOrigin
from .mentions import FormerName, Mention, MentionQuerySet, PersonMention, PlaceMention, WikiLink
from .population import PopulationFigure
from .references import ArticleReference, Citation, Source
from .render import ArticleRender
from .rows import (
    ArticleLanguage,
    ArticleReligion,
    InfoboxRow,
    InfoboxTerm,
    Language,
    Ordered,
    PopulationPlace,
    RelatedGroup,
    Religion,
    Section,
    SeeAlso,
)

# A revision holds the article with every row its page and wiki-text show,
# so that reverting restores them as one unit. The description is
# editorial data outside the wiki-text, as tags are: a revert keeps it.
# Derived text (rendered HTML, the search document) is left out: services.article_revert renders it
# again, and storing it would more than double the size of every revision.
# Registered last: the rows come from infobox.STORAGE, which needs the
# models above.
from ..infobox import ARTICLE_ROWS  # noqa: E402

# The group is not part of an article's history: reverting an article does not
# take it out of (or into) a group that others share.
versioned(follow=ARTICLE_ROWS,
          exclude=("lead_html", "search_document", "description", "translation_group"))(Article)

__all__ = [
    "Article", "ArticleLanguage", "ArticleQuerySet", "ArticleReference", "ArticleReligion",
    "ArticleRender",
    "Citation", "FormerName", "ImportJob", "InfoboxRow", "InterlanguageLink", "RevisionOrigin", "InfoboxTerm", "Language", "Mention",
    "MentionQuerySet", "MillisecondDateTimeField", "Ordered", "PersonMention", "PlaceMention",
    "PopulationFigure", "PopulationPlace", "RelatedGroup", "Religion", "Section", "SeeAlso",
    "Source", "TranslationGroup", "WikiLink", "DEFAULT_CONTENT_LANGUAGE", "normalize_title",
    "published_slug", "validate_body", "validate_content_language", "validate_lead",
    "validate_title",
]
