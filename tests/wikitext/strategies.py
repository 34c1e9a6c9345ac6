"""Hypothesis strategies for valid :class:`ArticleDoc` values.

Every piece of text is drawn so that it cannot be mistaken for syntax once it
is written out: single lines without control characters or surrounding
whitespace, no line that starts with ``=`` (a heading), no paragraph line
equal to ``Infobox``, list values without commas, titles and names in NFC,
infobox keys without ``:`` that do not name a typed key, and so on. The
constraints are exactly the places where the format is ambiguous; see the
comments on each strategy.

Documents cite: ``article_docs`` draws References entries and puts
``[^key]``/``[^key|locator]`` markers (and ``[^?]``) after words of the lead,
section text and list items, and after infobox values, every key naming an
entry. Plain text never holds ``[^``, which always starts a marker.
"""

from __future__ import annotations

import datetime

from hypothesis import strategies as st

from articles.wikitext import (
    CITATION_NEEDED,
    FIELDS,
    KNOWN_KEYS,
    REFERENCE_TYPES,
    ArticleDoc,
    ExtraRow,
    Infobox,
    Marker,
    Population,
    Reference,
    Section,
    reference_field,
)
from articles.wikitext.document import MAX_POPULATION
from articles.wikitext.names import name_key, normalize_name
from articles.wikitext.values import InfoboxValueError, parse_population

# Letters, digits, punctuation (including the syntax characters = - , : ( )),
# symbols (emoji) and spaces; never control, format or line-separator
# characters.
_CHARACTERS = st.characters(categories=("L", "N", "P", "S", "Zs"))
_SAMPLES = st.sampled_from(
    [
        "Кабул",  # Cyrillic
        "Афганистан",
        "كابل",  # Arabic
        "بلخ",
        "🙂",  # emoji, outside the BMP
        "🇦🇫",
        "Ελλάδα",
        "日本語",
        "naïve",
        "Soviet–Afghan",
        "(2009 est.)",
    ]
)
_WORDS = st.one_of(st.text(_CHARACTERS, min_size=1, max_size=10), _SAMPLES)


def _is_clean(text: str) -> bool:
    # "[^" starts a citation marker wherever it is written.
    return bool(text) and text == text.strip() and "[^" not in text


# One non-empty line of text with no whitespace at either end.
lines = st.lists(_WORDS, min_size=1, max_size=5).map(" ".join).filter(_is_clean)
# Titles and names are read in their one stored form (NFC; names.py): a CJK
# compatibility ideograph or U+212B ANGSTROM SIGN would read back changed.
names = lines.filter(lambda text: normalize_name(text) == text)

# Titles and headings: a leading or trailing "=" would merge with the marks.
titles = names.filter(lambda text: not text.startswith("=") and not text.endswith("="))
headings = lines.filter(lambda text: not text.startswith("=") and not text.endswith("="))

# A paragraph line that starts with "=" would be read as a heading, and a lead
# whose first line is "Infobox" would be read as the infobox, one whose
# first line is "Language: ..." as the article's language.
paragraph_lines = lines.filter(
    lambda text: not text.startswith(("=", "-", "Language:")) and text != "Infobox"
)

# --- citations ---------------------------------------------------------------

citation_keys = st.one_of(
    st.sampled_from(["smith", "census2010", "a", "rferl", "x-1", "-", "1998"]),
    st.from_regex(r"[a-z0-9-]{1,50}", fullmatch=True),
)
# A locator holds no "]", "|" or newline and is at most 100 characters.
locators = st.one_of(
    st.sampled_from(["p. 42", "pp. 50–52", "§ 3", "ch. 2", "00:12:30", "fig. 1 (map)"]),
    lines.filter(lambda text: "]" not in text and "|" not in text and len(text) <= 100),
)


def markers(keys: list[str]) -> st.SearchStrategy[Marker]:
    """Markers citing ``keys`` (entries of the document), or ``[^?]``."""
    needed = st.just(Marker(CITATION_NEEDED))
    if not keys:
        return needed
    cited = st.builds(Marker, st.sampled_from(keys), st.one_of(st.just(""), locators))
    return st.one_of(cited, cited, needed)


def marker_runs(keys: list[str] | None) -> st.SearchStrategy[tuple[Marker, ...]]:
    """Markers written together after a word or value; none when ``keys``
    is None (a document that cites nothing)."""
    if keys is None:
        return st.just(())
    return st.lists(markers(keys), max_size=2).map(tuple)


