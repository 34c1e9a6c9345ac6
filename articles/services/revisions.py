"""Revisions of articles (django-reversion): recording them, one or in bulk
for imports, and restoring one."""

from __future__ import annotations

import datetime
import decimal
import functools
import json
import operator
from json.encoder import c_make_encoder, encode_basestring, encode_basestring_ascii
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone
from reversion.errors import RevertError
from reversion.models import Revision, Version
from reversion.revisions import _get_options as reversion_options

from ..citations import is_infobox_place
from ..dependencies import content_change
from ..infobox import ARTICLE_ROWS, ROW_STORAGE
from ..models import Article, ArticleReference, Citation, RevisionOrigin, Source
from .import_names import new_row, rows_insert
from .refresh import article_refresh


def article_revision_save(*, article: Article, user=None, comment: str = "") -> Revision:
    """Record the article as it now stands, with every row it holds, as one
    revision. Called after each save: through the admin, an import or a
    revert."""
    rows = []
    for related in ARTICLE_ROWS:
        rows += getattr(article, related).select_related(*_NAMED_BY.get(related, ()))
    return revisions_save([(article, rows)], user=user, comments=[comment])[0]


# Rows whose text (the version's object_repr) is the name of what they point at.
_NAMED_BY = {
    **{s.rows: [s.value] for s in ROW_STORAGE if s.is_foreign_key},
    "person_mentions": ["person"], "place_mentions": ["place"],
    "references": ["source"], "citations": ["reference"],
}


class _Versioned:
    """How django-reversion stores a model: its JSON serialization (as
    ``serializers.serialize("json", [obj])`` writes it, field by field the
    same, tested) without the serializer's per-object machinery."""

    def __init__(self, model: type[models.Model]):
        options = reversion_options(model)
        if options.format != "json" or options.use_natural_foreign_keys:
            raise NotImplementedError(f"{model} is registered with options this does not write")
        meta = model._meta.concrete_model._meta
        self.label = str(meta)

        def selected(name: str) -> bool:
            return options.fields is None or name in options.fields

        self.fields = [
            field for field in meta.local_fields
            if field.serialize
            and selected(field.attname if field.remote_field is None else field.name)
        ]
        self.many = [
            field for field in meta.local_many_to_many
            if field.serialize and selected(field.attname)
            and field.remote_field.through._meta.auto_created
        ]
        if self.many:
            raise NotImplementedError(f"{model} has many-to-many fields this does not write")

        self.names = [field.name for field in self.fields]
        self.attnames = [field.attname for field in self.fields]
        self.get = operator.itemgetter(*self.attnames) if len(self.fields) > 1 else (
            lambda state: tuple(state[name] for name in self.attnames)
        )
        self.pk = meta.pk.attname
        # By the types of a row's values: the indexes of the fields whose
        # value the serializer turns into its string (value_to_string).
        self.masks: dict[tuple[type, ...], tuple[int, ...]] = {}

    def _mask(self, types: tuple[type, ...]) -> tuple[int, ...]:
        """What the serializer's _value_from_field does for values of these
        types: None and "protected" values (numbers, dates) as they are, a
        str as it is where value_to_string is str() of it, anything else
        through value_to_string."""
        return tuple(
            i for i, (kind, field) in enumerate(zip(types, self.fields, strict=True))
            if not (
                kind is type(None) or issubclass(kind, _PROTECTED)
                or (kind is str and type(field).value_to_string is models.Field.value_to_string)
            )
        )

    def serialize(self, obj: models.Model) -> str:
        state = obj.__dict__
        try:
            values = self.get(state)
        except KeyError:  # a deferred field: loaded by getattr, as the serializer does
            values = tuple(field.value_from_object(obj) for field in self.fields)
        types = tuple(map(type, values))
        mask = self.masks.get(types)
        if mask is None:
            mask = self.masks[types] = self._mask(types)
        fields = dict(zip(self.names, values))
        for i in mask:
            fields[self.names[i]] = self.fields[i].value_to_string(obj)
        pk = state.get(self.pk)
        data = {"model": self.label, "pk": pk if pk is not None else obj.pk, "fields": fields}
        return "[" + _encode(data) + "]"


# What django.utils.encoding.is_protected_type keeps as it is.
_PROTECTED = (int, float, decimal.Decimal, datetime.datetime, datetime.date, datetime.time)


# Revision.comment is a TextField; a wiki's edit summary is at most 500
# characters, but a hand-made dump may hold any.
_COMMENT = 1000

# What serializers.serialize("json", ...) encodes with; made once, as json.dumps
# would make it again for every version of an import.
_ENCODER = DjangoJSONEncoder(ensure_ascii=False)


def _one_shot(encoder: json.JSONEncoder):
    """``encoder.encode`` without remaking its C encoder for each call (as
    JSONEncoder.iterencode does): the same text, for the ~40,000 versions of
    1,000 articles."""
    if c_make_encoder is None or encoder.indent is not None:
        return encoder.encode
    make = c_make_encoder(
        {} if encoder.check_circular else None, encoder.default,
        encode_basestring_ascii if encoder.ensure_ascii else encode_basestring,
        encoder.indent, encoder.key_separator, encoder.item_separator, encoder.sort_keys,
        encoder.skipkeys, encoder.allow_nan,
    )
    return lambda data: "".join(make(data, 0))


_encode = _one_shot(_ENCODER)


@functools.cache
def _versioned(model: type[models.Model]) -> _Versioned:
    return _Versioned(model)


@dataclass(frozen=True)
class RevisionMeta:
    """A revision made elsewhere (a MediaWiki dump's): when, by whom there
    (a user name or an IP address) and its edit summary."""

    date: datetime.datetime | None
    contributor: str
    comment: str
    wiki_revision_id: int | None = None


