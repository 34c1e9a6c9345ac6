"""The interface's translations (locale/<language>/LC_MESSAGES/django.po):
every string our code marks is in each catalogue, translated and not
fuzzy; the pages in /ru/, /fa-af/ and /ps/ show them; counts and dates
follow the interface language (articles/templatetags/locale_format.py)
while English keeps the bytes it always had."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed
from django.utils import translation

from articles.templatetags.locale_format import (
    as_int,
    infobox_label,
    infobox_value,
    local_datetime,
    local_number,
    local_population,
)
from articles.wikitext import FIELDS
from tests.html import visible_text

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
# Django's locale names: fa_AF is Dari (the address /fa-af/), ps Pashto.
CATALOGUES = {"ru": 3, "fa_AF": 2, "ps": 2}  # and the plural forms each has
# What `make messages`' makemessages leaves out, as the README's command does.
IGNORED = [".venv", "staticfiles", "bench", "tests", "test-artifacts", "var"]
SEED = "/wiki/russians-in-afghanistan/"


def catalogue(language: str, root: Path = LOCALE):
    with open(root / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po)


def ids(catalog) -> set[tuple[str | None, str]]:
    """(context, msgid) of each live entry; a plural entry by its singular."""
    return {
        (m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog if m.id
    }


def described(entries) -> str:
    return "; ".join(f"{msgid!r}" + (f" (context {context!r})" if context else "")
                     for context, msgid in sorted(entries, key=str))


# --- The catalogues ---------------------------------------------------------

@pytest.mark.parametrize("language, plurals", CATALOGUES.items())
def test_every_entry_of_the_catalogue_is_translated_and_not_fuzzy(language, plurals):
    catalog = catalogue(language)
    assert catalog.num_plurals == plurals, f"{language}: Plural-Forms {catalog.plural_forms}"
    assert not catalog.fuzzy, f"{language}: the header is marked fuzzy"
    untranslated, fuzzy, wrong_forms = [], [], []
    for message in catalog:
        if not message.id:
            continue
        key = (message.context, message.id[0] if message.pluralizable else message.id)
        strings = message.string if message.pluralizable else (message.string,)
        if not all(s.strip() for s in strings):
            untranslated.append(key)
        if message.fuzzy:
            fuzzy.append(key)
        if message.pluralizable and len(strings) != plurals:
            wrong_forms.append(key)
    assert not untranslated, f"{language}: untranslated: {described(untranslated)}"
    assert not fuzzy, f"{language}: fuzzy: {described(fuzzy)}"
    assert not wrong_forms, f"{language}: not {plurals} plural forms: {described(wrong_forms)}"
    assert len(catalog) > 200  # the interface, not an empty file


@pytest.mark.parametrize("language", CATALOGUES)
def test_a_translation_keeps_the_placeholders_of_its_msgid(language):
    """A translation that drops or renames %(name)s or {name} would raise
    KeyError on the page, or show the wrong value."""
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    broken = []
    for message in catalogue(language):
        if not message.id:
            continue
        msgids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        wanted = set(placeholder.findall(msgids[-1])) | set(placeholder.findall(msgids[0]))
        for string in strings:
            found = set(placeholder.findall(string))
            # A singular form may leave the count out ("одна статья"); no
            # form may bring a name the msgid has not.
            if not found <= wanted or not (wanted - {"%(counter)s", "%(count)d", "%(number)s"}) <= found:
                broken.append((message.context, msgids[0]))
    assert not broken, f"{language}: placeholders differ: {described(broken)}"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The locale directory makemessages writes now, from a copy of the
    code (the repository's own files stay as they are): what the
    catalogues must hold."""
    copy = tmp_path_factory.mktemp("source") / "site"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", *IGNORED, "*.mo", "__pycache__", "*.sqlite3", "node_modules",
    ))
    languages = [arg for language in CATALOGUES for arg in ("-l", language)]
    ignores = [f"--ignore={name}" for name in IGNORED]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *languages, *ignores, "--no-location",
         "--verbosity=0"],
        cwd=copy, check=True, env={**os.environ, "DJANGO_DEBUG": "1"}, timeout=600,
        capture_output=True,
    )
    return copy / "locale"


