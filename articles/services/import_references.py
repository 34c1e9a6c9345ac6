"""The sources an import cites: found by identity or made, and updated to
the values of the newest file that cites them (a Source is shared, so the
last file imported has the last word on its title, authors, ...).

A fixed number of queries per batch: one lookup by identity, one of the
slugs taken (and one more per title that is taken already), one insert and
one update, and the sources' revisions, whatever the number of sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from encyclopedia.text import slug_base

from .. import wikitext
from ..models import Source
from ..sources import identity_rule, source_identity
from .import_names import _chunks, new_row, rows_insert
from .import_sources import ImportFailed
from .revisions import revisions_save

# The Source fields a reference sets; the rest of an entry (key, accessed
# date, quote, other fields) belongs to the article's ArticleReference.
SOURCE_FIELDS = (
    "type", "title", "authors", "work", "publisher", "date", "url", "isbn", "doi", "language",
    "archive_url", "archive_date",
)


def reference_identity(reference: wikitext.Reference) -> str:
    return source_identity(
        doi=reference.doi, isbn=reference.isbn, url=reference.url, title=reference.title,
        work=reference.work, publisher=reference.publisher, date=reference.date,
    )


def source_values(reference: wikitext.Reference) -> dict:
    """The Source field values a reference gives, as the model stores them."""
    values = {name: getattr(reference, name) for name in SOURCE_FIELDS}
    values["authors"] = list(reference.authors)
    return values


@dataclass
class _Cited:
    name: str  # the file that has the last word
    key: str
    values: dict


def sources_import(
    docs: list[tuple[str, wikitext.ArticleDoc]], *, user=None, slugs: SourceSlugs | None = None
) -> list[list[Source]]:
    """For each document of ``docs``, the Source of each of its references,
    in order: found by identity, or made (with a unique slug), and brought
    to the values of the last file of ``docs`` citing it. A source made or
    changed gets a revision ("Imported from <file>"). Raises ImportFailed
    (file and key) for a value the model refuses, or for two entries of one
    file that are one source written two ways. ``slugs`` carries the slugs
    taken from one batch of an import to the next."""
    cited: dict[str, _Cited] = {}
    identities: list[list[str]] = []
    for name, doc in docs:
        in_file: dict[str, _Cited] = {}
        identities.append([])
        for reference in doc.references:
            identity = reference_identity(reference)
            this = _Cited(name, reference.key, source_values(reference))
            if identity in in_file and in_file[identity].values != this.values:
                raise ImportFailed(_one_source_twice(in_file[identity], this, reference))
            cited[identity] = in_file[identity] = this
            identities[-1].append(identity)
    if not cited:
        return [[] for _ in docs]
    found: dict[str, Source] = {}
    for chunk in _chunks(sorted(cited)):
        found.update((s.identity, s) for s in Source.objects.filter(identity__in=chunk))

    changed: list[tuple[Source, str]] = []
    for identity, source in found.items():
        wanted = cited[identity]
        if any(getattr(source, field) != value for field, value in wanted.values.items()):
            for field, value in wanted.values.items():
                setattr(source, field, value)
            _check(source, wanted)
            Source.updated.field.pre_save(source, add=False)  # auto_now, to the millisecond
            changed.append((source, wanted.name))
    Source.objects.bulk_update(
        [source for source, _ in changed], [*SOURCE_FIELDS, "updated"], batch_size=100
    )

    new = {identity: c for identity, c in cited.items() if identity not in found}
    for identity, made in _sources_create(new, slugs or SourceSlugs()).items():
        found[identity] = made
        changed.append((made, new[identity].name))
    revisions_save(
        [(source, []) for source, _ in changed], user=user,
        comments=[f"Imported from {name}" for _, name in changed],
    )
    return [[found[identity] for identity in doc_identities] for doc_identities in identities]


_IDENTIFIED_BY = {
    "doi": "the same DOI", "isbn": "the same ISBN", "url": "the same URL",
    "title": "the same title, work or publisher and date, and no DOI, ISBN or URL",
}


def _one_source_twice(first: _Cited, second: _Cited, reference: wikitext.Reference) -> str:
    """Two entries of one file naming one source differently: a source is
    one row, so they could not both be exported as written."""
    rule = identity_rule(
        doi=reference.doi, isbn=reference.isbn, url=reference.url, title=reference.title,
        work=reference.work, publisher=reference.publisher, date=reference.date,
    )
    fields = [
        f.key for f in wikitext.REFERENCE_FIELDS
        if f.attr in SOURCE_FIELDS and first.values[f.attr] != second.values[f.attr]
    ]
    return (
        f"{second.name}: the references [^{first.key}] and [^{second.key}] are one source "
        f"({_IDENTIFIED_BY[rule.split(':', 1)[0]]}) but differ in {', '.join(fields)}; "
        f"make them agree, or keep one entry and cite it with locators ([^{first.key}|p. 42])"
    )


def _check(source: Source, cited: _Cited) -> None:
    """What the model holds that the parser does not check (it checks the
    types, dates, URLs, lines and characters): the fields' lengths. The
    model's full validation costs more than the rest of a source's import."""
    problem = too_long(source, SOURCE_FIELDS)
    if problem:
        raise ImportFailed(f"{cited.name}: reference [^{cited.key}]: {problem}")


def too_long(row: models.Model, fields: tuple[str, ...]) -> str:
    """"field: ..." for the first of ``fields`` longer than its column, or ""."""
    for name in fields:
        field = row._meta.get_field(name)
        value = getattr(row, name)
        if field.max_length is not None and len(value) > field.max_length:
            return (
                f"{name}: Ensure this value has at most {field.max_length} characters "
                f"(it has {len(value)})."
            )
    return ""


def _sources_create(new: dict[str, _Cited], slugs: SourceSlugs) -> dict[str, Source]:
    """New Source rows for ``new`` (identity: what cites it), by identity.

    On PostgreSQL another import may make the same source (or take the same
    slug) meanwhile, and the insert fails on the unique key: in a savepoint,
    so it is undone and the rows are then inserted ignoring conflicts and
    read back, the row the other import committed being used, and a source
    whose slug was taken given another."""
    if not new:
        return {}
    rows = _new_rows(new, slugs)
    try:
        with transaction.atomic():
            rows_insert(rows)
        return {source.identity: source for source in rows}
    except IntegrityError:
        pass
    made: dict[str, Source] = {}
    for _ in range(5):
        wanted = {identity: c for identity, c in new.items() if identity not in made}
        if not wanted:
            return made
        # Slugs read afresh: the other import's are committed now.
        Source.objects.bulk_create(
            _new_rows(wanted, SourceSlugs()), ignore_conflicts=True, batch_size=200
        )
        for chunk in _chunks(sorted(wanted)):
            made.update((s.identity, s) for s in Source.objects.filter(identity__in=chunk))
    cited = new[min(set(new) - made.keys())]
    raise ImportFailed(f"{cited.name}: the source of [^{cited.key}] could not be created; try again")


def _new_rows(new: dict[str, _Cited], slugs: SourceSlugs) -> list[Source]:
    rows = []
    for identity, cited in new.items():
        source = new_row(Source, identity=identity, **cited.values)
        _check(source, cited)
        rows.append(source)
    for source, slug in zip(rows, slugs.allot([s.title for s in rows]), strict=True):
        source.slug = slug
    return rows


class SourceSlugs:
    """Slugs for the sources an import makes, distinct from every source's
    and from each other's. Many sources share a title ("Census"): each
    title's taken slugs are read once per import, not once per batch, and
    the numbering goes on from the last one given, so an import making
    thousands of them stays linear."""

    def __init__(self):
        self.taken: set[str] = set()
        self.checked: set[str] = set()  # bases whose own slug was looked up
        self.searched: set[str] = set()  # bases whose numbered slugs were read
        self.next: dict[str, int] = {}

    def allot(self, titles: list[str]) -> list[str]:
        bases = [slug_base(t, fallback=Source._meta.model_name) for t in titles]
        unchecked = sorted(set(bases) - self.checked)
        for chunk in _chunks(unchecked):
            self.taken.update(Source.objects.filter(slug__in=chunk).values_list("slug", flat=True))
        self.checked.update(unchecked)
        slugs = []
        for base in bases:
            if base in self.taken and base not in self.searched:
                self.searched.add(base)
                self.taken.update(
                    Source.objects.filter(slug__startswith=base).values_list("slug", flat=True)
                )
            n = self.next.get(base, 1)
            slug = base if n == 1 else f"{base}-{n}"
            while slug in self.taken:
                n += 1
                slug = f"{base}-{n}"
            self.next[base] = n
            self.taken.add(slug)
            slugs.append(slug)
        return slugs