def cited(line: st.SearchStrategy[str], keys: list[str] | None) -> st.SearchStrategy[str]:
    """Lines with markers glued to the end of some of their words (a line's
    start, which decides what the line is, is kept); the plain lines when
    ``keys`` is None."""
    if keys is None:
        return line
    return st.builds(
        _glue, line, st.lists(st.tuples(st.integers(0, 15), marker_runs(keys)), max_size=3)
    )


def _glue(line: str, runs: list[tuple[int, tuple[Marker, ...]]]) -> str:
    words = line.split(" ")
    for index, run in runs:
        words[index % len(words)] += "".join(map(str, run))
    return " ".join(words)


def paragraphs_citing(keys: list[str] | None) -> st.SearchStrategy[str]:
    return st.lists(cited(paragraph_lines, keys), min_size=1, max_size=3).map("\n".join)


def bullet_lists_citing(keys: list[str] | None) -> st.SearchStrategy[str]:
    return st.lists(cited(lines, keys), min_size=1, max_size=4).map(
        lambda items: "\n".join(f"- {item}" for item in items)
    )


def block_texts_citing(keys: list[str] | None) -> st.SearchStrategy[str]:
    """Normalised block text: blocks separated by exactly one blank line."""
    blocks = st.one_of(paragraphs_citing(keys), bullet_lists_citing(keys))
    return st.lists(blocks, max_size=3).map("\n\n".join)


paragraphs = paragraphs_citing(None)
bullet_lists = bullet_lists_citing(None)
block_texts = block_texts_citing(None)

# Comma lists (Langs, Rels) cannot hold an item with a comma.
list_items = names.filter(lambda text: "," not in text)
# "A, B and C": a place with " and " (Trinidad and Tobago) is written quoted;
# only a name that holds '" and ' or ' and "' (which the admin refuses) could
# not be read back.
places = list_items.filter(lambda text: '" and ' not in text and ' and "' not in text)
# Places that need the quotes, drawn often enough to matter.
# (Two words, not two places: four places must still fit on one line.)
places_with_and = st.tuples(_WORDS, _WORDS).map(" and ".join).filter(
    lambda text: text == text.strip() and normalize_name(text) == text and "," not in text
    and '" and ' not in text and ' and "' not in text
)
# Unknown infobox keys: no ":" (it ends the key) and not a typed key in any case.
_TYPED = {key.casefold() for key in KNOWN_KEYS}
extra_keys = lines.filter(lambda text: ":" not in text and text.casefold() not in _TYPED)


def _reads_as_note(text: str) -> bool:
    """A non-numeric population is kept verbatim only if it does not read as
    a number (``1,500``, ``12 (note)``)."""
    try:
        return parse_population(text) == Population(None, text)
    except InfoboxValueError:
        return False


populations = st.one_of(
    st.builds(Population, st.integers(0, MAX_POPULATION), st.one_of(st.just(""), lines)),
    st.builds(Population, st.none(), lines.filter(_reads_as_note)),
)


@st.composite
def infoboxes(draw: st.DrawFn, keys: list[str] | None = None) -> Infobox:
    """An infobox; with ``keys``, rows carry markers citing them."""
    infobox = Infobox(
        group=draw(st.one_of(st.just(""), lines)),
        population=draw(st.one_of(st.none(), populations)),
        # A list names each item once (case-insensitively).
        places=draw(st.lists(st.one_of(places, places_with_and), max_size=4, unique_by=name_key)),
        languages=draw(st.lists(list_items, max_size=3, unique_by=name_key)),
        religions=draw(st.lists(list_items, max_size=3, unique_by=name_key)),
        # Titles: list items that are not wrapped in "=" either.
        related=draw(st.lists(
            list_items.filter(lambda t: not t.startswith("=") and not t.endswith("=")),
            max_size=3, unique_by=name_key,
        )),
    )
    pairs = draw(st.lists(st.tuples(extra_keys, lines), max_size=3))
    typed = sum(
        map(
            bool,
            [
                infobox.group,
                infobox.population is not None,
                infobox.places,
                infobox.languages,
                infobox.religions,
                infobox.related,
            ],
        )
    )
    # Extras sit at distinct row indices among all rows, in row order, just
    # as the parser records them.
    slots = draw(st.permutations(range(typed + len(pairs))))[: len(pairs)]
    infobox.extras = [
        ExtraRow(key, value, position, draw(marker_runs(keys)) if keys is not None else ())
        for (key, value), position in zip(pairs, sorted(slots))
    ]
    if keys is not None:
        for f in FIELDS:
            if f.is_set(getattr(infobox, f.attr)):
                run = draw(marker_runs(keys))
                if run:
                    infobox.citations[f.key] = run
    return infobox


