"""`manage.py import_mediawiki`: a Special:Export file becomes articles with
their history (dates, contributors, edit summaries), tags, interlanguage
links and descriptions, all or nothing, through the one import pipeline."""

from __future__ import annotations

import bz2
import datetime
import gzip
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Revision, Version

from articles.models import Article, InterlanguageLink, RevisionOrigin
from articles.services import article_export, article_revert
from tests.html import visible_text

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
DUMP = DATA / "diaspora.xml"
UTC = datetime.timezone.utc


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_mediawiki", *args, stdout=out)
    return out.getvalue()


def history(article: Article) -> list[tuple]:
    """(date, contributor, comment) of each revision, oldest first."""
    rows = []
    for version in Version.objects.get_for_object(article).select_related("revision__origin"):
        revision = version.revision
        origin = getattr(revision, "origin", None)
        rows.append((revision.date_created, origin.contributor if origin else None, revision.comment))
    return rows[::-1]


AFGHANS = """\
= Afghans in Russia =

Infobox
- Group: Afghans in Russia
- Native name: Афганцы в России
- Native name lang: ru
- Population: 150,000 (2010) [^census]
- Russia: 150,000
- Popplace: Russia
- Langs: Dari, Pashto, Russian
- Rels: Sunni Islam
- Related: Afghans in Tajikistan

**Afghans in Russia** live mostly in [[Moscow]] and [[Saint Petersburg]].[^census] Many came in c. 1992.[^?]

==History==
Students came to the [[Soviet Union]] in the 1980s.[^ref-1|p. 42]

===Numbers===
| Year | Count |
| --- | --- |
| 2002 | 8,000 |
| 2010 | 150,000 |

- One item
- [A report](https://example.org/report)

==See also==
- Tajiks in Russia
- Russians in Afghanistan

==References==
- [^census]
  - Title: 2010 Census
  - Work: Rosstat
  - Url: https://example.org/census-2010
  - Accessed: 2012-05-12
- [^ref-1]
  - Type: book
  - Title: The Railway and the Steppe
  - Author: John Smith
  - Publisher: Example Press
  - Date: 1998
  - Isbn: 978-0-00-000000-2
"""


def test_a_dump_becomes_articles_with_their_history_and_the_report_says_what_was_dropped():
    out = run(str(DUMP))

    assert out.splitlines() == [
        f"{DUMP}:14: create 'Afghans in Russia' (3 revisions); dropped: template Use dmy dates ×1, "
        "file ×1, template Afghan diaspora ×1",
        f"{DUMP}:118: create 'Tajiks in Russia' (1 revision)",
        "Skipped (not articles): 1 Talk page.",
        "Imported 2 article(s) with 4 revision(s): 2 created, 0 updated.",
    ]
    afghans = Article.objects.get(title="Afghans in Russia")
    assert article_export(article=afghans) == AFGHANS
    assert afghans.status == Article.Status.PUBLISHED
    assert history(afghans) == [
        (datetime.datetime(2009, 8, 1, 10, 15, tzinfo=UTC), "Kabulnik", "New article"),
        (datetime.datetime(2010, 3, 14, 18, 2, 41, tzinfo=UTC), "85.140.12.7", f"Imported from {DUMP}"),
        (datetime.datetime(2012, 11, 5, 7, 45, 9, tzinfo=UTC), "Ghazni88", "Infobox & references"),
    ]
    assert sorted(RevisionOrigin.objects.values_list("wiki_revision_id", flat=True)) == [
        1001, 1002, 1003, 1005
    ]
    # What the wiki-text does not hold.
    assert sorted(afghans.tags.names()) == ["Afghan diaspora", "Ethnic groups in Russia"]
    assert list(afghans.interlanguage_links.values_list("language", "title")) == [
        ("fa", "افغان\u200cهای روسیه"), ("ru", "Афганцы в России"),
    ]
    assert afghans.description == "Ethnic group in Russia"
    # The two articles link each other, whatever their order in the file.
    tajiks = Article.objects.get(title="Tajiks in Russia")
    assert 'href="/wiki/afghans-in-russia/"' in tajiks.lead_html
    assert afghans.see_also.get(target_title="Tajiks in Russia").target == tajiks


