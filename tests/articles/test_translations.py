"""Translations as one group (articles.translations): set in the admin's
change form ("Translated from"), listed on each article's page under "In
other languages" with hreflang alternates, in the JSON and the sitemap, the
pages of a group refreshed when one of its articles is renamed, and the
editors' notice on a translation whose source changed since."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from reversion.models import Version

from articles.models import Article, TranslationGroup
from articles.translations import translation_joined
from tests.admin_forms import change_form_data
from tests.factories import ArticleFactory
from tests.test_cache import admin_save, cached_page, next_page

pytestmark = pytest.mark.django_db

SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


@pytest.fixture
def english(db) -> Article:
    return ArticleFactory(title="Russians in Afghanistan", slug="russians-in-afghanistan",
                          lead="Russians live in Kabul.")


@pytest.fixture
def russian(db) -> Article:
    return ArticleFactory(title="Русские в Афганистане", slug="русские-в-афганистане",
                          language="ru", lead="Русские живут в Кабуле.")


@pytest.fixture
def dari(db) -> Article:
    return ArticleFactory(title="روس‌ها در افغانستان", slug="روسها-در-افغانستان",
                          language="fa-AF", lead="روس‌ها در کابل زندگی می‌کنند.")


def translate(admin_client, article: Article, source: Article):
    """The editor opens the article's change form, chooses "Translated
    from" and saves."""
    return admin_save(admin_client, change_url(article), translated_from=str(source.pk))


def languages_block(html: str) -> list[str]:
    """The items of "In other languages", as HTML."""
    block = html[html.index('<nav class="languages"'):]
    block = block[: block.index("</nav>")]
    return [item.strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)]


def alternates(html: str) -> dict[str, str]:
    """The page's hreflang alternates: {href: hreflang}."""
    return {unescape(href): lang for lang, href in
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)}


# --- set in the admin, shown on both pages ------------------------------------------


def test_translated_from_set_in_the_admin_puts_both_in_one_group_and_each_page_lists_the_other(
    admin_client, client, english, russian
):
    translate(admin_client, russian, english)

    english.refresh_from_db()
    russian.refresh_from_db()
    assert russian.translated_from_id == english.pk
    assert english.translation_group_id is not None
    assert english.translation_group_id == russian.translation_group_id
    assert TranslationGroup.objects.count() == 1

    en_page = client.get(english.get_absolute_url()).content.decode()
    assert languages_block(en_page)[0] == (
        '<a href="/wiki/%D1%80%D1%83%D1%81%D1%81%D0%BA%D0%B8%D0%B5-%D0%B2-%D0%B0%D1%84%D0%B3%D0%B0'
        '%D0%BD%D0%B8%D1%81%D1%82%D0%B0%D0%BD%D0%B5/" lang="ru" hreflang="ru" dir="ltr">'
        '<span class="language-name">русский</span>: <bdi>Русские в Афганистане</bdi></a>'
    )
    # The Russian article in the Russian interface, as the sitemap names it.
    assert alternates(en_page)["http://testserver/ru" + russian.get_absolute_url()] == "ru"

    ru_page = client.get(russian.get_absolute_url()).content.decode()
    assert languages_block(ru_page) == [
        '<a href="/wiki/russians-in-afghanistan/" lang="en" hreflang="en" dir="ltr">'
        '<span class="language-name">English</span>: <bdi>Russians in Afghanistan</bdi></a>'
    ]
    assert alternates(ru_page)["http://testserver/wiki/russians-in-afghanistan/"] == "en"


def test_a_third_translation_joins_the_group_and_a_dari_one_reads_right_to_left(
    admin_client, client, english, russian, dari
):
    translate(admin_client, russian, english)
    translate(admin_client, dari, english)

    assert Article.objects.filter(translation_group__isnull=False).count() == 3
    assert TranslationGroup.objects.count() == 1
    page = client.get(russian.get_absolute_url()).content.decode()
    items = languages_block(page)
    # By language: en, then fa-AF, the language named in itself.
    assert [re.search(r'lang="([^"]+)"', item).group(1) for item in items] == ["en", "fa-AF"]
    assert 'hreflang="fa-AF" dir="rtl"><span class="language-name">دری</span>' in items[1]
    assert alternates(page)["http://testserver/fa-af" + dari.get_absolute_url()] == "fa-AF"