@st.composite
def sections(draw: st.DrawFn, keys: list[str] | None = None) -> Section:
    level = draw(st.sampled_from([2, 3]))
    # A level-2 "See also" or "References" heading is that list, not a section.
    allowed = headings if level == 3 else headings.filter(
        lambda text: text.casefold() not in ("see also", "references")
    )
    return Section(heading=draw(allowed), level=level, body=draw(block_texts_citing(keys)))


# --- references --------------------------------------------------------------

iso_dates = st.builds(
    lambda day, precision: day.isoformat()[:precision],
    st.dates(min_value=datetime.date(1, 1, 1)),
    st.sampled_from([4, 7, 10]),
)
_HOSTS = st.one_of(
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?(\.[a-z]{2,6}){1,2}", fullmatch=True),
    st.sampled_from(["www.stat.tj", "пример.рф", "web.archive.org", "[2001:db8::1]", "localhost"]),
)


def urls_under(folder: str = "") -> st.SearchStrategy[str]:
    """http(s) addresses, their path starting with ``folder`` if given."""
    return st.builds(
        lambda scheme, host, port, path: f"{scheme}://{host}{port}/{folder}{path}",
        st.sampled_from(["http", "https", "HTTPS"]),
        _HOSTS,
        st.sampled_from(["", ":8080"]),
        st.from_regex(r"[A-Za-z0-9/_.~%?&=#+-]{0,40}", fullmatch=True),
    )


urls = urls_under()
# Other fields' names: no ":" (it ends the name), not a known field's name.
reference_extra_names = lines.filter(lambda text: ":" not in text and reference_field(text) is None)


# Each optional field of an entry, drawn only for the few fields an entry
# sets (drawing all of them makes every document slow to generate).
#
# The documents are stored by the database tests too, so they also keep to
# the database's rules: the identifiers (Doi, Isbn, Url) differ between the
# entries of a document (they hold its key or number), and _article_docs
# draws titles that differ in any case, since the import refuses two entries
# naming one source (articles/sources.py: DOI, else ISBN, else URL, else
# title, work and date); an Isbn fits in 32 characters and a Language in 35.
def _reference_values(key: str, number: int) -> dict[str, st.SearchStrategy]:
    return {
        "authors": st.lists(lines, min_size=1, max_size=3).map(tuple),
        "work": lines,
        "publisher": lines,
        "date": iso_dates,
        "url": urls_under(f"{key}/"),
        "isbn": st.sampled_from([f"978-0-{number:06}-0", f"ISBN 0{number:08}"]),
        "doi": st.builds(lambda suffix: f"10.1000/{key}/{suffix}", lines),
        "accessed": iso_dates,
        "archive_url": urls,
        "archive_date": iso_dates,
        "language": st.one_of(
            st.sampled_from(["ru", "tg", "en-GB"]), lines.filter(lambda text: len(text) <= 35)
        ),
        "quote": lines,
        "extras": st.lists(st.tuples(reference_extra_names, lines), min_size=1, max_size=2).map(
            tuple
        ),
    }


@st.composite
def references(
    draw: st.DrawFn, key: str, title: st.SearchStrategy[str] = lines, number: int = 0
) -> Reference:
    """An entry; ``number`` (its place in the document) makes its Isbn its own."""
    values = _reference_values(key, number)
    chosen = draw(st.lists(st.sampled_from(sorted(values)), max_size=6, unique=True))
    return Reference(
        key=key,
        type=draw(st.sampled_from(REFERENCE_TYPES)),
        title=draw(title),
        **{attr: draw(values[attr]) for attr in chosen},
    )


@st.composite
def _article_docs(draw: st.DrawFn) -> ArticleDoc:
    """A document; most of them cite entries of their References."""
    keys: list[str] | None = None
    entries: list[Reference] = []
    if draw(st.integers(0, 3)):
        keys = draw(st.lists(citation_keys, max_size=4, unique=True))
        named = draw(st.lists(lines, min_size=len(keys), max_size=len(keys),
                              unique_by=str.casefold))
        entries = [
            draw(references(key, st.just(name), number))
            for number, (key, name) in enumerate(zip(keys, named))
        ]
        # General references: entries no marker uses.
        used = [key for key in keys if draw(st.integers(0, 3))]
        keys = used
    return ArticleDoc(
        title=draw(titles),
        infobox=draw(st.one_of(st.just(Infobox()), infoboxes(keys))),
        lead=draw(block_texts_citing(keys)),
        sections=draw(st.lists(sections(keys), max_size=4)),
        see_also=draw(st.lists(titles, max_size=4)),
        references=entries,
    )


article_docs = _article_docs()
