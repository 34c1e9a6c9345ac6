"""The admin's import preview and the article's language: an updated
article's language change is listed with its other changes, a new
article's rendered preview carries its language and direction, and a
MediaWiki dump whose wiki language had to be mapped says so, as the
command does."""

from __future__ import annotations

import re

import pytest

from articles.models import Article
from articles.services import articles_import
from tests.articles.test_admin_import import page_text, preview
from tests.articles.test_import_preview_render import rendered_section
from tests.mediawiki.dumps import HEADER, PAGE

pytestmark = pytest.mark.django_db

ENGLISH = b"= Tajiks in Russia =\n\nAbout Tajiks in Russia.\n"
DARI = "= تاجیک‌ها در روسیه =\n\nLanguage: fa-AF\n\nدربارهٔ تاجیک‌ها.\n".encode()


def wiki_dump(lang: str) -> bytes:
    return (HEADER.format(lang=lang) + PAGE.format(
        title="Afghans in Russia", id=100, text="'''Afghans''' live there.") + "</mediawiki>\n"
    ).encode()


def test_an_updated_articles_language_change_is_listed(admin_client, admin_user):
    articles_import(sources=[("tajiks.txt", ENGLISH)], user=admin_user)
    changed = ENGLISH.replace(b"\n\nAbout", b"\n\nLanguage: fa-AF\n\nAbout")

    text = page_text(preview(admin_client, ("tajiks.txt", changed)))

    assert "Language: en → fa-AF" in text
    assert Article.objects.get().language == "en"  # a preview writes nothing


def test_an_article_whose_language_stays_lists_no_language_change(admin_client, admin_user):
    articles_import(sources=[("tajiks.txt", ENGLISH)], user=admin_user)

    html = preview(admin_client, ("tajiks.txt", ENGLISH + b"\nMore.\n")).content.decode()

    assert 'class="language-changed"' not in html


def test_a_new_articles_rendered_preview_carries_its_language_and_direction(admin_client):
    html = preview(admin_client, ("tajiks.txt", DARI), ("english.txt", ENGLISH)).content.decode()

    dari = rendered_section(html, "tajiks.txt")
    assert re.match(r'<section class="import-rendered" data-file="tajiks.txt" '
                    r'lang="fa-AF" dir="rtl"', dari)
    assert "دربارهٔ تاجیک‌ها." in dari
    # The preview's own note is the interface's words, in its language.
    assert '<p class="help" lang="en" dir="ltr">New article from tajiks.txt' in dari
    assert re.match(r'<section class="import-rendered" data-file="english.txt" '
                    r'lang="en" dir="ltr"', rendered_section(html, "english.txt"))


def test_a_dumps_mapped_wiki_language_is_a_warning_in_the_preview(admin_client):
    response = preview(admin_client, ("simple.xml", wiki_dump("simple")))

    warnings = re.findall(r'<li class="warning">(.*?)</li>', response.content.decode(), re.S)
    assert [" ".join(w.split()) for w in warnings] == [
        "The wiki's language “simple” is not a language code an article holds: "
        "1 page imported as en."
    ]


def test_a_dump_in_a_language_an_article_holds_has_no_warning(admin_client):
    html = preview(admin_client, ("ru.xml", wiki_dump("ru"))).content.decode()

    assert 'id="import-approximated"' not in html
