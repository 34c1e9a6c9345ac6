"""Wiki-text, the seed article's plain-text format, both ways.

Pure Python with no Django imports, so that it can be tested and reused on its
own. ``parse(text) -> ArticleDoc`` reads any accepted variant; ``dump(doc)``
writes the one canonical form. Sources and citations (``[^key]`` markers and
the References section) are in ``references``. For a canonical text, ``dump(parse(text)) ==
text``.
"""

from .blocks import (
    Block,
    BulletList,
    Paragraph,
    check_block_text,
    check_line,
    normalize_text,
    split_blocks,
    xml_safe,
)
from .document import ArticleDoc, ExtraRow, Infobox, Population, Section
from . import infobox, language, names, references
from .infobox import FIELDS, KNOWN_KEYS, InfoboxField, Kind
from .errors import WikitextError
from .language import DEFAULT_LANGUAGE, LANGUAGE_RE, canonical_language
from .names import name_key, name_problem, normalize_name
from .parser import decode, parse
from .references import (
    CITATION_NEEDED,
    CSL_TYPES,
    REFERENCE_FIELDS,
    REFERENCE_TYPES,
    REFERENCES,
    Marker,
    Reference,
    ReferenceField,
    check_iso_date,
    check_reference_url,
    citation_order,
    find_markers,
    markers_in,
    reference_field,
    reference_key_problem,
    reference_rows,
    strip_markers,
    to_csl,
    unknown_citation_keys,
    verifiability,
)
from .values import join_list, join_places, split_list, split_places, starts_with_count
from .writer import dump, infobox_rows, infobox_rows_with_markers, merge_rows

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGE_RE",
    "canonical_language",
    "CITATION_NEEDED",
    "CSL_TYPES",
    "REFERENCES",
    "REFERENCE_FIELDS",
    "REFERENCE_TYPES",
    "Marker",
    "Reference",
    "ReferenceField",
    "check_iso_date",
    "check_reference_url",
    "citation_order",
    "find_markers",
    "infobox_rows_with_markers",
    "markers_in",
    "reference_field",
    "reference_key_problem",
    "reference_rows",
    "references",
    "strip_markers",
    "to_csl",
    "unknown_citation_keys",
    "verifiability",
    "FIELDS",
    "KNOWN_KEYS",
    "InfoboxField",
    "Kind",
    "infobox",
    "language",
    "ArticleDoc",
    "Block",
    "BulletList",
    "ExtraRow",
    "Infobox",
    "Paragraph",
    "Population",
    "Section",
    "WikitextError",
    "check_block_text",
    "check_line",
    "decode",
    "dump",
    "infobox_rows",
    "join_list",
    "join_places",
    "merge_rows",
    "name_key",
    "name_problem",
    "names",
    "normalize_name",
    "normalize_text",
    "parse",
    "split_blocks",
    "split_list",
    "split_places",
    "starts_with_count",
    "xml_safe",
]
