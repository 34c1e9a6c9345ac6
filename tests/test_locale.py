"""The interface language from the address (encyclopedia.locale): English
unprefixed, Russian, Dari and Pashto under /ru/, /fa-af/ and /ps/; each
address is one page in one language (no Vary on Accept-Language), the
stored page and the fast path stay English, and each page links to itself
in the other languages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from articles.dependencies import article_key, page_keys
from articles.models import Article
from articles.rendered import page_row, reader_page
from encyclopedia import fastpath
from encyclopedia.locale import bcp47, path_in, split_language
from tests.cache_backends import backend  # noqa: F401 - the autouse fixture
from tests.test_cache import admin_save
from tests.test_page_cache_fast import ARTICLE_URL, Recorder, call

pytestmark = pytest.mark.django_db

PREFIXES = {"en": "", "ru": "/ru", "fa-af": "/fa-af", "ps": "/ps"}


def html_tag(body: bytes) -> str:
    return re.search(r"<html[^>]*>", body.decode()).group(0)


def alternates(body: bytes) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', body.decode()))


@pytest.mark.parametrize("language, tag, direction", [
    ("en", "en", "ltr"), ("ru", "ru", "ltr"), ("fa-af", "fa-AF", "rtl"), ("ps", "ps", "rtl"),
])
def test_each_language_is_its_prefix_with_lang_and_dir(seed_fixture, language, tag, direction):
    response = Client().get(PREFIXES[language] + ARTICLE_URL)

    assert response.status_code == 200
    assert html_tag(response.content) == f'<html lang="{tag}" dir="{direction}">'
    assert response["Content-Language"] == tag
    # The address alone says the language: caches need not vary on the browser's.
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_browser_s_language_does_not_choose_the_page(seed_fixture):
    response = Client().get(ARTICLE_URL, HTTP_ACCEPT_LANGUAGE="ru,fa;q=0.8")

    assert response.status_code == 200
    assert html_tag(response.content) == '<html lang="en" dir="ltr">'


def test_every_page_links_to_itself_in_each_language_and_a_default(seed_fixture):
    for url in (ARTICLE_URL, "/", "/people/", "/search/?q=Kabul"):
        body = Client().get("/ps" + url).content

        assert alternates(body) == {
            "en": "http://testserver" + url,
            "ru": "http://testserver/ru" + url,
            "fa-AF": "http://testserver/fa-af" + url,
            "ps": "http://testserver/ps" + url,
            "x-default": "http://testserver" + url,
        }, url


def test_the_switcher_names_each_language_in_itself_and_marks_the_current_one(seed_fixture):
    body = Client().get("/fa-af" + ARTICLE_URL).content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', body, re.S).group(0)

    assert re.findall(r">([^<>]+)</(?:a|span)>", switcher) == ["English", "Русский", "دری", "پښتو"]
    assert '<span aria-current="page" lang="fa-AF" dir="rtl">دری</span>' in switcher
    assert f'<a href="http://testserver/ru{ARTICLE_URL}" hreflang="ru" lang="ru" dir="ltr">Русский</a>' in switcher


def test_an_unknown_prefix_is_a_404_not_a_language(seed_fixture):
    assert Client().get("/de" + ARTICLE_URL).status_code == 404
    assert Client().get("/fa-ir" + ARTICLE_URL).status_code == 404


def test_links_on_a_prefixed_page_stay_in_its_language(seed_fixture):
    body = Client().get("/ru/").content.decode()

    assert f'href="/ru{ARTICLE_URL}"' in body
    assert 'href="/ru/people/"' in body and 'href="/people/"' not in body


def test_the_admin_is_right_to_left_in_pashto_and_dari(admin_client):
    for prefix in ("/ps", "/fa-af"):
        response = admin_client.get(prefix + "/admin/")

        assert response.status_code == 200
        assert 'dir="rtl"' in html_tag(response.content), prefix
    assert 'dir="rtl"' not in html_tag(admin_client.get("/admin/").content)


def test_the_stored_page_stays_english_when_an_editor_saves_in_dari(seed_fixture, admin_client):
    article = Article.objects.get(slug="russians-in-afghanistan")
    admin_save(admin_client, f"/fa-af/admin/articles/article/{article.pk}/change/",
               description="Saved from the Dari admin.")

    page = reader_page(ARTICLE_URL, "http://example.org")

    assert '<html lang="en" dir="ltr">' in page
    assert "Saved from the Dari admin." in page
    assert translation.get_language() == "en"  # the request left nothing active


def test_the_fast_path_answers_english_only(seed_fixture, settings):
    settings.PAGE_CACHE = False
    recorder = Recorder()
    app = fastpath.PageCacheApp(recorder)
    call(app, ARTICLE_URL)  # Django answers the first: the headers are learnt
    call(app, "/ru" + ARTICLE_URL)  # and a Russian page after it
    calls = recorder.calls

    status, headers, body = call(app, "/ru" + ARTICLE_URL)
    assert recorder.calls == calls + 1  # Django built the Russian page
    assert html_tag(body) == '<html lang="ru" dir="ltr">'

    status, headers, body = call(app, ARTICLE_URL)
    assert recorder.calls == calls + 1  # the fast path answered the English one
    assert html_tag(body) == '<html lang="en" dir="ltr">'
    assert dict((k.lower(), v) for k, v in headers)["content-language"] == "en"
    assert reader_page("/ru" + ARTICLE_URL, "http://testserver") is None


def test_a_page_in_any_language_has_the_keys_of_the_english_one(seed_fixture):
    row = page_row("russians-in-afghanistan")

    for prefix in PREFIXES.values():
        assert article_key(row.slug) in page_keys(prefix + ARTICLE_URL)
    assert page_keys("/ru/people/") == page_keys("/people/")


def test_addresses_between_languages():
    assert split_language("/fa-af/wiki/x/") == ("fa-af", "/wiki/x/")
    assert split_language("/ps") == ("ps", "/")
    assert split_language("/wiki/ru/") == ("en", "/wiki/ru/")
    assert path_in("ru", "/ps/search/?q=a") == "/ru/search/?q=a"
    assert path_in("en", "/ps/") == "/"
    assert [bcp47(code) for code in ("fa-af", "EN", "zh-hant-tw", "sr-latn")] == [
        "fa-AF", "en", "zh-Hant-TW", "sr-Latn"]
    with translation.override("ps"):
        assert reverse("article-detail", args=["x"]) == "/ps/wiki/x/"


def test_robots_keep_crawlers_out_of_every_admin():
    body = Client().get("/robots.txt").content.decode()

    for prefix in PREFIXES.values():
        assert f"Disallow: {prefix}/admin/\n" in body


def test_a_translation_is_the_hreflang_alternate_of_its_language_once(admin_client):
    from tests.articles.test_translations import translate
    from tests.factories import ArticleFactory

    english = ArticleFactory(title="Russians in Kabul", slug="russians-in-kabul", status="published")
    russian = ArticleFactory(title="Русские в Кабуле", slug="русские-в-кабуле", language="ru",
                             status="published")
    german = ArticleFactory(title="Russen in Kabul", slug="russen-in-kabul", language="de",
                            status="published")
    translate(admin_client, russian, english)
    translate(admin_client, german, english)

    body = Client().get("/fa-af/wiki/russians-in-kabul/").content.decode()
    links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', body)

    assert links == [
        ("en", "http://testserver/wiki/russians-in-kabul/"),
        # The Russian article in the Russian interface, not this one in it.
        ("ru", "http://testserver/ru/wiki/%D1%80%D1%83%D1%81%D1%81%D0%BA%D0%B8%D0%B5-%D0%B2-"
               "%D0%BA%D0%B0%D0%B1%D1%83%D0%BB%D0%B5/"),
        ("fa-AF", "http://testserver/fa-af/wiki/russians-in-kabul/"),
        ("ps", "http://testserver/ps/wiki/russians-in-kabul/"),
        ("x-default", "http://testserver/wiki/russians-in-kabul/"),
        ("de", "http://testserver/wiki/russen-in-kabul/"),
    ]
    # The switcher stays on this article.
    assert 'href="http://testserver/ru/wiki/russians-in-kabul/" hreflang="ru"' in body


def test_the_population_chart_s_description_groups_counts_as_the_language_does(seed_fixture):
    def description(prefix: str) -> str:
        body = Client().get(prefix + ARTICLE_URL).content.decode()
        return re.search(r'<desc id="population-chart-desc">([^<]*)</desc>', body).group(1)

    assert "1979: 15,000" in description("")
    assert "1979: 15\xa0000" in description("/ru")  # Russian groups with a no-break space


def test_the_admin_index_names_our_apps_in_the_admin_s_language(admin_client):
    body = admin_client.get("/fa-af/admin/").content.decode()

    with translation.override("fa-af"):
        for name in (translation.gettext("Articles"), translation.gettext("Tags"),
                     translation.gettext("People and places")):
            assert f">{name}</a>" in body, name
    assert "مقاله‌ها" in body