def revisions_save(
    entries: list[tuple[Article, list[models.Model]]],
    *,
    user=None,
    comments: list[str],
    origins: list[RevisionMeta | None] | None = None,
) -> list[Revision]:
    """One revision per article, holding it and ``rows`` (every row of
    ARTICLE_ROWS it has, but the text's citations), as django-reversion's ``add_to_revision`` with
    ``follow`` would make it; written in bulk, for imports of thousands.
    Rows that point at other models should have them cached (``row.place``)
    or their text (``object_repr``) costs a query each. An entry with an
    origin keeps its date and its contributor (a RevisionOrigin)."""
    if not entries:
        return []
    now = timezone.now()
    origins = origins or [None] * len(entries)
    revisions = [
        new_row(
            Revision, date_created=(origin and origin.date) or now, user=user,
            comment=comment[:_COMMENT],
        )
        for comment, origin in zip(comments, origins, strict=True)
    ]
    rows_insert(revisions)
    rows_insert([
        RevisionOrigin(
            revision=revision, contributor=origin.contributor[:255],
            wiki_revision_id=origin.wiki_revision_id,
        )
        for revision, origin in zip(revisions, origins, strict=True) if origin is not None
    ])
    db = router.db_for_write(Article)
    content_types: dict[type, int] = {}
    rows = []
    for (article, article_rows), revision in zip(entries, revisions, strict=True):
        for obj in (article, *_recorded(article_rows)):
            model = type(obj)
            if model not in content_types:
                content_types[model] = ContentType.objects.get_for_model(model).pk
            rows.append((
                revision.pk, content_types[model], str(obj.pk), db, "json",
                _versioned(model).serialize(obj), str(obj),
            ))
    # Tens of thousands of versions in an import: as rows, not models.
    table = connections[db].ops.quote_name(Version._meta.db_table)
    with connections[db].cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (revision_id, content_type_id, object_id, db, format, "
            "serialized_data, object_repr) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
    return revisions


def _recorded(rows: list[models.Model]) -> list[models.Model]:
    """What a revision keeps of an article's rows: all but the citations of
    its text, which the text records itself (a revert rebuilds them from it
    and the history diff reads them there); a third of an import's versions."""
    return [
        row for row in rows if not (isinstance(row, Citation) and not is_infobox_place(row.place))
    ]


class RevertRefused(Exception):
    """A revision that cannot be restored as it stands; nothing was changed."""


def _refuse_deleted_sources(revision: Revision) -> None:
    """RevertRefused when a reference of ``revision`` cites a source deleted
    since, naming the source as its last revision has it."""
    cited = {}
    model = ContentType.objects.get_for_model(ArticleReference)
    for version in revision.version_set.filter(content_type=model):
        data = json.loads(version.serialized_data)[0]["fields"]
        cited[data["source"]] = data["key"]
    missing = set(cited) - set(Source.objects.filter(pk__in=cited).values_list("pk", flat=True))
    if not missing:
        return
    pk = min(missing)
    last = Version.objects.get_for_object_reference(Source, pk).first()
    name = f"“{last.object_repr}”" if last else f"number {pk}"
    raise RevertRefused(
        f"Revision {revision.pk} cannot be restored: its reference [^{cited[pk]}] cites the "
        f"source {name}, which has been deleted since. Edit the article instead of reverting."
    )


def article_revert(*, article: Article, revision: Revision, user=None) -> Revision:
    """Restore the article and all its rows as they were in ``revision``;
    the result is itself a new revision. Raises ``RevertRefused``, having
    changed nothing, when the revision cannot be restored (its title or slug
    belongs to another article now, or a row points at something deleted)."""
    with content_change() as change:
        change.articles([article.pk])
        change.render([article.pk])
        return _revert(article=article, revision=revision, user=user)


@transaction.atomic
def _revert(*, article: Article, revision: Revision, user=None) -> Revision:
    version = revision.version_set.filter(
        content_type__model="article", object_id=str(article.pk)
    ).first()
    if version is None:
        raise ValueError(f"revision {revision.pk} is not a revision of {article}")
    try:
        recorded = version.field_dict
    except RevertError as error:
        raise RevertRefused(f"Revision {revision.pk} cannot be read: {error}") from error
    others = Article.objects.exclude(pk=article.pk)
    for name, what in (("title", "title"), ("slug", "address (slug)")):
        taken = others.filter(**{name: recorded.get(name)}).only("title").first()
        if taken is not None:
            which = "" if name == "title" else f", “{taken.title}”,"
            raise RevertRefused(
                f"Revision {revision.pk} cannot be restored: another article{which} has its "
                f"{what} “{recorded[name]}” now. Rename that article first, or edit this one "
                "instead of reverting."
            )
    _refuse_deleted_sources(revision)
    former = (article.title, article.slug)
    try:
        revision.revert(delete=True)
        # Foreign keys are checked at commit: check them now, so that a row
        # pointing at something deleted since is refused, not a crash.
        connections[router.db_for_write(Article)].check_constraints(
            table_names=[getattr(Article, related).rel.related_model._meta.db_table
                         for related in ARTICLE_ROWS]
        )
    except (RevertError, IntegrityError) as error:
        # Raised out of this atomic block: whatever the revert wrote is undone.
        raise RevertRefused(f"Revision {revision.pk} cannot be restored: {error}") from error
    article = Article.objects.get(pk=article.pk)
    article_refresh(article=article, former=former)
    when = revision.date_created.strftime("%Y-%m-%d %H:%M")
    return article_revision_save(
        article=article, user=user, comment=f"Reverted to revision {revision.pk} of {when}"
    )
