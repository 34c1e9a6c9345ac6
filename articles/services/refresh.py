"""Data derived from an article's text, brought up to date after a save:
the text's citations and the verifiability columns, rendered Markdown,
[[links]] both ways, See also targets, mentions found in the text, and the
search document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction
from django.db.models import Q

from people.models import Alias, Person, Place

from .. import markdown, wikitext
from ..citations import CitationRenderer, is_infobox_place, text_citations
from ..dependencies import content_change
from ..infobox import ROW_STORAGE, STORAGE
from ..lookups import resolve_titles
from ..mentions import NameIndex, build_index
from ..models import (
    Article,
    ArticleReference,
    Citation,
    FormerName,
    Mention,
    PersonMention,
    PlaceMention,
    Section,
    SeeAlso,
    WikiLink,
)
from ..wikitext.infobox import Kind

def article_refresh(
    *,
    article: Article,
    former: tuple[str, str] | None = None,
    names: NameIndex | None = None,
    relink: bool = True,
) -> None:
    """Bring everything derived from an article up to date after it (or any
    of its rows) was saved: rendered text, links both ways, mentions found in
    the text and the search document. ``former`` is the (title, slug) it had
    before this save, to keep old URLs and links working after a rename.
    ``relink=False``: its title, slug and status are as before, so the
    [[links]] to it elsewhere stay as they are (not rendered again)."""
    if former and former != (article.title, article.slug):
        FormerName.objects.get_or_create(article=article, title=former[0], slug=former[1])
    FormerName.objects.filter(article=article, title=article.title, slug=article.slug).delete()
    citations_update(article=article)
    article_render(article=article)
    see_also_link(article=article)
    mentions_detect(article=article, names=names)
    search_document_update(article=article)
    if not relink:
        return
    titles = [article.title, *article.former_names.values_list("title", flat=True)]
    if former:
        titles.append(former[0])
    _render_linking(titles, exclude_pk=article.pk)


def article_delete(*, article: Article) -> None:
    """Delete an article; links to it elsewhere turn missing."""
    with content_change() as change:
        change.deleting([article.pk])
        titles = [article.title, *article.former_names.values_list("title", flat=True)]
        article.delete()
        _render_linking(titles)


def _render_linking(titles: list[str], exclude_pk: int | None = None) -> None:
    """Render again the articles whose [[links]] name one of ``titles``, so
    that their links appear, follow a rename or turn missing."""
    linking = Article.objects.filter(wikilinks__target_title__in=titles).distinct()
    for other in linking.exclude(pk=exclude_pk):
        article_render(article=other)


def article_render(*, article: Article) -> None:
    """Render the lead and sections' Markdown, their citation markers
    numbered as the article's Citation rows order them, and record their
    [[links]]."""
    sections = list(article.sections.all())
    texts = [article.lead, *(section.body for section in sections)]
    titles = {title for text in texts for title in markdown.link_titles(text)}
    urls = {title: a.get_absolute_url() for title, a in resolve_titles(titles).items()}
    citations = list(article.citations.select_related("reference"))
    article.lead_html, bodies = render_text(
        article.lead, [section.body for section in sections], urls,
        order=citation_keys(citations), infobox=infobox_markers(citations),
    )
    Article.objects.filter(pk=article.pk).update(lead_html=article.lead_html)
    for section, html in zip(sections, bodies, strict=True):
        section.body_html = html
    Section.objects.bulk_update(sections, ["body_html"])
    existing = set(article.wikilinks.values_list("target_title", flat=True))
    article.wikilinks.exclude(target_title__in=titles).delete()
    WikiLink.objects.bulk_create(
        [WikiLink(article=article, target_title=title) for title in titles - existing]
    )


def render_text(
    lead: str,
    bodies: Sequence[str],
    urls: Mapping[str, str],
    *,
    order: list[str],
    infobox: list[tuple[wikitext.Marker, ...]],
) -> tuple[str, list[str]]:
    """The HTML of a lead and of section bodies. ``order`` is the
    references' keys in order of first use (wikitext.citation_order), and
    ``infobox`` the markers of each infobox row with markers, in order: the
    numbers and the ids of the uses are counted across the infobox, the
    lead and the sections, as the page counts them. Pure: the import's
    worker processes call it."""
    renderer = CitationRenderer(order, urls)
    for markers in infobox:
        renderer.infobox(markers)  # counted, shown by the page
    return renderer.render(lead), [renderer.render(body) for body in bodies]


# --- citations ---------------------------------------------------------------


def citations_build(
    uses: Iterable[tuple[str, wikitext.Marker]],
    references: Mapping[str, ArticleReference],
    *,
    start: int = 0,
) -> list[Citation]:
    """Citation rows (unsaved, without their article) for ``uses`` in order,
    numbered from ``start``. ``[^?]`` has no reference; a marker whose key
    names no reference (which the parser and the admin refuse) gets no row."""
    rows = []
    for place, marker in uses:
        if marker.needed:
            reference = None
        elif marker.key in references:
            reference = references[marker.key]
        else:
            continue
        rows.append(Citation(
            reference=reference, locator=marker.locator, place=place, position=start + len(rows),
            article_id=None,
        ))
    return rows


def citation_keys(citations: Iterable[Citation]) -> list[str]:
    """The reference keys in order of first use, each once, from the
    article's Citation rows in order (what wikitext.citation_order gives of
    its document)."""
    return list(dict.fromkeys(c.reference.key for c in citations if c.reference is not None))


def infobox_markers(citations: Iterable[Citation]) -> list[tuple[wikitext.Marker, ...]]:
    """The markers of each infobox row with markers, in order."""
    grouped: dict[str, list[wikitext.Marker]] = {}
    for citation in citations:
        if is_infobox_place(citation.place):
            grouped.setdefault(citation.place, []).append(citation.marker)
    return [tuple(markers) for markers in grouped.values()]


def citations_update(*, article: Article) -> None:
    """Rebuild the Citation rows of the article's text (the lead's and the
    sections', after the infobox's, which are rows only and kept) and the
    verifiability columns. Writes nothing when nothing changed."""
    sections = list(article.sections.all())
    references = {r.key: r for r in article.references.all()}
    rows = list(article.citations.all())
    infobox = [c for c in rows if is_infobox_place(c.place)]
    text = [c for c in rows if not is_infobox_place(c.place)]
    renumbered = []
    for position, citation in enumerate(infobox):
        if citation.position != position:
            citation.position = position
            renumbered.append(citation)
    Citation.objects.bulk_update(renumbered, ["position"])
    wanted = citations_build(
        text_citations(article.lead, ((s.position, s.body) for s in sections)),
        references, start=len(infobox),
    )

    def shape(c: Citation) -> tuple:
        return (c.reference_id, c.locator, c.place, c.position)

    if [shape(c) for c in text] != [shape(c) for c in wanted]:
        Citation.objects.filter(pk__in=[c.pk for c in text]).delete()
        for citation in wanted:
            citation.article = article
        Citation.objects.bulk_create(wanted)
    columns = verifiability_columns(
        lead=article.lead, bodies=[s.body for s in sections], keys=references,
        needed=sum(c.reference_id is None for c in [*infobox, *wanted]),
    )
    if any(getattr(article, name) != value for name, value in columns.items()):
        for name, value in columns.items():
            setattr(article, name, value)
        Article.objects.filter(pk=article.pk).update(**columns)


def verifiability_columns(
    *, lead: str, bodies: Iterable[str], keys: Iterable[str], needed: int
) -> dict[str, int]:
    """The Article columns of wikitext.verifiability: paragraphs, the cited
    ones (a marker naming one of ``keys``) and ``needed``, the article's
    [^?] count (the infobox's included, which the caller counts)."""
    doc = wikitext.ArticleDoc(
        title="", lead=lead,
        sections=[wikitext.Section(heading="", level=2, body=body) for body in bodies],
        references=[wikitext.Reference(key=key) for key in keys],
    )
    cited, paragraphs, _ = wikitext.verifiability(doc)
    return {"paragraphs": paragraphs, "cited_paragraphs": cited, "citations_needed": needed}


def see_also_link(*, article: Article) -> None:
    """Point See also rows at the articles their titles name: this article's
    own rows, and every row elsewhere that names this article by its title or
    a former one."""
    names = {article.title, *article.former_names.values_list("title", flat=True)}
    rows = list(
        SeeAlso.objects.filter(
            Q(article=article) | Q(target_title__in=names) | Q(target=article)
        )
    )
    targets = resolve_titles({row.target_title for row in rows})
    changed = []
    for row in rows:
        target = targets.get(row.target_title)
        target_id = target.pk if target else None
        if row.target_id != target_id:
            row.target_id = target_id
            changed.append(row)
    SeeAlso.objects.bulk_update(changed, ["target"])


def name_index() -> NameIndex:
    """Names and aliases of every person and place, for finding mentions."""
    return build_index(
        [
            *Person.objects.values_list("pk", "name"),
            *Alias.objects.values_list("person_id", "name"),
        ],
        Place.objects.values_list("pk", "name"),
    )


def article_text(article: Article) -> str:
    """The prose of an article, where mentions are looked for: without its
    citation markers (a locator names no one)."""
    return wikitext.strip_markers(article_text_of(article, article.sections.all()))


def article_text_of(article: Article, sections: Iterable[Section]) -> str:
    parts = [article.title, article.lead]
    for section in sections:
        parts += [section.heading, section.body]
    return "\n".join(parts)


def mentions_detect(*, article: Article, names: NameIndex | None = None) -> None:
    """Record who and what the article's text names. Hand-made choices
    (added or removed) are left as they are."""
    people, places = (names or name_index()).find(article_text(article))
    _sync_found(PersonMention, article, "person_id", people)
    _sync_found(PlaceMention, article, "place_id", places)


def _sync_found(model: type[Mention], article: Article, key: str, found: set[int]) -> None:
    rows = {getattr(row, key): row for row in model.objects.filter(article=article)}
    stale = [
        row.pk for pk, row in rows.items() if row.state == Mention.State.FOUND and pk not in found
    ]
    model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_create(
        [
            model(article=article, state=Mention.State.FOUND, **{key: pk})
            for pk in sorted(found - rows.keys())
        ]
    )


def person_refresh(*, person: Person) -> None:
    """After a person or their aliases changed: find the articles that name
    them now, and drop mentions found under names they no longer have."""
    names = [person.name, *person.aliases.values_list("name", flat=True)]
    _refresh_mentions_of(PersonMention, "person", person.pk, names)


def place_refresh(*, place: Place) -> None:
    """After a place changed: the same as person_refresh, for places; and a
    country whose demonym is now known becomes the origin of its groups."""
    _refresh_mentions_of(PlaceMention, "place", place.pk, [place.name])
    if place.demonym:
        Article.objects.filter(origin_group=place.demonym, origin_country__isnull=True).update(
            origin_country=place
        )


def _refresh_mentions_of(model: type[Mention], key: str, pk: int, names: list[str]) -> None:
    index = build_index([(pk, name) for name in names], [])
    mentions = model._meta.get_field("article").related_query_name()
    candidates = Q(**{f"{mentions}__{key}": pk})
    for name in names:
        candidates |= Q(title__contains=name) | Q(lead__contains=name)
        candidates |= Q(sections__heading__contains=name) | Q(sections__body__contains=name)
    for article in Article.objects.filter(candidates).distinct().prefetch_related("sections"):
        named = bool(index.find(article_text(article))[0])
        row = model.objects.filter(article=article, **{f"{key}_id": pk}).first()
        if named and row is None:
            model.objects.create(article=article, state=Mention.State.FOUND, **{f"{key}_id": pk})
        elif not named and row is not None and row.state == Mention.State.FOUND:
            row.delete()
        search_document_update(article=article)


def search_document_update(*, article: Article) -> None:
    """The text search looks in: title, lead, sections, infobox values and
    the names (with aliases) of the people and places mentioned."""
    document = search_document_text(
        article=article,
        sections=article.sections.all(),
        extra_values=[row.value for row in article.extra_rows.all()],
        lists={
            storage.field.attr: list(
                getattr(article, storage.rows).values_list(storage.name_expression(), flat=True)
            )
            for storage in ROW_STORAGE
        },
        mentioned_places=article.mentioned_places().values_list("name", flat=True),
        people=article.mentioned_people().prefetch_related("aliases"),
        source_titles=article.references.values_list("source__title", flat=True),
    )
    Article.objects.filter(pk=article.pk).update(search_document=document)
    article.search_document = document


def search_document_text(
    *,
    article: Article,
    sections: Iterable[Section],
    extra_values: list[str],
    lists: Mapping[str, list[str]],
    mentioned_places: Iterable[str],
    people: Iterable[Person],
    source_titles: Iterable[str] = (),
    text: str | None = None,
) -> str:
    """The search document of an article made of these parts: ``lists``
    holds the names of each infobox list by its Infobox attribute, in order
    (people with their aliases prefetched); ``source_titles`` the titles of
    the sources it cites, in the References' order. The text goes in
    without its citation markers (``text``: that text, when the caller has
    it already). Places, the mentioned and the infobox's together, and
    people are sorted by name."""
    # Of a field in columns, its words: a text, or a population's note.
    columns = [
        getattr(article, storage.columns[0 if storage.kind is Kind.TEXT else 1])
        for storage in STORAGE if storage.columns
    ]
    places = set(mentioned_places)
    listed = []
    for storage in ROW_STORAGE:
        if storage.kind is Kind.PLACES:
            places.update(lists[storage.field.attr])
        else:
            listed += lists[storage.field.attr]
    parts = [
        wikitext.strip_markers(article_text_of(article, sections)) if text is None else text,
        *columns,
        *extra_values,
        *listed,
        *sorted(places),
    ]
    for person in sorted(people, key=lambda p: (p.name, p.pk)):
        parts += [person.name, *(alias.name for alias in person.aliases.all())]
    parts += source_titles
    return "\n".join(part for part in parts if part)
