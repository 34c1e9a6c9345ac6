"""Data that survives and look-alike titles (issue 10, items 14-17): every
export imports back to the same article, long slugs export, characters XML
forbids are refused, and titles and names that only look different are one.
"""

import dataclasses
import unicodedata
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import wikitext
from articles.models import Article, Language, Religion
from articles.services import article_export, articles_import, export_file_name
from people.models import Person, Place
from tests.admin_forms import add_inline_form, change_form_data
from tests.wikitext.strategies import article_docs

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"
TAJIKS = "تاجیک\u200cها در ایران"  # U+200C: correct Persian spelling, kept


def run_import(*paths) -> str:
    out = StringIO()
    call_command("import_articles", *map(str, paths), stdout=out)
    return out.getvalue()


def export(*slugs: str) -> str:
    out = StringIO()
    call_command("export_articles", *slugs, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def reimport(tmp_path: Path, text: str) -> str:
    """Import ``text`` as a new article (the old one deleted) and export it."""
    Article.objects.all().delete()
    [result] = articles_import(sources=[("export.txt", text.encode("utf-8"))])
    return article_export(article=Article.objects.with_document().get(pk=result.article_id))


def admin_add(client, **fields):
    response = client.get(ADD_URL)
    data = change_form_data(response)
    data.update(fields)
    return client.post(ADD_URL, data)


# --- 14. Exports that cannot be imported again -------------------------------


def test_language_differing_only_in_case_is_refused_in_the_admin(admin_client, seed_fixture):
    response = admin_client.post(
        "/admin/articles/language/add/", {"name": "dari", "slug": "dari"}
    )

    assert response.status_code == 200
    assert "&#x27;Dari&#x27; already exists" in response.content.decode()
    assert list(Language.objects.filter(name__iexact="dari").values_list("name", flat=True)) == [
        "Dari"
    ]


def test_religion_in_nfd_is_the_same_religion(admin_client, db):
    Religion.objects.create(name="Café Church", slug="cafe-church")
    response = admin_client.post(
        "/admin/articles/religion/add/",
        {"name": unicodedata.normalize("NFD", "café church"), "slug": "cafe-church-2"},
    )
    assert response.status_code == 200
    assert Religion.objects.count() == 1


def test_import_of_a_lowercase_language_uses_the_stored_one_and_exports_back(
    tmp_path, seed_fixture
):
    languages = Language.objects.count()
    run_import(write(tmp_path, "t.txt", "= Tajiks in Russia =\n\nInfobox\n- Langs: dari, RUSSIAN\n"))

    assert Language.objects.count() == languages
    first = export(Article.objects.get(title="Tajiks in Russia").slug)
    assert "- Langs: Dari, Russian\n" in first
    assert reimport(tmp_path, first) == first


def test_place_named_with_and_exports_quoted_and_imports_back_as_one_place(
    admin_client, tmp_path, seed_fixture
):
    # The editor's path: a new place in the admin, added to the seed's infobox.
    response = admin_client.post(
        "/admin/people/place/add/",
        {"name": "Trinidad and Tobago", "slug": "trinidad-and-tobago", "kind": "country"},
    )
    assert response.status_code == 302
    trinidad = Place.objects.get(name="Trinidad and Tobago")
    change = f"/admin/articles/article/{seed_fixture.pk}/change/"
    response = admin_client.get(change)
    data = change_form_data(response)
    add_inline_form(response, data, "place_rows", place=str(trinidad.pk))
    assert admin_client.post(change, data).status_code == 302

    first = export("russians-in-afghanistan")
    assert '- Popplace: Balkh Province, Kabul and "Trinidad and Tobago"\n' in first
    again = reimport(tmp_path, first)
    assert again == first
    article = Article.objects.get(title="Russians in Afghanistan")
    assert list(article.place_rows.values_list("place__name", flat=True)) == [
        "Balkh Province", "Kabul", "Trinidad and Tobago"
    ]
    assert not Place.objects.filter(name__in=["Trinidad", "Tobago"]).exists()


def test_place_name_that_could_not_be_read_back_is_refused(admin_client, db):
    response = admin_client.post(
        "/admin/people/place/add/", {"name": 'Odd" and "Name', "slug": "odd", "kind": "other"}
    )
    assert response.status_code == 200
    assert "could not be written" in response.content.decode()
    assert not Place.objects.exists()


def _case_variant(name: str) -> str:
    return name.swapcase() if wikitext.name_key(name.swapcase()) == wikitext.name_key(name) else name


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=article_docs, data=st.data())
def test_generated_articles_with_case_variants_and_and_in_names_survive_export_and_import(
    doc, data
):
    """A first article stores its names; a second one names them in other
    case: export -> import -> export gives the same bytes, on one set of rows."""
    articles_import(sources=[("first.txt", wikitext.dump(doc).encode("utf-8"))])
    infobox = dataclasses.replace(
        doc.infobox,
        places=[*map(_case_variant, doc.infobox.places), "Trinidad and Tobago"]
        if "trinidad and tobago" not in map(wikitext.name_key, doc.infobox.places)
        else list(map(_case_variant, doc.infobox.places)),
        languages=list(map(_case_variant, doc.infobox.languages)),
        religions=list(map(_case_variant, doc.infobox.religions)),
    )
    title = data.draw(st.sampled_from(["Second article", "Дополнительная статья"]))
    second = dataclasses.replace(doc, title=title, infobox=infobox, see_also=[doc.title])
    if wikitext.name_key(doc.title) == wikitext.name_key(title):
        return
    [result] = articles_import(sources=[("second.txt", wikitext.dump(second).encode("utf-8"))])
    article = Article.objects.with_document().get(pk=result.article_id)
    exported = article_export(article=article)

    [again] = articles_import(sources=[("again.txt", exported.encode("utf-8"))])
    assert again.article_id == article.pk
    assert article_export(article=Article.objects.with_document().get(pk=article.pk)) == exported
    assert Language.objects.count() == len(doc.infobox.languages)
    Article.objects.all().delete()
    Place.objects.all().delete()
    Language.objects.all().delete()
    Religion.objects.all().delete()


