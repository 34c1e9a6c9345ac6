"""The editors' notice on a translation's change form that the article it
was translated from changed since (``articles.translations.outdated_source``),
with the link to that change in the source's history.

    {% load translations %}
    {% outdated_translation original as outdated %}
    {{ link.url|in_own_interface:link.code }}
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from encyclopedia.locale import own_interface_path

from ..translations import outdated_source

register = template.Library()


@dataclass(frozen=True)
class OutdatedNotice:
    language: str  # the source's language, named in the interface's
    title: str  # the source's title
    diff_url: str  # its changes since the translation's last edit ("" if unknown)
    change_url: str  # its change form


@register.simple_tag
def outdated_translation(article) -> OutdatedNotice | None:
    """The notice for ``article`` (the change form's ``original``), None when
    there is nothing to tell."""
    outdated = outdated_source(article)
    if outdated is None:
        return None
    source = outdated.source
    diff_url = ""
    if outdated.old_revision and outdated.new_revision and outdated.old_revision != outdated.new_revision:
        diff_url = reverse("admin:articles_article_compare", args=[source.pk]) + "?" + urlencode(
            {"a": outdated.old_revision, "b": outdated.new_revision})
    elif outdated.new_revision:
        # Its history began after the translation's last edit: all of it is new.
        diff_url = reverse("admin:articles_article_history", args=[source.pk])
    return OutdatedNotice(
        language=outdated.language_name, title=source.title, diff_url=diff_url,
        change_url=reverse("admin:articles_article_change", args=[source.pk]),
    )


@register.filter
def in_own_interface(path: str, language: str) -> str:
    """A translation's address in the interface of its own language when
    there is one (the Russian article at /ru/wiki/…: Russian text in a
    Russian interface), else as it is: what its ``hreflang`` alternate
    names, as the sitemap does (articles/sitemaps.py)."""
    return own_interface_path(str(path), str(language))
