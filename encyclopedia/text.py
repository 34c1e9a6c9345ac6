"""Slugs: the one rule for the address part made from a name or title.

Site-wide infrastructure (bottom layer): it uses Django's ``slugify`` and,
in ``unique_slug``, the model it is given, but imports no app. The longest
name is a format rule and lives with the format
(``articles.wikitext.document.MAX_LINE_LENGTH``).
"""

from collections.abc import Collection

from django.db import models
from django.utils.text import slugify

# Room for a "-N" suffix within the slug fields' 255 characters.
SLUG_BASE_LENGTH = 240


def slug_base(text: str, *, fallback: str) -> str:
    """The slug ``text`` asks for before any suffix; ``fallback`` when
    nothing of it is left (a title of punctuation only)."""
    return slugify(text, allow_unicode=True)[:SLUG_BASE_LENGTH].strip("-") or fallback


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
