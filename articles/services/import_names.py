"""What an import names and must make unique: slugs for new articles, and
the places, languages and religions it creates by name; and how it inserts
its rows (rows_insert)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterator
from typing import TypeVar

from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import signals
from django.db.models.base import ModelState

from encyclopedia.text import next_free_slug, slug_base, unique_slug

from .. import wikitext
from ..models import Article
from .import_sources import ImportFailed

_M = TypeVar("_M", bound=models.Model)


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _new_slugs(titles: list[str]) -> dict[str, str]:
    """A slug for each new title, distinct from every article's and from
    each other's."""
    bases = {t: slug_base(t, fallback=Article._meta.model_name) for t in titles}
    taken: set[str] = set()
    for chunk in _chunks(sorted(set(bases.values()))):
        taken.update(Article.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    slugs = {}
    for title in titles:
        slug = bases[title]
        if slug in taken:
            taken.update(
                Article.objects.filter(slug__startswith=slug).values_list("slug", flat=True)
            )
            slug = next_free_slug(slug, taken)
        taken.add(slug)
        slugs[title] = slug
    return slugs


def _get_or_create_named_many(model: type[models.Model], names: list[str], **defaults) -> dict:
    """Rows of ``model`` for each of ``names``, made (with unique slugs)
    where missing. Found by name_key: "dari" in a file is the language
    "Dari" already stored, not a second one."""
    keys = {name: wikitext.name_key(name) for name in names}
    by_key: dict = {}
    for chunk in _chunks(sorted(set(keys.values()))):
        by_key.update((obj.name_key, obj) for obj in model.objects.filter(name_key__in=chunk))
    found: dict = {}
    for name in names:
        if keys[name] not in by_key:
            by_key[keys[name]] = _create_named(model, name, keys[name], defaults)
        found[name] = by_key[keys[name]]
    return found


def _create_named(model: type[models.Model], name: str, key: str, defaults: dict):
    """A new row named ``name``, or the row another transaction made under
    the same key meanwhile. On PostgreSQL two imports that name one new
    place at once both find it missing; the second INSERT waits for the
    first to commit and then fails on the unique key: in a savepoint, that
    failure is rolled back and the row now committed is used instead. A slug
    taken meanwhile by another name is chosen again."""
    for _ in range(5):
        existing = model.objects.filter(name_key=key).first()
        if existing is not None:
            return existing
        obj = model(name=name, slug=unique_slug(model, name), **defaults)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            continue
        return obj
    raise ImportFailed(f"{model._meta.verbose_name} {name!r} could not be created; try again")


# Fields whose value bulk_create would pass to the database as it is when it
# has this type (Field.get_prep_value: str for text, int() of an int): any
# other value, or any other field (JSON, dates, auto_now), takes Django's
# own path.
_AS_IS: dict[type[models.Field], type] = {
    models.CharField: str, models.TextField: str, models.SlugField: str,
    models.IntegerField: int, models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int, models.PositiveBigIntegerField: int,
    models.SmallIntegerField: int, models.BigIntegerField: int, models.BooleanField: bool,
}


_AUTO = models.AutoField | models.BigAutoField | models.SmallAutoField


class _Insert:
    """The INSERT of a model's new rows, its parameters read from the rows'
    attributes. What bulk_create writes, value for value, without its
    per-value machinery (compiler, expressions, prepare_value), which costs
    more than the write itself for the ~50,000 rows of 1,000 articles."""

    def __init__(self, model: type[models.Model], alias: str):
        meta = model._meta
        self.pk = meta.pk
        if not isinstance(self.pk, _AUTO):
            raise NotImplementedError(f"{model} has no automatic primary key")
        self.fields = [f for f in meta.concrete_fields if f is not self.pk and not f.generated]
        # Read as they are (a C-level getter): the fields whose values are
        # written unchanged when they have the expected type. The others
        # (JSON, dates, auto_now) take Django's own path.
        self.direct: list[tuple[int, models.Field, type | None]] = []
        self.by_django: list[tuple[int, models.Field]] = []
        for index, field in enumerate(self.fields):
            if isinstance(field, models.ForeignKey):
                target = field.target_field
                wanted = int if isinstance(target, _AUTO | models.IntegerField) else None
                self.direct.append((index, field, wanted))
            elif (
                type(field) in _AS_IS and field.db_default is models.NOT_PROVIDED
                and type(field).pre_save is models.Field.pre_save
            ):
                self.direct.append((index, field, _AS_IS[type(field)]))
            else:
                self.by_django.append((index, field))
        # (name, attname, the related row's attname it holds) of each foreign key.
        self.foreign = [
            (f.name, f.attname, f.target_field.attname)
            for _, f, _ in self.direct if isinstance(f, models.ForeignKey)
        ]
        attnames = [f.attname for _, f, _ in self.direct]
        getter = operator.itemgetter(*attnames) if attnames else (lambda state: ())
        self.get = getter if len(attnames) != 1 else (lambda state: (getter(state),))
        # The tuples of the direct values' types seen to need no conversion.
        self.plain_types: set[tuple[type, ...]] = set()
        connection = connections[alias]
        ops = connection.ops
        columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
        self.head = f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES "
        self.row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.returning = (
            ops.return_insert_columns([self.pk])[0]
            if connection.features.can_return_rows_from_bulk_insert else ""
        )

    def values(self, obj: models.Model, connection) -> tuple:
        state = obj.__dict__
        if state.get(self.pk.attname) is not None:
            raise ValueError(f"rows_insert() writes new rows only, not {obj!r}")
        cache = obj._state.fields_cache
        if cache:
            # As bulk_create does (Model._prepare_related_fields_for_save): the
            # id of a related row saved since it was assigned.
            for name, attname, target in self.foreign:
                related = cache.get(name)
                if related is None:
                    continue
                value = (
                    related.__dict__[target] if target in related.__dict__
                    else getattr(related, target)
                )
                if value is None:
                    raise ValueError(
                        "rows_insert() prohibited to prevent data loss due to unsaved related "
                        f"object '{name}'."
                    )
                if state[attname] is None:
                    state[attname] = value
                elif state[attname] != value:
                    del cache[name]
        direct = self.get(state)
        types = tuple(map(type, direct))
        if types not in self.plain_types:
            if not all(
                kind is type(None) or kind is wanted or (wanted is str and issubclass(kind, str))
                for kind, (_, _, wanted) in zip(types, self.direct, strict=True)
            ):
                direct = tuple(
                    value if value is None or type(value) is wanted
                    or (wanted is str and isinstance(value, str))
                    else field.get_db_prep_save(value, connection)
                    for value, (_, field, wanted) in zip(direct, self.direct, strict=True)
                )
            else:
                self.plain_types.add(types)
        if not self.by_django:
            return direct
        values = [None] * len(self.fields)
        for value, (index, _, _) in zip(direct, self.direct):
            values[index] = value
        for index, field in self.by_django:
            value = field.get_db_prep_save(field.pre_save(obj, True), connection)
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"rows_insert() writes values, not expressions: {field.name}")
            values[index] = value
        return tuple(values)



