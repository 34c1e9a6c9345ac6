"""An imported article and its rows as a document makes them, checked, before
the import writes them; and what the import keeps of an article it updates."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.db import models

from people.models import Person, Place, validate_name

from .. import markdown, wikitext
from ..communities import community_from_title
from ..infobox import ROW_STORAGE, columns_from, infobox_citations
from ..models import (
    Article,
    ArticleReference,
    Citation,
    InfoboxRow,
    Mention,
    PersonMention,
    PlaceMention,
    PopulationFigure,
    Section,
    SeeAlso,
    Source,
)
from ..models.article import validate_title
from ..wikitext.values import InfoboxValueError
from .refresh import (
    citation_keys,
    citations_build,
    infobox_markers,
    search_document_text,
)
from .import_names import new_row
from .import_references import too_long


class _BuiltArticle:
    """An article and its rows as a document makes them, before writing."""

    def __init__(self, article: Article, created: bool):
        self.article = article
        self.created = created
        self.sections: list[Section] = []
        self.see_also: list[SeeAlso] = []
        self.extra_rows: list[InfoboxRow] = []
        # The rows of each infobox list, under the article's related name
        # for them ("language_rows"), as _BUILT_ROWS reads them.
        for storage in ROW_STORAGE:
            setattr(self, storage.rows, [])
        self.references: list[ArticleReference] = []
        self.citations: list[Citation] = []  # the infobox's: rows of their own, in revisions
        # The text's, which the text records (no revision holds them) and
        # nothing reads back: (reference or None, locator, place, position),
        # written as parameters (text_citation_rows), not models.
        self.text_citations: list[tuple[ArticleReference | None, str, str, int]] = []
        self.wikilinks: list[str] = []  # the titles linked to, in order; written as parameters
        self.person_mentions: list[PersonMention] = []
        self.place_mentions: list[PlaceMention] = []
        self.kept: tuple[list, list, list] | None = None
        self.kept_mentions: list[Mention] = []  # hand-made ones, kept
        self.population_figures: list[PopulationFigure] = []
        self.named_people: list[Person] = []
        self.named_places: list[str] = []
        self.plain_text: str | None = None  # text() without markers, once rendered

    @functools.cached_property
    def link_titles(self) -> set[str]:
        """Titles the text links to (read once the text is cleaned)."""
        texts = [self.article.lead, *(s.body for s in self.sections)]
        return {title for text in texts for title in markdown.link_titles(text)}

    def infobox_keys(self) -> list[str]:
        """The keys the infobox cites, in order of first use: the start of
        the order the renderer numbers the references in (the text's keys
        follow, found where the text is rendered)."""
        return citation_keys(self.citations)

    def set_text_citations(self, uses: list[tuple[str, str, str]]) -> None:
        """The text's citations from its markers, (place, key, locator) in
        order (importing.render_and_find finds them), numbered after the
        infobox's; and the article's count of [^?]."""
        by_key = {row.key: row for row in self.references}
        start = len(self.citations)
        self.text_citations = [
            (None if key == wikitext.CITATION_NEEDED else by_key[key], locator, place, start + i)
            for i, (place, key, locator) in enumerate(uses)
        ]
        self.article.citations_needed = sum(c.reference is None for c in self.citations) + sum(
            key == wikitext.CITATION_NEEDED for _, key, _ in uses
        )

    def text_citation_rows(self) -> list[tuple]:
        """The text's Citation rows as (position, article_id, reference_id,
        locator, place): written once the article and its references are."""
        pk = self.article.pk
        return [
            (position, pk, reference.pk if reference is not None else None, locator, place)
            for reference, locator, place, position in self.text_citations
        ]

    def infobox_markers(self) -> list[tuple[wikitext.Marker, ...]]:
        return infobox_markers(self.citations)

    def reference_keys(self) -> list[str]:
        return [row.key for row in self.references]

    def set_mentions(self, people: set[int], places: set[int]) -> None:
        """Found mentions, given ``kept``: the hand-made person and place
        mentions and population figures of an article being updated."""
        kept_people, kept_places, self.population_figures = self.kept or ([], [], [])
        hand_people = {m.person_id for m in kept_people}
        hand_places = {m.place_id for m in kept_places}
        self.kept_mentions = [*kept_people, *kept_places]
        self.person_mentions = [
            new_row(PersonMention, state=Mention.State.FOUND, person_id=pk, article_id=None)
            for pk in sorted(people - hand_people)
        ]
        self.place_mentions = [
            new_row(PlaceMention, state=Mention.State.FOUND, place_id=pk, article_id=None)
            for pk in sorted(places - hand_places)
        ]

    def mentioned(self, model: type[Mention]) -> list[int]:
        rows = self.person_mentions if model is PersonMention else self.place_mentions
        kept = [m for m in self.kept_mentions if isinstance(m, model)]
        return [
            m.person_id if model is PersonMention else m.place_id
            for m in [*rows, *kept] if m.state in Mention.SHOWN
        ]

    def search_document(self) -> str:
        return search_document_text(
            article=self.article,
            sections=self.sections,
            extra_values=[row.value for row in self.extra_rows],
            lists={
                storage.field.attr: [storage.name_of(row) for row in getattr(self, storage.rows)]
                for storage in ROW_STORAGE
            },
            mentioned_places=self.named_places,
            people=self.named_people,
            source_titles=[row.source.title for row in self.references],
            text=self.plain_text,
        )

    def attach(self, see_also_targets: dict[str, Article]) -> None:
        pk = self.article.pk
        for _, attribute in _BUILT_ROWS:
            for row in getattr(self, attribute):
                # Not through the descriptor, which costs more than the write:
                # the rows were made with article_id=None and no article cached.
                row.__dict__["article_id"] = pk
        for row in self.see_also:
            target = see_also_targets.get(row.target_title)
            row.target_id = target.pk if target else None

    def revision_rows(self) -> list[models.Model]:
        return [
            *self.sections, *self.see_also, *self.extra_rows,
            *(row for storage in ROW_STORAGE for row in getattr(self, storage.rows)),
            *self.population_figures,
            *self.person_mentions, *self.place_mentions, *self.kept_mentions,
            *self.references, *self.citations,
        ]


_BUILT_ROWS = [
    (Section, "sections"), (SeeAlso, "see_also"), (InfoboxRow, "extra_rows"),
    *((storage.model, storage.rows) for storage in ROW_STORAGE),
    # References before citations: a citation's reference is saved first
    # (bulk_create sets reference_id from the saved row).
    (ArticleReference, "references"), (Citation, "citations"),
    # Last: an import replaces only the mentions it found (importing.py).
    (PersonMention, "person_mentions"), (PlaceMention, "place_mentions"),
]


def _build_article(
    article: Article,
    doc: wikitext.ArticleDoc,
    terms: dict[str, dict[str, models.Model]],
    sources: list[Source],
) -> _BuiltArticle:
    """Fill ``article`` and build its rows from ``doc``, all checked as the
    admin's forms check them (foreign keys and uniqueness aside: the import
    looked those up itself). ``sources``: the Source of each of the
    document's references, in order (import_references.sources_import)."""
    built = _BuiltArticle(article, created=article.pk is None)
    article.lead = doc.lead
    article.language = doc.language
    for column, value in columns_from(doc.infobox).items():
        setattr(article, column, value)
    parsed = community_from_title(article.title)
    if parsed:
        if not article.origin_group:
            article.origin_group = parsed[0]
        host = _host_country(article.title)
        if article.host_country_id is None and host is not None:
            article.host_country = terms["places"][host]
    article.clean_fields(exclude=["origin_country", "host_country"])
    article.clean()
    infobox = doc.infobox
    # article_id=None: the article's id is set when it is written (attach).
    built.sections = [
        new_row(
            Section, heading=s.heading, level=s.level, body=s.body, position=i, article_id=None
        )
        for i, s in enumerate(doc.sections)
    ]
    built.see_also = [
        new_row(
            SeeAlso, target_title=title, position=i, article_id=None, target_id=None,
            # What SeeAlso's save would set: rows_insert writes without one.
            target_group=group, target_host=host,
        )
        for i, title in enumerate(doc.see_also)
        for group, host in [SeeAlso.community_of(title)]
    ]
    built.extra_rows = [
        InfoboxRow(key=row.key, value=row.value, position=row.position, article_id=None)
        for row in infobox.extras
    ]
    # ``terms``: by list (its Infobox attribute), the places, languages and
    # religions the import found or made, by name. A list of titles stores
    # the titles themselves.
    for storage in ROW_STORAGE:
        names = getattr(infobox, storage.field.attr)
        lookup = terms.get(storage.field.attr) if storage.is_foreign_key else None
        setattr(built, storage.rows, [
            new_row(
                storage.model,
                **{storage.value: lookup[name] if lookup else name}, position=i, article_id=None
            )
            for i, name in enumerate(names)
        ])
    _check_rows(built)
    _build_references(built, doc, sources)
    return built


