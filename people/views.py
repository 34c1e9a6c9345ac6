from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from articles.models import Article

from .models import Person, Place


def person_detail(request, slug: str):
    person = get_object_or_404(
        Person.objects.prefetch_related(
            "aliases",
            "places",
            Prefetch("articles", Article.objects.published().order_by("title")),
        ),
        slug=slug,
    )
    return render(request, "people/person_detail.html", {"person": person})


def place_detail(request, slug: str):
    place = get_object_or_404(Place.objects.select_related("parent__parent"), slug=slug)
    published = Article.objects.published().order_by("title")
    return render(
        request,
        "people/place_detail.html",
        {
            "place": place,
            "children": place.children.order_by("name"),
            "population_articles": published.filter(place_rows__place=place),
            "mentioning_articles": published.filter(mentioned_places=place),
            "people": place.people.order_by("name"),
        },
    )
