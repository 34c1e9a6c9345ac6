from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.decorators import method_decorator
from django.views.generic import ListView
from taggit.models import Tag

from encyclopedia import fastpath
from encyclopedia.pagecache import page_cache
from .editor_tools import can_preview, editor_tools, with_editor_links
from .index_selectors import article_by_address
from .lookups import former_slug_redirect
from .letters import letters_with_articles
from .infobox import TERM_STORAGE
from .models import Article
from .rendered import EDITOR_TOOLS, page_of, page_row

PAGE_SIZE = 50
LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]


@method_decorator(page_cache, name="dispatch")
class ArticleListView(ListView):
    """The home page: every published article, A to Z."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().listing().order_by("title")


@page_cache
def article_detail(request, slug: str):
    """The public page: the article's row and its stored page, one query
    (``articles.rendered``). Editors (see editor_tools) may also preview
    drafts, and get an Edit link and create links for missing titles, on
    that same stored page."""
    previewing = can_preview(request.user)
    row = page_row(slug, drafts=previewing)
    if row is None:
        moved = former_slug_redirect(slug, drafts=previewing)
        if moved is None:
            # A Wikipedia-style address that the slug pattern lets through
            # (/wiki/Russians_in_Afghanistan/): the article's own, for good.
            article = article_by_address(slug)
            if article is None or article.slug == slug:
                raise Http404("No article at this address.")
            return redirect(article, permanent=True)
        return moved
    page = page_of(row, request.build_absolute_uri("/")[:-1])
    if not previewing:
        if translation.get_language() != settings.LANGUAGE_CODE:
            return HttpResponse(page)
        # As encyclopedia.fastpath answers it, before Django, next time.
        return fastpath.mark(HttpResponse(page))
    editor = editor_tools(request.user, row, page)
    tools = render_to_string("includes/editor_tools.html", {"editor": editor, "article": row})
    response = HttpResponse(with_editor_links(page.replace(EDITOR_TOOLS, tools, 1), editor))
    # Drafts and editing links: never for a shared cache.
    patch_cache_control(response, private=True)
    return response


@page_cache
def article_index(request):
    """A–Z index of articles, one letter at a time, paginated."""
    letter = request.GET.get("letter", "").upper()
    articles = Article.objects.published().listing().order_by("title")
    if letter == "#":
        articles = articles.exclude(title__iregex=r"^[a-z]")
    elif letter in LETTERS:
        articles = articles.filter(title__istartswith=letter)
    else:
        letter = ""
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/article_index.html",
        {"page_obj": page, "letters": LETTERS, "letter": letter,
         "present": letters_with_articles()},
    )


# Pages listing the communities that share an infobox term or a tag:
# (model, Article lookup, heading with the term's name).
# By URL name: the model, the Article field reaching it, the heading.
TERM_PAGES = {
    "tag-detail": (Tag, "tags", _("Articles tagged “{}”")),
    **{s.url_name: (s.target, s.many_to_many, s.heading) for s in TERM_STORAGE},
}


@page_cache
def term_detail(request, slug: str, kind: str):
    model, lookup, heading = TERM_PAGES[kind]
    term = get_object_or_404(model, slug=slug)
    articles = Article.objects.published().listing().filter(**{lookup: term}).order_by("title")
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/term_detail.html",
        {"term": term, "page_obj": page, "heading": heading.format(term.name)},
    )
