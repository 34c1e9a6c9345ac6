"""The link picker's suggestions: what ``[[`` in the lead or a section's
body can link to (static/js/link-picker.js asks as the editor types).

The admin's /admin/autocomplete/ answers for one model's field at a time
and the picker wants articles, places and people in one list, so this is a
small view of its own: one query per model, each limited, names starting
with what was typed before names containing it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, JsonResponse

from people.models import Person, Place

from ..models import Article

PER_KIND = 6
MAX_TERM = 100


@dataclass(frozen=True)
class Suggestion:
    title: str
    kind: str  # "article", "place" or "person"


def _matching(queryset, field: str, term: str) -> list[str]:
    # Names starting with the term first, then those containing it.
    starts = Case(When(**{f"{field}__istartswith": term}, then=Value(0)),
                  default=Value(1), output_field=IntegerField())
    return list(
        queryset.filter(**{f"{field}__icontains": term})
        .annotate(_starts=starts)
        .order_by("_starts", field)
        .values_list(field, flat=True)[:PER_KIND]
    )


def suggestions(term: str) -> list[Suggestion]:
    """Articles, places and people whose title or name contains ``term``:
    three queries, at most ``PER_KIND`` of each."""
    term = term.strip()[:MAX_TERM]
    if not term:
        return []
    found = [Suggestion(title, "article") for title in _matching(Article.objects.all(), "title", term)]
    found += [Suggestion(name, "place") for name in _matching(Place.objects.all(), "name", term)]
    found += [Suggestion(name, "person") for name in _matching(Person.objects.all(), "name", term)]
    return found


def suggestions_view(request: HttpRequest) -> JsonResponse:
    """GET ?term=… → {"results": [{"title": …, "kind": …}, …]}."""
    if not request.user.has_perm("articles.change_article") and not request.user.has_perm(
        "articles.add_article"
    ):
        return JsonResponse({"error": "You may not edit articles."}, status=403)
    results = [asdict(s) for s in suggestions(request.GET.get("term", ""))]
    return JsonResponse({"results": results})
