"""import_articles and export_articles: round trips, updates in place, and bad
input that writes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings

from articles import wikitext
from articles.models import (
    Article,
    ArticleLanguage,
    InfoboxRow,
    Language,
    PopulationPlace,
    Religion,
    SeeAlso,
    Section,
)
from articles.services import article_export, articles_import
from people.models import Place
from tests.factories import ArticleFactory
from tests.wikitext.strategies import article_docs

pytestmark = pytest.mark.django_db

EVERY_CONSTRUCT = """\
= Armenians in Afghanistan =

Infobox
- Native_name: Հայերը Աֆղանստանում
- Group: Armenians in Afghanistan
- Population: 300
- Popplace: Kabul, Herat and Mazar-i-Sharif
- Langs: Armenian, Dari
- Rels: Armenian Apostolic Church
- Related: Armenians in Iran
- Footnote: figures are uncertain

Armenians have lived in Afghanistan since the 19th century.

Most of them lived in Kabul.
Some lived in Herat.

==History==
The community was small.

- merchants
- craftsmen

===Twentieth century===
Most left in the 1980s.

==Culture==

===Church===
There was an Armenian church in Kabul.

==See also==
- Russians in Afghanistan
- Armenians in Iran
"""


def run_import(*paths, verbosity: int = 1) -> str:
    out = StringIO()
    call_command("import_articles", *map(str, paths), stdout=out, verbosity=verbosity)
    return out.getvalue()


def export(*slugs: str) -> str:
    out = StringIO()
    call_command("export_articles", *slugs, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_seed_imports_and_exports_byte_for_byte(tmp_path, seed_bytes):
    output = run_import(write(tmp_path, "seed.txt", seed_bytes))

    assert "Imported 1 article(s): 1 created, 0 updated." in output
    article = Article.objects.get()
    assert (article.title, article.slug, article.status) == (
        "Russians in Afghanistan",
        "russians-in-afghanistan",
        Article.Status.PUBLISHED,
    )
    assert export("russians-in-afghanistan").encode("utf-8") == seed_bytes


def test_seed_import_stores_typed_infobox_and_see_also(tmp_path, seed_bytes):
    run_import(write(tmp_path, "seed.txt", seed_bytes))

    article = Article.objects.get()
    assert article.group_name == "Russians in Afghanistan"
    assert (article.population, article.population_note) == (1500, "2009 est.")
    assert [row.place.name for row in article.place_rows.all()] == ["Balkh Province", "Kabul"]
    assert [row.language.name for row in article.language_rows.all()] == [
        "Russian",
        "Pashto",
        "Dari",
    ]
    assert [row.religion.name for row in article.religion_rows.all()] == [
        "Russian Orthodoxy",
        "Sunni Islam",
    ]
    assert list(article.see_also.values_list("target_title", "target")) == [
        ("Afghans in Russia", None),
        ("Armenians in Afghanistan", None),
        ("Demographics of Afghanistan", None),
        ("Russians in Pakistan", None),
    ]
    assert "derserters" in article.lead  # the seed's text is never corrected by software
    assert article.sections.count() == 0


def test_every_construct_round_trips_and_is_stored_typed(tmp_path):
    run_import(write(tmp_path, "armenians.txt", EVERY_CONSTRUCT))

    article = Article.objects.get()
    assert export(article.slug) == EVERY_CONSTRUCT
    assert (article.population, article.population_note) == (300, "")
    assert [row.place.name for row in article.place_rows.all()] == [
        "Kabul",
        "Herat",
        "Mazar-i-Sharif",
    ]
    assert list(article.related_rows.values_list("title", flat=True)) == ["Armenians in Iran"]
    assert list(article.extra_rows.values_list("key", "value", "position")) == [
        ("Native_name", "Հայերը Աֆղանստանում", 0),
        ("Footnote", "figures are uncertain", 7),
    ]
    assert list(article.sections.values_list("heading", "level")) == [
        ("History", 2),
        ("Twentieth century", 3),
        ("Culture", 2),
        ("Church", 3),
    ]
    assert article.sections.get(heading="History").body == (
        "The community was small.\n\n- merchants\n- craftsmen"
    )


def test_see_also_links_existing_articles_and_keeps_missing_titles(tmp_path, seed_bytes):
    run_import(write(tmp_path, "seed.txt", seed_bytes), write(tmp_path, "arm.txt", EVERY_CONSTRUCT))

    seed = Article.objects.get(title="Russians in Afghanistan")
    armenians = Article.objects.get(title="Armenians in Afghanistan")
    links = dict(SeeAlso.objects.values_list("target_title", "target"))
    assert links["Armenians in Afghanistan"] == armenians.pk
    assert links["Russians in Afghanistan"] == seed.pk
    assert links["Afghans in Russia"] is None
    assert links["Armenians in Iran"] is None


def test_a_later_import_links_see_also_rows_that_name_it(tmp_path, seed_bytes):
    run_import(write(tmp_path, "seed.txt", seed_bytes))
    assert SeeAlso.objects.get(target_title="Afghans in Russia").target is None

    run_import(write(tmp_path, "afghans.txt", "= Afghans in Russia =\n\nA lead.\n"))

    assert SeeAlso.objects.get(target_title="Afghans in Russia").target == Article.objects.get(
        title="Afghans in Russia"
    )


def test_reimport_updates_in_place_and_removes_what_the_file_dropped(tmp_path):
    run_import(write(tmp_path, "a.txt", EVERY_CONSTRUCT))
    article = Article.objects.get()
    article.status = Article.Status.DRAFT
    article.save()
    trimmed = """\
