"""The article page rendered when written and stored (``ArticleRender``),
as MediaWiki keeps its ParserCache: a request reads the article's row with
its stored page, one query, and only the first request after a change (or
the write itself) builds the page from the dozen queries of
``selectors.article_page``.

The page is the whole HTML a reader gets (the editors' tools are added to
it). A write empties the stored page of each article whose page it changes
(``stale``, called by ``articles.dependencies``) and gives it a new ``seq``;
``page_of`` renders an empty one again and stores it unless ``seq`` moved on
meanwhile (see ``models.render``). Like the page cache, this is a cache: it
sits beside the read side, not in the write side.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.urls import Resolver404
from django.utils import translation

from encyclopedia import pagecache
from encyclopedia.locale import interface_code, path_in, resolve_default, split_language

from .models import Article, ArticleRender
from .models.render import new_seq
from .selectors import article_page

BATCH = 500


@dataclass(frozen=True)
class PageRow:
    """An article's row as its page reads it, with the stored page."""

    pk: int
    title: str
    slug: str
    status: str
    seq: int | None
    generation: int | None
    version: str
    page: bytes


@functools.cache
def _page_sql(vendor: str, drafts: bool) -> str:
    # Written out, not built by the ORM: building the query cost more than
    # running it, on the one query of every request for an article.
    del vendor  # one statement per backend: the quoting differs
    q = connection.ops.quote_name
    article, stored = Article._meta.db_table, ArticleRender._meta.db_table
    status = "" if drafts else f" AND a.{q('status')} = %s"
    return (
        f"SELECT a.{q('id')}, a.{q('title')}, a.{q('slug')}, a.{q('status')}, r.{q('seq')}, "
        f"r.{q('generation')}, r.{q('version')}, r.{q('page')} "
        f"FROM {q(article)} a LEFT JOIN {q(stored)} r ON r.{q('article_id')} = a.{q('id')} "
        f"WHERE a.{q('slug')} = %s{status}"
    )


def page_row(slug: str, *, drafts: bool = False) -> PageRow | None:
    """The article at ``slug`` (published only, unless ``drafts``) with its
    stored page: one query."""
    params = [slug] if drafts else [slug, Article.Status.PUBLISHED]
    with connection.cursor() as cursor:
        cursor.execute(_page_sql(connection.vendor, drafts), params)
        row = cursor.fetchone()
    if row is None:
        return None
    pk, title, slug, status, seq, generation, version, page = row
    return PageRow(pk, title, slug, status, seq, generation, version or "", bytes(page or b""))


# The head holds absolute URLs (canonical, OpenGraph, JSON-LD), on whatever
# host the request came to: stored with this in place of scheme and host.
ORIGIN = "https://origin.invalid"
# Where an editor's tools go in the stored page.
EDITOR_TOOLS = "<!-- editor tools -->"


def page_of(row: PageRow, origin: str) -> str:
    """The stored page of the article in ``row`` as every reader gets it,
    rendered and stored first if there is none or it is out of date; its
    absolute URLs on ``origin`` (the request's scheme and host). The stored
    page is the default language's; in another interface language the page
    is built for the request (the page cache keeps it)."""
    if translation.get_language() != settings.LANGUAGE_CODE:
        return _render(row.pk).replace(ORIGIN, origin)
    return _stored(row).replace(ORIGIN, origin)


def reader_page(path: str, origin: str) -> str | None:
    """What an anonymous reader gets at ``path`` (a request's decoded path),
    if it is a published article's address: the page ``article_detail``
    answers, for ``encyclopedia.fastpath`` (``settings.STORED_PAGES``).
    None for any other address, and for a slug with no published article
    (a former slug's redirect, a 404: Django answers those)."""
    slug = _article_slug(path)
    if slug is None:
        return None
    row = page_row(slug)
    if row is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return page_of(row, origin)


