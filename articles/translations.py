"""Translations: articles that describe one community in different
languages, joined as one ``TranslationGroup``.

An article joins a group in two ways, and both end in ``groups_joined``:

- an editor says in the admin which article it was translated from
  (``Article.translated_from``): ``translation_joined`` after the save puts
  the two into one group, refusing (``translation_problem``) a translation
  of itself or of an article in the same language;
- a MediaWiki import's interlanguage links (``[[ru:Русские в
  Афганистане]]``) name an article that is here: ``interlanguage_joined``.

Joining merges: when both articles already have a group, the second
group's articles move into the first and it is deleted, so translation is
transitive (A from B, C from B: A, B and C are one group).

The read side, ``group_translations``, is what the article page lists first
under "In other languages", what its ``hreflang`` alternates, its JSON and
the sitemap name. ``outdated_source`` is the editors' notice that the
article a translation was made from changed after the translation's last
edit.

The writes are gathered in the open ``content_change`` (the admin's save,
the import), each moved article watched before it moves, so that every page
whose "In other languages" changes is evicted (``articles.dependencies``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from reversion.models import Version

from encyclopedia.locale import bcp47, is_bidi

from .models import Article, InterlanguageLink, TranslationGroup


def language_name(code: str, in_language: str | None = None) -> str:
    """The name of the language ``code`` in ``in_language`` (default: in
    itself, as Wikipedia's sidebar names them: "русский", "پښتو"), from
    Babel's locale data; the code itself for a language Babel does not know."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
        within = locale if in_language is None else Locale.parse(in_language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return code
    # CLDR names some regional languages on their own ("fa_AF": دری, Dari),
    # which get_display_name would give as "فارسی (افغانستان)".
    return within.languages.get(str(locale)) or locale.get_display_name(within) or code


def _primary(code: str) -> str:
    return code.casefold().split("-")[0]


# --- the read side ---------------------------------------------------------------


@dataclass(frozen=True)
class Translation:
    """Another published article of the group, as "In other languages"
    shows it: its language's name in that language, the title, and
    ``lang``/``dir`` for both."""

    language: str  # BCP 47, as the article stores it: fa-AF
    name: str  # the language's name in itself: دری
    title: str
    slug: str
    dir: str  # rtl or ltr
    url: str  # the article's path


def group_translations(article: Article) -> list[Translation]:
    """The other published articles of ``article``'s group, by language
    (then title). No query for an article in no group, one otherwise."""
    if article.translation_group_id is None:
        return []
    rows = (
        Article.objects.published()
        .filter(translation_group_id=article.translation_group_id)
        .exclude(pk=article.pk)
        .values_list("language", "title", "slug")
    )
    return sorted(
        (_translation(language, title, slug) for language, title, slug in rows),
        key=lambda t: (t.language.casefold(), t.title),
    )


def groups_translations(groups: Iterable[int]) -> dict[int, list[Translation]]:
    """The published articles of each of ``groups``, by language: the
    sitemap's alternates for a page of articles in one query (none for no
    groups)."""
    groups = sorted(set(groups))
    if not groups:
        return {}
    out: dict[int, list[Translation]] = {group: [] for group in groups}
    rows = (
        Article.objects.published()
        .filter(translation_group_id__in=groups)
        .values_list("translation_group_id", "language", "title", "slug")
        .order_by("language", "title")
    )
    for group, language, title, slug in rows:
        out[group].append(_translation(language, title, slug))
    return out


def _translation(language: str, title: str, slug: str) -> Translation:
    tag = bcp47(language)
    return Translation(
        language=tag, name=language_name(tag), title=title, slug=slug,
        dir="rtl" if is_bidi(tag) else "ltr", url=reverse("article-detail", args=[slug]),
    )


@dataclass(frozen=True)
class OutdatedSource:
    """The editors' notice on a translation's change form: the article it
    was translated from changed after the translation's last edit."""

    source: Article
    language_name: str  # the source's language, in the interface's language
    old_revision: int | None  # the source's revision when the translation was last edited
    new_revision: int | None  # the source's latest


def outdated_source(article: Article | None) -> OutdatedSource | None:
    """The notice for ``article``, or None when it is no translation or its
    source has not been edited since ``article`` was (two queries at most:
    the source, its versions)."""
    if article is None or article.pk is None or article.translated_from_id is None:
        return None
    source = Article.objects.filter(pk=article.translated_from_id).first()
    if source is None or source.updated <= article.updated:
        return None
    versions = list(
        Version.objects.get_for_object(source)
        .select_related("revision").order_by("-revision__date_created", "-pk")
    )
    new = versions[0].revision.pk if versions else None
    # The source as the translator last saw it: its newest revision made
    # before the translation's last edit.
    old = next((v.revision.pk for v in versions if v.revision.date_created <= article.updated), None)
    interface = translation.to_locale(translation.get_language() or "en")
    return OutdatedSource(
        source=source, language_name=language_name(source.language, interface),
        old_revision=old, new_revision=new,
    )


# --- the write side --------------------------------------------------------------


def translation_problem(*, article: Article, source: Article | None, language: str) -> str | None:
    """Why ``article`` (in ``language``, as the form has it) cannot be a
    translation of ``source``, or None. The admin's form shows it on the
    ``translated_from`` field."""
    if source is None:
        return None
    if article.pk is not None and source.pk == article.pk:
        return gettext("An article cannot be a translation of itself.")
    if bcp47(source.language).casefold() == bcp47(language or "").casefold():
        return gettext(
            "“%(title)s” is written in the same language (%(language)s): a translation is "
            "from an article in another language."
        ) % {"title": source.title, "language": bcp47(source.language)}
    return None


@transaction.atomic
def translation_joined(*, article: Article) -> TranslationGroup | None:
    """After ``article`` was saved: put it into one group with the article
    it was translated from (a new group if neither has one; one group of
    both groups' articles if each has one). None when it says of no
    article that it was translated from it. Raises ``ValidationError`` (and
    writes nothing) for a translation the admin's form would refuse."""
    if article.translated_from_id is None:
        return None
    source = Article.objects.get(pk=article.translated_from_id)
    problem = translation_problem(article=article, source=source, language=article.language)
    if problem:
        raise ValidationError({"translated_from": problem})
    return groups_joined(first=article.pk, second=source.pk)


def groups_joined(*, first: int, second: int) -> TranslationGroup:
    """Articles ``first`` and ``second`` in one group: the one either has
    (the older group, when both have one and they differ: the other's
    articles move into it), else a new one."""
    # Imported here: dependencies imports rendered, which imports the
    # selectors, which import this module.
    from .dependencies import current

    groups = dict(Article.objects.filter(pk__in=[first, second])
                  .values_list("pk", "translation_group_id"))
    held = sorted({group for group in groups.values() if group is not None})
    if not held:
        group = TranslationGroup.objects.create()
    else:
        group = TranslationGroup.objects.get(pk=held[0])
    moving = Article.objects.filter(translation_group_id__in=held[1:]) if held[1:] else None
    pks = [pk for pk in (first, second) if groups.get(pk) != group.pk]
    if moving is not None:
        pks += list(moving.values_list("pk", flat=True))
    change = current()
    if change is not None:
        change.articles(pks)  # their pages' "In other languages" change
    Article.objects.filter(pk__in=pks).update(translation_group=group)
    if held[1:]:
        TranslationGroup.objects.filter(pk__in=held[1:]).delete()
    return group


def matches_prefix(prefix: str, language: str) -> bool:
    """Whether a wiki's language prefix names an article's content language.

    A MediaWiki prefix is a wiki's code, not a full BCP 47 tag: "fa" is the
    Persian Wikipedia, written for Iranian and Afghan readers alike, so it
    matches an article in "fa" or in any region of it ("fa-AF", "fa-IR").
    A prefix with its own subtags ("zh-min-nan", "be-tarask") matches only
    that exact language, and "simple" (Simple English) matches nothing here.
    """
    prefix, language = prefix.casefold(), language.casefold()
    if prefix == language:
        return True
    return "-" not in prefix and _primary(language) == prefix


# Rows a query names at most: SQLite refuses too many parameters at once.
BATCH = 500


def _batches(values: Iterable) -> Iterable[list]:
    values = sorted(set(values))
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def interlanguage_joined(articles: Iterable[int]) -> int:
    """After an import stored interlanguage links: each link of
    ``articles`` naming an article here (same title, a language the prefix
    matches: ``matches_prefix``), and each stored link of another article
    naming one of ``articles``, joins the two articles' groups. Returns how
    many pairs were joined. A few queries per BATCH articles, then
    ``groups_joined``'s few per pair joined."""
    pks = sorted(set(articles))
    links: list[tuple[int, str, str]] = []
    for chunk in _batches(pks):
        titles = Article.objects.filter(pk__in=chunk).values_list("title", flat=True)
        links += InterlanguageLink.objects.filter(article_id__in=chunk).values_list(
            "article_id", "language", "title")
        links += InterlanguageLink.objects.filter(title__in=list(titles)).exclude(
            article_id__in=chunk).values_list("article_id", "language", "title")
    by_title: dict[str, list[tuple[int, str]]] = {}
    for chunk in _batches(title for _, _, title in links):
        for pk, title, language in Article.objects.filter(title__in=chunk).values_list(
            "pk", "title", "language"
        ):
            by_title.setdefault(title, []).append((pk, language))
    languages: dict[int, str] = {}
    for chunk in _batches(pk for pk, _, _ in links):
        languages.update(Article.objects.filter(pk__in=chunk).values_list("pk", "language"))
    pairs = set()
    for pk, prefix, title in links:
        for target, language in by_title.get(title, ()):
            # A link to the article's own language names no translation.
            if target != pk and matches_prefix(prefix, language) and _primary(
                language) != _primary(languages.get(pk, "")):
                pairs.add((min(pk, target), max(pk, target)))
    for first, second in sorted(pairs):
        groups_joined(first=first, second=second)
    return len(pairs)