def test_the_page_shows_no_wiki_markup_and_lists_the_other_languages(client):
    run(str(DUMP))

    html = client.get("/wiki/afghans-in-russia/").content.decode()

    text = visible_text(html[html.index("<main"):html.index("</main>")])
    for markup in ("{{", "}}", "[[", "'''", "''", "<ref", "|title=", "{|", "|}", "<!--"):
        assert markup not in text, markup
    assert "Many came in c. 1992.[citation needed]" in text
    assert re.search(r"<table>\s*<thead>\s*<tr>\s*<th>Year</th>", html)
    assert "alert(1)" not in html and 'style="color:red"' not in html
    assert '<meta name="description" content="Ethnic group in Russia">' in html
    languages = html[html.index('<nav class="languages"'):]
    languages = languages[:languages.index("</nav>")]
    assert visible_text(languages) == (
        "In other languages русский: Афганцы в России فارسی: افغان\u200cهای روسیه"
    )
    assert '<bdi lang="ru">Афганцы в России</bdi>' in languages


def test_latest_only_imports_the_newest_revision_alone():
    run("--latest-only", str(DUMP))

    afghans = Article.objects.get(title="Afghans in Russia")
    assert article_export(article=afghans) == AFGHANS
    assert history(afghans) == [
        (datetime.datetime(2012, 11, 5, 7, 45, 9, tzinfo=UTC), "Ghazni88", "Infobox & references"),
    ]


def test_a_dry_run_reports_and_writes_nothing():
    out = run("--dry-run", str(DUMP))

    assert out.splitlines()[-1] == (
        "Dry run, nothing written: 2 page(s), 4 revision(s): 2 to create, 0 to update."
    )
    assert not Article.objects.exists() and not Revision.objects.exists()


def test_status_draft_makes_drafts():
    run("--status", "draft", str(DUMP))

    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DRAFT}
    tajiks = Article.objects.get(title="Tajiks in Russia")
    assert 'href="/wiki/afghans-in-russia/"' not in tajiks.lead_html


def test_an_existing_article_is_updated_in_place_with_one_revision_on_top(seed_fixture):
    run(str(DUMP))
    afghans = Article.objects.get(title="Afghans in Russia")
    afghans.tags.add("Kept")
    before = history(afghans)

    out = run(str(DUMP))

    assert f"{DUMP}:14: update 'Afghans in Russia' (1 revision)" in out
    assert Article.objects.get(title="Afghans in Russia").pk == afghans.pk
    after = history(afghans)
    assert after[:3] == before
    date, contributor, comment = after[3]
    assert (contributor, comment) == ("Ghazni88", "Infobox & references")
    assert date > before[-1][0] + datetime.timedelta(days=365)  # now, on top
    assert sorted(afghans.tags.names()) == ["Afghan diaspora", "Ethnic groups in Russia", "Kept"]
    assert InterlanguageLink.objects.filter(article=afghans).count() == 2


def test_an_imported_revision_can_be_compared_and_reverted_to(admin_client):
    run(str(DUMP))
    afghans = Article.objects.get(title="Afghans in Russia")
    versions = list(Version.objects.get_for_object(afghans))
    first, second = versions[-1].revision, versions[-2].revision

    page = admin_client.get(f"/admin/articles/article/{afghans.pk}/history/")
    rows = visible_text(page.content.decode())
    assert "85.140.12.7 (on the wiki it was imported from)" in rows
    assert "Kabulnik (on the wiki it was imported from)" in rows
    compare = admin_client.get(
        f"/admin/articles/article/{afghans.pk}/history/compare/", {"a": first.pk, "b": second.pk}
    )
    assert compare.status_code == 200
    assert "Saint Petersburg" in visible_text(compare.content.decode())

    article_revert(article=afghans, revision=first)

    assert article_export(article=Article.objects.get(pk=afghans.pk)) == (
        "= Afghans in Russia =\n\n**Afghans in Russia** live mostly in [[Moscow]].\n"
    )


@pytest.mark.parametrize("suffix, opener", [(".xml.bz2", bz2.open), (".xml.gz", gzip.open)])
def test_compressed_dumps_import_the_same(tmp_path, suffix, opener):
    path = tmp_path / f"dump{suffix}"
    with opener(path, "wb") as out:
        out.write(DUMP.read_bytes())

    run(str(path))

    assert article_export(article=Article.objects.get(title="Afghans in Russia")) == AFGHANS


