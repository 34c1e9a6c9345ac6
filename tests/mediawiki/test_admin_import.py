"""The admin's "Import wiki-text" takes MediaWiki files (issue 13): a
Special:Export dump or a .wiki page is previewed (what is created or
updated, the revisions that become history, what is dropped, tags and other
languages), then confirmed or cancelled, and imported in the background by
the service of ``manage.py import_mediawiki``, all or nothing."""

from __future__ import annotations

import datetime
import gzip
import re
import threading

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from reversion.models import Revision

from articles.admin import import_views
from articles.admin.article import ArticleAdmin
from articles.models import Article, ImportJob
from articles.services import article_export
from tests.articles.test_admin_import import (
    IMPORT_URL, NEW_ARTICLE, confirm, db_state, page_text, pending, upload,
    wait_for_imports,
)
from tests.html import visible_text
from tests.mediawiki.test_import import AFGHANS, DUMP, history

# Transactional: a confirmed import runs in a thread with its own connection.
pytestmark = pytest.mark.django_db(transaction=True)

UTC = datetime.timezone.utc
HISTORY = {"history": "on"}  # the checkbox as a browser posts it, checked

AFGHANS_HISTORY = [
    (datetime.datetime(2009, 8, 1, 10, 15, tzinfo=UTC), "Kabulnik", "New article"),
    (datetime.datetime(2010, 3, 14, 18, 2, 41, tzinfo=UTC), "85.140.12.7",
     "Imported from diaspora.xml"),
    (datetime.datetime(2012, 11, 5, 7, 45, 9, tzinfo=UTC), "Ghazni88", "Infobox & references"),
]


def post(client, *files: tuple[str, bytes], **options: str):
    return client.post(IMPORT_URL, {**upload(*files), **options})


