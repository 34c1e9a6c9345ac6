"""What an import names and must make unique: slugs for new articles, and
the places, languages and religions it creates by name."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import IntegrityError, models, transaction

from encyclopedia.text import next_free_slug, slug_base, unique_slug

from .. import wikitext
from ..models import Article
from .import_sources import ImportFailed


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
