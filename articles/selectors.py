"""Read side: what the public pages show, each page in a fixed number of
queries whatever the size of the article."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from babel.numbers import format_decimal
from django.db.models import CharField, Exists, F, OuterRef, Subquery, Value
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext
from reversion.models import Version

from encyclopedia.locale import interface_locale

from . import markdown, wikitext
from .citations import (
    CitationRenderer,
    CitedSource,
    backlink_label,
    citation_html,
    cited_source,
    note_id,
    use_id,
)
from .infobox import INFOBOX_EXTRA_PLACE, INFOBOX_PLACE, ROW_STORAGE, STORAGE
from .lookups import name_targets
from .models import (
    Article,
    ArticleReference,
    Citation,
    PersonMention,
    PlaceMention,
    PopulationFigure,
    SeeAlso,
    Section,
    Source,
)
# Link and the related communities live in related.py; imported from here too.
from .related import Link, RelatedGroup, related_articles, see_also_titles, without_titles
from .translations import group_translations, matches_prefix
from .translations import language_name as translations_language_name
from .wikitext.infobox import Kind

TOC_MIN_SECTIONS = 3
# Ids the page gives its own parts; a section's anchor is never one of them.
RESERVED_ANCHORS = frozenset({
    "see-also", "infobox", "mentions", "related", "contents", "references", "general-references",
})
CITATION_IDS = ("cite-note-", "cite-ref-")  # articles.citations.note_id, use_id


@dataclass(frozen=True)
class InfoboxLine:
    label: str
    values: tuple[Link, ...]
    citations: SafeString | str = ""  # the row's citation superscripts (articles.citations)


@dataclass(frozen=True)
class Backlink:
    """A link from a References entry back to one use of it: "^" for the
    only use, else "a", "b", "c"..."""

    label: str
    href: str


@dataclass(frozen=True)
class PageReference:
    """An entry of the References list."""

    key: str
    number: int | None  # None: a general reference, which no marker uses
    anchor: str  # its id: what the superscripts link to
    backlinks: tuple[Backlink, ...]
    html: SafeString  # the citation (articles.citations.citation_html)


@dataclass(frozen=True)
class PageSection:
    section: Section
    anchor: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    x: float
    y: float
    height: float
    text_x: float
    value_y: float = 0.0  # above the bar, or above its range's whisker
    range_path: str = ""  # the whisker from the low to the high end, as an SVG path


@dataclass(frozen=True)
class FigureNote:
    """What a figure says besides its count: range, method, source."""

    label: str
    text: str  # "30,000–38,000, census"
    source: Link | None
    locator: str


@dataclass(frozen=True)
class PopulationChart:
    width: int
    height: int
    baseline: float
    bar_width: float
    bars: list[Bar]
    summary: str
    notes: list[FigureNote]


@dataclass(frozen=True)
class LanguageLink:
    """The article in another language: the language's own name for itself
    ("русский"), its code for ``lang``, the title there, and this site's
    article of that title when there is one. ``translation``: an article
    of this one's translation group (``articles.translations``), listed
    first and named in the page's ``hreflang`` alternates."""

    code: str
    name: str
    title: str
    url: str = ""
    dir: str = "auto"  # a translation's is known: rtl or ltr
    translation: bool = False


@dataclass
class ArticlePage:
    article: Article
    infobox: list[InfoboxLine]
    sections: list[PageSection]
    see_also: list[SeeAlso]
    people: list[Link] = field(default_factory=list)
    places: list[Link] = field(default_factory=list)
    tags: list = field(default_factory=list)
    chart: PopulationChart | None = None
    related: list[RelatedGroup] = field(default_factory=list)
    # Numbered in order of first use, then the general references.
    references: list[PageReference] = field(default_factory=list)
    languages: list[LanguageLink] = field(default_factory=list)
    # See also as links (includes/see_also.html): to the article, else to
    # the place or person of that name, else missing.
    see_also_links: list[Link] = field(default_factory=list)
    # The page information block (includes/page_info.html).
    revisions: int = 0

    @property
    def show_toc(self) -> bool:
        return len(self.sections) >= TOC_MIN_SECTIONS

    @property
    def cited(self) -> list[PageReference]:
        return [r for r in self.references if r.number is not None]

    @property
    def general_references(self) -> list[PageReference]:
        return [r for r in self.references if r.number is None]


