from django.shortcuts import get_object_or_404, render

from encyclopedia.pagecache import page_cache
from articles.models import Article, Mention

from .models import Person, Place


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
    articles = _mentioning(person_mentions__person=person, person_mentions__state__in=Mention.SHOWN)
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
                place_mentions__place=place, place_mentions__state__in=Mention.SHOWN
            ),
            "people": place.people.order_by("name"),
        },
    )
