"""Hypothesis strategies for valid :class:`ArticleDoc` values.

Every piece of text is drawn so that it cannot be mistaken for syntax once it
is written out: single lines without control characters or surrounding
whitespace, no line that starts with ``=`` (a heading), no paragraph line
equal to ``Infobox``, list values without commas, titles and names in NFC,
infobox keys without ``:`` that do not name a typed key, and so on. The
constraints are exactly the places where the format is ambiguous; see the
comments on each strategy.
"""

from __future__ import annotations

from hypothesis import strategies as st

from articles.wikitext import KNOWN_KEYS, ArticleDoc, ExtraRow, Infobox, Population, Section
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
    return bool(text) and text == text.strip()


# One non-empty line of text with no whitespace at either end.
lines = st.lists(_WORDS, min_size=1, max_size=5).map(" ".join).filter(_is_clean)
# Titles and names are read in their one stored form (NFC; names.py): a CJK
# compatibility ideograph or U+212B ANGSTROM SIGN would read back changed.
names = lines.filter(lambda text: normalize_name(text) == text)

# Titles and headings: a leading or trailing "=" would merge with the marks.
titles = names.filter(lambda text: not text.startswith("=") and not text.endswith("="))
headings = lines.filter(lambda text: not text.startswith("=") and not text.endswith("="))

# A paragraph line that starts with "=" would be read as a heading, and a lead
# whose first line is "Infobox" would be read as the infobox.
paragraph_lines = lines.filter(lambda text: not text.startswith(("=", "-")) and text != "Infobox")
paragraphs = st.lists(paragraph_lines, min_size=1, max_size=3).map("\n".join)
bullet_lists = st.lists(lines, min_size=1, max_size=4).map(
    lambda items: "\n".join(f"- {item}" for item in items)
)
# Normalised block text: blocks separated by exactly one blank line.
block_texts = st.lists(st.one_of(paragraphs, bullet_lists), max_size=3).map("\n\n".join)

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
def infoboxes(draw: st.DrawFn) -> Infobox:
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
        ExtraRow(key, value, position) for (key, value), position in zip(pairs, sorted(slots))
    ]
    return infobox


@st.composite
def sections(draw: st.DrawFn) -> Section:
    level = draw(st.sampled_from([2, 3]))
    # A level-2 "See also" heading is the See also list, not a section.
    allowed = headings if level == 3 else headings.filter(lambda text: text.casefold() != "see also")
    return Section(heading=draw(allowed), level=level, body=draw(block_texts))


article_docs = st.builds(
    ArticleDoc,
    title=titles,
    infobox=st.one_of(st.just(Infobox()), infoboxes()),
    lead=block_texts,
    sections=st.lists(sections(), max_size=4),
    see_also=st.lists(titles, max_size=4),
)
