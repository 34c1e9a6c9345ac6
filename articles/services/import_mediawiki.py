"""MediaWiki import: Special:Export dumps and wikitext files become articles,
with their history, through the one import pipeline (``articles_import``).

Each revision of a page is converted (``articles.mediawiki.convert``) to our
wiki-text and written to a temporary file, so that an import of any size
holds one batch in memory, as ``import_articles`` does; the files are then
imported in passes, all in one transaction: pass k holds every page's k-th
revision counted back from its newest, so that the newest revisions of all
pages are imported together in the last pass and their links resolve as
one import's do. Each revision keeps its date, contributor and edit summary
(``RevisionOrigin``). A page whose title is already an article is imported
as its newest revision only: one new revision on top of the article's
history, whose older revisions would otherwise sort among its own.

The articles are in the wiki's content language, the dump's ``xml:lang``
(``articles.mediawiki.language``), or the one the caller gives (a
wikitext file has no root to say it); an article imported again takes the
language of the dump, as a wiki-text file's ``Language:`` line changes it.

What the wiki-text cannot hold is set after the last pass: categories
become tags (added to the article's own), interlanguage links are stored
per language, and ``{{Short description}}`` becomes the article's
description; a link naming an article here, or another article's stored
link naming one imported, puts the two in one translation group
(``articles.translations.interlanguage_joined``). What could not be
converted is counted per page in the report.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import io
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from taggit.models import Tag, TaggedItem

from .. import wikitext
from ..dependencies import content_change
from ..mediawiki.convert import ConvertError, convert
from ..mediawiki.dump import DumpError, WikiPage, WikiRevision, read_pages
from ..mediawiki.language import content_language
from ..models import Article, InterlanguageLink
from ..translations import interlanguage_joined
from .import_names import _chunks
from .import_plan import ImportPlan, articles_import_plan
from .import_sources import ImportFailed
from .importing import ImportResult, articles_import
from .revisions import RevisionMeta

# A MediaWiki file to import: its name, and its bytes or its path.
MediaWikiFile = tuple[str, "bytes | Path"]

# The files MediaWiki import reads, by how their names end.
SUFFIXES = (".xml", ".xml.bz2", ".xml.gz", ".wiki", ".mediawiki")


# The most text an admin preview converts (about two seconds of work), and
# the most XML it reads once decompressed (about a second).
PLAN_MAX_TEXT = 2_000_000
PLAN_MAX_XML = 20 * 2**20

# The longest values the columns hold.
_TAG = Tag._meta.get_field("name").max_length
_LANGUAGE = InterlanguageLink._meta.get_field("language").max_length
_LINK_TITLE = InterlanguageLink._meta.get_field("title").max_length
_DESCRIPTION = Article._meta.get_field("description").max_length


def is_mediawiki_file(name: str) -> bool:
    return name.casefold().endswith(SUFFIXES)


@dataclass
class MediaWikiPage:
    """One page of the files: where it is, what it becomes, what was lost."""

    name: str  # "dump.xml:120", where the page starts
    title: str
    revisions: int  # how many become history entries
    created: bool
    dropped: collections.Counter[str] = field(default_factory=collections.Counter)
    tags: list[str] = field(default_factory=list)
    interlanguage: list[tuple[str, str]] = field(default_factory=list)
    description: str = ""
    # The converted wiki-text of each revision imported, oldest first.
    paths: list[Path] = field(default_factory=list)
    origins: list[RevisionMeta] = field(default_factory=list)

    @property
    def dropped_text(self) -> str:
        """"file ×2, template Use dmy dates ×1", most frequent first."""
        return ", ".join(f"{what} ×{n}" for what, n in self.dropped.most_common())


@dataclass
class MediaWikiReport:
    pages: list[MediaWikiPage]
    skipped: collections.Counter[str]  # pages of other namespaces, by namespace
    results: list[ImportResult]  # empty for a dry run
    # Pages whose wiki's language code is not one an article holds, by
    # (the wiki's code, the language they were given): ("simple", "en").
    approximated: collections.Counter[tuple[str, str]] = field(
        default_factory=collections.Counter)

    @property
    def revisions(self) -> int:
        return sum(page.revisions for page in self.pages)

    @property
    def dropped(self) -> collections.Counter[str]:
        total: collections.Counter[str] = collections.Counter()
        for page in self.pages:
            total.update(page.dropped)
        return total


def mediawiki_import(
    *,
    files: Iterable[MediaWikiFile],
    latest_only: bool = False,
    status: str = Article.Status.PUBLISHED,
    dry_run: bool = False,
    title: str | None = None,
    language: str | None = None,
    user=None,
    on_progress: Callable[[ImportResult], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    max_bytes: int | None = None,
) -> MediaWikiReport:
    """Import MediaWiki files, all or nothing (ImportFailed naming the file
    and line, nothing written). ``title`` names the page of a plain
    wikitext file (default: the file's name). ``dry_run``: the report of
    what would be imported, nothing written. ``on_total`` is told how many
    revisions will be imported once the files are read, before the first is
    written; ``on_progress`` is called after each. ``max_bytes`` bounds each
    file's XML once decompressed (the admin's uploads). ``language`` (BCP
    47) is every article's, instead of the wiki's the dump names."""
    with tempfile.TemporaryDirectory(prefix="mediawiki-import-") as folder:
        report = MediaWikiReport(pages=[], skipped=collections.Counter(), results=[])
        pages = report.pages = _converted_pages(
            files, Path(folder), report, latest_only=latest_only, title=title,
            language=language, max_bytes=max_bytes,
        )
        if dry_run or not pages:
            return report
        if on_total:
            on_total(report.revisions)
        with content_change() as change, transaction.atomic():
            change.titles(page.title for page in pages)
            for sources, origins in _passes(pages):
                report.results = articles_import(
                    sources=sources, origins=origins, status=status, user=user,
                    on_progress=on_progress,
                )
            _set_what_the_text_cannot_hold(pages, report.results)
            # An interlanguage link naming an article here (either way)
            # makes the two translations of one another.
            interlanguage_joined(result.article_id for result in report.results)
    return report


def mediawiki_import_plan(
    *, files: Iterable[MediaWikiFile], latest_only: bool = False, title: str | None = None,
    language: str | None = None, max_bytes: int = PLAN_MAX_XML,
) -> tuple[ImportPlan, MediaWikiReport]:
    """The admin's preview: what the newest revision of each page would
    create or change (as ``articles_import_plan`` shows a wiki-text file),
    and the report (revisions, what is dropped). Writes nothing. Only the
    newest revisions are converted (the history is when the import runs),
    at most PLAN_MAX_TEXT characters of them: converting costs about a
    second a megabyte, and the preview is one request."""
    with tempfile.TemporaryDirectory(prefix="mediawiki-plan-") as folder:
        report = MediaWikiReport(pages=[], skipped=collections.Counter(), results=[])
        report.pages = _converted_pages(
            files, Path(folder), report, latest_only=latest_only, title=title,
            language=language, history=False, max_text=PLAN_MAX_TEXT, max_bytes=max_bytes,
        )
        plan = articles_import_plan(
            sources=[(page.name, page.paths[-1]) for page in report.pages])
    return plan, report


def _converted_pages(
    files: Iterable[MediaWikiFile], folder: Path, report: MediaWikiReport, *,
    latest_only: bool, title: str | None, language: str | None = None,
    history: bool = True, max_text: int | None = None, max_bytes: int | None = None,
) -> list[MediaWikiPage]:
    """Every page of the files converted, each revision written to a file
    in ``folder`` (without ``history``, the newest only, the others
    counted), in ``language`` or else its wiki's; the pages of other
    namespaces and the languages approximated are counted in ``report``.
    ImportFailed for an unreadable file, a title twice, more than
    ``max_text`` characters to convert, or a ``language`` that is not a
    language code. Converting is most of the work before the import: a
    large run does it in worker processes, in batches, a few batches ahead
    of the reading at most."""
    if language is not None and wikitext.canonical_language(language) != language:
        raise ImportFailed(
            f"{language!r} is not a language code; write it as BCP 47 does: ru, fa-AF, ps")
    text_size = 0
    pages: list[MediaWikiPage] = []
    first: dict[str, str] = {}
    skipped = report.skipped

    def accept(entry: MediaWikiPage) -> None:
        if entry.title in first:
            raise ImportFailed(
                f"{entry.name}: the page {entry.title!r} is also the page at {first[entry.title]}"
            )
        first[entry.title] = entry.name
        pages.append(entry)

    def wanted() -> Iterator[_PageWork]:
        nonlocal text_size
        for name, data in files:
            for page in _read(
                name, data, latest_only=latest_only, title=title, skipped=skipped,
                max_bytes=max_bytes,
            ):
                if page.redirect is not None:
                    # A redirect has no text of its own; its target is imported as itself.
                    skipped["redirect"] += 1
                    continue
                if not page.revisions:
                    continue
                where = f"{name}:{page.line}"
                page_language = language
                if page_language is None:
                    page_language, exact = content_language(page.language)
                    if not exact:
                        report.approximated[(page.language or "", page_language)] += 1
                revisions = page.revisions if history else page.revisions[-1:]
                text_size += sum(len(revision.text) for revision in revisions)
                if max_text is not None and text_size > max_text:
                    raise ImportFailed(
                        f"{where}: the pages come to more than {max_text // 1_000_000} million "
                        "characters of text, more than a preview converts; import files this "
                        "large with manage.py import_mediawiki"
                    )
                yield _PageWork(
                    name, where, page.title, len(page.revisions), revisions, page_language)

    number = 0
    batch: list[tuple[_PageWork, int]] = []
    with contextlib.ExitStack() as stack:
        pool: Executor | None = None
        pending: collections.deque = collections.deque()
        for work in wanted():
            batch.append((work, number))
            number += 1
            if len(batch) < CONVERT_BATCH:
                continue
            # A pool once there is more than a batch: a small file is done inline.
            pool = pool or stack.enter_context(_conversion_pool())
            if pool is None:
                for entry in _converted_batch(batch, folder):
                    accept(entry)
            else:
                pending.append(pool.submit(_converted_batch, batch, folder))
                while len(pending) > 2 * _WORKERS:
                    for entry in pending.popleft().result():
                        accept(entry)
            batch = []
        while pending:
            for entry in pending.popleft().result():
                accept(entry)
        for entry in _converted_batch(batch, folder):
            accept(entry)
    _only_the_newest_of_existing(pages)
    return pages


@dataclasses.dataclass(frozen=True)
class _PageWork:
    """One page to convert: the file, where the page starts, its title,
    how many revisions it has, those to convert and its language."""

    file: str
    where: str
    title: str
    revision_count: int
    revisions: list[WikiRevision]
    language: str


def _converted_batch(batch: list[tuple[_PageWork, int]], folder: Path) -> list[MediaWikiPage]:
    return [_converted(work, folder, number) for work, number in batch]


def _converted(work: _PageWork, folder: Path, number: int) -> MediaWikiPage:
    """The page converted, each revision's wiki-text written to ``folder``."""
    try:
        converted = [
            convert(revision.text, title=work.title, language=work.language)
            for revision in work.revisions
        ]
    except ConvertError as exc:
        raise ImportFailed(f"{work.where}: {exc}") from None
    newest = converted[-1]
    entry = MediaWikiPage(
        name=work.where, title=newest.doc.title, revisions=work.revision_count, created=True,
        dropped=newest.dropped, description=newest.description[:_DESCRIPTION],
    )
    # What the columns cannot hold is dropped and counted, not cut.
    for tag in newest.tags:
        if len(tag) <= _TAG:
            entry.tags.append(tag)
        else:
            entry.dropped["category longer than a tag"] += 1
    for language, link_title in newest.interlanguage:
        if len(language) <= _LANGUAGE and len(link_title) <= _LINK_TITLE:
            entry.interlanguage.append((language, link_title))
        else:
            entry.dropped["interlanguage link too long"] += 1
    for n, (revision, result) in enumerate(zip(work.revisions, converted, strict=True)):
        path = folder / f"{number}-{n}.txt"
        path.write_text(wikitext.dump(result.doc), encoding="utf-8")
        entry.paths.append(path)
        entry.origins.append(RevisionMeta(
            date=revision.timestamp,
            contributor=revision.contributor,
            comment=revision.comment or f"Imported from {work.file}",
            wiki_revision_id=revision.id,
        ))
    return entry


