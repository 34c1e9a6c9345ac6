"""Slugs: the one rule for the address part made from a name or title.

Site-wide infrastructure (bottom layer): in ``unique_slug`` it uses the
model it is given, but imports no app. The longest
name is a format rule and lives with the format
(``articles.wikitext.document.MAX_LINE_LENGTH``).
"""

import re
import unicodedata
from collections.abc import Collection

from django.db import models

# Room for a "-N" suffix within the slug fields' 255 characters.
SLUG_BASE_LENGTH = 240

# The zero-width non-joiner and joiner are part of the spelling in Persian
# and Dari ("می‌خواهم" is not "میخواهم"), in Pashto and in Indic scripts;
# Django's slugify drops them as "not \w", making another word. Inside a
# word they are kept; at a word's edge they mean nothing and go.
JOINERS = "\u200c\u200d"
_NOT_SLUG = re.compile(rf"[^\w\s{JOINERS}-]")
_EDGE_JOINER = re.compile(rf"(?<![^\W_])[{JOINERS}]+|[{JOINERS}]+(?![^\W_])")
_DASHES = re.compile(r"[-\s]+")


def slugify(text: str) -> str:
    """Django's ``slugify(text, allow_unicode=True)`` (NFKC, lower case,
    letters, digits, underscores and hyphens, white space and runs of
    hyphens as one hyphen, no hyphen or underscore at either end), keeping
    the zero-width non-joiner and joiner between two letters or digits."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = _EDGE_JOINER.sub("", _NOT_SLUG.sub("", text))
    return _DASHES.sub("-", text).strip("-_")


def slug_base(text: str, *, fallback: str) -> str:
    """The slug ``text`` asks for before any suffix; ``fallback`` when
    nothing of it is left (a title of punctuation only)."""
    return _EDGE_JOINER.sub("", slugify(text)[:SLUG_BASE_LENGTH]).strip("-") or fallback


def next_free_slug(base: str, taken: Collection[str]) -> str:
    """``base``, or the first of ``base-2``, ``base-3``, ... not in ``taken``."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def unique_slug(model: type[models.Model], text: str, *, exclude_pk: int | None = None) -> str:
    """A slug for ``text`` that no other row of ``model`` has yet."""
    base = slug_base(text, fallback=model._meta.model_name)
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    return next_free_slug(base, taken)
