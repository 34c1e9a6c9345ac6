"""The A–Z letters that hold published articles, for the index's letter
links (a letter without articles is plain text, not a link to an empty
page)."""

from __future__ import annotations

from django.db.models.functions import Substr, Upper

from .models import Article

LETTERS = tuple(chr(c) for c in range(ord("A"), ord("Z") + 1))
OTHER = "#"  # titles starting with anything but a-z, as the index's "#" page


def letters_with_articles() -> frozenset[str]:
    """The letters (and "#") whose index page lists at least one published
    article: one query over the published titles' first characters. Its
    pages carry the dependencies key LETTERS, moved on when an article
    enters or leaves a letter."""
    firsts = (
        Article.objects.published()
        .annotate(first=Upper(Substr("title", 1, 1)))
        .values_list("first", flat=True)
        .distinct()
        .order_by()
    )
    found = set()
    for first in firsts:
        found.add(first if first in LETTERS else OTHER)
    return frozenset(found)