# Pages per batch a worker converts; below two batches, no pool (and tests
# set it to 1 to run the pool on small files).
CONVERT_BATCH = 50
_WORKERS = max(1, min(4, os.cpu_count() or 1))


@contextlib.contextmanager
def _conversion_pool() -> Iterator[Executor | None]:
    """Forked workers (they need nothing but the pure converter); none where
    fork is not available or one core is all there is."""
    if _WORKERS < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=_WORKERS, mp_context=multiprocessing.get_context("fork"))
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def _read(
    name: str, data: bytes | Path, *, latest_only: bool, title: str | None,
    skipped: collections.Counter[str], max_bytes: int | None,
) -> Iterator[WikiPage]:
    source = data if isinstance(data, Path) else io.BytesIO(data)
    try:
        yield from read_pages(
            source, name=name, latest_only=latest_only, title=title, skipped=skipped,
            max_bytes=max_bytes,
        )
    except DumpError as exc:
        raise ImportFailed(str(exc)) from None


def _only_the_newest_of_existing(pages: list[MediaWikiPage]) -> None:
    """A page that is already an article brings its newest revision only."""
    titles = [page.title for page in pages]
    existing = set()
    for chunk in _chunks(titles):
        existing.update(Article.objects.filter(title__in=chunk).values_list("title", flat=True))
    for page in pages:
        if page.title in existing:
            page.created = False
            page.paths = page.paths[-1:]
            # On top of the article's history: dated now, by its contributor there.
            page.origins = [dataclasses.replace(page.origins[-1], date=None)]
            page.revisions = 1


