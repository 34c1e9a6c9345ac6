"""The index pages (people, places, languages, religions, tags), "What
links here", Wikipedia-style addresses and the random article. Thin: the
reads are ``index_selectors``. The index pages and "What links here" are
page-cached under the keys ``dependencies.page_keys`` gives their address;
the redirects are not (the page cache keeps only 200s)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from encyclopedia.pagecache import page_cache

from .index_selectors import (
    TERM_INDEXES,
    article_by_address,
    links_here,
    people_index,
    place_counts,
    places_index,
    random_article,
    term_index,
)
from .models import Article
from .views import PAGE_SIZE


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@page_cache
def person_index(request):
    page = _page(request, people_index())
    return render(request, "articles/people_index.html", {"page_obj": page})


@page_cache
def place_index(request):
    page = _page(request, places_index())
    counts = place_counts([place.pk for place in page.object_list])
    places = [(place, counts.get(place.pk, 0)) for place in page.object_list]
    return render(request, "articles/place_index.html", {"page_obj": page, "places": places})


@page_cache
def term_index_page(request, kind: str):
    return render(
        request,
        "articles/term_index.html",
        {"term": TERM_INDEXES[kind], "page_obj": _page(request, term_index(kind))},
    )


@page_cache
def what_links_here(request, slug: str):
    article = Article.objects.published().only("title", "slug").filter(slug=slug).first()
    if article is None:
        raise Http404("No article at this address.")
    return render(
        request,
        "articles/what_links_here.html",
        {"article": article, "page_obj": _page(request, links_here(article))},
    )


def wiki_address(request, title: str):
    """``/wiki/Russians_in_Afghanistan``: the article's own address, for
    good (301), as Wikipedia's titles with underscores reach it."""
    article = article_by_address(title)
    if article is None:
        raise Http404("No article at this address.")
    return redirect(article, permanent=True)


@never_cache
def random_page(request):
    """A random published article (302, never cached: the next one differs)."""
    article = random_article()
    if article is None:
        raise Http404("No published article yet.")
    return redirect(article)
