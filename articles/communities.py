"""The "X in Y" rule: an article title names a community, a group living in
a country ("Russians in Afghanistan"). Pure: no Django, no models, so the
import pipeline, the read side and the admin share one rule.

A place is anything with ``name`` and ``demonym`` (``people.models.Place``
in the app, a plain object in a test).
"""

from __future__ import annotations

from typing import Protocol

SEPARATOR = " in "


class Named(Protocol):
    name: str


class Peopled(Protocol):
    demonym: str


def community_from_title(title: str) -> tuple[str, str] | None:
    """("Russians", "Afghanistan") from "Russians in Afghanistan"."""
    group, sep, country = title.partition(SEPARATOR)
    if not sep or not group.strip() or not country.strip():
        return None
    country = country.strip()
    return group.strip(), country.removeprefix("the ")


def reverse_community_title(*, host: Peopled | None, origin: Named | None) -> str:
    """The community the other way round: "Afghans in Russia" for a community
    living in Afghanistan (``host``, whose people are Afghans) that came from
    Russia (``origin``); "" when either place is unknown or the host has no
    demonym."""
    if host is None or origin is None or not host.demonym:
        return ""
    return f"{host.demonym}{SEPARATOR}{origin.name}"
