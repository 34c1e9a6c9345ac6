from django.core.paginator import Paginator
from django.shortcuts import render

from . import search as site_search
from .search_forgiving import CloseMatches, close_matches

PAGE_SIZE = 20


def search(request):
    """/search/?q=: people, places and published articles matching q.

    Four queries whatever the number of articles: people, places, the
    (capped) count of matching articles and the page of them. When nothing
    matches, names close to q (articles.search_forgiving): one query more,
    and one for each kind of close match found (people, places, articles)."""
    query = site_search.clean_query(request.GET.get("q", ""))
    articles = site_search.search_articles(query)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    people = site_search.search_people(query)
    places = site_search.search_places(query)
    found_nothing = query and not (people or places or page.paginator.count)
    close = close_matches(query) if found_nothing else CloseMatches()
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "people": people or close.people,
            "places": places or close.places,
            "close": close,
            "page_obj": page,
            # Known once the paginator has counted: no further query.
            "articles_more": articles.more,
            "result_limit": f"{site_search.RESULT_LIMIT:,}",
        },
    )