def _check_rows(built: _BuiltArticle) -> None:
    """The rows' model validation, but for what the parser checked already
    (a fifth of an import's work, run twice, was the sections' and See
    also rows'). The parser refuses, with file and line, every heading and
    See also title the models refuse, every body whose characters, length or
    lines they refuse, and gives them in their stored form (normal text, NFC
    titles): PARSER_CHECKED lists what this relies on, which a test holds to
    the models. What is left: a heading that starts or ends with '=' inside
    its marks ("== a = =="). Rarer rows get the model's whole validation."""
    heading = Section._meta.get_field("heading")
    for row in built.sections:
        try:
            validate_title(row.heading)
        except ValidationError as exc:
            raise ValidationError({heading.name: exc.messages}) from None
    titles = [getattr(built, s.rows) for s in ROW_STORAGE if not s.is_foreign_key]
    for rows in (built.extra_rows, *titles):
        for row in rows:
            row.clean_fields(exclude=["article", "target"])
            row.clean()


# What _check_rows does not check again, by model: field name, its
# validators; and the model's clean(), which only normalises what the parser
# gives normalised already (Section.clean also refuses a "See also" section,
# which the parser reads as the See also rows).
PARSER_CHECKED = {
    Section: {"heading": ("validate_title",), "body": ("validate_body",), "level": (),
              "position": ()},
    SeeAlso: {"target_title": ("validate_title",), "position": ()},
}