def test_two_groups_merge_when_one_article_of_each_is_joined(admin_client, english, russian, dari):
    german = ArticleFactory(title="Russen in Afghanistan", language="de")
    translate(admin_client, russian, english)
    translate(admin_client, german, dari)
    assert TranslationGroup.objects.count() == 2

    translate(admin_client, dari, english)

    groups = set(Article.objects.filter(pk__in=[english.pk, russian.pk, dari.pk, german.pk])
                 .values_list("translation_group_id", flat=True))
    assert len(groups) == 1 and None not in groups
    assert TranslationGroup.objects.count() == 1


def test_a_draft_translation_is_not_listed(admin_client, client, english, russian):
    translate(admin_client, russian, english)
    Article.objects.filter(pk=russian.pk).update(status=Article.Status.DRAFT)

    page = client.get(english.get_absolute_url()).content.decode()
    assert '<nav class="languages"' not in page
    assert "Русские в Афганистане" not in page


def test_the_service_refuses_a_translation_of_itself_or_from_its_own_language(english, russian):
    english.translated_from = english
    with pytest.raises(ValidationError, match="cannot be a translation of itself"):
        translation_joined(article=english)

    other = ArticleFactory(title="Русские в Кабуле", slug="русские-в-кабуле", language="ru")
    other.translated_from = russian
    with pytest.raises(ValidationError, match=r"written in the same language \(ru\)"):
        translation_joined(article=other)
    assert TranslationGroup.objects.count() == 0


def test_the_admin_form_says_why_it_refuses_a_translation_from_the_same_language(
    admin_client, russian
):
    other = ArticleFactory(title="Русские в Кабуле", slug="русские-в-кабуле", language="ru")
    response = admin_client.get(change_url(other))
    data = change_form_data(response)
    data["translated_from"] = str(russian.pk)

    response = admin_client.post(change_url(other), data)

    assert response.status_code == 200
    assert "is written in the same language (ru)" in unescape(response.content.decode())
    other.refresh_from_db()
    assert other.translated_from_id is None and other.translation_group_id is None


# --- the JSON and the sitemap ----------------------------------------------------------


def test_the_json_lists_the_translations_in_one_more_query(
    admin_client, client, english, russian, django_assert_num_queries
):
    translate(admin_client, russian, english)

    with django_assert_num_queries(13):  # the twelve of every article's JSON, and the group's
        data = client.get("/api/articles/russians-in-afghanistan/").json()

    assert data["language"] == "en"
    assert data["translations"] == [{
        "language": "ru", "title": "Русские в Афганистане",
        "url": "http://testserver" + russian.get_absolute_url(),
    }]
    assert client.get(russian.get_absolute_url().replace("/wiki/", "/api/articles/")).json()[
        "translations"] == [{"language": "en", "title": "Russians in Afghanistan",
                             "url": "http://testserver/wiki/russians-in-afghanistan/"}]