= Armenians in Afghanistan =

Infobox
- Group: Armenians in Afghanistan
- Langs: Armenian

A shorter lead.

==History==
Rewritten.

==See also==
- Russians in Afghanistan
"""
    output = run_import(write(tmp_path, "a.txt", trimmed))

    assert "0 created, 1 updated" in output
    assert Article.objects.count() == 1
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT  # editorial state is not in the file
    assert article.lead == "A shorter lead."
    assert article.population is None and article.population_note == ""
    assert list(article.sections.values_list("heading", "body")) == [("History", "Rewritten.")]
    assert list(article.see_also.values_list("target_title", flat=True)) == [
        "Russians in Afghanistan"
    ]
    assert not PopulationPlace.objects.exists()
    assert not InfoboxRow.objects.exists()
    assert [row.language.name for row in ArticleLanguage.objects.all()] == ["Armenian"]
    assert export(article.slug) == trimmed


def test_reimport_reuses_places_and_languages(tmp_path, seed_bytes):
    run_import(write(tmp_path, "seed.txt", seed_bytes))
    run_import(write(tmp_path, "seed.txt", seed_bytes))

    assert Place.objects.filter(name="Kabul").count() == 1
    assert Language.objects.filter(name="Dari").count() == 1
    assert Section.objects.count() == 0
    assert SeeAlso.objects.count() == 4


def test_folder_import_reads_txt_files_recursively(tmp_path, seed_bytes):
    write(tmp_path, "seed.txt", seed_bytes)
    (tmp_path / "more").mkdir()
    write(tmp_path / "more", "arm.txt", EVERY_CONSTRUCT)
    write(tmp_path, "notes.md", "not an article")

    output = run_import(tmp_path, verbosity=2)

    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Armenians in Afghanistan",
        "Russians in Afghanistan",
    ]
    assert f"{tmp_path / 'seed.txt'}: created 'Russians in Afghanistan'" in output


def test_harmless_variants_import_and_export_canonically(tmp_path, seed_text):
    variant = seed_text.replace("==See also==", "== See also ==").replace("\n", "\r\n").rstrip()
    run_import(write(tmp_path, "variant.txt", variant))

    assert export("russians-in-afghanistan") == seed_text


def test_new_article_gets_a_unique_slug(tmp_path):
    ArticleFactory(title="Something else", slug="russians-in-afghanistan")
    run_import(write(tmp_path, "a.txt", "= Russians in Afghanistan =\n\nLead.\n"))

    assert Article.objects.get(title="Russians in Afghanistan").slug == "russians-in-afghanistan-2"


def test_status_draft_makes_drafts_that_nothing_links_and_keeps_an_updated_articles_status(
    tmp_path, client, seed_fixture, seed_text
):
    linker = "= Tajiks in Russia =\n\nSee [[Afghans in Russia]].\n\n==See also==\n- Afghans in Russia\n"
    out = StringIO()
    call_command(
        "import_articles", "--status", "draft",
        str(write(tmp_path, "a.txt", "= Afghans in Russia =\n\nLead.\n")),
        str(write(tmp_path, "t.txt", linker)),
        str(write(tmp_path, "seed.txt", seed_text.replace("1,500 Russians", "1,600 Russians"))),
        stdout=out,
    )

    assert "Imported 3 article(s): 2 created, 1 updated." in out.getvalue()
    assert dict(Article.objects.values_list("title", "status")) == {
        "Afghans in Russia": "draft", "Tajiks in Russia": "draft",
        "Russians in Afghanistan": "published",
    }
    # A draft is not public, so the other draft's link to it is a missing link.
    tajiks = Article.objects.get(title="Tajiks in Russia")
    assert 'href="/wiki/afghans-in-russia/"' not in tajiks.lead_html
    assert tajiks.see_also.get().target_id is None
    assert client.get("/wiki/afghans-in-russia/").status_code == 404


def test_export_to_folder_writes_one_file_per_slug(tmp_path, seed_bytes):
    run_import(write(tmp_path, "seed.txt", seed_bytes), write(tmp_path, "arm.txt", EVERY_CONSTRUCT))
    out_dir = tmp_path / "out"

    output = StringIO()
    call_command("export_articles", "--out", str(out_dir), stdout=output)

    assert sorted(p.name for p in out_dir.iterdir()) == [
        "armenians-in-afghanistan.txt",
        "russians-in-afghanistan.txt",
    ]
    assert (out_dir / "russians-in-afghanistan.txt").read_bytes() == seed_bytes
    assert (out_dir / "armenians-in-afghanistan.txt").read_text() == EVERY_CONSTRUCT
    assert "Exported 2 article(s)" in output.getvalue()


def test_export_of_an_unknown_slug_is_a_clear_error(seed_fixture):
    with pytest.raises(CommandError, match="no article with the slug nowhere"):
        export("russians-in-afghanistan", "nowhere")


# --- Bad input: a clear error naming file and line, and nothing written ---

BAD_FILES = [
    ("empty.txt", b"", "empty.txt:1: the file is empty"),
    ("blank.txt", b"\n\n  \n", "blank.txt:1: the file is empty"),
    ("notitle.txt", b"Just a paragraph.\n", "notitle.txt:1: the first line must be the title"),
    (
        "broken.txt",
        b"= T =\n\nInfobox\n- Group: G\nPopulation 12\n",
        "broken.txt:5: infobox row must look like '- Key: Value'",
    ),
    (
        "unbalanced.txt",
        b"= T =\n\nLead.\n\n==History===\nText.\n",
        "unbalanced.txt:5: unbalanced heading: 2 '=' at the start, 3 at the end",
    ),
    (
        "unclosed.txt",
        b"= T =\n\nLead.\n\n==History\n",
        "unclosed.txt:5: heading must end with '==' as it starts",
    ),
    (
        "latin1.txt",
        "= T =\n\nCaf\u00e9 society.\n".encode("latin-1"),
        "latin1.txt:3: byte 0xe9 is not valid UTF-8",
    ),
    (
        "nul.txt",
        b"= T =\n\nA\x00B\n",
        "nul.txt:3: control character U+0000 is not allowed",
    ),
    (
        "seealso.txt",
        b"= T =\n\n==See also==\nSome prose.\n",
        "seealso.txt:4: 'See also' may only list articles",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_a_clear_error_and_nothing_is_written(tmp_path, seed_bytes, name, data, message):
    good = write(tmp_path, "a-good.txt", seed_bytes)
    bad = write(tmp_path, name, data)

    with pytest.raises(CommandError) as excinfo:
        run_import(good, bad)

    assert str(excinfo.value).startswith(str(tmp_path / message.split(":", 1)[0]) + ":")
    assert message.split(":", 1)[1] in str(excinfo.value)
    assert not Article.objects.exists()
    assert not Place.objects.exists()


def test_failure_in_a_later_file_rolls_back_updates_of_earlier_ones(tmp_path, seed_fixture, seed_text):
    changed = write(tmp_path, "a.txt", seed_text.replace("1,500 (2009 est.)", "2,000"))
    too_long = write(tmp_path, "b.txt", f"= {'x' * 300} =\n\nLead.\n")

    with pytest.raises(CommandError, match="b.txt"):
        run_import(changed, too_long)

    assert Article.objects.get(slug="russians-in-afghanistan").population == 1500
    assert Article.objects.count() == 1


def test_two_files_with_one_title_are_refused(tmp_path, seed_bytes):
    with pytest.raises(CommandError, match="is also the title of"):
        run_import(write(tmp_path, "a.txt", seed_bytes), write(tmp_path, "b.txt", seed_bytes))
    assert not Article.objects.exists()


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        run_import(tmp_path / "nope.txt")


def test_exit_status_is_non_zero_from_the_command_line(tmp_path):
    import subprocess
    import sys

    bad = write(tmp_path, "broken.txt", b"= T =\n\nInfobox\n- nonsense\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_articles", str(bad)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={"DJANGO_SETTINGS_MODULE": "encyclopedia.test_settings", "PATH": "/usr/bin:/bin",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"},
    )
    assert result.returncode == 1
    assert f"{bad}:4: infobox row must look like '- Key: Value'" in result.stderr
    assert "Traceback" not in result.stderr


# --- Generated documents ---


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=article_docs)
def test_generated_documents_round_trip_through_the_database(doc):
    text = wikitext.dump(doc)
    [result] = articles_import(sources=[("generated.txt", text.encode("utf-8"))])
    article = Article.objects.with_document().get(pk=result.article.pk)

    assert article_export(article=article) == text
    # Names are shared case-insensitively: a later example's "KABUL" would
    # be exported as this one's "Kabul".
    article.delete()
    Place.objects.all().delete()
    Language.objects.all().delete()
    Religion.objects.all().delete()
