"""What runs beside an import's writes: the worker processes that render
each batch's Markdown and find its mentions (``render_and_find``) while the
previous batch is written, and the garbage collector's setting for a large
import (``_Collections``)."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor

from .. import wikitext
from ..citations import text_citations
from ..mentions import NameIndex
from .refresh import render_text, verifiability_columns


class _Collections:
    """The garbage collector while the batches are written: off, with a
    full pass every COLLECT_EVERY batches. An import's batches make about
    100,000 objects each, all freed as they go (no reference cycles), and
    the collector's passes over them were a tenth of its time, each walking
    again every object alive (the code's, Django's, the name index: those
    made before are left out of the passes, gc.freeze). Whatever becomes
    garbage meanwhile is collected by the next pass, or after the import."""

    COLLECT_EVERY = 8

    def __init__(self, batches: int):
        # Only a large import: a small one (every admin upload is one batch)
        # leaves the collector of the process, and of its other threads, alone.
        self.active = batches >= 2

    def __enter__(self) -> _Collections:
        self.enabled = gc.isenabled()
        self.batches = 0
        if self.active:
            gc.freeze()
            gc.disable()
        return self

    def batch_written(self) -> None:
        self.batches += 1
        if self.active and self.batches % self.COLLECT_EVERY == 0:
            gc.collect()

    def __exit__(self, *exc) -> None:
        if not self.active:
            return
        gc.unfreeze()
        if self.enabled:
            gc.enable()



# Rendering Markdown and finding mentions is most of an import's work, and
# needs no database: in a large import, worker processes do it while the
# import process writes. Forked, they start with the name index in memory.
_WORKERS = max(1, min(4, os.cpu_count() or 1))
_worker_names: NameIndex | None = None


def _start_worker(names: NameIndex | None) -> None:
    global _worker_names
    _worker_names = names
    # Forked while the import holds the collector off (_Collections): on
    # again here, for what the rendering leaves.
    gc.enable()


@contextlib.contextmanager
def _render_pool(names: NameIndex | None, *, batches: int) -> Iterator[Executor | None]:
    if batches < 2 or _WORKERS < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    pool = ProcessPoolExecutor(
        max_workers=_WORKERS,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(names,),
    )
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


# What an article's text is rendered from: its title, lead, section headings
# and bodies, the keys its infobox cites in order of first use, the markers of
# its infobox rows (see refresh.render_text) and its references' keys.
_Work = tuple[
    str, str, list[str], list[str], list[str], list[tuple[wikitext.Marker, ...]], list[str]
]
# What comes back: the lead's and bodies' HTML, the people and places named,
# the verifiability columns but citations_needed, the text without its
# markers (for the search document) and the text's citations, (place, key,
# locator) in order.
_Rendered = tuple[
    str, list[str], set[int], set[int], dict[str, int], str, list[tuple[str, str, str]]
]


def render_and_find(
    work: list[_Work],
    urls: dict[str, str],
    new_places: list[tuple[int, str]],
    names: NameIndex | None = None,
) -> list[_Rendered]:
    """For each (title, lead, headings, bodies, infobox keys, infobox
    markers, reference keys) of ``work``: the lead's and bodies' HTML, the
    (people, places) the text names outside its markers, the paragraph
    counts (refresh.verifiability_columns), the text without its markers and
    its citations (those whose key is a reference's, or [^?], as
    refresh.citations_build keeps them). In a worker, ``new_places`` are the
    places the import made since it started."""
    names = names or _worker_names
    names.add_places(new_places)
    done = []
    for title, lead, headings, bodies, infobox_keys, infobox, keys in work:
        known = set(keys)
        uses = [
            (place, marker.key, marker.locator)
            for place, marker in text_citations(lead, enumerate(bodies))
            if marker.needed or marker.key in known
        ]
        # Numbered in order of first use: the infobox's, then the text's.
        order = list(dict.fromkeys(
            [*infobox_keys, *(key for _, key, _ in uses if key != wikitext.CITATION_NEEDED)]
        ))
        columns = verifiability_columns(lead=lead, bodies=bodies, keys=keys, needed=0)
        del columns["citations_needed"]  # counted from the citations
        # refresh.article_text_of, without its markers: a locator names no one.
        text = "\n".join([title, lead, *(part for pair in zip(headings, bodies) for part in pair)])
        plain = wikitext.strip_markers(text)
        done.append((
            *render_text(lead, bodies, urls, order=order, infobox=infobox), *names.find(plain),
            columns, plain, uses,
        ))
    return done
