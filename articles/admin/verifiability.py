"""Verifiability at a glance, in the article admin.

Per article, the share of its paragraphs (and list items) with at least one
citation, and the number of ``[^?]`` (citation needed), read from the
columns ``article_refresh`` keeps (``paragraphs``, ``cited_paragraphs``,
``citations_needed``): the list sorts and filters on them without parsing
anything. The list shows both as sortable columns and filters "no sources"
and "citation needed"; ``needs-sources/`` lists the articles that most need
sources, the least cited first.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_lazy as _

from ..models import Article, ArticleReference

NEEDS_SOURCES_TEMPLATE = "admin/articles/article/needs_sources.html"
NEEDS_SOURCES_PER_PAGE = 50
NO_PARAGRAPHS = "—"

# The share, or NULL for an article without paragraphs (nothing to cite).
CITED_SHARE = Case(
    When(paragraphs=0, then=Value(None, output_field=FloatField())),
    default=Cast("cited_paragraphs", FloatField()) / Cast("paragraphs", FloatField()),
    output_field=FloatField(),
)


def with_cited_share(queryset: QuerySet) -> QuerySet:
    """The articles annotated with ``cited_share`` (0.0 to 1.0, or None)."""
    return queryset.annotate(cited_share=CITED_SHARE)


def cited_percent(article: Article) -> str:
    """"40%": the share of the article's paragraphs with a citation, rounded
    down (100% only when every one has one); "—" without paragraphs."""
    if not article.paragraphs:
        return NO_PARAGRAPHS
    return f"{article.cited_paragraphs * 100 // article.paragraphs}%"


# Sorted ascending, the least cited first and articles without paragraphs
# (nothing to cite) last; descending, the reverse.
@admin.display(description=_("Cited"), ordering=F("cited_share").asc(nulls_last=True))
def cited(article: Article) -> str:
    return cited_percent(article)


@admin.display(description=_("Citations needed"), ordering="citations_needed")
def needed(article: Article) -> int:
    return article.citations_needed


class SourcesFilter(admin.SimpleListFilter):
    title = _("sources")
    parameter_name = "sources"

    def lookups(self, request, model_admin):
        return [("none", _("No sources")), ("some", _("With sources"))]

    def queryset(self, request, queryset):
        has_references = Exists(ArticleReference.objects.filter(article=OuterRef("pk")))
        if self.value() == "none":
            return queryset.filter(~has_references)
        if self.value() == "some":
            return queryset.filter(has_references)
        return queryset


class CitationNeededFilter(admin.SimpleListFilter):
    title = _("citation needed")
    parameter_name = "citation_needed"

    def lookups(self, request, model_admin):
        return [("yes", _("Citation needed")), ("no", _("None needed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(citations_needed__gt=0)
        if self.value() == "no":
            return queryset.filter(citations_needed=0)
        return queryset


LIST_DISPLAY = [cited, needed]
LIST_FILTER = [SourcesFilter, CitationNeededFilter]


def needing_sources(queryset: QuerySet) -> QuerySet:
    """The articles with a paragraph without a citation or a [^?], the
    least cited first (by share, then by citations needed, then by title);
    articles without paragraphs (but a [^?] in the infobox) last."""
    return (
        with_cited_share(queryset)
        .filter(Q(cited_paragraphs__lt=F("paragraphs")) | Q(citations_needed__gt=0))
        .order_by(F("cited_share").asc(nulls_last=True), "-citations_needed", "title", "pk")
        .only("title", "slug", "status", "paragraphs", "cited_paragraphs", "citations_needed")
    )


class NeedsSourcesView:
    """"Articles that most need sources", an admin page of ArticleAdmin."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def view(self, request):
        model_admin = self.model_admin
        if not model_admin.has_view_or_change_permission(request):
            raise PermissionDenied
        paginator = Paginator(needing_sources(Article.objects.all()), NEEDS_SOURCES_PER_PAGE)
        page = paginator.get_page(request.GET.get("p"))
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": gettext("Articles that most need sources"),
            "page": page,
            "rows": [(article, cited_percent(article)) for article in page.object_list],
        }
        return TemplateResponse(request, NEEDS_SOURCES_TEMPLATE, context)
