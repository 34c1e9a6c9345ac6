"""Typed infobox values to and from their one-line text form.

Each ``split_*``/``join_*`` pair round-trips: ``join(split(v)) == v`` for a
canonical value, and ``split(join(items)) == items`` for valid items.
"""

from __future__ import annotations

import re

from .document import MAX_POPULATION, Population

# ASCII digits only: other scripts' digits are kept verbatim as a note.
_POPULATION_RE = re.compile(r"^([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?: \((.+)\))?$")


class InfoboxValueError(ValueError):
    """A value that cannot be typed; the parser adds the line number."""


def parse_population(value: str) -> Population:
    """``"1,500 (2009 est.)"`` -> Population(1500, "2009 est.").

    A value that does not start with a number is kept whole as the note.
    """
    match = _POPULATION_RE.match(value)
    if not match:
        return Population(count=None, note=value)
    digits = match.group(1).replace(",", "").lstrip("0") or "0"
    # Check the length first: int() refuses strings of over 4,300 digits.
    if len(digits) > len(str(MAX_POPULATION)) or int(digits) > MAX_POPULATION:
        raise InfoboxValueError(f"population {match.group(1)} is larger than {MAX_POPULATION:,}")
    return Population(count=int(digits), note=match.group(2) or "")


def split_list(value: str) -> list[str]:
    """``"Russian, Pashto, Dari"`` -> ``["Russian", "Pashto", "Dari"]``."""
    items = [item.strip() for item in value.split(",")]
    if not all(items):
        raise InfoboxValueError(f"empty item in the list {value!r}")
    return _unique(items)


def join_list(items: list[str]) -> str:
    return ", ".join(items)


def split_places(value: str) -> list[str]:
    """``"A, B and C"`` -> ``["A", "B", "C"]``; an Oxford comma is accepted.

    Only the last comma-separated part is split on its last " and ", so
    "Kabul, Trinidad and Tobago" is read as two places; a lone
    "Trinidad and Tobago" is read as two as well (the format is ambiguous
    there).
    """
    items = [item.strip() for item in value.split(",")]
    last = items.pop()
    if last.startswith("and ") and items:
        items.append(last[4:].strip())
    elif " and " in last:
        head, tail = last.rsplit(" and ", 1)
        items.extend([head.strip(), tail.strip()])
    else:
        items.append(last)
    if not all(items):
        raise InfoboxValueError(f"empty place in {value!r}")
    return _unique(items)


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    for item in items:
        if item.casefold() in seen:
            raise InfoboxValueError(f"{item!r} is listed twice")
        seen.add(item.casefold())
    return items


def join_places(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def starts_with_count(value: str) -> bool:
    """True when ``value`` would be read as a count, not as free text."""
    return bool(_POPULATION_RE.match(value))