def _passes(
    pages: list[MediaWikiPage],
) -> Iterator[tuple[list[tuple[str, Path]], dict[str, RevisionMeta]]]:
    """The sources and origins of each pass, oldest first; the last holds
    every page's newest revision."""
    depth = max(page.revisions for page in pages)
    for k in range(depth):
        sources, origins = [], {}
        for page in pages:
            index = page.revisions - depth + k
            if index >= 0:
                sources.append((page.name, page.paths[index]))
                origins[page.name] = page.origins[index]
        yield sources, origins


def _set_what_the_text_cannot_hold(
    pages: list[MediaWikiPage], results: list[ImportResult]
) -> None:
    """Tags from categories, interlanguage links and descriptions, in bulk."""
    ids = {result.name: result.article_id for result in results}
    described = [(ids[p.name], p.description) for p in pages if p.description]
    for chunk in _chunks(described):
        articles = Article.objects.only("pk", "description").in_bulk([pk for pk, _ in chunk])
        for pk, description in chunk:
            articles[pk].description = description
        Article.objects.bulk_update(articles.values(), ["description"])

    linked = {ids[p.name]: p.interlanguage for p in pages if p.interlanguage}
    for chunk in _chunks(list(linked)):
        InterlanguageLink.objects.filter(
            article_id__in=chunk,
            language__in={language for pk in chunk for language, _ in linked[pk]},
        ).delete()
        InterlanguageLink.objects.bulk_create([
            InterlanguageLink(article_id=pk, language=language, title=link_title)
            for pk in chunk for language, link_title in dict(linked[pk]).items()
        ])

    tagged = {ids[p.name]: p.tags for p in pages if p.tags}
    if tagged:
        _tags_add(tagged)


def _tags_add(tagged: dict[int, list[str]]) -> None:
    """Add the tags to the articles (keeping their own), with one query per
    chunk instead of taggit's several per article."""
    names = sorted({name for tags in tagged.values() for name in tags})
    tags = {}
    for chunk in _chunks(names):
        tags.update({tag.name: tag for tag in Tag.objects.filter(name__in=chunk)})
    for name in names:
        if name not in tags:
            # taggit makes the unique slug; categories are few next to pages.
            tags[name] = Tag.objects.create(name=name)
    content_type = TaggedItem.content_type.field.related_model.objects.get_for_model(Article)
    have = set()
    for chunk in _chunks(list(tagged)):
        have.update(
            TaggedItem.objects.filter(content_type=content_type, object_id__in=chunk)
            .values_list("object_id", "tag_id")
        )
    TaggedItem.objects.bulk_create([
        TaggedItem(content_type=content_type, object_id=pk, tag=tags[name])
        for pk, names_of in tagged.items() for name in dict.fromkeys(names_of)
        if (pk, tags[name].pk) not in have
    ])