# --- 15. export_articles --out with long non-ASCII slugs ---------------------

LONG_TITLES = [
    "Русские в " + "Афганистане и " * 16 + "Таджикистане",  # Cyrillic, ~240 letters
    "تاجیک‌ها در " + "ایران و " * 28 + "افغانستان",  # Arabic script with ZWNJ
]


def test_export_of_long_non_ascii_slugs_to_a_folder_writes_every_file(tmp_path):
    sources = [(f"{n}.txt", f"= {t} =\n\nLead {n}.\n".encode()) for n, t in enumerate(LONG_TITLES)]
    sources.append(("short.txt", "= Russians in Afghanistan =\n\nLead.\n".encode()))
    articles_import(sources=sources)
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert max(len(s.encode()) for s in slugs) > 255  # the case that crashed
    out = tmp_path / "backup"

    output = StringIO()
    call_command("export_articles", "--out", str(out), stdout=output)

    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(export_file_name(s) for s in slugs)
    assert all(len(name.encode()) <= 255 for name in files)
    assert "russians-in-afghanistan.txt" in files
    assert "Exported 3 article(s)" in output.getvalue()
    for slug in slugs:
        article = Article.objects.with_document().get(slug=slug)
        assert (out / export_file_name(slug)).read_text() == article_export(article=article)
    # Stable: a second backup writes the same names over the first.
    call_command("export_articles", "--out", str(out), stdout=StringIO())
    assert sorted(p.name for p in out.iterdir()) == files
    # And the folder imports back to the same articles.
    Article.objects.all().delete()
    run_import(out)
    assert sorted(Article.objects.values_list("title", flat=True)) == sorted(
        [*LONG_TITLES, "Russians in Afghanistan"]
    )


def test_export_that_cannot_write_a_file_is_a_clear_error_and_writes_nothing(tmp_path):
    articles_import(sources=[
        ("a.txt", f"= {LONG_TITLES[0]} =\n\nLead.\n".encode()),
        ("b.txt", "= Russians in Afghanistan =\n\nLead.\n".encode()),
    ])
    out = tmp_path / "backup"
    (out / "russians-in-afghanistan.txt").mkdir(parents=True)  # in the way

    with pytest.raises(CommandError, match="is a folder; nothing was written"):
        call_command("export_articles", "--out", str(out), stdout=StringIO())

    assert [p.name for p in out.iterdir()] == ["russians-in-afghanistan.txt"]


def test_export_file_names_are_cut_by_bytes_at_a_character_boundary():
    slug = "б" * 240
    name = export_file_name(slug)
    assert len(name.encode()) <= 255
    assert name.endswith(".txt") and name.startswith("б" * 100)
    assert export_file_name(slug) == name
    assert export_file_name("б" * 239 + "в") != name
    assert export_file_name("short") == "short.txt"


# --- 16. Characters XML forbids ----------------------------------------------


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\x0b"])
def test_import_refuses_characters_xml_forbids_with_file_and_line(tmp_path, char):
    path = write(tmp_path, "bad.txt", f"= Title =\n\nA lead{char} here.\n")
    with pytest.raises(CommandError) as info:
        run_import(path)
    assert str(info.value) == f"{path}:3: {'control ' if char < chr(128) else ''}character U+{ord(char):04X} is not allowed"
    assert not Article.objects.exists()


