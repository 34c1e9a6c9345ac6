"""Template filters for the editing tools on the public article page.

What an editor may do is decided in ``articles.editor_tools`` (the views
call it); these filters only turn the ``EditorTools`` they are given into
links, and return their input unchanged for readers (``editor`` is None).
The create links open the admin add form, which
``articles.admin.create_related`` prefills.
"""

from __future__ import annotations

import re
from html import escape, unescape

from django import template

from ..editor_tools import MISSING_LINK_RE, EditorTools

register = template.Library()


@register.filter
def create_url(title: str, editor: EditorTools | None) -> str:
    """``{{ title|create_url:editor }}``: the add form for ``title``, or ""
    (also when ``title`` is a draft: see ``draft_url``)."""
    return editor.create_url(title) if editor else ""


@register.filter
def draft_url(title: str, editor: EditorTools | None) -> str:
    """``{{ title|draft_url:editor }}``: the preview of the draft with
    ``title``, or "" when there is none (or for readers)."""
    return editor.drafts.get(title, "") if editor else ""


@register.filter
def create_links(html: str, editor: EditorTools | None) -> str:
    """Rewrite the missing [[links]] of stored, sanitised HTML (``lead_html``,
    ``body_html``) into create links for an editor who may add articles;
    anything else, and everything for readers, is returned unchanged. The
    result is as safe as the input: the caller still marks it ``|safe``."""
    if not html or editor is None or not (editor.add_url or editor.drafts):
        return html

    def link(match: re.Match) -> str:
        title = unescape(match.group(1))
        if title in editor.drafts:
            return (
                f'<a class="missing draft-link" href="{escape(editor.drafts[title])}"'
                f' title="{escape(title)}: a draft, not published yet">{match.group(2)}</a>'
            )
        if not editor.add_url:
            return match.group(0)
        return (
            f'<a class="missing create-link" href="{escape(editor.create_url(title))}"'
            f' title="{escape(title)}: no article yet; create it">{match.group(2)}</a>'
        )

    return MISSING_LINK_RE.sub(link, str(html))
