"""Export: articles as wiki-text, one at a time, as a stream, or one file
each into a folder."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .. import wikitext
from ..infobox import article_infobox
from ..models import Article


def article_to_doc(article: Article) -> wikitext.ArticleDoc:
    """The article as a document, its references and the infobox's
    citations included (the text's markers are in the text); use
    ``Article.objects.with_document()`` to fetch it in a fixed number of
    queries."""
    return wikitext.ArticleDoc(
        title=article.title,
        infobox=article_infobox(article),
        lead=article.lead,
        sections=[
            wikitext.Section(heading=s.heading, level=s.level, body=s.body)
            for s in article.sections.all()
        ],
        see_also=[row.target_title for row in article.see_also.all()],
        references=[row.entry() for row in article.references.all()],
        language=article.language,
    )


def article_export(*, article: Article) -> str:
    return wikitext.dump(article_to_doc(article))


def articles_export(*, slugs: list[str] | None = None) -> Iterator[tuple[Article, str]]:
    """(article, wiki-text) for the given slugs, or for every article.

    Unknown slugs raise ``Article.DoesNotExist`` naming them, before any
    output is produced.
    """
    articles = Article.objects.with_document().order_by("title")
    if slugs:
        articles = articles.filter(slug__in=slugs)
        missing = set(slugs) - set(articles.values_list("slug", flat=True))
        if missing:
            raise Article.DoesNotExist(f"no article with the slug {', '.join(sorted(missing))}")
    for article in articles.iterator(chunk_size=500):
        yield article, article_export(article=article)


class ExportFailed(Exception):
    """An export to a folder that wrote nothing; the message says why."""


# Most file systems allow 255 bytes in a file name, not 255 characters: a
# slug of 240 Cyrillic or Arabic letters is 480 bytes.
MAX_FILE_NAME_BYTES = 255


def export_file_name(slug: str) -> str:
    """``<slug>.txt``, or for a slug too long in bytes its start cut at a
    character boundary plus a hash of the whole slug: stable from one
    export to the next, and distinct for distinct slugs."""
    name = f"{slug}.txt"
    if len(name.encode("utf-8")) <= MAX_FILE_NAME_BYTES:
        return name
    digest = hashlib.sha256(slug.encode("utf-8")).hexdigest()[:12]
    budget = MAX_FILE_NAME_BYTES - len(f"-{digest}.txt")
    start = slug.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip("-")
    return f"{start}-{digest}.txt"


def articles_export_to_folder(
    *, folder: Path, slugs: list[str] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> int:
    """One file per article (:func:`export_file_name`) in ``folder``, all
    or nothing: every name is settled and checked first, the files are
    written into a hidden folder inside ``folder`` and moved into place only
    when all are written. Raises ExportFailed (nothing written) or
    Article.DoesNotExist for unknown slugs. Returns the number of files."""
    wanted = Article.objects.all()
    if slugs:
        wanted = wanted.filter(slug__in=slugs)
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    for slug in wanted.values_list("slug", flat=True).iterator():
        name = export_file_name(slug)
        if name in owners:
            raise ExportFailed(f"the articles {owners[name]!r} and {slug!r} would both be {name}")
        names[slug], owners[name] = name, slug
    missing = set(slugs or ()) - names.keys()
    if missing:
        raise Article.DoesNotExist(f"no article with the slug {', '.join(sorted(missing))}")
    if folder.exists() and not folder.is_dir():
        raise ExportFailed(f"{folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        blocked = [name for name in owners if (folder / name).is_dir()]
        if blocked:
            raise ExportFailed(f"{folder / blocked[0]}: is a folder; nothing was written")
        staging = Path(tempfile.mkdtemp(prefix=".export-", dir=folder))
    except OSError as exc:
        raise ExportFailed(f"{folder}: {exc.strerror or exc}") from None
    moved = 0
    try:
        count = 0
        for article, text in articles_export(slugs=slugs):
            (staging / names[article.slug]).write_bytes(text.encode("utf-8"))
            count += 1
        # Renames within one folder: they do not fail for want of space.
        for name in names.values():
            os.replace(staging / name, folder / name)
            moved += 1
            if on_file:
                on_file(folder / name)
    except OSError as exc:
        done = f"{moved} of {len(names)} files were replaced" if moved else "nothing was written"
        raise ExportFailed(f"{exc.filename or folder}: {exc.strerror or exc}; {done}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return count