@pytest.mark.parametrize("field", ["title", "lead"])
def test_admin_refuses_u_fffe_in_a_title_or_lead(admin_client, db, field):
    values = {"title": "Russians in Afghanistan", "slug": "russians-in-afghanistan", "lead": "Lead."}
    values[field] = values[field].replace("in", "in\ufffe", 1) if field == "title" else "Le\ufffead."
    response = admin_add(admin_client, **values)

    assert response.status_code == 200
    assert "U+FFFE is not allowed" in response.content.decode()
    assert not Article.objects.exists()


# --- 17. Look-alike titles ---------------------------------------------------


def test_import_of_the_nfd_form_of_a_title_updates_the_nfc_article(tmp_path):
    nfc = "Café Owners in Testland"
    run_import(write(tmp_path, "a.txt", f"= {nfc} =\n\nFirst.\n"))
    run_import(write(tmp_path, "b.txt", f"= {unicodedata.normalize('NFD', nfc)} =\n\nSecond.\n"))

    [article] = Article.objects.all()
    assert article.title == nfc
    assert article.lead == "Second."


def test_import_of_a_title_with_a_zero_width_space_updates_the_seed(tmp_path, seed_fixture):
    run_import(write(tmp_path, "a.txt", "= Russians in Afghanistan\u200b =\n\nNew lead.\n"))

    [article] = Article.objects.all()
    assert article.title == "Russians in Afghanistan"
    assert article.lead == "New lead."


def test_admin_add_of_a_look_alike_title_is_refused_with_a_clear_message(
    admin_client, seed_fixture
):
    response = admin_add(
        admin_client, title="Russians in Afghanistan\u200b", slug="russians-in-afghanistan-2",
        lead="Look-alike.",
    )

    assert response.status_code == 200
    assert (
        "An article titled &#x27;Russians in Afghanistan&#x27; already exists: this title "
        "differs from it only by invisible characters or Unicode form."
    ) in response.content.decode()
    assert Article.objects.count() == 1


def test_admin_add_of_an_nfd_title_stores_it_in_nfc(admin_client, db):
    nfd = unicodedata.normalize("NFD", "Café Owners in Testland")
    response = admin_add(admin_client, title=nfd, slug="cafe-owners", lead="Lead.")

    assert response.status_code == 302
    assert Article.objects.get().title == "Café Owners in Testland"


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("\u200b\u2060", "The name has no visible character."),
        ("Russians in \u202enatsinahgfA", "bidirectional control character U+202E is not allowed"),
    ],
)
def test_admin_refuses_invisible_and_right_to_left_override_titles(
    admin_client, db, title, message
):
    response = admin_add(admin_client, title=title, slug="x", lead="Lead.")

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_import_refuses_a_zero_width_title_and_an_override_with_file_and_line(tmp_path):
    blank = write(tmp_path, "blank.txt", "= \u200b\u200b =\n\nLead.\n")
    rlo = write(tmp_path, "rlo.txt", "= T =\n\n==See also==\n- Russians in \u202enatsinahgfA\n")
    with pytest.raises(CommandError, match=f"{blank}:1: the title has no visible character"):
        run_import(blank)
    with pytest.raises(CommandError, match=f"{rlo}:4: the title contains a bidirectional"):
        run_import(rlo)
    assert not Article.objects.exists()


def test_persian_title_with_zero_width_non_joiner_is_kept_byte_exact(tmp_path, admin_client):
    text = f"= {TAJIKS} =\n\nInfobox\n- Langs: فارسی\n\nتاجیک‌ها در ایران زندگی می‌کنند.\n"
    run_import(write(tmp_path, "tajik.txt", text))

    article = Article.objects.get()
    assert article.title.encode() == TAJIKS.encode()
    assert export(article.slug) == text
    # Saved again through the admin, it stays so.
    change = f"/admin/articles/article/{article.pk}/change/"
    assert admin_client.post(change, change_form_data(admin_client.get(change))).status_code == 302
    assert Article.objects.get().title.encode() == TAJIKS.encode()
    assert export(article.slug) == text


def test_names_of_people_and_aliases_are_stored_in_nfc(admin_client, db):
    nfd = unicodedata.normalize("NFD", "José Müller")
    response = admin_client.get("/admin/people/person/add/")
    data = change_form_data(response)
    data.update(name=nfd, slug="jose")
    data["aliases-0-name"] = nfd + "\u200b Jr"
    assert admin_client.post("/admin/people/person/add/", data).status_code == 302
    person = Person.objects.get()
    assert person.name == "José Müller"
    assert list(person.aliases.values_list("name", flat=True)) == ["José Müller Jr"]