def preview_rows(response) -> list[list[str]]:
    """The preview table as a reader sees it: the cells of each row."""
    html = response.content.decode()
    table = html[html.index('<table id="import-preview"'):]
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    return [
        [" ".join(visible_text(cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def form_errors(response) -> list[str]:
    return response.context["form"].errors["files"]


def dump() -> tuple[str, bytes]:
    return ("diaspora.xml", DUMP.read_bytes())


def test_the_form_takes_both_kinds_with_the_options_and_their_defaults(admin_client):
    html = admin_client.get(IMPORT_URL).content.decode()

    accept = re.search(r'<input type="file" name="files" accept="([^"]*)"', html).group(1)
    assert accept.split(",")[:7] == [
        ".txt", "text/plain", ".xml", ".xml.bz2", ".xml.gz", ".wiki", ".mediawiki"
    ]
    assert '<input type="radio" name="status" value="published" id="id_status_1" checked>' in html
    assert '<input type="radio" name="status" value="draft" id="id_status_0">' in html
    assert re.search(r'<input type="checkbox" name="history"[^>]* checked>', html)
    text = visible_text(html)
    assert "Import the history (every revision)" in text
    assert "a compressed dump counts by its compressed size" in text


def test_a_dump_is_previewed_row_by_row_and_nothing_is_written(admin_client):
    before = db_state()

    response = post(admin_client, dump(), **HISTORY)

    assert response.status_code == 200
    assert preview_rows(response) == [
        ["diaspora.xml:14", "Afghans in Russia", "new", "3 revisions",
         "A new article, with 2 references: [^census] 2010 Census; "
         "[^ref-1] The Railway and the Steppe.",
         "template Use dmy dates ×1, file ×1, template Afghan diaspora ×1",
         "Afghan diaspora, Ethnic groups in Russia",
         "ru: Афганцы в России ; fa: افغان\u200cهای روسیه"],
        ["diaspora.xml:118", "Tajiks in Russia", "new", "1 revision", "A new article.",
         "nothing", "none", "none"],
    ]
    text = page_text(response)
    assert ("2 pages, 4 revisions: 2 new, 0 updated, 0 with no change. New articles will be "
            "published. Nothing has been written yet.") in text
    assert "Skipped (not articles): 1 Talk page." in text
    assert "Import 2 articles (4 revisions)" in text
    html = response.content.decode()
    assert '<bdi lang="fa">افغان\u200cهای روسیه</bdi>' in html
    assert db_state() == before and not Revision.objects.exists()
    assert len(pending(admin_client)) == 1


def test_confirmed_the_dump_is_written_with_its_history_and_one_log_entry_per_article(
    admin_client, admin_user
):
    token = post(admin_client, dump(), **HISTORY).context["token"]

    page = confirm(admin_client, token)

    assert "Imported 2 articles: 2 created, 0 updated." in page_text(page)
    afghans = Article.objects.get(title="Afghans in Russia")
    tajiks = Article.objects.get(title="Tajiks in Russia")
    assert article_export(article=afghans) == AFGHANS
    assert history(afghans) == AFGHANS_HISTORY
    assert history(tajiks) == [
        (datetime.datetime(2014, 6, 7, 8, 9, 10, tzinfo=UTC), "Hayk", "Stub")
    ]
    assert sorted(afghans.tags.names()) == ["Afghan diaspora", "Ethnic groups in Russia"]
    assert afghans.status == tajiks.status == Article.Status.PUBLISHED
    assert sorted(
        (e.object_id, e.action_flag, e.user_id, e.change_message) for e in LogEntry.objects.all()
    ) == sorted([
        (str(afghans.pk), ADDITION, admin_user.pk, "Imported from diaspora.xml:14"),
        (str(tajiks.pk), ADDITION, admin_user.pk, "Imported from diaspora.xml:118"),
    ])
    job = ImportJob.objects.get()
    assert (job.status, job.files, job.results) == (
        "done", 1, [["Afghans in Russia", afghans.pk, True], ["Tajiks in Russia", tajiks.pk, True]]
    )
    assert pending(admin_client) == []


def test_without_the_history_only_the_newest_revisions_are_previewed_and_imported(admin_client):
    response = post(admin_client, dump())  # the checkbox left unchecked

    assert [row[3] for row in preview_rows(response)] == ["1 revision", "1 revision"]
    assert "2 pages, 2 revisions (the newest of each page only):" in page_text(response)
    confirm(admin_client, response.context["token"])

    afghans = Article.objects.get(title="Afghans in Russia")
    assert article_export(article=afghans) == AFGHANS
    assert history(afghans) == AFGHANS_HISTORY[-1:]


def test_draft_status_makes_drafts_and_the_confirmation_keeps_the_previewed_options(
    admin_client,
):
    response = post(admin_client, dump(), status="draft")
    assert "New articles will be draft." in page_text(response)

    # Options posted with the confirmation are not the preview's: ignored.
    admin_client.post(IMPORT_URL, {"token": response.context["token"], "action": "confirm",
                                   "status": "published", "history": "on"})
    wait_for_imports()

    assert sorted(Article.objects.values_list("title", "status")) == [
        ("Afghans in Russia", "draft"), ("Tajiks in Russia", "draft"),
    ]
    assert len(history(Article.objects.get(title="Afghans in Russia"))) == 1


def test_draft_status_applies_to_wiki_text_files_too(admin_client):
    response = post(admin_client, ("armenians.txt", NEW_ARTICLE), status="draft")
    confirm(admin_client, response.context["token"])

    assert Article.objects.get().status == Article.Status.DRAFT


def test_an_existing_article_is_shown_updated_and_gets_one_revision_on_top(admin_client):
    confirm(admin_client, post(admin_client, dump(), **HISTORY).context["token"])
    afghans = Article.objects.get(title="Afghans in Russia")
    changed = DUMP.read_bytes().replace(
        b"Students came to the [[Soviet Union]]", b"Students first came to the [[Soviet Union]]"
    )

    response = post(admin_client, ("diaspora.xml", changed), **HISTORY)

    [afghans_row, tajiks_row] = preview_rows(response)
    assert afghans_row[:5] == [
        "diaspora.xml:14", "Afghans in Russia", "updated",
        "1 revision, on top of the article's history",
        "Section changed: History (section 1)",
    ]
    assert tajiks_row[:5] == [
        "diaspora.xml:118", "Tajiks in Russia", "no change",
        "1 revision, on top of the article's history", "The article already matches this file.",
    ]
    page = confirm(admin_client, response.context["token"])
    assert "Imported 2 articles: 0 created, 2 updated." in page_text(page)
    assert history(afghans)[:3] == AFGHANS_HISTORY and len(history(afghans)) == 4
    assert LogEntry.objects.filter(action_flag=CHANGE).count() == 2


def test_a_mixed_upload_is_refused_and_nothing_is_kept(admin_client):
    response = post(admin_client, ("armenians.txt", NEW_ARTICLE), dump())

    assert form_errors(response) == [
        "Import wiki-text files or MediaWiki files, not both at once: armenians.txt is "
        "wiki-text, diaspora.xml is MediaWiki (.xml, .xml.bz2, .xml.gz, .wiki, .mediawiki). "
        "Nothing was imported."
    ]
    assert "plan" not in response.context
    assert pending(admin_client) == []
    assert not Article.objects.exists()


def test_malformed_xml_is_a_form_error_with_its_file_and_line(admin_client):
    text = DUMP.read_text(encoding="utf-8")
    broken = text.replace("See [[Afghans in Russia]].</text>", "See [[Afghans in Russia]].</txt>")
    line = broken[: broken.index("</txt>")].count("\n") + 1

    response = post(admin_client, ("broken.xml", broken.encode()), **HISTORY)

    assert response.status_code == 200
    assert form_errors(response) == [
        f"Nothing was imported: broken.xml:{line}: malformed XML: mismatched tag"
    ]
    assert f"Nothing was imported: broken.xml:{line}: malformed XML" in page_text(response)
    assert pending(admin_client) == []
    assert not Article.objects.exists() and not Revision.objects.exists()


def test_a_bad_gzip_is_a_form_error_and_a_good_one_imports_as_the_dump(admin_client):
    response = post(admin_client, ("dump.xml.gz", b"not gzip at all"))
    assert form_errors(response) == ["Nothing was imported: dump.xml.gz:1: not a gzip file"]
    assert pending(admin_client) == []

    response = post(admin_client, ("dump.xml.gz", gzip.compress(DUMP.read_bytes())), **HISTORY)
    assert [row[:4] for row in preview_rows(response)] == [
        ["dump.xml.gz:14", "Afghans in Russia", "new", "3 revisions"],
        ["dump.xml.gz:118", "Tajiks in Russia", "new", "1 revision"],
    ]
    confirm(admin_client, response.context["token"])
    assert article_export(article=Article.objects.get(title="Afghans in Russia")) == AFGHANS


def test_a_dump_without_articles_is_a_form_error(admin_client):
    talk_only = re.sub(
        rb"<page>\s*<title>(Afghans|Tajiks) in Russia</title>.*?</page>", b"",
        DUMP.read_bytes(), flags=re.S,
    )
    response = post(admin_client, ("talk.xml", talk_only))

    assert form_errors(response) == [
        "Nothing was imported: the files hold no article to import "
        "(skipped, not articles: 1 Talk page)"
    ]


def test_a_wiki_file_is_one_page_titled_by_its_name(admin_client):
    page = b"'''Uzbeks in Russia''' are a community.<ref>Census</ref>\n{{Use dmy dates}}\n"

    response = post(admin_client, ("Uzbeks_in_Russia.wiki", page))

    assert preview_rows(response) == [[
        "Uzbeks_in_Russia.wiki:1", "Uzbeks in Russia", "new", "1 revision",
        "A new article, with 1 reference: [^ref-1] Census.", "template Use dmy dates ×1",
        "none", "none",
    ]]
    assert "Skipped" not in page_text(response)
    confirm(admin_client, response.context["token"])
    assert article_export(article=Article.objects.get()) == (
        "= Uzbeks in Russia =\n\n**Uzbeks in Russia** are a community.[^ref-1]\n\n"
        "==References==\n- [^ref-1]\n  - Title: Census\n"
    )


def test_hostile_names_titles_and_texts_are_escaped_in_the_preview(admin_client):
    hostile = (
        DUMP.read_text(encoding="utf-8")
        .replace("<title>Tajiks in Russia</title>",
                 "<title>Tajiks &lt;img src=x onerror=alert(1)&gt; in Russia</title>")
        .replace("{{Afghan diaspora}}", '{{Q&amp;A "x"}}')
        .replace("[[Category:Afghan diaspora]]", '[[Category:A &amp; "B"]]')
        .replace("[[ru:Афганцы в России]]", '[[ru:x "y" &amp; z]]')
    )

    response = post(admin_client, ("<b onclick=alert(3)>dump.xml", hostile.encode()))

    html = response.content.decode()
    for raw in ("<img src", "<b onclick"):
        assert raw not in html, raw
    rows = preview_rows(response)
    assert [row[0] for row in rows] == [
        "<b onclick=alert(3)>dump.xml:14", "<b onclick=alert(3)>dump.xml:118"
    ]
    assert rows[0][5:] == [
        'template Use dmy dates ×1, file ×1, template Q&A "x" ×1',
        'A & "B", Ethnic groups in Russia',
        'ru: x "y" & z ; fa: افغان‌های روسیه',
    ]
    assert rows[1][1] == "Tajiks <img src=x onerror=alert(1)> in Russia"
    assert "<td>&lt;b onclick=alert(3)&gt;dump.xml:14</td>" in html
    assert "template Q&amp;A &quot;x&quot; ×1" in html
    assert '<bdi lang="ru">x &quot;y&quot; &amp; z</bdi>' in html


def test_the_job_page_counts_revisions_written(admin_client, monkeypatch):
    """Progress is "N of M written", M the revisions, not the one file."""
    written_one = threading.Event()
    release = threading.Event()
    real_import = import_views.mediawiki_import

    def slow_import(**kwargs):
        report = kwargs["on_progress"]

        def on_progress(result):
            report(result)
            written_one.set()
            release.wait(30)  # the rest waits until the test has seen the page

        return real_import(**{**kwargs, "on_progress": on_progress})

    monkeypatch.setattr(import_views, "mediawiki_import", slow_import)
    token = post(admin_client, dump(), **HISTORY).context["token"]
    response = admin_client.post(IMPORT_URL, {"token": token, "action": "confirm"})
    assert written_one.wait(30)

    text = page_text(admin_client.get(response["Location"]))
    assert "Importing 1 file" in text
    assert "1 of 4 written." in text
    assert not Article.objects.exists()  # not committed yet

    release.set()
    wait_for_imports()
    assert "Imported 2 articles: 2 created, 0 updated." in page_text(
        admin_client.get(response["Location"])
    )


def test_a_failure_while_importing_writes_nothing_not_even_the_log(admin_client, monkeypatch):
    """The log entries are written after the import returns, in its transaction."""
    token = post(admin_client, dump(), **HISTORY).context["token"]
    before = db_state()

    def failing_log(*args, **kwargs):
        raise RuntimeError("the log failed")

    monkeypatch.setattr(ArticleAdmin, "log_addition", failing_log)
    page = confirm(admin_client, token)

    assert "Nothing was imported: the import stopped on an internal error" in page_text(page)
    assert "the log failed" not in page.content.decode()
    assert db_state() == before and not Revision.objects.exists()
    assert ImportJob.objects.get().status == "failed"
