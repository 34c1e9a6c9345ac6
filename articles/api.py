"""For machines: the article as JSON, its schema.org description, and the
plain-text summaries that feeds and meta tags use.

Everything here is read-only and built as Python data; escaping is left to
the serialiser that writes it out (JsonResponse, the feed generator, the
template engine or ``json_ld_script``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from encyclopedia.locale import bcp47

from .citations import csl_item
from .infobox import STORAGE, infobox_from
from .lookups import former_slug_redirect
from .models import Article, ArticleReference, Citation, PopulationFigure, SeeAlso
from .selectors import anchored_sections, infobox_lists
from .translations import group_translations
from .wikitext import CITATION_NEEDED
from .wikitext.infobox import Kind

SITE_NAME = "Diaspora Encyclopedia"
FEED_SUMMARY_WORDS = 60
DESCRIPTION_WORDS = 30

# Block-level closing tags (and <br>) become a space, so that paragraphs and
# list items do not run together once the tags are stripped.
_BLOCK_END = re.compile(
    r"(</(?:p|li|ul|ol|blockquote|pre|h[1-6]|table|thead|tbody|tr|td|th)\s*>|<br\s*/?>|<hr\s*/?>)",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
# The citation superscripts (articles.citations): "[2]: p. 42" and "[citation
# needed]" mean nothing in a summary. Only the renderer writes a <sup> with
# these classes: an editor's typed tags are text in the stored HTML.
_CITATIONS = re.compile(r'<sup class="(?:reference|citation-needed)"[^>]*>.*?</sup>', re.DOTALL)


def plain_text(html_text: str, words: int | None = None) -> str:
    """Rendered (sanitised) HTML as one line of plain text, unescaped, and
    cut to ``words`` words with an ellipsis when longer, without its
    citation superscripts. The result is *not* HTML: whatever writes it out
    must escape it."""
    text = _CITATIONS.sub("", html_text or "")
    text = strip_tags(_BLOCK_END.sub(r"\1 ", text))
    text = _SPACE.sub(" ", html.unescape(text)).strip()
    if words is not None:
        text = Truncator(text).words(words)
    return text


# --- schema.org JSON-LD ------------------------------------------------------

# What django.utils.html.json_script escapes: nothing in the data can end the
# <script> element or open a comment, and the JSON still parses to the same
# strings.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">`` element, escaped
    like ``json_script`` so that editors' text cannot break out of it."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    payload = payload.translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


def article_json_ld(article: Article, *, url: str, tags=None, place_url=None) -> dict[str, Any]:
    """The article as a schema.org ``Article``. ``tags`` are Tag objects or
    names (the page already has them; otherwise they are read);
    ``place_url`` makes a place's path absolute."""
    if tags is None:
        tags = sorted(article.tags.all(), key=lambda tag: tag.name.casefold())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "name": article.title,
        "url": url,
        "mainEntityOfPage": url,
        "dateCreated": article.created.isoformat(),
        "dateModified": article.updated.isoformat(),
        "inLanguage": bcp47(article.language),
        "publisher": {"@type": "Organization", "name": SITE_NAME},
    }
    description = article_description(article)
    if description:
        data["description"] = description
    group = article.group_name or article.origin_group
    if group:
        data["about"] = {"@type": "Thing", "name": group}
    # host_country is select_related by Article.objects.for_page(); only
    # read it when it is already loaded, never with an extra query.
    if Article.host_country.is_cached(article):
        host = article.host_country
        if host is not None:
            place = {"@type": "Place", "name": host.name}
            path = host.get_absolute_url()
            place["url"] = place_url(path) if place_url else path
            data["contentLocation"] = place
    keywords = [getattr(tag, "name", tag) for tag in tags]
    if keywords:
        data["keywords"] = keywords
    return data


# --- the JSON view -----------------------------------------------------------

def article_queryset():
    """A published article with all that its JSON holds but the infobox's
    lists (``infobox_data`` reads them in one query): twelve queries whatever
    its size, with that one: the article, sections, See also (with targets),
    extra rows, tags, people mentioned, places mentioned, the population
    history, the references (with their sources), the citations (with their
    references' keys), the interlanguage links and the infobox's lists."""
    return (
        Article.objects.published()
        .prefetch_related(
            "sections",
            Prefetch("see_also", SeeAlso.objects.select_related("target")),
            "extra_rows",
            "tags",
            _shown("person_mentions", "person", to_attr="shown_people"),
            _shown("place_mentions", "place", to_attr="shown_places"),
            Prefetch("population_figures", PopulationFigure.objects.select_related("source")),
            Prefetch("references", ArticleReference.objects.select_related("source")),
            Prefetch("citations", Citation.objects.select_related("reference")),
            "interlanguage_links",
        )
    )


def _shown(related: str, named: str, *, to_attr: str) -> Prefetch:
    """The mentions an article shows, by the name of what they name."""
    rows = Article._meta.get_field(related).related_model.objects.shown()
    return Prefetch(
        related, rows.select_related(named).order_by(f"{named}__name", f"{named}__pk"),
        to_attr=to_attr,
    )


