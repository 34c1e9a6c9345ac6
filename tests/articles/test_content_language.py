"""An article's content language: read from the wiki-text's ``Language:``
line by the command line's and the admin's import, written back by the
export, set in the admin's change form, filtered by in its list, and on the
page the article's text is marked with it (lang, dir) whatever the
interface's language."""

import re
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.test import Client

from articles.models import Article
from articles.services import article_export, articles_import, articles_import_plan
from tests.admin_forms import change_form_data
from tests.articles.test_sources_import_export import export, run_import
from tests.html import visible_text

pytestmark = pytest.mark.django_db

# No zero-width non-joiner in the title: its slug is the addresses work's, not this.
DARI_TITLE = "روسان در افغانستان"
DARI = f"""\
= {DARI_TITLE} =

Language: fa-AF

Infobox
- Group: روس‌ها
- Population: 1,500 (2009 est.)

در حال حاضر حدود ۱۵۰۰ روس در افغانستان زندگی می‌کنند.

==تاریخ==
در دهه ۱۹۶۰ و ۱۹۷۰ مشاوران شوروی آمدند.
""".encode()

ENGLISH = b"""\
= Kazakhs in Russia =

Infobox
- Group: Kazakhs
- Population: 647,000

Kazakhs live in the south of Russia.

==History==
They came in the nineteenth century.
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def imported(text: bytes, name: str = "article.txt") -> Article:
    [result] = articles_import(sources=[(name, text)])
    return Article.objects.get(pk=result.article_id)


# --- the command line ------------------------------------------------------------------


def test_the_command_line_import_stores_the_language_and_the_export_writes_it_back(tmp_path):
    output = run_import(write(tmp_path, "dari.txt", DARI), write(tmp_path, "kazakhs.txt", ENGLISH))

    assert "Imported 2 article(s): 2 created, 0 updated." in output
    dari = Article.objects.get(title=DARI_TITLE)
    english = Article.objects.get(title="Kazakhs in Russia")
    assert (dari.language, english.language) == ("fa-AF", "en")
    assert export(dari.slug).encode() == DARI
    assert export(dari.slug).startswith(f"= {DARI_TITLE} =\n\nLanguage: fa-AF\n\nInfobox\n")
    # English has no Language line: the file comes back as it was.
    assert export(english.slug).encode() == ENGLISH


def test_a_reimport_changes_the_language_and_its_preview_says_so(tmp_path):
    article = imported(ENGLISH)
    russian = ENGLISH.replace(b"=\n\nInfobox", b"=\n\nLanguage: ru\n\nInfobox", 1)

    [planned] = articles_import_plan(sources=[("kazakhs.txt", russian)]).articles
    assert planned.language_changed == ("en", "ru")
    assert not planned.unchanged
    [same] = articles_import_plan(sources=[("kazakhs.txt", ENGLISH)]).articles
    assert same.language_changed is None and same.unchanged

    run_import(write(tmp_path, "kazakhs.txt", russian))
    article.refresh_from_db()
    assert article.language == "ru"
    assert article_export(article=article).encode() == russian


def test_a_malformed_language_line_is_a_clear_error_and_imports_nothing(tmp_path):
    good = write(tmp_path, "a-good.txt", ENGLISH)
    bad = write(tmp_path, "b-bad.txt", b"= T =\n\nLanguage: xx_YY!\n\nLead.\n")

    with pytest.raises(CommandError) as excinfo:
        run_import(good, bad)

    assert str(excinfo.value).startswith(
        f"{bad}:3: 'xx_YY!' is not a language code; write it as BCP 47 does"
    )
    assert not Article.objects.exists()


# --- the admin ---------------------------------------------------------------------------


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_the_change_form_shows_the_language_and_saves_a_new_one(admin_client):
    article = imported(ENGLISH)
    response = admin_client.get(change_url(article))
    html = response.content.decode()
    data = change_form_data(response)

    assert data["language"] == "en"
    first = next(iter(response.context["adminform"]))
    assert "language" in [field for line in first for field in line.fields]
    assert re.search(r'<input type="text" name="language" value="en"[^>]*id="id_language"', html)

    data["language"] = "fa-AF"
    response = admin_client.post(change_url(article), data)

    assert response.status_code == 302, visible_text(response.content.decode())[:2000]
    article.refresh_from_db()
    assert article.language == "fa-AF"
    assert "Changed Language." in LogEntry.objects.get(object_id=str(article.pk)).get_change_message()
    assert article_export(article=article).startswith("= Kazakhs in Russia =\n\nLanguage: fa-AF\n\n")


def test_the_change_form_refuses_a_malformed_language_and_keeps_the_old_one(admin_client):
    article = imported(ENGLISH)
    data = change_form_data(admin_client.get(change_url(article)))
    data["language"] = "xx_YY!"

    response = admin_client.post(change_url(article), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["language"] == [
        "A language code as BCP 47 writes it: en, ru, fa-AF, ps, zh-Hant."
    ]
    assert "A language code as BCP 47 writes it" in visible_text(response.content.decode())
    article.refresh_from_db()
    assert article.language == "en"


def test_the_translation_fieldset_offers_the_article_it_was_translated_from(admin_client):
    english = imported(ENGLISH)
    dari = imported(DARI)
    response = admin_client.get(change_url(dari))
    html = response.content.decode()

    fieldsets = {str(fieldset.name): fieldset for fieldset in response.context["adminform"]}
    assert [field for line in fieldsets["Translation"] for field in line.fields] == [
        "translated_from"
    ]
    # The admin's autocomplete: a select filled by searching the articles.
    select = re.search(r'<select name="translated_from"[^>]*>', html).group()
    assert 'class="admin-autocomplete' in select
    assert 'data-model-name="article"' in select
    answer = admin_client.get(
        "/admin/autocomplete/",
        {"term": "Kazakhs", "app_label": "articles", "model_name": "article",
         "field_name": "translated_from"},
    ).json()
    assert answer["results"] == [{"id": str(english.pk), "text": "Kazakhs in Russia"}]


def test_the_article_list_filters_by_content_language(admin_client):
    imported(ENGLISH)
    imported(DARI)
    url = "/admin/articles/article/"

    everything = visible_text(admin_client.get(url).content.decode())
    dari_only = admin_client.get(url, {"language": "fa-AF"})
    titles = [str(a) for a in dari_only.context["cl"].result_list]

    assert "By content language" in everything
    assert "fa-AF" in everything
    assert titles == [DARI_TITLE]


@pytest.mark.django_db(transaction=True)
def test_the_admin_import_stores_the_language_and_exports_it_back(admin_client):
    # Transactional: a confirmed import runs in a thread with its own connection.
    from tests.articles.test_admin_import import IMPORT_URL, confirm

    response = admin_client.post(
        IMPORT_URL, {"files": [SimpleUploadedFile("dari.txt", DARI, "text/plain")]}
    )
    assert response.status_code == 200 and "plan" in response.context
    assert not Article.objects.exists()

    response = confirm(admin_client, response.context["token"])

    assert "Imported 1 article: 1 created, 0 updated." in visible_text(response.content.decode())
    article = Article.objects.get()
    assert article.language == "fa-AF"
    assert article_export(article=article).encode() == DARI


# --- the page -----------------------------------------------------------------------------


def tag(html: str, name: str, attribute: str) -> str:
    """The opening tag of the first ``name`` element with ``attribute``."""
    return re.search(rf"<{name}\b[^>]*{attribute}[^>]*>", html).group()


def article_element(html: str) -> str:
    """The <article> element, from its opening tag to its end."""
    start = html.index('<article class="article"')
    return html[start : html.index("</article>", start)]


def test_a_dari_article_reads_right_to_left_inside_the_english_interface():
    article = imported(DARI)

    html = Client().get(article.get_absolute_url()).content.decode()

    assert tag(html, "html", "lang=") == '<html lang="en" dir="ltr">'
    text = article_element(html)
    assert text.startswith('<article class="article" lang="fa-AF" dir="rtl">')
    # The title, the lead and the sections are inside it.
    assert f"<h1>{DARI_TITLE}</h1>" in text
    assert "در حال حاضر حدود ۱۵۰۰ روس در افغانستان زندگی می‌کنند." in text
    assert "در دهه ۱۹۶۰ و ۱۹۷۰ مشاوران شوروی آمدند." in text
    # What the site adds after the text is in the interface's language.
    wrapper = text.index('<div class="interface-language" lang="en" dir="ltr">')
    assert text.index("مشاوران شوروی آمدند.") < wrapper
    assert "Page information" in text[wrapper:] and "Page information" not in text[:wrapper]


def test_an_english_article_reads_left_to_right_inside_the_dari_interface():
    article = imported(ENGLISH)

    html = Client().get("/fa-af" + article.get_absolute_url()).content.decode()

    assert tag(html, "html", "lang=") == '<html lang="fa-AF" dir="rtl">'
    text = article_element(html)
    assert text.startswith('<article class="article" lang="en" dir="ltr">')
    assert "<h1>Kazakhs in Russia</h1>" in text
    assert "Kazakhs live in the south of Russia." in text
    assert "They came in the nineteenth century." in text
    assert '<div class="interface-language" lang="fa-AF" dir="rtl">' in text
    assert text.index("They came in the nineteenth century.") < text.index(
        '<div class="interface-language"'
    )


def test_an_english_article_in_the_english_interface_adds_no_interface_wrapper():
    article = imported(ENGLISH)

    html = Client().get(article.get_absolute_url()).content.decode()

    assert tag(html, "html", "lang=") == '<html lang="en" dir="ltr">'
    assert article_element(html).startswith('<article class="article" lang="en" dir="ltr">')
    assert 'class="interface-language"' not in html


def test_the_change_form_refuses_a_lead_starting_with_a_language_line(admin_client):
    # Written out, the lead's line would read back as the article's language.
    article = imported(ENGLISH)
    data = change_form_data(admin_client.get(change_url(article)))
    data["lead"] = "Language: ru\r\n\r\nKazakhs live in the south of Russia."

    response = admin_client.post(change_url(article), data)

    assert response.status_code == 200
    assert "the lead may not start with &#x27;Language:&#x27;" in response.content.decode()
    article.refresh_from_db()
    assert article.lead == "Kazakhs live in the south of Russia."
