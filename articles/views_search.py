from django.core.paginator import Paginator
from django.shortcuts import render

from . import search as site_search

PAGE_SIZE = 20


def search(request):
    """/search/?q=: people, places and published articles matching q.

    Four queries whatever the number of articles: people, places, the
    (capped) count of matching articles and the page of them."""
    query = site_search.clean_query(request.GET.get("q", ""))
    articles = site_search.search_articles(query)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "people": site_search.search_people(query),
            "places": site_search.search_places(query),
            "page_obj": page,
            # Known once the paginator has counted: no further query.
            "articles_more": articles.more,
            "result_limit": f"{site_search.RESULT_LIMIT:,}",
        },
    )