@functools.cache
def _insert_of(model: type[models.Model], alias: str) -> _Insert:
    return _Insert(model, alias)


def rows_insert(rows: list[models.Model], *, pks: bool = True) -> None:
    """Insert new rows of one model (no pk yet) as bulk_create would, but
    cheaper: with ``pks``, each row gets its id (from RETURNING, as
    bulk_create gets it); without, the rows are written with one
    executemany and stay unsaved objects (for rows nothing reads back)."""
    if not rows:
        return
    model = type(rows[0])
    alias = router.db_for_write(model)
    insert = _insert_of(model, alias)
    connection = connections[alias]
    if pks and not insert.returning:
        model.objects.using(alias).bulk_create(rows)
        return
    params = [insert.values(row, connection) for row in rows]
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        if not pks:
            cursor.executemany(insert.head + insert.row, params)
            return
        size = max(1, min(500, connection.ops.bulk_batch_size(insert.fields, rows)))
        ids = []
        for start in range(0, len(params), size):
            batch = params[start : start + size]
            cursor.execute(
                insert.head + ", ".join([insert.row] * len(batch)) + " " + insert.returning,
                [value for row in batch for value in row],
            )
            ids += [pk for (pk,) in cursor.fetchall()]
    if len(ids) != len(rows):
        raise RuntimeError(f"{len(rows)} rows inserted, {len(ids)} ids returned")
    attname = insert.pk.attname
    for row, pk in zip(rows, ids, strict=True):
        row.__dict__[attname] = pk
        row._state.adding = False
        row._state.db = alias


def values_insert(model: type[models.Model], attnames: list[str], params: list[tuple]) -> None:
    """Insert rows of ``model`` given as parameters, one tuple of values
    for ``attnames`` each, with one executemany: for rows nothing reads back
    (no model, no id), whose values are what the database stores (ids, str)."""
    if not params:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    ops = connection.ops
    meta = model._meta
    columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in attnames)
    sql = (
        f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(attnames))})"
    )
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, params)


class _Blank:
    """What Model.__init__ gives a model's new instance before its values:
    each field's default, by attname."""

    def __init__(self, model: type[models.Model]):
        meta = model._meta
        self.fixed: dict[str, object] = {}
        self.computed: list[tuple[str, models.Field]] = []  # callable defaults
        for field in meta.concrete_fields:
            if field.has_default() and callable(field.default):
                self.computed.append((field.attname, field))
            else:
                self.fixed[field.attname] = field.get_default()
        self.attnames = {field.attname for field in meta.concrete_fields}
        self.related = {f.name: f for f in meta.concrete_fields if f.is_relation}


@functools.cache
def _blank(model: type[models.Model]) -> _Blank:
    return _Blank(model)


def new_row(model: type[_M], **values) -> _M:
    """``model(**values)``, for the rows an import makes by the ten thousand,
    at a quarter of the cost: Model.__init__'s per-field generality
    (properties, deferred fields, positional values) is most of a row's
    making. ``values`` are by attname (``article_id=``) or, for a foreign
    key, the related row by field name (``source=``, cached as Django
    caches it); every other field gets its default. Model.__init__ itself
    while any pre_init or post_init receiver is connected."""
    if signals.pre_init.receivers or signals.post_init.receivers:
        return model(**values)
    blank = _blank(model)
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    state.update(blank.fixed)
    for attname, field in blank.computed:
        if attname not in values:
            state[attname] = field.get_default()
    for name, value in values.items():
        if name in blank.attnames:
            state[name] = value
        elif name in blank.related:
            field = blank.related[name]
            state[field.attname] = (
                None if value is None else getattr(value, field.target_field.attname)
            )
            obj._state.fields_cache[name] = value
        else:
            raise TypeError(f"{model.__name__}() got an unexpected keyword argument {name!r}")
    return obj