def article_data(article: Article, request: HttpRequest) -> dict[str, Any]:
    """The article as JSON-ready data; ``article`` comes from
    ``article_queryset()``. URLs are absolute; ``language`` is the
    article's content language (BCP 47)."""
    absolute = request.build_absolute_uri

    def link(name: str, path: str | None) -> dict[str, Any]:
        return {"name": name, "url": absolute(path) if path else None}

    see_also = []
    for row in article.see_also.all():
        target = row.target
        if target is not None and target.status == Article.Status.PUBLISHED:
            see_also.append({"title": target.title, "url": absolute(target.get_absolute_url())})
        else:
            see_also.append({"title": row.target_title, "url": None})

    return {
        "title": article.title,
        "slug": article.slug,
        "url": absolute(article.get_absolute_url()),
        "status": article.status,
        "language": bcp47(article.language),
        "created": article.created,
        "updated": article.updated,
        "lead": article.lead,
        "lead_html": article.lead_html,
        "infobox": infobox_data(article, absolute),
        "sections": [
            {
                "heading": item.section.heading,
                "level": item.section.level,
                "body": item.section.body,
                "html": item.section.body_html,
                "anchor": item.anchor,
            }
            for item in anchored_sections(list(article.sections.all()))
        ],
        "see_also": see_also,
        "people": [
            link(m.person.name, m.person.get_absolute_url()) for m in article.shown_people
        ],
        "places": [link(m.place.name, m.place.get_absolute_url()) for m in article.shown_places],
        "tags": sorted((tag.name for tag in article.tags.all()), key=str.casefold),
        "population_history": [population_item(f, absolute) for f in article.population_figures.all()],
        **citations_data(article, absolute),
        "interlanguage": [
            {"language": link.language, "title": link.title}
            for link in article.interlanguage_links.all()
        ],
        # The other published articles of its translation group, by
        # language (one more query for an article in a group).
        "translations": [
            {"language": t.language, "title": t.title, "url": absolute(t.url)}
            for t in group_translations(article)
        ],
    }


def population_item(figure: PopulationFigure, absolute: Callable[[str], str]) -> dict[str, Any]:
    """A figure of the history as Wikidata states a population: the count,
    its range (null when none), the method ("" when not said) and the source."""
    source = figure.source
    return {
        "year": figure.year, "period": figure.period, "count": figure.count, "note": figure.note,
        "low": figure.low, "high": figure.high, "method": figure.method,
        "source": None if source is None else {
            "title": source.title, "url": absolute(source.get_absolute_url()),
            "locator": figure.locator,
        },
    }


def article_description(article: Article) -> str:
    """The article's description, or the first words of its lead."""
    return article.description or plain_text(article.lead_html, DESCRIPTION_WORDS)


def citations_data(article: Article, absolute: Callable[[str], str]) -> dict[str, Any]:
    """``references``: the References entries in their written order as
    CSL-JSON items (``id`` is the key; ``custom.source_url`` the source's
    page); ``citations``: every use in reading order (infobox, lead,
    sections) with its key ("?" for citation needed), locator, place
    (Citation.place) and number (as the page shows it; null for "?")."""
    uses = list(article.citations.all())
    order = dict.fromkeys(c.reference.key for c in uses if c.reference is not None)
    numbers = {key: n for n, key in enumerate(order, 1)}
    citations = []
    for use in uses:
        key = use.reference.key if use.reference is not None else CITATION_NEEDED
        citations.append({
            "key": key, "locator": use.locator, "place": use.place, "number": numbers.get(key),
        })
    return {
        "references": [
            csl_item(row, source_url=absolute(row.source.get_absolute_url()))
            for row in article.references.all()
        ],
        "citations": citations,
    }


def infobox_data(article: Article, absolute: Callable[[str], str]) -> dict[str, Any]:
    """The infobox as JSON, one entry per declared field (named by its
    attribute: "group", "population", "places", ...), then the other rows."""
    lists = infobox_lists(article)
    infobox = infobox_from(
        column=lambda name: getattr(article, name),
        names=lambda storage: [link.text for link in lists[storage.field.attr]],
        extras=[],
    )
    data: dict[str, Any] = {}
    for storage in STORAGE:
        value = getattr(infobox, storage.field.attr)
        if storage.kind is Kind.POPULATION:
            value = None if value is None else {
                "count": value.count, "note": value.note, "text": str(value),
            }
        elif storage.kind is Kind.PLACES:
            value = [
                {"name": link.text, "url": absolute(link.url)}
                for link in lists[storage.field.attr]
            ]
        elif storage.kind is Kind.TITLES:
            value = [
                {"title": link.text, "url": absolute(link.url) if link.url else None}
                for link in lists[storage.field.attr]
            ]
        data[storage.field.attr] = value
    data["extra"] = [
        {"key": row.key, "value": row.value, "position": row.position}
        for row in article.extra_rows.all()
    ]
    return data


def _not_found() -> JsonResponse:
    return JsonResponse({"error": "No published article at this address."}, status=404)


@csrf_exempt  # read-only; other methods get 405, not a CSRF 403
@require_safe
def article_json(request: HttpRequest, slug: str):
    """GET/HEAD /api/articles/<slug>/: a published article as JSON."""
    article = article_queryset().filter(slug=slug).first()
    if article is None:
        moved = former_slug_redirect(
            slug, url=lambda moved_to: reverse("article-json", kwargs={"slug": moved_to.slug})
        )
        return _not_found() if moved is None else moved
    return JsonResponse(
        article_data(article, request),
        json_dumps_params={"ensure_ascii": False},
        content_type="application/json; charset=utf-8",
    )
