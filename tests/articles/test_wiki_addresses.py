"""Wikipedia-style addresses and the random article: ``/wiki/<Title>``
with underscores or spaces, in any case and any script, is a permanent
redirect to the article's own address; ``/random/`` a temporary one to a
published article, never cached, in a fixed number of queries whatever
the number of articles. The last tests go through gunicorn (tests/servers.py),
where encyclopedia.fastpath answers /wiki/ paths before Django does."""

from __future__ import annotations

import urllib.parse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from encyclopedia.text import slug_base
from tests.factories import ArticleFactory
from tests.servers import Site

CYRILLIC = "Русские в Афганистане"
ARABIC = "الروس في أفغانستان"
PERSIAN = "هزاره\u200cها در ایران"  # with a zero-width non-joiner, as Persian is written


def location(client, path: str, status: int = 301) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response["Location"]


@pytest.fixture
def articles(db):
    return {
        "latin": ArticleFactory(title="Russians in Afghanistan", slug="russians-in-afghanistan"),
        "cyrillic": ArticleFactory(title=CYRILLIC, slug="русские-в-афганистане"),
        "arabic": ArticleFactory(title=ARABIC, slug="الروس-في-أفغانستان"),
        "persian": ArticleFactory(title=PERSIAN, slug=slug_base(PERSIAN, fallback="")),
    }


@pytest.mark.parametrize("path", [
    "/wiki/Russians_in_Afghanistan",
    "/wiki/Russians_in_Afghanistan/",
    "/wiki/Russians in Afghanistan",
    "/wiki/russians_IN_afghanistan",
    "/wiki/RUSSIANS-IN-AFGHANISTAN/",
    "/wiki/Russians__in_ Afghanistan_",
])
def test_a_title_with_underscores_or_spaces_in_any_case_redirects_for_good(
    client, articles, path
):
    assert location(client, path) == "/wiki/russians-in-afghanistan/"


@pytest.mark.parametrize("path, slug", [
    ("/wiki/Русские_в_Афганистане", "русские-в-афганистане"),
    ("/wiki/РУССКИЕ В АФГАНИСТАНЕ/", "русские-в-афганистане"),
    ("/wiki/الروس_في_أفغانستان", "الروس-في-أفغانستان"),
    ("/wiki/الروس في أفغانستان/", "الروس-في-أفغانستان"),
])
def test_cyrillic_and_arabic_script_titles_redirect_too(client, articles, path, slug):
    assert urllib.parse.unquote(location(client, path)) == f"/wiki/{slug}/"


def test_a_persian_title_with_its_zero_width_non_joiner_redirects(client, articles):
    path = "/wiki/" + PERSIAN.replace(" ", "_")
    expected = articles["persian"].get_absolute_url()
    assert urllib.parse.unquote(location(client, path)) == urllib.parse.unquote(expected)


def test_the_redirect_lands_on_the_article(client, articles):
    response = client.get("/wiki/Russians_in_Afghanistan", follow=True)
    assert response.redirect_chain == [("/wiki/russians-in-afghanistan/", 301)]
    assert "<h1>Russians in Afghanistan</h1>" in response.content.decode()


def test_a_title_whose_slug_was_taken_twice_finds_its_own_article(client, db):
    # "Kurds in Iraq!" slugifies as "kurds-in-iraq", already taken: it got "-2".
    ArticleFactory(title="Kurds in Iraq", slug="kurds-in-iraq")
    ArticleFactory(title="Kurds in Iraq!", slug="kurds-in-iraq-2")
    assert location(client, "/wiki/kurds_in_iraq!") == "/wiki/kurds-in-iraq-2/"
    assert location(client, "/wiki/Kurds_in_Iraq") == "/wiki/kurds-in-iraq/"


def test_a_former_title_redirects_to_the_article_renamed(admin_client, client, articles):
    from tests.test_cache import admin_save

    article = articles["latin"]
    admin_save(admin_client, f"/admin/articles/article/{article.pk}/change/",
               title="Russian community in Afghanistan")
    article.refresh_from_db()
    assert location(client, "/wiki/Russians_in_Afghanistan") == article.get_absolute_url()