def article_page(*, article: Article) -> ArticlePage:
    """Everything the article page shows; ``article`` comes from
    ``Article.objects.for_page()``. Thirteen queries in all, with the
    article's and the revision count, whatever the number of references
    and citations."""
    # Only the columns the page shows: not the wiki-text of the sections,
    # nor the whole rows (texts, search documents) of the See also targets.
    sections = list(article.sections.defer("body"))
    figures = list(article.population_figures.select_related("source"))
    people, places = _mentions(article)
    see_also = article.see_also.select_related("target").only(
        "position", "article_id", "target_title", "target_id",
        "target__title", "target__slug", "target__status",
    )
    see_also = list(see_also)
    references, infobox_citations = article_references(article)
    return _link_names(ArticlePage(
        languages=interlanguage_links(article),
        article=article,
        infobox=infobox_lines(article, figures, infobox_citations),
        sections=anchored_sections(sections),
        see_also=see_also,
        people=people,
        places=places,
        tags=sorted(article.tags.all(), key=lambda tag: tag.name.casefold()),
        chart=population_chart(figures),
        related=without_titles(related_articles(article), see_also_titles(see_also)),
        references=references,
        revisions=revision_count(article),
    ))


def _link_names(page: ArticlePage) -> ArticlePage:
    """``page`` with the titles no article has linked to the place or
    person of that name or alias, where there is one (issue 15: [[Kabul]]
    goes to /places/kabul/): in the lead and sections, See also, the
    infobox and the related communities. One query, none when nothing is
    missing. Done when the page is built (stored when written), so that
    creating, renaming or deleting a person or place renders no article's
    text again: ``dependencies`` marks the pages naming them stale."""
    article = page.article
    html = [article.lead_html, *(item.section.body_html for item in page.sections)]
    titles = set().union(*(markdown.missing_link_titles(text) for text in html))
    titles |= {row.target_title for row in page.see_also if not row.target_id}
    titles |= {link.text for line in page.infobox for link in line.values if link.missing}
    titles |= {link.text for group in page.related for link in group.links if not link.url}
    urls = name_targets(titles) if titles else {}

    def linked(link: Link) -> Link:
        url = urls.get(link.text) if link.missing or not link.url else None
        return Link(link.text, url) if url else link

    page.see_also_links = [
        Link(row.target.title, row.target.get_absolute_url()) if row.target_id
        else linked(Link(row.target_title, missing=True))
        for row in page.see_also
    ]
    if not urls:
        return page
    # The page's own copies: the stored text keeps article links only.
    article.lead_html = markdown.link_missing(article.lead_html, urls)
    for item in page.sections:
        item.section.body_html = markdown.link_missing(item.section.body_html, urls)
    page.infobox = [
        InfoboxLine(line.label, tuple(linked(link) for link in line.values), line.citations)
        for line in page.infobox
    ]
    page.related = [
        RelatedGroup(group.label, [linked(link) for link in group.links]) for group in page.related
    ]
    return page


def revision_count(article: Article) -> int:
    """How many revisions the article has (django-reversion's versions of
    it): one query, with the content type joined rather than looked up, so
    that the count is one query whatever ContentType's cache holds."""
    return Version.objects.filter(
        content_type__app_label=Article._meta.app_label,
        content_type__model=Article._meta.model_name,
        object_id=str(article.pk),
    ).count()


def infobox_lines(
    article: Article,
    figures: list[PopulationFigure],
    citations: dict[str, SafeString] | None = None,
) -> list[InfoboxLine]:
    """The infobox as labelled lines, in the order of the wiki-text;
    ``citations`` are the rows' superscripts by Citation.place."""
    citations = citations or {}
    lists = infobox_lists(article)
    typed: list[InfoboxLine] = []
    for storage in STORAGE:
        label = storage.field.label
        cited = citations.get(INFOBOX_PLACE + storage.field.key, "")
        if storage.kind is Kind.TEXT:
            text = getattr(article, storage.columns[0])
            if text:
                typed.append(InfoboxLine(label, (Link(text),), cited))
        elif storage.kind is Kind.POPULATION:
            population = article.population_figure
            if population is None and figures:
                latest = figures[-1]
                note = f"{latest.label}{', ' + latest.note if latest.note else ''}"
                population = wikitext.Population(latest.count, note)
            if population is not None:
                typed.append(InfoboxLine(label, (Link(str(population)),), cited))
        elif lists[storage.field.attr]:
            typed.append(InfoboxLine(label, tuple(lists[storage.field.attr]), cited))
    extras = [
        (row.position, InfoboxLine(
            row.key, (Link(row.value),), citations.get(f"{INFOBOX_EXTRA_PLACE}{row.position}", "")
        ))
        for row in article.extra_rows.all()
    ]
    return wikitext.merge_rows(typed, extras)