@pytest.mark.parametrize("language", CATALOGUES)
def test_the_catalogue_holds_every_string_the_code_marks_now(language, extracted):
    marked = ids(catalogue(language, extracted))
    held = ids(catalogue(language))
    missing, stale = marked - held, held - marked
    assert not missing, (
        f"{language}: marked in the code but not in locale/{language}: {described(missing)}; "
        "run makemessages (README) and translate them"
    )
    assert not stale, f"{language}: in the catalogue but marked nowhere: {described(stale)}"
    assert ("infobox label", "Population") in marked  # the extraction found our strings


# --- The pages --------------------------------------------------------------

@pytest.fixture
def compiled():
    """The .mo files `make messages` builds from the .po files (a test run
    outside make compiles them when one is missing or older)."""
    stale = [
        language for language in CATALOGUES
        if not (mo := LOCALE / language / "LC_MESSAGES" / "django.mo").exists()
        or mo.stat().st_mtime < (LOCALE / language / "LC_MESSAGES" / "django.po").stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", locale=stale, verbosity=0)
        # Django keeps the catalogues it loaded: forget them.
        setting_changed.send(sender=None, setting="LOCALE_PATHS",
                             value=settings.LOCALE_PATHS, enter=False)


FOOTER = {
    "/": "Articles A–Z",
    "/ru/": "Статьи от А до Я",
    "/fa-af/": "مقاله‌ها از الف تا ی",
    "/ps/": "مقالې له الف نه تر ی",
}


@pytest.mark.django_db
@pytest.mark.parametrize("path, label", FOOTER.items())
def test_the_footer_of_the_home_page_is_in_the_interface_language(client, compiled, seed_fixture,
                                                                     path, label):
    html = client.get(path).content.decode()
    footer = html[html.index('<footer class="site-footer">'):]
    assert f'<a href="{path}articles/">{label}</a>' in footer
    if path != "/":
        assert "Articles A–Z" not in html


@pytest.mark.django_db
def test_the_dari_article_page_is_right_to_left_with_its_labels_translated(client, compiled,
                                                                          seed_fixture):
    html = client.get("/fa-af" + SEED).content.decode()
    text = visible_text(html)

    assert '<html lang="fa-AF" dir="rtl">' in html
    assert '<th scope="row" lang="fa-AF" dir="rtl">نفوس</th>' in html  # Population
    assert '<th scope="row" lang="fa-AF" dir="rtl">زبان‌ها</th>' in html  # Languages
    assert '<h2 id="mentions-heading">اشخاص و مکان‌ها در این مقاله</h2>' in html
    assert '<h2 id="see-also" lang="fa-AF" dir="rtl">همچنین ببینید</h2>' in html  # See also
    assert "معلومات صفحه" in text  # Page information
    # The article's own text stays as it was written.
    assert "There are currently estimated to be 1,500 Russians in Afghanistan" in text
    for english in ("Population", "People and places in this article", "See also", "Page information", "Last edited"):
        assert f">{english}<" not in html


@pytest.mark.django_db
def test_the_russian_article_page_groups_the_population_and_writes_the_date_in_russian(
    client, compiled, seed_fixture
):
    html = client.get("/ru" + SEED).content.decode()
    assert '<html lang="ru" dir="ltr">' in html
    assert '<th scope="row" lang="ru" dir="ltr">Численность</th>' in html
    # Babel's Russian groups with a no-break space (and writes "г." after a narrow
    # one); the note is the editor's.
    assert "<td>1\u00a0500 (2009 est.)</td>" in html
    edited = seed_fixture.updated.astimezone(datetime.timezone.utc)
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]
    day = f"{edited.day} {months[edited.month - 1]} {edited.year}\u202fг., {edited:%H:%M} UTC"
    assert f">{day}</time>" in html


