"""The import pipeline: wiki-text files into articles, all or nothing, in
batches rendered by worker processes while the previous batch is written."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from people.models import Person, Place

from .. import wikitext
from ..dependencies import content_change
from ..infobox import ROW_STORAGE
from ..lookups import resolve_titles
from ..mentions import NameIndex
from ..models import (
    Article,
    Citation,
    Mention,
    PersonMention,
    PlaceMention,
    SeeAlso,
    WikiLink,
)
from ..wikitext.infobox import Kind
from .import_names import (
    _chunks,
    _get_or_create_named_many,
    _new_slugs,
    rows_insert,
    values_insert,
)
from .import_rows import (
    _BUILT_ROWS,
    _build_article,
    _BuiltArticle,
    _fill_origins,
    _host_country,
    _kept_rows,
    _people_and_places_named,
)
from .import_references import SourceSlugs, sources_import
from .import_sources import ImportFailed, Source, _parse, _parse_sources, _TitleCheck
from .refresh import article_render, name_index
from .import_workers import _WORKERS, _Collections, _render_pool, _Rendered, render_and_find
from .revisions import RevisionMeta, revisions_save


IMPORT_BATCH = 250


@dataclass(frozen=True)
class ImportResult:
    name: str
    article_id: int
    title: str
    slug: str
    created: bool

    @property
    def article(self) -> Article:
        """The article as it is now (a query): results stay small however
        many files an import has."""
        return Article.objects.get(pk=self.article_id)


def articles_import(
    *,
    sources: Iterable[Source],
    on_progress: Callable[[ImportResult], None] | None = None,
    user=None,
    status: str = Article.Status.PUBLISHED,
    origins: Mapping[str, RevisionMeta] | None = None,
    drafts: bool = False,
) -> list[ImportResult]:
    """Import wiki-text files, all or nothing.

    Every file is parsed before anything is written (the first bad one
    raises ImportFailed naming its file and line), then the files are
    imported in batches inside one transaction. An article whose title
    exists is updated in place; editorial data the wiki-text does not hold
    (status, tags, hand-made mentions, population history) is kept; a new
    article gets ``status``. Each article gets a revision by ``user`` (None
    for the command line), or, for a file named in ``origins``, the date,
    contributor and comment of the wiki revision it was made from.

    ``drafts``: every imported article ends a draft, the existing ones
    unpublished too (the admin's "import as drafts", ``import_articles
    --drafts``); ``status`` is then ignored.
    """
    if drafts:
        status = Article.Status.DRAFT
    sources = list(sources)
    results: list[ImportResult] = []
    batches = -(-len(sources) // IMPORT_BATCH)
    with _render_pool(None, batches=batches) as pool:
        # Before the database is touched; the first batches' documents are
        # kept, not parsed again.
        titles, kept = _checked_titles(sources, pool)
    names = name_index()
    with _render_pool(names, batches=batches) as pool, _Collections(batches) as collections:
        with content_change() as change, transaction.atomic():
            change.titles(titles)
            run = _ImportRun(titles, names, user=user, status=status, origins=origins or {},
                             drafts=drafts)
            # A pipeline: batch k is rendered (in the pool) while k-1 is written.
            waiting: _Batch | None = None
            for docs in _parsed_batches(sources, pool, kept):
                prepared = run.prepare(docs, pool)
                if waiting:
                    results += _report(run.write(waiting, user=user), on_progress)
                    collections.batch_written()
                waiting = prepared
            if waiting:
                results += _report(run.write(waiting, user=user), on_progress)
            run.link_created()
            change.created(result.article_id for result in results if result.created)
    return results


# The documents the check keeps for the batches they begin, not to parse them
# twice: the first KEEP_FILES files' while they take at most KEEP_BYTES
# pickled (as the check's workers send them), some 15 KB a file.
KEEP_FILES = 1000
KEEP_BYTES = 32 * 2**20

_Docs = list[tuple[str, wikitext.ArticleDoc]]


def _checked_titles(
    sources: list[Source], pool: Executor | None
) -> tuple[list[str], list[Callable[[], _Docs]]]:
    """Every file parsed (in the pool if there is one), in order: the
    titles, and the documents of the first batches (each batch's given by a
    call); or ImportFailed for the first bad file or repeated title."""
    check = _TitleCheck()
    titles: list[str] = []
    if pool is None:
        first: _Docs = []
        for name, doc in _parse_sources(sources):
            titles.append(doc.title)
            if len(first) < IMPORT_BATCH:
                first.append((name, doc))
        return titles, [lambda: first]
    # Each batch in as many chunks as there are workers, as _parsed_batches
    # parses it, to keep its documents in the same pieces.
    chunks, keep, batch_of = [], [], []
    for start in range(0, len(sources), IMPORT_BATCH):
        batch = sources[start : start + IMPORT_BATCH]
        size = -(-len(batch) // _WORKERS)
        for i in range(0, len(batch), size):
            chunks.append(batch[i : i + size])
            keep.append(start + IMPORT_BATCH <= max(KEEP_FILES, IMPORT_BATCH))
            batch_of.append(start // IMPORT_BATCH)
    blobs: list[list[bytes]] = []  # of the first batches, each batch's chunks
    kept_bytes = 0
    keeping = True
    for (rows, blob), batch in zip(pool.map(_titles_of, chunks, keep), batch_of, strict=True):
        for name, title, error in rows:
            if error:
                raise ImportFailed(error)
            check.add(name, title)
            titles.append(title)
        if not keeping:
            continue
        if blob is None or kept_bytes + len(blob) > KEEP_BYTES:
            # This batch is parsed again, and so is every one after it.
            del blobs[batch:]
            keeping = False
            continue
        if batch == len(blobs):
            blobs.append([])
        blobs[batch].append(blob)
        kept_bytes += len(blob)
    return titles, [
        (lambda pieces=pieces: [doc for blob in pieces for doc in pickle.loads(blob)])
        for pieces in blobs
    ]


def _titles_of(
    sources: list[Source], keep: bool = False
) -> tuple[list[tuple[str, str, str]], bytes | None]:
    """(name, title, "") for each file, or (name, "", the error) for the
    first bad one; and, if ``keep`` and all are good, their documents
    pickled (what the pool would send of them, for the import to read
    later rather than parse them again)."""
    out = []
    docs = []
    for name, data in sources:
        try:
            doc = _parse(name, data)
        except ImportFailed as exc:
            out.append((name, "", str(exc)))
            return out, None
        out.append((name, doc.title, ""))
        docs.append((name, doc))
    return out, pickle.dumps(docs, pickle.HIGHEST_PROTOCOL) if keep else None


def _parsed(sources: list[Source]) -> list[tuple[str, wikitext.ArticleDoc]]:
    return [(name, _parse(name, data)) for name, data in sources]


def _parsed_batches(
    sources: list[Source], pool: Executor | None,
    kept: list[Callable[[], _Docs] | None] | None = None,
) -> Iterator[_Docs]:
    """The documents of each batch of IMPORT_BATCH files, in order: those
    of the first batches from ``kept`` (from the check; each dropped from
    the list once read, its memory being the next batches'). With a pool,
    a batch is parsed there while the one before it is prepared: parsing
    (references and their URLs above all) is a good part of the work, and
    the writing process is the one that limits an import."""
    starts = range(0, len(sources), IMPORT_BATCH)
    kept = [] if kept is None else kept
    if pool is None:
        for number, start in enumerate(starts):
            if number < len(kept):
                docs, kept[number] = kept[number](), None
                yield docs
            else:
                yield _parsed(sources[start : start + IMPORT_BATCH])
        return

    def submit(start: int) -> list:
        batch = sources[start : start + IMPORT_BATCH]
        size = -(-len(batch) // _WORKERS)
        return [pool.submit(_parsed, batch[i : i + size]) for i in range(0, len(batch), size)]

    def parsing(number: int) -> list:
        start = number * IMPORT_BATCH
        if number < len(kept) or start >= len(sources):
            return []
        return submit(start)

    pending = parsing(0)
    for number, _ in enumerate(starts):
        if number < len(kept):
            docs, kept[number] = kept[number](), None
        else:
            docs = [doc for future in pending for doc in future.result()]
        # Submitted before this batch's rendering: the next batch's
        # documents are needed first.
        pending = parsing(number + 1)
        yield docs


def _report(results: list[ImportResult], on_progress) -> list[ImportResult]:
    if on_progress:
        for result in results:
            on_progress(result)
    return results


@dataclass
class _Batch:
    docs: list[tuple[str, wikitext.ArticleDoc]]
    built: list[_BuiltArticle]
    see_also_targets: dict[str, Article]
    rendered: Callable[[], list[_Rendered]]


class _ImportRun:
    """One import: what every batch needs to know about all of it. Links
    between the imported articles resolve whatever their order, because the
    slug of every title is settled before the first batch is written."""

    def __init__(
        self, titles: list[str], names: NameIndex, *, user=None,
        status: str = Article.Status.PUBLISHED, origins: Mapping[str, RevisionMeta],
        drafts: bool = False,
    ):
        self.names = names
        self.user = user
        self.source_slugs = SourceSlugs()
        self.status = status
        self.origins = origins
        self.existing: dict[str, tuple[int, str, str]] = {}  # title: (pk, slug, status)
        for chunk in _chunks(titles):
            for pk, title, slug, status in Article.objects.filter(title__in=chunk).values_list(
                "pk", "title", "slug", "status"
            ):
                self.existing[title] = (pk, slug, status)
        self.drafts = drafts
        # Published articles this import makes drafts: links to them go.
        self.unpublished = [t for t, (_, _, s) in self.existing.items()
                            if drafts and s == Article.Status.PUBLISHED]
        if drafts:
            self.existing = {t: (pk, slug, Article.Status.DRAFT)
                             for t, (pk, slug, _) in self.existing.items()}
        self.created_slugs = _new_slugs([t for t in titles if t not in self.existing])
        self.imported_ids: set[int] = set()
        # The people and places the articles name, by id, read once (up to
        # import_rows._NAMED_KEPT of each).
        self.people: dict[int, Person] = {}
        self.places: dict[int, Place] = {}
        # The address of each title linked to so far, by title: one reverse()
        # each, however many articles link to it.
        self._urls: dict[str, str | None] = {}
        self.new_places: list[tuple[int, str]] = []

    def url(self, title: str) -> str | None:
        """The address the title will have once imported; None if it is not
        an imported title, or one of a draft."""
        if title not in self._urls:
            self._urls[title] = self._url(title)
        return self._urls[title]

    def _url(self, title: str) -> str | None:
        if title in self.created_slugs:
            if self.status != Article.Status.PUBLISHED:
                return None
            slug = self.created_slugs[title]
        elif title in self.existing and self.existing[title][2] == Article.Status.PUBLISHED:
            slug = self.existing[title][1]
        else:
            return None
        return reverse("article-detail", kwargs={"slug": slug})

    def urls(self, titles: set[str]) -> dict[str, str]:
        urls = {}
        rest = set()
        for title in titles:
            url = self.url(title)
            if url:
                urls[title] = url
            else:
                rest.add(title)
        urls.update((t, a.get_absolute_url()) for t, a in resolve_titles(rest).items())
        return urls

    def prepare(
        self, docs: list[tuple[str, wikitext.ArticleDoc]], pool: Executor | None
    ) -> _Batch:
        """Build a batch's articles and rows, and start rendering them and
        finding their mentions (in ``pool`` if there is one, while the
        previous batch is written)."""
        titles = [doc.title for _, doc in docs]
        found = {a.title: a for a in Article.objects.select_for_update().filter(title__in=titles)}
        hosts = {t: c for t in titles if (c := _host_country(t))}
        places = _get_or_create_named_many(
            Place, sorted(set(hosts.values())), kind=Place.Kind.COUNTRY
        )
        places.update(_get_or_create_named_many(
            Place, sorted({
                p for _, d in docs for s in ROW_STORAGE if s.kind is Kind.PLACES
                for p in getattr(d.infobox, s.field.attr)
            } - places.keys())
        ))
        new_places = list({
            p.pk: (p.pk, p.name) for p in places.values() if p.name not in self.names.places
        }.values())
        self.names.add_places(new_places)
        self.new_places += new_places
        # The rows of each list of terms (places, languages, religions)
        # point at the term of that name, found or made here.
        terms = {"places": places}
        for storage in ROW_STORAGE:
            if storage.kind is Kind.TERMS:
                terms[storage.field.attr] = _get_or_create_named_many(storage.target, sorted(
                    {n for _, d in docs for n in getattr(d.infobox, storage.field.attr)}
                ))

        # Before the articles: their references point at the sources.
        cited_sources = sources_import(docs, user=self.user, slugs=self.source_slugs)
        built = []
        for (name, doc), cited in zip(docs, cited_sources, strict=True):
            article = found.get(doc.title) or Article(
                title=doc.title,
                slug=self.created_slugs[doc.title],
                status=self.status,
            )
            if self.drafts:
                article.status = Article.Status.DRAFT
            try:
                built.append(_build_article(article, doc, terms, cited))
            except ValidationError as exc:
                raise ImportFailed(f"{name}: {_describe(exc)}") from None
        _fill_origins([b.article for b in built])

        urls = self.urls({t for b in built for t in b.link_titles})
        see_also_targets = resolve_titles(
            {row.target_title for b in built for row in b.see_also} - self.created_slugs.keys()
        )
        kept = _kept_rows([b.article.pk for b in built if b.article.pk])
        for b in built:
            b.kept = kept.get(b.article.pk)
        work = [
            (b.article.title, b.article.lead, [s.heading for s in b.sections],
             [s.body for s in b.sections], b.infobox_keys(), b.infobox_markers(),
             b.reference_keys())
            for b in built
        ]
        if pool is None:
            done = render_and_find(work, urls, [], self.names)
            rendered = lambda: done
        else:
            size = -(-len(work) // _WORKERS)
            futures = [
                pool.submit(render_and_find, work[i : i + size], urls, list(self.new_places))
                for i in range(0, len(work), size)
            ]
            rendered = lambda: [row for f in futures for row in f.result()]
        return _Batch(docs, built, see_also_targets, rendered)

    def write(self, batch: _Batch, *, user) -> list[ImportResult]:
        """Write a prepared batch: articles, rows, mentions, revisions."""
        built = batch.built
        for b, (lead_html, bodies_html, people, places, columns, plain, uses) in zip(
            built, batch.rendered(), strict=True
        ):
            b.set_text_citations(uses)
            b.article.lead_html = lead_html
            b.plain_text = plain
            for name, value in columns.items():
                setattr(b.article, name, value)
            for section, html in zip(b.sections, bodies_html, strict=True):
                section.body_html = html
            b.wikilinks = sorted(b.link_titles)
            b.set_mentions(people, places)
        _people_and_places_named(built, self.people, self.places)
        for b in built:
            b.article.search_document = b.search_document()

        updated = [b for b in built if b.article.pk]
        now = timezone.now()
        rows_insert([b.article for b in built if not b.article.pk])
        for b in updated:
            b.article.updated = now
            Article.updated.field.pre_save(b.article, add=False)
        Article.objects.bulk_update(
            [b.article for b in updated],
            [*_ARTICLE_IMPORT_FIELDS, "status"] if self.drafts else _ARTICLE_IMPORT_FIELDS,
            batch_size=100,
        )
        ids = [b.article.pk for b in updated]
        for model, _ in _BUILT_ROWS[:-2]:
            model.objects.filter(article_id__in=ids).delete()
        WikiLink.objects.filter(article_id__in=ids).delete()
        PersonMention.objects.filter(article_id__in=ids, state=Mention.State.FOUND).delete()
        PlaceMention.objects.filter(article_id__in=ids, state=Mention.State.FOUND).delete()
        for b in built:
            b.attach(batch.see_also_targets)
        for model, attribute in _BUILT_ROWS:
            rows_insert([row for b in built for row in getattr(b, attribute)])
        # Rows no revision holds and nothing reads back: parameters, not models.
        values_insert(
            Citation, ["position", "article_id", "reference_id", "locator", "place"],
            [row for b in built for row in b.text_citation_rows()],
        )
        values_insert(
            WikiLink, ["article_id", "target_title"],
            [(b.article.pk, title) for b in built for title in b.wikilinks],
        )

        origins = [self.origins.get(name) for name, _ in batch.docs]
        revisions_save(
            [(b.article, b.revision_rows()) for b in built],
            user=user,
            comments=[
                origin.comment if origin else f"Imported from {name}"
                for (name, _), origin in zip(batch.docs, origins, strict=True)
            ],
            origins=origins,
        )
        results = []
        for (name, _), b in zip(batch.docs, built, strict=True):
            self.imported_ids.add(b.article.pk)
            results.append(ImportResult(
                name=name, article_id=b.article.pk, title=b.article.title,
                slug=b.article.slug, created=b.created,
            ))
        return results

    def link_created(self) -> None:
        """After the last batch: See also rows anywhere that name an
        imported title now point at it, and articles outside the import
        whose [[links]] name a new title are rendered again."""
        created_published = self.status == Article.Status.PUBLISHED
        published = [
            title for title in [*self.created_slugs, *self.existing]
            if (created_published if title in self.created_slugs
                else self.existing[title][2] == Article.Status.PUBLISHED)
        ]
        # Unpublished ones too: their See also rows elsewhere lose the target.
        for chunk in _chunks(published + self.unpublished):
            SeeAlso.objects.filter(target_title__in=chunk).update(
                target=Subquery(
                    Article.objects.published()
                    .filter(title=OuterRef("target_title"))
                    .values("pk")[:1]
                )
            )
        for chunk in _chunks([*self.created_slugs, *self.unpublished]):
            linking = set(
                WikiLink.objects.filter(target_title__in=chunk).values_list("article_id", flat=True)
            )
            for other in Article.objects.filter(pk__in=linking - self.imported_ids):
                article_render(article=other)


# What an import writes of an article, besides the article row.
_ARTICLE_IMPORT_FIELDS = [
    "lead", "lead_html", "language", "group_name", "population", "population_note", "origin_group",
    "origin_country", "host_country", "search_document", "updated",
    "paragraphs", "cited_paragraphs", "citations_needed",
]


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)
