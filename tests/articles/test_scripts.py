"""Titles and slugs in every script: Cyrillic, Arabic script with its
zero-width non-joiners (Dari: "هزاره‌ها" is not "هزارهها"), CJK. The slug
keeps what the title spells, the page answers at its address (through the
test client and through gunicorn), the old address redirects after a
rename, search finds the title by its words and the export writes the
title's bytes as they came in. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import urllib.parse

import pytest
from django.core.exceptions import ValidationError
from django.utils.text import slugify as django_slugify

from articles import search
from articles.models import Article
from articles.services import article_export, articles_import
from encyclopedia import text
from encyclopedia.text import SlugField, slug_base, slugify
from tests.search.pages import result_titles
from tests.servers import Site

ZWNJ = "\u200c"
DARI = f"هزاره{ZWNJ}ها در کابل"  # "Hazaras in Kabul", the plural joined by a ZWNJ
DARI_SLUG = f"هزاره{ZWNJ}ها-در-کابل"
CYRILLIC = "Русские в Казахстане"
CYRILLIC_SLUG = "русские-в-казахстане"
CJK = "東京の日本人"
CJK_SLUG = "東京の日本人"


def wiki(title: str, lead: str) -> bytes:
    return f"= {title} =\n\n{lead}\n".encode()


def import_one(title: str, lead: str) -> Article:
    [result] = articles_import(sources=[("a.txt", wiki(title, lead))])
    return result.article


# The slug rule ---------------------------------------------------------------


def test_the_slug_keeps_the_zero_width_non_joiner_that_djangos_slugify_drops():
    assert slugify(DARI) == DARI_SLUG
    assert django_slugify(DARI, allow_unicode=True) == "هزارهها-در-کابل"  # another spelling
    assert slugify(f"می{ZWNJ}خواهم") == f"می{ZWNJ}خواهم"


def test_the_slug_field_accepts_the_joiner_and_refuses_what_slugify_never_makes():
    field = SlugField(max_length=255)
    field.run_validators(DARI_SLUG)
    assert field.formfield().clean(DARI_SLUG) == DARI_SLUG
    for bad in ("a b", "a/b", "a.b"):
        with pytest.raises(ValidationError):
            field.run_validators(bad)
        with pytest.raises(ValidationError):
            field.formfield().clean(bad)


@pytest.mark.django_db
def test_an_imported_dari_title_keeps_its_joiner_in_the_address(client):
    article = import_one(DARI, "A lead.")
    assert article.slug == DARI_SLUG
    response = client.get(f"/wiki/{urllib.parse.quote(DARI_SLUG)}/")
    assert response.status_code == 200


def test_a_joiner_at_the_edge_of_a_word_is_dropped():
    assert slugify(f"{ZWNJ}هزاره{ZWNJ} {ZWNJ}ها{ZWNJ}") == "هزاره-ها"
    assert slugify(f"a {ZWNJ} b") == "a-b"
    # Cut at the length limit right after a joiner: no joiner at the end.
    title = "ب" * 239 + f"ه{ZWNJ}ها"
    assert slug_base(title, fallback="") == "ب" * 239 + "ه"  # with or without the switch


@pytest.mark.parametrize("title", [
    CYRILLIC, CJK, "Russians in Afghanistan", "Kurds in Iraq!", "  Ünïcode ﬁ  --x__ ",
    "الروس في أفغانستان", "emoji 👨‍👩 x",
])
def test_without_a_joiner_inside_a_word_the_slug_is_djangos(title):
    assert slugify(title) == django_slugify(title, allow_unicode=True)


def test_cyrillic_and_cjk_titles_keep_their_letters():
    assert slug_base(CYRILLIC, fallback="") == CYRILLIC_SLUG
    assert slug_base(CJK, fallback="") == CJK_SLUG


# The whole path, through the test client --------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("title, slug", [
    (DARI, slug_base(DARI, fallback="")), (CYRILLIC, CYRILLIC_SLUG), (CJK, CJK_SLUG),
])
def test_an_imported_title_gets_its_slug_and_its_page_answers_there(client, title, slug):
    article = import_one(title, "A lead.")
    assert article.slug == slug
    url = f"/wiki/{urllib.parse.quote(slug)}/"
    assert article.get_absolute_url() in (url, f"/wiki/{slug}/")
    response = client.get(url)
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_a_slug_without_its_joiner_is_another_address(client):
    import_one(DARI, "A lead.")
    response = client.get("/wiki/" + urllib.parse.quote(DARI_SLUG.replace(ZWNJ, "")) + "/")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("title", [DARI, CYRILLIC, CJK])
def test_the_export_writes_the_titles_bytes_unchanged(title):
    article = import_one(title, "A lead.")
    exported = article_export(article=article).encode("utf-8")
    assert exported.startswith(f"= {title} =\n".encode())
    assert exported == wiki(title, "A lead.")


@pytest.mark.django_db
def test_the_former_address_of_a_renamed_dari_article_redirects(admin_client, client):
    from tests.test_cache import admin_save

    article = import_one(DARI, "A lead.")
    old_slug = article.slug
    new_title = f"تاجیک{ZWNJ}ها در کابل"
    new_slug = slug_base(new_title, fallback="")
    admin_save(admin_client, f"/admin/articles/article/{article.pk}/change/",
               title=new_title, slug=new_slug)
    article.refresh_from_db()
    assert (article.title, article.slug) == (new_title, new_slug)
    response = client.get(f"/wiki/{urllib.parse.quote(old_slug)}/")
    assert response.status_code == 301
    assert urllib.parse.unquote(response["Location"]) == f"/wiki/{new_slug}/"


# Search by the title's words -------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_the_dari_title_by_a_word_with_its_joiner(client):
    import_one(DARI, "شهر کابل.")
    import_one("هزاره در کابل", "Another article, the singular.")
    query = f"هزاره{ZWNJ}ها"
    assert search.clean_query(query) == query
    assert [a.title for a in search.search_articles(query)] == [DARI]
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert result_titles(response) == [DARI]


@pytest.mark.django_db
def test_search_finds_the_cyrillic_title_by_its_word_in_any_case():
    import_one(CYRILLIC, "Лид.")
    assert [a.title for a in search.search_articles("казахстане")] == [CYRILLIC]
    assert [a.title for a in search.search_articles("РУССКИЕ")] == [CYRILLIC]


@pytest.mark.django_db
def test_a_cjk_title_is_found_by_the_whole_run_not_by_a_part():
    """Neither FTS5's unicode61 nor PostgreSQL's parser splits a run of CJK
    characters into words: the whole run is one word."""
    import_one(CJK, "東京に住む日本人")
    assert [a.title for a in search.search_articles(CJK)] == [CJK]
    assert list(search.search_articles("東京")) == []


# Through gunicorn ------------------------------------------------------------------


@pytest.mark.slow
def test_the_real_server_answers_at_percent_encoded_addresses_in_every_script(tmp_path):
    site = Site.create(tmp_path)
    files = tmp_path / "articles"
    files.mkdir()
    titles = {DARI: slug_base(DARI, fallback=""), CYRILLIC: CYRILLIC_SLUG, CJK: CJK_SLUG}
    for index, title in enumerate(titles):
        (files / f"{index}.txt").write_bytes(wiki(title, "A lead."))
    result = site.manage("import_articles", str(files))
    assert result.returncode == 0, result.stdout + result.stderr
    with site.serve(workers=1) as server:
        browser = server.browser()
        for title, slug in titles.items():
            own = f"/wiki/{urllib.parse.quote(slug)}/"
            for _ in range(2):  # the second time from the stored page
                page = browser.get(own)
                assert page.status == 200, (title, page.status)
                assert f"<h1>{title}</h1>" in page.text
            answer = browser.get("/wiki/" + urllib.parse.quote(title.replace(" ", "_")))
            assert answer.status == 301
            assert answer.headers["Location"] == own
            found = browser.get("/search/?" + urllib.parse.urlencode({"q": title}))
            assert found.status == 200
            assert f'href="{own}"' in found.text or f'href="/wiki/{slug}/"' in found.text