@functools.lru_cache(maxsize=20_000)
def _article_slug(path: str) -> str | None:
    # The stored page is the default language's: /ru/wiki/x/ is rendered by
    # Django (and kept by the page cache), whatever this thread has active.
    if split_language(path)[1] != path:
        return None
    try:
        match = resolve_default(path)
    except Resolver404:
        return None
    return match.kwargs["slug"] if match.url_name == "article-detail" else None


# What the stored page is made by: a change to any of it (a deploy) and
# every stored page is rendered again by its next reader.
_MADE_BY = ("articles.selectors", "articles.related", "articles.citations", "articles.infobox",
            "articles.rendered", "articles.templatetags.seo", "articles.templatetags.reading_layout",
            "articles.templatetags.interface", "articles.templatetags.locale_format",
            "encyclopedia.locale", "articles.translations",
            "articles.templatetags.translations",
            "articles.api")


@functools.cache
def render_version() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for name in _MADE_BY:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    templates = Path(settings.BASE_DIR) / "templates"
    for path in sorted([*templates.glob("includes/*.html"), templates / "base.html",
                        templates / "articles" / "article_detail.html"]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _stored(row: PageRow) -> str:
    generation = pagecache.current_generation()
    if generation is not None and row.page and (
        row.generation == generation and row.version == render_version()
    ):
        return ArticleRender.unpack(row.page)
    page = render(row.pk)
    if generation is not None:  # without it (the cache is down) nothing could undo it
        store(row.pk, row.seq, generation, page)
    return page


def render(pk: int) -> str:
    """The page of article ``pk`` built from its rows, as every reader
    sees it (``EDITOR_TOOLS`` where an editor's go), in the default
    language whatever the writer's (an editor saving in the Dari admin
    stores the page English readers get)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render(pk)


def _render(pk: int) -> str:
    article = Article.objects.for_page().get(pk=pk)
    page = article_page(article=article)
    # The hreflang alternate of an interface language the article has a
    # translation into is that translation (templatetags.interface).
    translations = {
        code: path_in(code, link.url) for link in page.languages
        if link.translation and (code := interface_code(link.code)) is not None
    }
    return render_to_string(
        "articles/article_detail.html", {"page": page, "origin": ORIGIN, "tools": EDITOR_TOOLS,
         "page_path": article.get_absolute_url(), "translations": translations}
    )


def store(pk: int, seq: int | None, generation: int | None, page: str) -> None:
    """Keep the page rendered from rows read while ``seq`` was current (None:
    there was no stored page): not if a write has changed it since."""
    values = {"generation": generation, "version": render_version(),
              "page": ArticleRender.pack(page)}
    if seq is not None:
        ArticleRender.objects.filter(pk=pk, seq=seq).update(**values)
    else:
        ArticleRender.objects.bulk_create(
            [ArticleRender(article_id=pk, seq=new_seq(), **values)], ignore_conflicts=True
        )


def render_now(pks: Iterable[int]) -> None:
    """Render and store the pages of these articles now (in the writing
    transaction: the rows it wrote are the ones rendered)."""
    generation = pagecache.current_generation()
    for pk, seq in ArticleRender.objects.filter(pk__in=list(pks)).values_list("pk", "seq"):
        store(pk, seq, generation, render(pk))


def stale(pks: Iterable[int] = (), slugs: Iterable[str] = ()) -> None:
    """The stored pages of these articles are out of date: emptied, with a
    new ``seq`` each (a row made for an article that has none yet, so that a
    reader rendering it now cannot store what it read before this write)."""
    pks = set(pks)
    slugs = sorted(set(slugs))
    for start in range(0, len(slugs), BATCH):
        pks.update(
            Article.objects.filter(slug__in=slugs[start : start + BATCH]).values_list("pk", flat=True)
        )
    pks = sorted(pks)
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        existing = set(Article.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        ArticleRender.objects.bulk_create(
            [ArticleRender(article_id=pk, seq=new_seq()) for pk in chunk if pk in existing],
            update_conflicts=True, unique_fields=["article"],
            update_fields=["seq", "generation", "version", "page"],
        )
