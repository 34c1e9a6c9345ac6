"""The sources' public pages: an A–Z index of every source that a published
article cites, and a page for each with its details and the articles citing
it. Page-cached like the other public pages: a write to the sources table
moves the page cache's generation on (``encyclopedia.pagecache`` watches
every table of the ``articles`` app)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from encyclopedia.pagecache import page_cache

from .selectors import cited_sources, citing_articles, source_page
from .views import LETTERS, PAGE_SIZE

# What the index shows of each source.
LISTED_FIELDS = ("title", "slug", "type", "work", "publisher", "date")


@page_cache
def source_index(request):
    """Sources A–Z, one letter at a time (by title), paginated."""
    letter = request.GET.get("letter", "").upper()
    sources = cited_sources().only(*LISTED_FIELDS).order_by("title", "pk")
    if letter == "#":
        sources = sources.exclude(title__iregex=r"^[a-z]")
    elif letter in LETTERS:
        sources = sources.filter(title__istartswith=letter)
    else:
        letter = ""
    page = Paginator(sources, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/source_index.html",
        {"page_obj": page, "letters": LETTERS, "letter": letter},
    )


@page_cache
def source_detail(request, slug: str):
    """A source, and the published articles citing it (paginated)."""
    source = cited_sources().filter(slug=slug).first()
    if source is None:
        raise Http404("No source at this address.")
    page = Paginator(citing_articles(source), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/source_detail.html",
        {"page": source_page(source=source), "page_obj": page},
    )