def test_the_sitemap_lists_interface_languages_and_translations_as_alternates(
    admin_client, client, english, russian, dari, django_assert_num_queries
):
    translate(admin_client, russian, english)
    ArticleFactory(title="Poles in Brazil", slug="poles-in-brazil")

    with django_assert_num_queries(2):  # the articles, then their groups' translations
        response = client.get("/sitemap-articles.xml")
    root = ET.fromstring(response.content)
    entries = {
        url.find("sm:loc", SITEMAP).text: {
            link.get("hreflang"): link.get("href") for link in url.iterfind("x:link", SITEMAP)
        }
        for url in root.iterfind("sm:url", SITEMAP)
    }
    ru_path = "http://testserver" + russian.get_absolute_url()
    # Every article in every interface language.
    assert len(entries) == 4 * 4
    assert entries["http://testserver/wiki/poles-in-brazil/"] == {
        "en": "http://testserver/wiki/poles-in-brazil/",
        "ru": "http://testserver/ru/wiki/poles-in-brazil/",
        "fa-AF": "http://testserver/fa-af/wiki/poles-in-brazil/",
        "ps": "http://testserver/ps/wiki/poles-in-brazil/",
        "x-default": "http://testserver/wiki/poles-in-brazil/",
    }
    # The Russian reader's alternate of the English article is the Russian
    # article, in the Russian interface.
    assert entries["http://testserver/wiki/russians-in-afghanistan/"] == {
        "en": "http://testserver/wiki/russians-in-afghanistan/",
        "ru": ru_path.replace("/wiki/", "/ru/wiki/"),
        "fa-AF": "http://testserver/fa-af/wiki/russians-in-afghanistan/",
        "ps": "http://testserver/ps/wiki/russians-in-afghanistan/",
        "x-default": "http://testserver/wiki/russians-in-afghanistan/",
    }
    assert entries[ru_path]["en"] == "http://testserver/wiki/russians-in-afghanistan/"
    # The Dari article is in no group: its own addresses only.
    dari_path = "http://testserver" + dari.get_absolute_url()
    assert entries[dari_path]["fa-AF"] == dari_path.replace("/wiki/", "/fa-af/wiki/")


def test_a_translation_in_a_language_with_no_interface_is_its_own_alternate(
    admin_client, client, english
):
    german = ArticleFactory(title="Russen in Afghanistan", slug="russen-in-afghanistan",
                            language="de")
    translate(admin_client, german, english)

    root = ET.fromstring(client.get("/sitemap-articles.xml").content)
    [entry] = [url for url in root.iterfind("sm:url", SITEMAP)
               if url.find("sm:loc", SITEMAP).text == "http://testserver/ru/wiki/russians-in-afghanistan/"]
    links = {link.get("hreflang"): link.get("href") for link in entry.iterfind("x:link", SITEMAP)}
    assert links["de"] == "http://testserver/wiki/russen-in-afghanistan/"
    assert links["ru"] == "http://testserver/ru/wiki/russians-in-afghanistan/"


# --- the group's pages follow a rename ----------------------------------------------------


def test_renaming_an_article_refreshes_its_translations_pages_and_no_other(
    admin_client, client, english, russian, django_assert_num_queries
):
    from tests.test_dependencies import still_cached

    translate(admin_client, russian, english)
    unrelated = ArticleFactory(title="Poles in Brazil", slug="poles-in-brazil")
    before = cached_page(client, russian.get_absolute_url(), django_assert_num_queries)
    assert "<bdi>Russians in Afghanistan</bdi>" in before
    cached_page(client, unrelated.get_absolute_url(), django_assert_num_queries)

    admin_save(admin_client, change_url(english), title="Russians in the Afghan Republic",
               slug="russians-in-the-afghan-republic")

    after = next_page(client, russian.get_absolute_url())
    assert '<a href="/wiki/russians-in-the-afghan-republic/" lang="en"' in after
    assert "<bdi>Russians in the Afghan Republic</bdi>" in after
    assert "http://testserver/wiki/russians-in-the-afghan-republic/" in alternates(after)
    still_cached(client, unrelated.get_absolute_url())


def test_joining_a_group_refreshes_the_pages_of_the_articles_already_in_it(
    admin_client, client, english, russian, dari, django_assert_num_queries
):
    translate(admin_client, russian, english)
    cached_page(client, russian.get_absolute_url(), django_assert_num_queries)

    translate(admin_client, dari, english)

    # The Russian page was not saved, but it now lists the Dari article.
    assert "روس‌ها در افغانستان" in next_page(client, russian.get_absolute_url())


# --- the editors' notice that the source changed ------------------------------------------


NOTICE = "The English version has changed since this translation."


