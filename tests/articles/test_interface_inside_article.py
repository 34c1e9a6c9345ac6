"""Inside an article written in another language than the interface's,
the site's own words (the editor's Edit link and draft banner, the typed
infobox labels, the contents', See also's and References' headings) carry
the interface's lang and dir; the article's text, the infobox's values and
an editor's own infobox keys keep the article's."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from articles.models import Article
from articles.services import articles_import
from tests.articles.test_content_language import article_element
from tests.test_translations import compiled  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

DARI = """\
= روسان در افغانستان =

Language: fa-AF

Infobox
- Group: روس‌ها
- Population: 1,500
- زبان محلی: روسی

روس‌ها در کابل زندگی می‌کنند.[^a]

==تاریخ==
در دهه ۱۹۶۰ مشاوران شوروی آمدند.

==فرهنگ==
کلیسا در کابل.

==سیاست==
سفارت در کابل.

==See also==
- Kazakhs in Russia

==References==
- [^a]
  - Title: منبع
""".encode()

ENGLISH = DARI.decode().replace("= روسان در افغانستان =\n\nLanguage: fa-AF\n", "= Kazakhs in Russia =\n").replace(
    "- زبان محلی: روسی", "- Local name: Qazaq").encode()


def imported(text: bytes, **options) -> Article:
    [result] = articles_import(sources=[("article.txt", text)], **options)
    return Article.objects.get(pk=result.article_id)


def start_tag(html: str, pattern: str) -> str:
    """The one opening tag matching ``pattern`` (a regex of its start)."""
    [found] = re.findall(rf"<{pattern}[^>]*>", html)
    return found


def test_the_site_headings_and_typed_labels_are_the_interfaces_inside_a_dari_article():
    article = imported(DARI)

    html = article_element(Client().get(article.get_absolute_url()).content.decode())

    assert html.startswith('<article class="article" lang="fa-AF" dir="rtl">')
    assert start_tag(html, 'h2 id="toc-heading"') == '<h2 id="toc-heading" lang="en" dir="ltr">'
    assert start_tag(html, 'h2 id="see-also"') == '<h2 id="see-also" lang="en" dir="ltr">'
    assert start_tag(html, 'h2 id="references"') == '<h2 id="references" lang="en" dir="ltr">'
    rows = re.findall(r"<tr>\s*<th([^>]*)>(.*?)</th>\s*<td>(.*?)</td>", html, re.S)
    labels = {label: attributes for attributes, label, _ in rows}
    assert labels["Group"] == ' scope="row" lang="en" dir="ltr"'
    assert labels["Population"] == ' scope="row" lang="en" dir="ltr"'
    # An editor's own key is the article's words, as its value is.
    assert labels["زبان محلی"] == ' scope="row"'
    assert [value for _, label, value in rows if label == "Group"] == ["روس‌ها"]
    # The sections' own headings are the article's.
    assert re.search(r'<h2 id="[^"]+">تاریخ ', html)


def test_an_english_article_in_the_dari_interface_marks_its_headings_dari(compiled):  # noqa: F811
    article = imported(ENGLISH)

    html = article_element(Client().get("/fa-af" + article.get_absolute_url()).content.decode())

    assert html.startswith('<article class="article" lang="en" dir="ltr">')
    assert start_tag(html, 'h2 id="see-also"') == '<h2 id="see-also" lang="fa-AF" dir="rtl">'
    # The sections' anchors are named in the interface's words.
    assert 'aria-label="پیوند به بخش «تاریخ»">#</a>' in html
    labels = re.findall(r"<th([^>]*)>", html)
    # Group and Population in Dari; the editor's own "Local name" stays English.
    assert labels == [' scope="row" lang="fa-AF" dir="rtl"'] * 2 + [' scope="row"']


def test_an_english_article_in_the_english_interface_marks_nothing():
    article = imported(ENGLISH)

    html = article_element(Client().get(article.get_absolute_url()).content.decode())

    assert start_tag(html, 'h2 id="see-also"') == '<h2 id="see-also">'
    assert ' lang="' not in html[len('<article class="article" lang="en" dir="ltr">'):]


def test_an_editor_sees_the_edit_link_in_the_interfaces_language_inside_a_dari_article(
    admin_client,
):
    article = imported(DARI)

    html = article_element(admin_client.get(article.get_absolute_url()).content.decode())

    edit = start_tag(html, 'p class="edit-link"')
    assert edit == '<p class="edit-link" lang="en" dir="ltr">'
    assert f'{edit}<a href="/admin/articles/article/{article.pk}/change/">Edit</a></p>' in html


def test_the_draft_banner_is_in_the_interfaces_language_inside_a_dari_article(admin_client):
    article = imported(DARI, status=Article.Status.DRAFT)

    html = article_element(admin_client.get(article.get_absolute_url()).content.decode())

    assert start_tag(html, 'p class="draft-banner"') == (
        '<p class="draft-banner" role="status" lang="en" dir="ltr">')
    assert 'class="edit-link"' not in html
