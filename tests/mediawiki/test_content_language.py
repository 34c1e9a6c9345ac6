"""`manage.py import_mediawiki`: the articles are in the wiki's content
language, which a Special:Export dump names on its root (xml:lang), or in
the one --language gives (a wikitext file has no root). The interlanguage
groups then match real languages: a Russian dump's page and an English
article linking it with [[ru:…]] are one group."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.mediawiki.dump import read_pages
from articles.mediawiki.language import content_language
from articles.models import Article, TranslationGroup
from tests.articles.test_admin_import import IMPORT_URL, confirm, upload
from tests.mediawiki.dumps import dump, run

pytestmark = pytest.mark.django_db

RUSSIAN = ("Русские в Афганистане", "'''Русские в Афганистане''' живут в [[Кабул]]е.")
ENGLISH = ("Russians in Afghanistan",
           "'''Russians in Afghanistan''' live in [[Kabul]].\n\n[[ru:Русские в Афганистане]]")


def export(article: Article) -> str:
    out = StringIO()
    call_command("export_articles", article.slug, stdout=out)
    return out.getvalue()


def test_a_russian_dump_makes_russian_articles_whose_export_names_the_language(tmp_path):
    output = run(dump(tmp_path, "ru", RUSSIAN))

    article = Article.objects.get(title="Русские в Афганистане")
    assert article.language == "ru"
    assert export(article).startswith("= Русские в Афганистане =\n\nLanguage: ru\n\n")
    assert "Русские в Афганистане** живут в" in export(article)
    assert "not a language code" not in output


def test_the_reader_gives_each_page_the_roots_xml_lang(tmp_path):
    pages = list(read_pages(dump(tmp_path, "zh-min-nan", ("Tâi-oân", "'''Tâi-oân'''"),
                                 ("Ji̍t-pún", "'''Ji̍t-pún'''"))))

    assert [(page.title, page.language) for page in pages] == [
        ("Tâi-oân", "zh-min-nan"), ("Ji̍t-pún", "zh-min-nan")]


@pytest.mark.django_db(transaction=True)  # a confirmed import runs in a thread
def test_the_admins_upload_of_a_russian_dump_makes_russian_articles(tmp_path, admin_client):
    data = Path(dump(tmp_path, "ru", RUSSIAN)).read_bytes()
    response = admin_client.post(IMPORT_URL, upload(("ruwiki.xml", data)))
    assert response.status_code == 200

    confirm(admin_client, response.context["token"])

    article = Article.objects.get(title="Русские в Афганистане")
    assert article.language == "ru"
    assert export(article).startswith("= Русские в Афганистане =\n\nLanguage: ru\n\n")


def test_an_english_dump_makes_english_articles_with_no_language_line(tmp_path):
    run(dump(tmp_path, "en", ENGLISH))

    article = Article.objects.get(title="Russians in Afghanistan")
    assert article.language == "en"
    text = export(article)
    assert text.startswith("= Russians in Afghanistan =\n\n**Russians in Afghanistan** live in")
    assert "Language:" not in text


def test_a_wiki_code_in_another_letter_case_is_written_as_bcp_47(tmp_path):
    run(dump(tmp_path, "pt-br", ("Russos no Afeganistão", "'''Russos''' vivem em Cabul.")))

    assert Article.objects.get(title="Russos no Afeganistão").language == "pt-BR"


def test_language_fa_af_makes_a_wikitext_file_dari(tmp_path):
    path = tmp_path / "روس‌ها_در_افغانستان.wiki"
    path.write_text("'''روس‌ها''' در [[کابل]] زندگی می‌کنند.\n", encoding="utf-8")

    run(str(path), "--language", "fa-af")

    article = Article.objects.get(title="روس‌ها در افغانستان")
    assert article.language == "fa-AF"
    assert export(article).startswith("= روس‌ها در افغانستان =\n\nLanguage: fa-AF\n\n")


def test_a_wikitext_file_without_language_is_english(tmp_path):
    path = tmp_path / "Uzbeks_in_Russia.wiki"
    path.write_text("'''Uzbeks''' live in [[Moscow]].\n", encoding="utf-8")

    run(str(path))

    assert Article.objects.get(title="Uzbeks in Russia").language == "en"


def test_language_overrides_the_dumps_own(tmp_path):
    # The Persian wikipedia's page, imported as Dari.
    run(dump(tmp_path, "fa", ("روس‌ها در افغانستان", "'''روس‌ها''' در کابل.")),
        "--language", "fa-AF")

    assert Article.objects.get(title="روس‌ها در افغانستان").language == "fa-AF"


@pytest.mark.parametrize("code", ["xx_YY", "russian", "fa-AF-x", ""])
def test_a_malformed_language_is_a_clear_error_and_nothing_is_imported(tmp_path, code):
    with pytest.raises(CommandError) as error:
        run(dump(tmp_path, "ru", RUSSIAN), "--language", code)

    assert str(error.value) == (
        f"--language {code!r} is not a language code; write it as BCP 47 does: a language of "
        "two or three letters, then optionally a script and a region, joined by hyphens "
        "(ru, ps, fa-AF)"
    )
    assert Article.objects.count() == 0


@pytest.mark.parametrize("wiki, language", [
    ("simple", "en"),  # Simple English
    ("zh-min-nan", "zh"),
    ("be-tarask", "be"),
    ("x-nonsense", "en"),  # not even its first part is a language
])
def test_a_wiki_code_an_article_cannot_hold_is_mapped_and_reported(tmp_path, wiki, language):
    output = run(dump(tmp_path, wiki, ("Afghans in Russia", "'''Afghans''' live there."),
                      ("Uzbeks in Russia", "'''Uzbeks''' live there.")))

    assert set(Article.objects.values_list("language", flat=True)) == {language}
    assert (f"The wiki's language {wiki!r} is not a language code an article holds: 2 pages "
            f"imported as {language!r} (--language chooses another).") in output


def test_a_dump_without_xml_lang_is_english(tmp_path):
    path = Path(dump(tmp_path, "ru", RUSSIAN))
    path.write_text(path.read_text(encoding="utf-8").replace(' xml:lang="ru"', ""),
                    encoding="utf-8")

    output = run(str(path))

    assert Article.objects.get(title="Русские в Афганистане").language == "en"
    assert "not a language code" not in output


def test_a_reimport_from_another_wiki_changes_the_language(tmp_path):
    # Imported first from a dump that said English, then from the Russian
    # wiki's: the dump is right about its own wiki, as a wiki-text file's
    # Language line is.
    run(dump(tmp_path, "en", RUSSIAN, name="first"))
    assert Article.objects.get(title=RUSSIAN[0]).language == "en"

    output = run(dump(tmp_path, "ru", RUSSIAN))

    article = Article.objects.get(title=RUSSIAN[0])
    assert article.language == "ru"
    assert f"update '{RUSSIAN[0]}'" in output
    assert export(article).startswith("= Русские в Афганистане =\n\nLanguage: ru\n\n")


def test_an_english_article_linking_ru_and_the_russian_dump_of_that_page_are_one_group(tmp_path):
    run(dump(tmp_path, "en", ENGLISH))
    assert Article.objects.get(title=ENGLISH[0]).translation_group_id is None

    run(dump(tmp_path, "ru", RUSSIAN))

    english = Article.objects.get(title=ENGLISH[0])
    russian = Article.objects.get(title=RUSSIAN[0])
    assert (english.language, russian.language) == ("en", "ru")
    assert english.translation_group_id is not None
    assert english.translation_group_id == russian.translation_group_id
    assert TranslationGroup.objects.count() == 1


def test_both_pages_in_one_run_are_one_group(tmp_path):
    run(dump(tmp_path, "en", ENGLISH), dump(tmp_path, "ru", RUSSIAN))

    english = Article.objects.get(title=ENGLISH[0])
    russian = Article.objects.get(title=RUSSIAN[0])
    assert english.translation_group_id == russian.translation_group_id is not None


@pytest.mark.parametrize("wiki, expected", [
    ("ru", ("ru", True)),
    ("fa", ("fa", True)),
    ("PS", ("ps", True)),
    ("sr-latn", ("sr-Latn", True)),
    ("simple", ("en", False)),
    ("zh-min-nan", ("zh", False)),
    ("roa-tara", ("roa", False)),  # Tarantino: "tara" is no script
    ("bat-smg", ("bat", False)),
    ("", ("en", True)),
    (None, ("en", True)),
])
def test_content_language_maps_a_wiki_code(wiki, expected):
    assert content_language(wiki) == expected