def article_references(article: Article) -> tuple[list[PageReference], dict[str, SafeString]]:
    """The References list (numbered entries in order of first use, then
    the general references in their written order) and the infobox rows'
    superscripts by Citation.place, numbered as the stored lead and section
    HTML are (both count the article's Citation rows in order). Two queries:
    the uses, and the entries with their sources."""
    uses = list(
        Citation.objects.filter(article=article)
        .order_by("position", "pk")
        .values_list("reference__key", "locator", "place")
    )
    order = list(dict.fromkeys(key for key, _, _ in uses if key is not None))
    renderer = CitationRenderer(order)
    infobox: dict[str, list[wikitext.Marker]] = {}
    for key, locator, place in uses:
        if place.startswith((INFOBOX_PLACE, INFOBOX_EXTRA_PLACE)):
            marker = wikitext.Marker(wikitext.CITATION_NEEDED if key is None else key, locator)
            infobox.setdefault(place, []).append(marker)
    # In the rows' order of first use, as the refresh counted them.
    superscripts = {place: renderer.infobox(markers) for place, markers in infobox.items()}
    counts = Counter(key for key, _, _ in uses if key is not None)
    entries = []
    for reference in (
        ArticleReference.objects.filter(article=article)
        .select_related("source")
        .order_by("position", "pk")
    ):
        key = reference.key
        number = renderer.number(key)
        if counts[key] == 1:
            backlinks: tuple[Backlink, ...] = (Backlink("^", f"#{use_id(key, 0)}"),)
        else:
            backlinks = tuple(
                Backlink(backlink_label(i), f"#{use_id(key, i)}") for i in range(counts[key])
            )
        entries.append(PageReference(
            key=key,
            number=number,
            anchor=note_id(key),
            backlinks=backlinks if number is not None else (),
            html=citation_html(
                cited_source(reference.source), accessed=reference.accessed, quote=reference.quote
            ),
        ))
    # Numbered first, by number; the general ones keep their written order.
    entries.sort(key=lambda entry: (entry.number is None, entry.number or 0))
    return entries, superscripts


def infobox_lists(article: Article) -> dict[str, list[Link]]:
    """Every list of the infobox (places, languages, religions, related
    groups) as links, by the field's attribute, in one query."""
    lists: dict[str, list[Link]] = {storage.field.attr: [] for storage in ROW_STORAGE}
    urls = {storage.field.attr: storage.url_name for storage in ROW_STORAGE}
    for attr, name, slug, _position in _infobox_rows(article):
        if urls[attr]:
            lists[attr].append(Link(name, reverse(urls[attr], kwargs={"slug": slug})))
        elif slug:  # a title with its published article
            lists[attr].append(Link(name, reverse("article-detail", kwargs={"slug": slug})))
        else:
            lists[attr].append(Link(name, missing=True))
    return lists


def _infobox_rows(article: Article):
    """(attr, name, slug, position) rows of every list, one UNION query."""
    text = CharField()
    parts = [
        storage.model.objects.filter(article=article)
        .annotate(
            kind=Value(storage.field.attr, text),
            name=storage.name_expression(),
            slug=storage.slug_expression(),
        )
        .values_list("kind", "name", "slug", "position")
        .order_by()
        for storage in ROW_STORAGE
    ]
    return parts[0].union(*parts[1:], all=True).order_by("kind", "position")


def _mentions(article: Article) -> tuple[list[Link], list[Link]]:
    """(people, places) shown as mentioned, in one query."""
    text = CharField()
    people = (
        PersonMention.objects.shown().filter(article=article)
        .annotate(kind=Value("person", text), name=F("person__name"), slug=F("person__slug"))
        .values_list("kind", "name", "slug")
        .order_by()
    )
    places = (
        PlaceMention.objects.shown().filter(article=article)
        .annotate(kind=Value("place", text), name=F("place__name"), slug=F("place__slug"))
        .values_list("kind", "name", "slug")
        .order_by()
    )
    found: dict[str, list[Link]] = {"person": [], "place": []}
    for kind, name, slug in people.union(places, all=True).order_by("kind", "name"):
        found[kind].append(Link(name, reverse(f"{kind}-detail", kwargs={"slug": slug})))
    return found["person"], found["place"]


def anchored_sections(sections: list[Section]) -> list[PageSection]:
    used: set[str] = set()
    result = []
    for section in sections:
        base = slugify(section.heading, allow_unicode=True) or "section"
        anchor, n = base, 1
        while anchor in used or anchor in RESERVED_ANCHORS or anchor.startswith(CITATION_IDS):
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        result.append(PageSection(section, anchor))
    return result