def test_a_wikitext_file_is_one_page_titled_by_its_name_or_by_title(tmp_path):
    path = tmp_path / "Uzbeks_in_Russia.wiki"
    path.write_text("'''Uzbeks in Russia''' are a community.<ref>Census</ref>\n", encoding="utf-8")

    run(str(path))
    run("--title", "Uzbeks in the Russian Federation", str(path))

    assert article_export(article=Article.objects.get(title="Uzbeks in Russia")) == (
        "= Uzbeks in Russia =\n\n**Uzbeks in Russia** are a community.[^ref-1]\n\n"
        "==References==\n- [^ref-1]\n  - Title: Census\n"
    )
    assert Article.objects.filter(title="Uzbeks in the Russian Federation").exists()


def test_malformed_xml_stops_the_run_with_file_and_line_and_writes_nothing(tmp_path):
    text = DUMP.read_text(encoding="utf-8")
    # The second article's text loses its closing tag: the XML breaks there.
    broken = text.replace("See [[Afghans in Russia]].</text>", "See [[Afghans in Russia]].</txt>")
    path = tmp_path / "broken.xml"
    path.write_text(broken, encoding="utf-8")
    line = broken[: broken.index("</txt>")].count("\n") + 1

    with pytest.raises(CommandError, match=rf"^{re.escape(str(path))}:{line}: "):
        run(str(path))

    assert not Article.objects.exists() and not Revision.objects.exists()


def test_a_title_in_two_files_is_refused(tmp_path):
    copy = tmp_path / "copy.xml"
    shutil.copy(DUMP, copy)

    with pytest.raises(CommandError, match=rf"^{re.escape(str(copy))}:14: the page 'Afghans in Russia' is also the page at {re.escape(str(DUMP))}:14$"):
        run(str(DUMP), str(copy))

    assert not Article.objects.exists()


@pytest.mark.parametrize("name, message", [
    ("notes.txt", "not a MediaWiki file (expected .xml, .xml.bz2, .xml.gz, .wiki, .mediawiki)"),
    ("missing.xml", "no such file"),
])
def test_a_file_of_another_kind_or_a_missing_one_is_a_clear_error(tmp_path, name, message):
    path = tmp_path / name
    if name != "missing.xml":
        path.write_text("x", encoding="utf-8")

    with pytest.raises(CommandError, match=f"^{re.escape(str(path))}: {re.escape(message)}$"):
        run(str(path))


def test_the_command_exits_non_zero_from_the_command_line(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "broken.xml"
    path.write_text("<mediawiki><page><title>X</title>", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_mediawiki", str(path)],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    assert result.stderr.strip().startswith(f"CommandError: {path}:1: ")


def test_an_upload_that_unpacks_past_the_limit_is_refused_before_it_is_read_through():
    from articles.services import ImportFailed
    from articles.services.import_mediawiki import mediawiki_import_plan

    text = DUMP.read_text(encoding="utf-8")
    padding = "<!-- " + "x" * 3 * 2**20 + " -->\n"  # 3 MiB that gzip makes 3 KB
    data = gzip.compress(text.replace("<page>", padding + "<page>", 1).encode())
    assert len(data) < 20_000

    with pytest.raises(ImportFailed, match=r"^big\.xml\.gz:\d+: the XML comes to more than 1 MiB once uncompressed"):
        mediawiki_import_plan(files=[("big.xml.gz", data)], max_bytes=2**20)

    assert not Article.objects.exists()


def test_a_preview_converts_only_the_newest_revisions_and_counts_the_others():
    from articles.services.import_mediawiki import mediawiki_import_plan

    plan, report = mediawiki_import_plan(files=[(DUMP.name, DUMP.read_bytes())])

    assert [(p.title, p.revisions, p.created, len(p.paths)) for p in report.pages] == [
        ("Afghans in Russia", 3, True, 1), ("Tajiks in Russia", 1, True, 1),
    ]
    assert [(a.title, a.created) for a in plan.articles] == [
        ("Afghans in Russia", True), ("Tajiks in Russia", True),
    ]
    assert not Article.objects.exists()


def test_worker_processes_convert_a_large_run_the_same(monkeypatch):
    from articles.services import import_mediawiki

    monkeypatch.setattr(import_mediawiki, "CONVERT_BATCH", 1)  # a pool from the second page
    monkeypatch.setattr(import_mediawiki, "_WORKERS", 2)

    out = run(str(DUMP))

    assert out.splitlines()[-1] == "Imported 2 article(s) with 4 revision(s): 2 created, 0 updated."
    assert article_export(article=Article.objects.get(title="Afghans in Russia")) == AFGHANS
    assert len(history(Article.objects.get(title="Afghans in Russia"))) == 3