def test_the_notice_shows_once_the_source_is_edited_after_the_translation_with_its_diff(
    admin_client, english, russian
):
    admin_save(admin_client, change_url(english), lead="Russians live in Kabul.\n\nAnd Herat.")
    translate(admin_client, russian, english)

    form = admin_client.get(change_url(russian)).content.decode()
    assert NOTICE not in form

    admin_save(admin_client, change_url(english), lead="Russians live in Kabul and Mazar.")

    form = unescape(admin_client.get(change_url(russian)).content.decode())
    assert NOTICE in form
    versions = [v.revision_id for v in Version.objects.get_for_object(english)]
    newest, before = versions[0], versions[1]
    diff = f"/admin/articles/article/{english.pk}/history/compare/?a={before}&b={newest}"
    assert f'<a href="{diff}">See the changes to <bdi>Russians in Afghanistan</bdi></a>' in form

    response = admin_client.get(diff)
    assert response.status_code == 200
    changes = response.content.decode()
    changes = changes[changes.index('<table class="revision-diff">'):]
    assert "Mazar" in changes and "Herat" in changes  # what came, what went

    # Once the translation is brought up to date, the notice goes.
    admin_save(admin_client, change_url(russian), lead="Русские живут в Кабуле и Мазари.")
    assert NOTICE not in admin_client.get(change_url(russian)).content.decode()


def test_the_notice_names_the_source_language_in_the_interface_language(
    admin_client, english, russian
):
    translate(admin_client, russian, english)
    admin_save(admin_client, change_url(english), lead="Russians live in Kabul and Mazar.")

    form = admin_client.get(f"/ru/admin/articles/article/{russian.pk}/change/").content.decode()

    # Babel's name of English in Russian, inside the (translated) sentence.
    assert "английский" in form
    assert "/ru/admin/articles/article/" in form


# --- the page's queries ----------------------------------------------------------------


def test_the_page_of_a_translation_is_built_in_one_query_more_than_any_other(
    admin_client, client, monkeypatch, settings, english, russian, django_assert_num_queries
):
    from articles import rendered

    settings.PAGE_CACHE = False  # the stored page itself, not the page cache in front
    translate(admin_client, russian, english)
    alone = ArticleFactory(title="Kazakhs in Russia", lead="Text.")
    for article in (english, alone):
        client.get(article.get_absolute_url())
    monkeypatch.setattr(rendered, "render_version", lambda: "another-version")

    # A page built again (tests/articles/test_rendered.py counts 15 for one
    # with a group name, whose related communities are one query more).
    with django_assert_num_queries(14):
        client.get(alone.get_absolute_url())
    # And the group's other published articles.
    with django_assert_num_queries(15):
        page = client.get(english.get_absolute_url()).content.decode()
    assert "<bdi>Русские в Афганистане</bdi>" in page


def test_a_hostile_title_is_text_in_the_list_the_alternates_and_the_notice(admin_client, client):
    hostile = '<script>alert("x")</script> in "X"'
    source = ArticleFactory(title=hostile, slug="script-in-x", lead="Text.")
    german = ArticleFactory(title="Deutsche in X", slug="deutsche-in-x", language="de")
    translate(admin_client, german, source)
    admin_save(admin_client, change_url(source), lead="Text, edited.")

    page = client.get(german.get_absolute_url()).content.decode()
    form = admin_client.get(change_url(german)).content.decode()

    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; in &quot;X&quot;"
    assert f"<bdi>{escaped}</bdi></a></li>" in page
    assert f"See the changes to <bdi>{escaped}</bdi>" in form
    for html in (page, form):
        assert '<script>alert("x")' not in html


def test_deleting_a_translation_in_the_admin_takes_it_off_the_others_pages(
    admin_client, client, english, russian, django_assert_num_queries
):
    translate(admin_client, russian, english)
    assert "Русские в Афганистане" in cached_page(client, english.get_absolute_url(),
                                                  django_assert_num_queries)

    response = admin_client.post(f"/admin/articles/article/{russian.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    page = next_page(client, english.get_absolute_url())
    assert "Русские в Афганистане" not in page and '<nav class="languages"' not in page
