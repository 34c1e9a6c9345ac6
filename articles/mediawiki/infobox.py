"""``{{Infobox ethnic group}}`` as our :class:`~articles.wikitext.Infobox`.

The typed fields come from ``wikitext.infobox.field_for_parameter`` (one
declaration of which MediaWiki parameter is which field); what is special
to MediaWiki is here: ``total`` and its year, source and reference, and the
numbered ``region1``/``pop1``/``ref1`` rows. Every other parameter with a
value becomes an extra row, in template order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import mwparserfromhell.nodes

from articles.wikitext import infobox as fields
from articles.wikitext.document import MAX_LINE_LENGTH, ExtraRow, Infobox
from articles.wikitext.infobox import FIELDS, InfoboxField, Kind
from articles.wikitext.names import name_key, name_problem
from articles.wikitext.references import MARKER_START, Marker
from articles.wikitext.values import InfoboxValueError, Population, parse_population, split_places
from articles.wikitext.writer import merge_rows

from .text import clean_name, clean_plain, shorten, template_name

# The template and its redirects, compared case-insensitively.
NAMES = frozenset({
    "infobox ethnic group", "infobox ethnic groups", "infobox ethnicity", "infobox ethnic",
    "infobox people", "infobox ethnic group/sandbox",
})
# Pictures are files, which are dropped: their parameters go with them.
_IMAGE_PARAMETERS = frozenset({
    "image", "image_caption", "caption", "image_size", "imagesize", "image_alt", "alt",
    "upright", "flag", "flag_caption", "flag_size", "image_flag", "image_upright",
    "map", "map_caption", "map_size", "logo",
})
_REGION_RE = re.compile(r"(region|pop|ref)([0-9]{1,3})")
_POPULATION_NOTES = ("total_year", "total_source")

# A parameter's value rendered as plain-text items and the markers of its refs.
Render = Callable[[mwparserfromhell.wikicode.Wikicode], tuple[list[str], tuple[Marker, ...]]]


def is_infobox(name: str) -> bool:
    return template_name(name).casefold() in NAMES


def build_infobox(
    template: mwparserfromhell.nodes.Template, render: Render, dropped: Counter[str]
) -> Infobox:
    """The template's parameters as an Infobox whose rows our parser reads
    back as they are (values it would refuse are dropped and counted)."""
    builder = _Builder(render, dropped)
    for param in template.params:
        builder.add(param)
    return builder.infobox()


class _Builder:
    def __init__(self, render: Render, dropped: Counter[str]) -> None:
        self.render = render
        self.dropped = dropped
        # Template order: ("typed", field) or ("extra", ExtraRow) or ("region", n).
        self.plan: list[tuple[str, object]] = []
        self.typed: dict[str, tuple[list[str], tuple[Marker, ...]]] = {}
        self.notes: dict[str, tuple[list[str], tuple[Marker, ...]]] = {}
        self.regions: dict[int, dict[str, tuple[list[str], tuple[Marker, ...]]]] = {}

    def add(self, param: mwparserfromhell.nodes.extras.Parameter) -> None:
        if not param.showkey:
            self.dropped["infobox parameter without a name"] += 1
            return
        name = clean_plain(str(param.name))
        key = name.casefold().replace(" ", "_")
        items, markers = self.render(param.value)
        items = [item for item in (clean_plain(i) for i in items) if item]
        if not items and not markers:
            return
        if key.startswith("on"):  # onclick=: an event handler, never data
            self.dropped["unsafe parameter"] += 1
            return
        if key in _IMAGE_PARAMETERS:
            self.dropped["infobox image"] += 1
            return
        region = _REGION_RE.fullmatch(key)
        if region:
            number = int(region.group(2))
            if number not in self.regions:
                self.regions[number] = {}
                self.plan.append(("region", number))
            self.regions[number].setdefault(region.group(1), (items, markers))
            return
        if key in (*_POPULATION_NOTES, "total_ref"):
            self.notes.setdefault(key, (items, markers))
            return
        field = fields.field_for_parameter(key) or (fields.POPULATION if key == "total" else None)
        if field is not None:
            if field.attr in self.typed:
                self.dropped[f"infobox duplicate {key}"] += 1
                return
            self.typed[field.attr] = (items, markers)
            self.plan.append(("typed", field))
            return
        row_key = name.replace("_", " ").strip()
        row_key = row_key[:1].upper() + row_key[1:]
        self._extra(row_key, items, markers)

    def _extra(self, key: str, items: list[str], markers: tuple[Marker, ...]) -> None:
        if not _usable_key(key):
            self.dropped["infobox parameter"] += 1
            return
        value = clean_plain(", ".join(items))
        if not value:
            self.dropped["infobox citation without a value"] += 1
            return
        if len(value) > MAX_LINE_LENGTH:
            self.dropped["shortened infobox value"] += 1
            value = shorten(value, MAX_LINE_LENGTH)
        self.plan.append(("extra", ExtraRow(key, value, 0, _unique(markers))))

    # --- the typed values -------------------------------------------------------

    def infobox(self) -> Infobox:
        box = Infobox()
        region_rows: dict[int, list[ExtraRow]] = {}
        region_places: list[str] = []
        for number in sorted(self.regions):
            place, rows = self._region(number)
            if place:
                region_places.append(place)
            region_rows[number] = rows
        for field in FIELDS:
            items, markers = self.typed.get(field.attr, ([], ()))
            if field.kind is Kind.PLACES:
                items = [*items, *region_places]
            if field.kind is Kind.POPULATION:
                value, markers = self._population(items, markers)
            else:
                value = self._typed(field, items)
            if value is None:
                if markers:
                    self.dropped["infobox citation without a value"] += 1
                continue
            setattr(box, field.attr, value)
            if markers:
                box.citations[field.key] = _unique(markers)
        # Extra rows in template order; each after the typed rows written
        # before it (typed rows themselves go in our canonical order).
        position = 0
        for kind, what in self.plan:
            if kind == "typed":
                if fields_set(box, what):  # type: ignore[arg-type]
                    position += 1
                continue
            rows = region_rows.get(what, []) if kind == "region" else [what]  # type: ignore[arg-type]
            for row in rows:
                box.extras.append(replace(row, position=position))  # type: ignore[arg-type]
                position += 1
        return _exact_positions(box)

    def _region(self, number: int) -> tuple[str, list[ExtraRow]]:
        parts = self.regions[number]
        name_items, _ = parts.get("region", ([], ()))
        place = clean_name(" ".join(name_items))
        if place and (name_problem(place) or len(place) > MAX_LINE_LENGTH):
            self.dropped["infobox region"] += 1
            place = ""
        pop_items, pop_markers = parts.get("pop", ([], ()))
        _, ref_markers = parts.get("ref", ([], ()))
        count = clean_plain(" ".join(pop_items))
        if not count:
            return place, []
        if not place:
            self.dropped["infobox region"] += 1
            return "", []
        key = place if _usable_key(place) else f"Population in {place}"
        if not _usable_key(key):
            self.dropped["infobox region"] += 1
            return place, []
        if len(count) > MAX_LINE_LENGTH:
            self.dropped["shortened infobox value"] += 1
            count = shorten(count, MAX_LINE_LENGTH)
        return place, [ExtraRow(key, count, 0, _unique((*pop_markers, *ref_markers)))]

    def _population(
        self, items: list[str], markers: tuple[Marker, ...]
    ) -> tuple[Population | None, tuple[Marker, ...]]:
        text = clean_plain(" ".join(items))
        notes = []
        for name in _POPULATION_NOTES:
            note_items, note_markers = self.notes.get(name, ([], ()))
            markers = (*markers, *note_markers)
            note = clean_plain(" ".join(note_items))
            if note:
                notes.append(note)
        markers = (*markers, *self.notes.get("total_ref", ([], ()))[1])
        if not text:
            return None, markers
        try:
            population = parse_population(text)
        except InfoboxValueError:
            self.dropped["infobox population"] += 1
            return None, markers
        if notes:
            if population.count is not None:
                note = "; ".join(n for n in (population.note, ", ".join(notes)) if n)
                population = Population(population.count, note)
            else:
                population = Population(None, f"{text} ({', '.join(notes)})")
        if len(str(population)) > MAX_LINE_LENGTH:
            self.dropped["infobox population"] += 1
            return None, markers
        try:
            if fields.POPULATION.read(str(population)) != population:
                raise InfoboxValueError("does not read back")
        except InfoboxValueError:
            self.dropped["infobox population"] += 1
            return None, markers
        return population, markers

    def _typed(self, field: InfoboxField, items: list[str]):
        if not items:
            return None
        if field.kind is Kind.TEXT:
            value = clean_plain(", ".join(items))
            if len(value) > MAX_LINE_LENGTH:
                self.dropped["shortened infobox value"] += 1
                value = shorten(value, MAX_LINE_LENGTH)
            return value or None
        names = self._names(field, items)
        while names and len(field.write(names)) > MAX_LINE_LENGTH:
            names.pop()
            self.dropped["infobox list item"] += 1
        if not names:
            return None
        try:
            if field.read(field.write(names)) == names:
                return names
        except InfoboxValueError:
            pass
        self.dropped[f"infobox {field.key.casefold()}"] += 1
        return None

    def _names(self, field: InfoboxField, items: list[str]) -> list[str]:
        parts: list[str] = []
        for item in items:
            pieces = item.split(",")
            if field.kind is Kind.PLACES and len(items) == 1:
                try:  # a written list of places: "Balkh Province and Kabul"
                    pieces = split_places(item)
                except InfoboxValueError:
                    pass
            parts.extend(pieces)
        names: list[str] = []
        seen: set[str] = set()
        for part in parts:
            # Double quotes are the syntax of a list of places, never a name's.
            name = clean_name(part.replace('"', ""))
            if field.kind is Kind.TITLES:
                name = name.strip("=").strip()
            if not name or name_problem(name):
                if name:
                    self.dropped["infobox list item"] += 1
                continue
            if name_key(name) not in seen:
                seen.add(name_key(name))
                names.append(name)
        return names


def fields_set(box: Infobox, field: InfoboxField) -> bool:
    return field.is_set(getattr(box, field.attr))


def _usable_key(key: str) -> bool:
    """A key our parser reads back as this extra row's: one line, no ":",
    not a typed field's key, no marker."""
    return (
        bool(key)
        and ":" not in key
        and MARKER_START not in key
        and len(key) <= MAX_LINE_LENGTH
        and fields.field_for_key(key) is None
        and key == key.strip()
        and not name_problem(key)
    )


def _unique(markers: tuple[Marker, ...] | list[Marker]) -> tuple[Marker, ...]:
    return tuple(dict.fromkeys(markers))


def _exact_positions(box: Infobox) -> Infobox:
    """Each extra row's position made its index among all rows, as the
    parser records it."""
    typed = [None for f in FIELDS if fields_set(box, f)]
    rows = merge_rows(typed, [(row.position, row) for row in box.extras])
    box.extras = [
        replace(row, position=index) for index, row in enumerate(rows) if row is not None
    ]
    return box