@pytest.mark.django_db
def test_counts_take_the_plural_form_of_the_language(client, compiled, seed_fixture):
    ru = visible_text(client.get("/ru/places/").content.decode())
    assert "Kabul в Afghanistan (1 статья)" in ru
    assert "Ghor Province в Afghanistan (0 статей)" in ru
    ps = visible_text(client.get("/ps/people/").content.decode())
    assert "Noor Mohammad (1 مقاله)" in ps
    en = visible_text(client.get("/places/").content.decode())
    assert "Kabul in Afghanistan (1 article)" in en
    assert "Ghor Province in Afghanistan (0 articles)" in en


@pytest.mark.django_db
def test_the_pashto_search_page_is_translated_with_the_query_isolated(client, compiled,
                                                                     seed_fixture):
    html = client.get("/ps/search/", {"q": "Kabul"}).content.decode()
    assert '<html lang="ps" dir="rtl">' in html
    assert "<h1>د «<bdi>Kabul</bdi>» د لټون پایلې</h1>" in html
    assert "1 مقاله وموندل شوه." in visible_text(html)


@pytest.mark.django_db
def test_a_missing_page_says_so_in_the_interface_language(client, compiled, seed_fixture):
    response = client.get("/fa-af/no-such-page/")
    assert response.status_code == 404
    assert "<h1>صفحه پیدا نشد</h1>" in response.content.decode()


# --- Numbers, dates and labels ---------------------------------------------

@pytest.mark.parametrize("language, expected", [
    ("en", "1,500"), ("ru", "1\u00a0500"), ("fa-af", "1,500"), ("ps", "1.500"),
])
def test_a_count_is_grouped_as_the_interface_language_groups_it(language, expected):
    with translation.override(language):
        assert local_number(1500) == expected
        assert local_number("1,500") == expected  # as a view formatted it
        assert local_number("many") == "many"


def test_a_population_keeps_its_note_and_the_year_in_it():
    with translation.override("ru"):
        assert local_population("15,000 (by 1979, est.)") == "15\u00a0000 (by 1979, est.)"
        assert local_population("950") == "950"
        assert local_population("12,000") == "12\u00a0000"
        # A population with a note only is the note: the writer groups every
        # count of four digits, so "2009" here is a year.
        assert local_population("2009 census: none found") == "2009 census: none found"
        assert local_population("2009") == "2009"
        assert local_population("about 2,000") == "about 2,000"
        assert local_population("500 families") == "500 families"
        assert infobox_value("1979", "Group") == "1979"  # only the population row
    with translation.override("en"):
        assert local_population("1,500 (2009 est.)") == "1,500 (2009 est.)"


def test_english_dates_keep_the_format_the_pages_always_had(compiled):
    moment = datetime.datetime(2026, 3, 7, 9, 5, tzinfo=datetime.timezone.utc)
    with translation.override("en"):
        assert local_datetime(moment) == moment.strftime("%-d %B %Y, %H:%M") == "7 March 2026, 09:05"
    with translation.override("ru"):
        assert local_datetime(moment) == "7 марта 2026\u202fг., 09:05"
    with translation.override("fa-af"):
        # Babel's fa_AF has Afghanistan's names of the months, not Iran's.
        assert local_datetime(moment) == "7 مارچ 2026، 09:05"
    assert local_datetime("yesterday") == "yesterday"


def test_every_declared_infobox_field_has_a_translated_label(compiled):
    with translation.override("ps"):
        untranslated = [f.label for f in FIELDS if infobox_label(f.label) == f.label]
        assert not untranslated, f"no translation marked for {untranslated}"
        assert infobox_label("Founded") == "Founded"  # an editor's own row, as written
    with translation.override("en"):
        assert [infobox_label(f.label) for f in FIELDS] == [f.label for f in FIELDS]


def test_a_count_formatted_by_a_view_is_a_number_again_for_plural_forms():
    assert as_int("10,000") == 10000
    assert as_int(7) == 7
    assert as_int("ten") == 0