def population_chart(figures: list[PopulationFigure]) -> PopulationChart | None:
    """A bar chart of dated head counts, drawn on the server as SVG, a
    figure's range as a whisker; select the figures' sources with them."""
    if len(figures) < 2:
        return None
    width, height, top, bottom = 300, 160, 22, 28
    slot = width / len(figures)
    bar_width = min(48.0, slot * 0.6)
    tallest = max(max(f.count, f.high or 0) for f in figures) or 1
    baseline = height - bottom

    def y(count: int) -> float:
        return round(baseline - max(1.0, (baseline - top) * count / tallest), 1)

    bars = []
    for i, figure in enumerate(figures):
        centre = slot * i + slot / 2
        ranged = figure.low is not None or figure.high is not None
        high_y = y(figure.count if figure.high is None else figure.high)
        low_y = y(figure.count if figure.low is None else figure.low)
        left = round(centre - 4, 1)
        bars.append(
            Bar(
                label=figure.label,
                value=f"{figure.count:,}",
                x=round(centre - bar_width / 2, 1),
                y=y(figure.count),
                height=round(baseline - y(figure.count), 1),
                text_x=round(centre, 1),
                value_y=round((high_y if ranged else y(figure.count)) - 5, 1),
                range_path=(
                    f"M{round(centre, 1)} {high_y}V{low_y}M{left} {high_y}h8M{left} {low_y}h8"
                    if ranged else ""
                ),
            )
        )
    notes = [note for f in figures if (note := _figure_note(f))]
    summary = "; ".join(
        f"{f.label}: {_local_count(f.count)}{' (' + f.note + ')' if f.note else ''}"
        + (f", {_figure_range(f)}" if _figure_range(f) else "")
        + (f", {f.get_method_display().lower()}" if f.method else "")
        + (gettext(", source: %(source)s") % {"source": f.source.title} if f.source_id else "")
        for f in figures
    )
    return PopulationChart(width, height, baseline, round(bar_width, 1), bars, summary, notes)


def _local_count(count: int) -> str:
    """A count grouped as the interface's language groups it ("1,500",
    "1 500")."""
    return format_decimal(count, locale=interface_locale())


def _figure_range(figure: PopulationFigure) -> str:
    if figure.low is None and figure.high is None:
        return ""
    low = "" if figure.low is None else _local_count(figure.low)
    high = "" if figure.high is None else _local_count(figure.high)
    if low and high:
        return f"{low}–{high}"
    return gettext("at least %(low)s") % {"low": low} if low else gettext("at most %(high)s") % {"high": high}


def _figure_note(figure: PopulationFigure) -> FigureNote | None:
    text = ", ".join(
        part for part in (
            _figure_range(figure), figure.get_method_display().lower() if figure.method else ""
        ) if part
    )
    source = figure.source if figure.source_id else None
    if not text and source is None:
        return None
    return FigureNote(
        label=figure.label, text=text,
        source=Link(source.title, source.get_absolute_url()) if source else None,
        locator=figure.locator,
    )


def interlanguage_links(article: Article) -> list[LanguageLink]:
    """The article in other languages: first the other published articles
    of its translation group, by language (no query when it is in none,
    one otherwise); then its links to itself on other wikis in a language
    no translation here is in, by language name, each linked to the
    published article here of that title, if any (one query)."""
    translations = [
        LanguageLink(t.language, t.name, t.title, t.url, t.dir, translation=True)
        for t in group_translations(article)
    ]
    here = Article.objects.published().filter(title=OuterRef("title")).values("slug")[:1]
    links = [
        LanguageLink(code, language_name(code), title, reverse("article-detail", args=[slug]) if slug else "")
        for code, title, slug in article.interlanguage_links.annotate(slug=Subquery(here))
        .values_list("language", "title", "slug")
        if not any(matches_prefix(code, t.code) for t in translations)
    ]
    return translations + sorted(links, key=lambda link: (link.name.casefold(), link.code))


def language_name(code: str) -> str:
    """What a language calls itself (Babel's locale data: "русский",
    "پښتو"); the code itself for a language Babel does not know."""
    return translations_language_name(code)


# --- sources -------------------------------------------------------------------


@dataclass(frozen=True)
class SourcePage:
    source: Source
    cite: CitedSource
    html: SafeString  # the source cited as the References lists cite it


def cited_sources():
    """The sources that a published article cites, by a References entry
    or a population figure: the public ones (a source only drafts cite is
    as private as they are)."""
    published = Article.Status.PUBLISHED
    return Source.objects.filter(
        Exists(ArticleReference.objects.filter(source=OuterRef("pk"), article__status=published))
        | Exists(PopulationFigure.objects.filter(source=OuterRef("pk"), article__status=published))
    )


def source_page(*, source: Source) -> SourcePage:
    """What the source's page shows of the source itself (no query)."""
    cite = cited_source(source)
    return SourcePage(source=source, cite=cite, html=citation_html(cite))


def citing_articles(source: Source):
    """The published articles citing ``source``, A to Z, as lists show them."""
    return (
        Article.objects.published()
        .filter(
            Exists(ArticleReference.objects.filter(source=source, article=OuterRef("pk")))
            | Exists(PopulationFigure.objects.filter(source=source, article=OuterRef("pk")))
        )
        .listing()
        .order_by("title", "pk")
    )
