"""Tags for the reading layout: the breadcrumbs above an article or a place
and the lead split around the infobox.

    {% load reading_layout %}
    {% article_breadcrumbs article %}
    {% place_breadcrumbs place %}
    {% lead_parts article.lead_html as lead %}{{ lead.first }} ... {{ lead.rest }}

Both breadcrumbs read only what the page already fetched (the article's
``host_country`` comes with ``Article.objects.for_page()``, a place's
parents with the view's ``select_related``): no query of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.communities import community_from_title

register = template.Library()


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str = ""  # "" when there is no page to link to


@dataclass(frozen=True)
class LeadParts:
    first: SafeString
    rest: SafeString


def article_trail(article) -> list[Crumb]:
    """The host country above a community's article ("Afghanistan" above
    "Russians in Afghanistan"): its place page when the article has one,
    else the name the title gives, unlinked; [] for a title that names no
    community."""
    host = None
    # is_cached: a reader's page never makes a query for it (for_page()
    # fetched it); an article loaded some other way just gets no link.
    if type(article).host_country.is_cached(article):
        host = article.host_country
    if host is not None:
        return [Crumb(host.name, host.get_absolute_url())]
    parsed = community_from_title(article.title)
    return [Crumb(parsed[1])] if parsed else []


def place_trail(place) -> list[Crumb]:
    """The places a place lies in, the outermost first."""
    return [Crumb(p.name, p.get_absolute_url()) for p in reversed(place.ancestors())]


@register.inclusion_tag("includes/breadcrumbs.html")
def article_breadcrumbs(article) -> dict:
    return {"trail": article_trail(article), "current": article.title}


@register.inclusion_tag("includes/breadcrumbs.html")
def place_breadcrumbs(place) -> dict:
    return {"trail": place_trail(place), "current": place.name}


def split_lead(html: str) -> LeadParts:
    """The lead's rendered HTML (already sanitised, from articles.markdown)
    cut after its first paragraph, so that a phone shows that paragraph
    before the infobox (as Wikipedia's mobile site does) and a screen reader
    reads it first. A lead that does not open with a paragraph (a list, a
    quotation) is not cut: ``first`` is empty."""
    html = str(html or "")
    end = html.find("</p>")
    if not html.startswith(("<p>", "<p ")) or end == -1:
        return LeadParts(mark_safe(""), mark_safe(html))
    end += len("</p>")
    # Both halves are the sanitised HTML the article stored, cut between two
    # elements: marking them safe adds nothing the whole was not.
    return LeadParts(mark_safe(html[:end]), mark_safe(html[end:].lstrip("\n")))


# The sanitiser (articles.markdown) writes table tags exactly so and escapes
# any "<" in text, so each of these is a real tag, and GFM tables do not nest.
_TABLE_OPEN = "<table>"
_TABLE_CLOSE = "</table>"
# No role="region": a landmark's name must be unique on the page (axe-core's
# landmark-unique), and a page may have several tables.
_SCROLL_OPEN = '<div class="table-scroll" tabindex="0">'


@register.filter
def scrolling_tables(html: str) -> SafeString:
    """A section's rendered HTML with each table in a box of its own that
    scrolls sideways on a narrow screen (tabindex: a keyboard can scroll it)."""
    html = str(html or "")
    if _TABLE_OPEN not in html:
        return mark_safe(html)
    return mark_safe(
        html.replace(_TABLE_OPEN, _SCROLL_OPEN + _TABLE_OPEN)
        .replace(_TABLE_CLOSE, _TABLE_CLOSE + "</div>")
    )


@register.simple_tag
def lead_parts(html: str) -> LeadParts:
    return split_lead(scrolling_tables(html))