def _build_references(
    built: _BuiltArticle, doc: wikitext.ArticleDoc, sources: list[Source]
) -> None:
    """The article's references and the infobox's citations."""
    built.references = [
        new_row(
            ArticleReference,
            key=reference.key, position=i, source=source, article_id=None,
            accessed=reference.accessed, quote=reference.quote,
            extras=[list(pair) for pair in reference.extras],
        )
        for i, (reference, source) in enumerate(zip(doc.references, sources, strict=True))
    ]
    for row in built.references:
        # The parser checks the key, the date and the quote's length.
        problem = too_long(row, ("key", "accessed", "quote"))
        if problem:
            raise ValidationError(f"reference [^{row.key}]: {problem}")
    built.citations = citations_build(
        [(place, marker) for place, markers in infobox_citations(doc.infobox)
         for marker in markers],
        {row.key: row for row in built.references},
    )
    # The text's citations and the paragraphs, cited or not, are found where
    # the text is rendered (set_text_citations).


def _host_country(title: str) -> str | None:
    """The host country an "X in Y" title names, if it can be a place.
    "Russians in Korea, South" names a real country, but a place name must
    read back from a Popplace list (comma-separated): such an article is
    imported without a host country rather than refused."""
    parsed = community_from_title(title)
    if parsed is None:
        return None
    try:
        validate_name(parsed[1])
        if wikitext.split_places(wikitext.join_places([parsed[1]])) != [parsed[1]]:
            return None
    except (ValidationError, InfoboxValueError):
        return None
    return parsed[1]


def _fill_origins(articles: list[Article]) -> None:
    """The origin country of each "X in Y" article without one: the place
    whose demonym is X (one query for them all)."""
    wanted = {a.origin_group for a in articles if a.origin_group and a.origin_country_id is None}
    if not wanted:
        return
    by_demonym: dict[str, Place] = {}
    for place in Place.objects.filter(demonym__in=wanted).order_by("name", "pk"):
        by_demonym.setdefault(place.demonym, place)
    for article in articles:
        if article.origin_country_id is None and article.origin_group in by_demonym:
            article.origin_country = by_demonym[article.origin_group]


def _kept_rows(article_ids: list[int]) -> dict[int, tuple[list, list, list]]:
    """For articles an import updates: their hand-made mentions and
    population figures, which the import keeps (and their revision holds)."""
    kept: dict[int, tuple[list, list, list]] = {pk: ([], [], []) for pk in article_ids}
    if not article_ids:
        return kept
    hand = [Mention.State.ADDED, Mention.State.REMOVED]
    people = PersonMention.objects.filter(article_id__in=article_ids, state__in=hand)
    for m in people.select_related("person"):
        kept[m.article_id][0].append(m)
    places = PlaceMention.objects.filter(article_id__in=article_ids, state__in=hand)
    for m in places.select_related("place"):
        kept[m.article_id][1].append(m)
    for figure in PopulationFigure.objects.filter(article_id__in=article_ids):
        kept[figure.article_id][2].append(figure)
    return kept


_NAMED_KEPT = 10_000


def _people_and_places_named(
    built: list[_BuiltArticle],
    people: dict[int, Person] | None = None,
    places: dict[int, Place] | None = None,
) -> None:
    """The people (with aliases) and places each article shows as
    mentioned, by name, for its search document and revision (one query
    each for the batch). ``people`` and ``places``: those read already,
    by id, which the ones read here are added to (an import reads each
    once, not again in every batch that names them)."""
    people = {} if people is None else people
    places = {} if places is None else places
    for read in (people, places):
        if len(read) > _NAMED_KEPT:  # memory bounded on a site of many people
            read.clear()
    person_ids = {pk for b in built for pk in b.mentioned(PersonMention)} - people.keys()
    place_ids = {pk for b in built for pk in b.mentioned(PlaceMention)} - places.keys()
    people.update(Person.objects.prefetch_related("aliases").in_bulk(person_ids))
    places.update(Place.objects.in_bulk(place_ids))
    for b in built:
        # Cached as the descriptor caches them (their ids are set already),
        # for the revision's text of each mention.
        for row in b.person_mentions:
            row._state.fields_cache["person"] = people[row.person_id]
        for row in b.place_mentions:
            row._state.fields_cache["place"] = places[row.place_id]
        b.named_people = [people[pk] for pk in b.mentioned(PersonMention)]
        b.named_places = [places[pk].name for pk in b.mentioned(PlaceMention)]
