from django.core.paginator import Paginator
from django.shortcuts import render

from . import search as site_search

PAGE_SIZE = 20


def search(request):
    """/search/?q=: people, places and published articles matching q."""
    query = site_search.clean_query(request.GET.get("q", ""))
    page = Paginator(site_search.search_articles(query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "people": site_search.search_people(query),
            "places": site_search.search_places(query),
            "page_obj": page,
        },
    )
