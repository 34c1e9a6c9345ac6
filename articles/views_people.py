"""The pages of a person and of a place: who or what it is, and the
articles that mention it (or, for a place, count a population there or are
about a community living in it). They live in the articles app because they
list articles: ``people`` knows nothing of ``articles``."""

from django.shortcuts import get_object_or_404, render

from encyclopedia.pagecache import page_cache
from people.models import Person, Place

from .models import Article, PersonMention, PlaceMention


def _mentioning(**lookup):
    return (
        Article.objects.published()
        .listing()
        .filter(**lookup)
        .order_by("title")
        .distinct()
    )


@page_cache
def person_detail(request, slug: str):
    person = get_object_or_404(Person.objects.prefetch_related("aliases", "places"), slug=slug)
    articles = _mentioning(
        pk__in=PersonMention.objects.shown().filter(person=person).values("article_id")
    )
    return render(request, "people/person_detail.html", {"person": person, "articles": articles})


@page_cache
def place_detail(request, slug: str):
    place = get_object_or_404(Place.objects.select_related("parent__parent__parent"), slug=slug)
    return render(
        request,
        "people/place_detail.html",
        {
            "place": place,
            "children": place.children.order_by("name"),
            "population_articles": _mentioning(place_rows__place=place),
            "host_articles": _mentioning(host_country=place),
            "mentioning_articles": _mentioning(
                pk__in=PlaceMention.objects.shown().filter(place=place).values("article_id")
            ),
            "people": place.people.order_by("name"),
        },
    )
