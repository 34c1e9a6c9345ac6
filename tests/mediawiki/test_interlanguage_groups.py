"""`manage.py import_mediawiki`: an interlanguage link naming an article
that is here makes the two one translation group (articles.translations.
interlanguage_joined), either way round: the page imported links the
article here, or an article imported before links the page now imported.
A wiki's prefix "fa" is Persian for Iran and Afghanistan alike, so it
finds an article in "fa-AF"."""

from __future__ import annotations

import pytest

from articles.models import Article, TranslationGroup
from articles.translations import matches_prefix
from tests.factories import ArticleFactory
from tests.mediawiki.dumps import dump, run

pytestmark = pytest.mark.django_db


def group_of(title: str) -> int | None:
    return Article.objects.get(title=title).translation_group_id


def test_a_link_to_an_article_here_makes_them_one_group_shown_on_both_pages(tmp_path, client):
    russian = ArticleFactory(title="Русские в Афганистане", slug="русские-в-афганистане",
                             language="ru")
    dari = ArticleFactory(title="روس‌ها در افغانستان", slug="روسها-در-افغانستان",
                          language="fa-AF")
    unrelated = ArticleFactory(title="Русские в Казахстане", slug="русские-в-казахстане",
                               language="ru")

    run(dump(tmp_path, "en", ("Russians in Afghanistan",
                              "'''Russians in Afghanistan''' live in [[Kabul]].\n\n"
                              "[[ru:Русские в Афганистане]]\n[[fa:روس‌ها در افغانستان]]\n"
                              "[[de:Russen in Afghanistan]]")))

    group = group_of("Russians in Afghanistan")
    assert group is not None
    assert group_of(russian.title) == group == group_of(dari.title)
    assert unrelated.translation_group_id is None and group_of("Русские в Казахстане") is None
    assert TranslationGroup.objects.count() == 1

    page = client.get("/wiki/russians-in-afghanistan/").content.decode()
    block = page[page.index('<nav class="languages"'):page.index("</nav>", page.index('<nav class="languages"'))]
    # The translations here first, then the link with no article here.
    assert block.index('lang="fa-AF"') < block.index('lang="ru"') < block.index('lang="de"')
    assert f'<a href="{dari.get_absolute_url()}" lang="fa-AF" hreflang="fa-AF" dir="rtl">' in block
    assert '<bdi lang="de">Russen in Afghanistan</bdi>' in block
    # The stored [[ru:…]] and [[fa:…]] links are not listed again.
    assert block.count("Русские в Афганистане") == 1
    ru_page = client.get(russian.get_absolute_url()).content.decode()
    assert '<a href="/wiki/russians-in-afghanistan/" lang="en" hreflang="en" dir="ltr">' in ru_page


ENGLISH = ("Russians in Afghanistan",
           "'''Russians''' live there.\n\n[[ru:Русские в Афганистане]]")


def test_an_article_written_after_the_import_joins_when_the_dump_is_imported_again(tmp_path):
    run(dump(tmp_path, "en", ENGLISH))
    assert group_of("Russians in Afghanistan") is None  # nothing here by that title yet

    russian = ArticleFactory(title="Русские в Афганистане", slug="русские-в-афганистане",
                             language="ru")
    run(dump(tmp_path, "en", ENGLISH))

    assert group_of("Russians in Afghanistan") is not None
    assert group_of("Russians in Afghanistan") == group_of(russian.title)


def test_a_stored_link_of_another_article_naming_an_imported_one_joins_them(tmp_path):
    # The other way round: the article the link names is the one imported.
    # Through the service: the MediaWiki import gives the articles it makes
    # the wiki-text's language (English), whatever the wiki's.
    from articles.translations import interlanguage_joined

    run(dump(tmp_path, "en", ENGLISH))
    russian = ArticleFactory(title="Русские в Афганистане", slug="русские-в-афганистане",
                             language="ru")

    assert interlanguage_joined([russian.pk]) == 1
    assert group_of("Russians in Afghanistan") == group_of(russian.title) is not None


def test_a_link_to_the_same_title_in_the_articles_own_language_joins_nothing(tmp_path):
    ArticleFactory(title="Afghans in Russia Today")

    run(dump(tmp_path, "en", ("Afghans in Russia", "'''Afghans''' live there.\n\n"
                              "[[en:Afghans in Russia Today]]\n[[simple:Afghans in Russia Today]]")))

    assert group_of("Afghans in Russia") is None
    assert TranslationGroup.objects.count() == 0


@pytest.mark.parametrize("prefix, language, matches", [
    ("ru", "ru", True),
    ("fa", "fa-AF", True),  # the Persian wiki, Dari's article
    ("fa", "fa", True),
    ("FA", "fa-af", True),
    ("zh-min-nan", "zh-min-nan", True),
    ("zh-min-nan", "zh", False),  # a wiki of its own, not Chinese
    ("simple", "en", False),
    ("ps", "fa-AF", False),
])
def test_a_wiki_prefix_matches_an_article_language(prefix, language, matches):
    assert matches_prefix(prefix, language) is matches
