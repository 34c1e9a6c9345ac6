"""Small text helpers shared by the apps."""

from django.db import models
from django.utils.text import slugify

# Titles, headings, names and infobox values all fit on one line of a
# document; the parser enforces the same limit so imports fail with a line
# number instead of a database error.
from articles.wikitext.document import MAX_LINE_LENGTH as MAX_NAME_LENGTH  # noqa: F401


def unique_slug(model: type[models.Model], text: str, *, exclude_pk: int | None = None) -> str:
    """A slug for ``text`` that no other row of ``model`` has yet."""
    base = slugify(text, allow_unicode=True)[:240].strip("-") or model._meta.model_name
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
