"""The article page rendered when written and stored (``ArticleRender``),
as MediaWiki keeps its ParserCache: a request reads the article's row with
its stored page, one query, and only the first request after a change (or
the write itself) builds the page from the dozen queries of
``selectors.article_page``.

A write empties the stored page of each article whose page it changes
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
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from encyclopedia import pagecache

from .models import Article, ArticleRender
from .models.render import new_seq
from .selectors import article_page

BATCH = 500


def with_stored_page(queryset):
    """``queryset`` narrowed to what the page's shell reads, with the stored
    page: one query."""
    return queryset.select_related("render").only(
        "pk", "title", "slug", "status", "render__seq", "render__generation",
        "render__version", "render__head", "render__body",
    )


# The head holds absolute URLs (canonical, OpenGraph, JSON-LD), on whatever
# host the request came to: stored with this in place of scheme and host.
ORIGIN = "https://origin.invalid"


def page_of(article: Article, origin: str) -> tuple[str, str]:
    """The stored (head, body) of ``article`` (from ``with_stored_page``),
    rendered and stored first if there is none or it is out of date; the
    head's URLs on ``origin`` (the request's scheme and host)."""
    head, body = _stored(article)
    return head.replace(ORIGIN, origin), body


# What the stored page is made by: a change to any of it (a deploy) and
# every stored page is rendered again by its next reader.
_MADE_BY = ("articles.selectors", "articles.citations", "articles.infobox", "articles.rendered",
            "articles.templatetags.seo", "articles.api")


@functools.cache
def render_version() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for name in _MADE_BY:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    for folder in (Path(settings.BASE_DIR) / "templates" / "includes",):
        for path in sorted(folder.glob("*.html")):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _stored(article: Article) -> tuple[str, str]:
    stored: ArticleRender | None = getattr(article, "render", None)
    generation = pagecache.current_generation()
    if generation is not None and stored is not None and stored.body and (
        stored.generation == generation and stored.version == render_version()
    ):
        return ArticleRender.unpack(stored.head), ArticleRender.unpack(stored.body)
    head, body = render(article.pk)
    if generation is not None:  # without it (the cache is down) nothing could undo it
        store(article.pk, stored.seq if stored is not None else None, generation, head, body)
    return head, body


def render(pk: int) -> tuple[str, str]:
    """The page of article ``pk`` built from its rows: its head's metadata
    and its body, as every reader sees them."""
    article = Article.objects.for_page().get(pk=pk)
    page = article_page(article=article)
    context = {"page": page, "article": article, "origin": ORIGIN}
    return (
        render_to_string("includes/article_meta.html", context),
        render_to_string("includes/article_body.html", context),
    )


def store(pk: int, seq: int | None, generation: int | None, head: str, body: str) -> None:
    """Keep the page rendered from rows read while ``seq`` was current (None:
    there was no stored page): not if a write has changed it since."""
    values = {"generation": generation, "version": render_version(),
              "head": ArticleRender.pack(head), "body": ArticleRender.pack(body)}
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
        store(pk, seq, generation, *render(pk))


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
            update_fields=["seq", "generation", "version", "head", "body"],
        )
