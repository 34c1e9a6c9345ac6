"""Typed infobox values to and from their one-line text form.

Each ``split_*``/``join_*`` pair round-trips: ``join(split(v)) == v`` for a
canonical value, and ``split(join(items)) == items`` for valid items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import name_key

MAX_POPULATION = 10**12


@dataclass(frozen=True)
class Population:
    """A head count with an optional note: ``1,500 (2009 est.)``.

    ``count`` is None when the value is not a number (``about 2,000``); the
    whole value is then kept verbatim in ``note``.
    """

    count: int | None
    note: str = ""

    def __str__(self) -> str:
        if self.count is None:
            return self.note
        number = f"{self.count:,}"
        return f"{number} ({self.note})" if self.note else number


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

    Places are separated by commas, the last two by " and " or ", and ". A
    place whose own name holds " and " is written in double quotes, which
    are not part of the name: ``"Trinidad and Tobago"`` is one place, and
    ``Kabul and "Trinidad and Tobago"`` two. Unquoted, only the last
    comma-separated part is split, on its last " and ", so hand-written
    "Kabul, Trinidad and Tobago" is read as three places.
    """
    items = [item.strip() for item in value.split(",")]
    last = items.pop()
    if last.startswith("and ") and items:
        items.append(last[4:].strip())
    else:
        items.extend(_split_on_and(last))
    if not all(items):
        raise InfoboxValueError(f"empty place in {value!r}")
    return _unique([_unquote(item) for item in items])


def _split_on_and(part: str) -> list[str]:
    """The last comma part: one place, or two joined by " and ", either of
    them possibly quoted."""
    if part.startswith('"'):
        # The quoted place ends at the first '"' that ends the part or is
        # followed by " and ".
        for end in range(1, len(part)):
            if part[end] == '"' and (end == len(part) - 1 or part.startswith(" and ", end + 1)):
                rest = part[end + 1 :]
                return [part[: end + 1], *([rest[5:].strip()] if rest else [])]
        raise InfoboxValueError(f"the quoted place {part!r} has no closing '\"'")
    if ' and "' in part:
        if not part.endswith('"'):
            raise InfoboxValueError(f"the quoted place in {part!r} has no closing '\"'")
        head, tail = part.split(' and "', 1)
        return [head.strip(), '"' + tail]
    if " and " in part:
        head, tail = part.rsplit(" and ", 1)
        return [head.strip(), tail.strip()]
    return [part]


def _unquote(item: str) -> str:
    if item.startswith('"'):
        if len(item) < 2 or not item.endswith('"'):
            raise InfoboxValueError(f"the quoted place {item!r} has no closing '\"'")
        return item[1:-1].strip()
    return item


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    for item in items:
        if name_key(item) in seen:
            raise InfoboxValueError(f"{item!r} is listed twice")
        seen.add(name_key(item))
    return items


def quote_place(name: str) -> str:
    """A place as Popplace writes it: quoted when it would not read back as
    itself unquoted."""
    if " and " in name or name.startswith(("and ", '"')) or name.endswith(" and"):
        return f'"{name}"'
    return name


def join_places(items: list[str]) -> str:
    quoted = [quote_place(item) for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def starts_with_count(value: str) -> bool:
    """True when ``value`` would be read as a count, not as free text."""
    return bool(_POPULATION_RE.match(value))