@pytest.mark.parametrize("path", [
    "/wiki/No_such_article", "/wiki/No such article/", "/wiki/%00", "/wiki/%3Cscript%3E",
    "/wiki/___", "/wiki/" + "x" * 3000,
])
def test_an_address_naming_no_article_is_a_404_never_a_500(client, articles, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


def test_a_draft_is_not_reached_by_its_title(client, db):
    ArticleFactory(title="Poles in Brazil", slug="poles-in-brazil", status=Article.Status.DRAFT)
    assert client.get("/wiki/Poles_in_Brazil").status_code == 404


# /random/ -------------------------------------------------------------------


def test_random_goes_to_a_published_article_and_is_never_cached(client, db):
    published = {ArticleFactory(title=f"Group{n} in Land", slug=f"group{n}-in-land").slug
                 for n in range(5)}
    ArticleFactory(title="Hidden in Draftland", slug="hidden-in-draftland",
                   status=Article.Status.DRAFT)
    seen = set()
    for _ in range(40):
        response = client.get("/random/")
        assert response.status_code == 302
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        seen.add(response["Location"].strip("/").split("/")[-1])
    assert seen <= published
    assert len(seen) > 1  # 40 draws of 5: all the same one is a 1 in 5**39 chance


def test_random_takes_the_same_queries_for_3_and_300_articles(client, db):
    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/random/").status_code == 302
        return [q["sql"] for q in captured if "article" in q["sql"].lower()]

    Article.objects.bulk_create(
        Article(title=f"Small{n} in Land", slug=f"small{n}-in-land", status="published")
        for n in range(3)
    )
    few = queries()
    Article.objects.bulk_create(
        Article(title=f"Big{n} in Land", slug=f"big{n}-in-land", status="published")
        for n in range(300)
    )
    many = queries()
    assert len(few) == len(many) <= 3
    assert not any("RANDOM" in sql.upper() for sql in many)  # no ORDER BY RANDOM()


def test_random_with_no_published_article_is_a_404(client, db):
    ArticleFactory(title="Only in Draft", status=Article.Status.DRAFT)
    assert client.get("/random/").status_code == 404


# Through gunicorn and the fast path --------------------------------------------


def _text(title: str) -> str:
    return f"= {title} =\n\nLead of {title}.\n\n==History==\nText.\n"


@pytest.mark.slow
def test_the_real_server_redirects_wikipedia_addresses_past_the_fast_path(tmp_path):
    site = Site.create(tmp_path)
    files = tmp_path / "articles"
    files.mkdir()
    for index, title in enumerate(["Russians in Afghanistan", CYRILLIC, ARABIC]):
        (files / f"{index}.txt").write_text(_text(title), "utf-8")
    result = site.manage("import_articles", str(files))
    assert result.returncode == 0, result.stdout + result.stderr
    quote = urllib.parse.quote
    with site.serve(workers=1) as server:
        browser = server.browser()
        for title, slug in [("Russians in Afghanistan", "russians-in-afghanistan"),
                            (CYRILLIC, "русские-в-афганистане"),
                            (ARABIC, "الروس-في-أفغانستان")]:
            own = f"/wiki/{quote(slug)}/"
            # Twice: the second time the fast path knows a stored page's headers.
            for _ in range(2):
                page = browser.get(own)
                assert page.status == 200 and f"<h1>{title}</h1>" in page.text
            for address in (title.replace(" ", "_"), title.upper(), f"{title.replace(' ', '_')}/"):
                answer = browser.get("/wiki/" + quote(address))
                assert answer.status == 301, (address, answer.status)
                assert answer.headers["Location"] == own
        for _ in range(2):
            answer = browser.get("/random/")
            assert answer.status == 302
            assert "no-store" in answer.headers["Cache-Control"]
            assert browser.get(answer.headers["Location"]).status == 200
