"""What search engines and link previews read in an article page's head."""

import json
import re
from html import unescape

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.selectors import article_page

from tests.factories import ArticleFactory, SectionFactory, SeeAlsoFactory
from tests.machine.conftest import HOSTILE_TITLE

pytestmark = pytest.mark.django_db

URL = "http://testserver/wiki/russians-in-afghanistan/"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _head(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    return html[: html.index("</head>")]


def _meta(head: str, attribute: str, name: str) -> list[str]:
    return [
        unescape(value)
        for value in re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', head)
    ]


def _json_ld(head: str) -> dict:
    [block] = JSON_LD.findall(head)
    return json.loads(block)


def test_article_page_has_exactly_one_canonical_link_with_the_absolute_url(client, seed_article):
    head = _head(client, seed_article)
    assert re.findall(r'<link rel="canonical" href="([^"]*)">', head) == [URL]


def test_article_page_has_description_and_opengraph(client, seed_article):
    head = _head(client, seed_article)

    [description] = _meta(head, "name", "description")
    assert description.startswith("There are currently estimated to be 1,500 Russians")
    assert len(description.split()) == 30 and description.endswith("…")
    assert _meta(head, "property", "og:title") == ["Russians in Afghanistan"]
    assert _meta(head, "property", "og:type") == ["article"]
    assert _meta(head, "property", "og:url") == [URL]
    assert _meta(head, "property", "og:site_name") == ["Diaspora Encyclopedia"]
    assert _meta(head, "property", "og:description") == [description]
    assert _meta(head, "property", "article:modified_time") == [seed_article.updated.isoformat()]
    assert sorted(_meta(head, "property", "article:tag")) == ["Afghanistan", "Russia"]


def test_article_page_json_ld_describes_the_article(client, seed_article):
    data = _json_ld(_head(client, seed_article))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"] == "Russians in Afghanistan"
    assert data["url"] == URL
    assert data["dateModified"] == seed_article.updated.isoformat()
    assert data["dateCreated"] == seed_article.created.isoformat()
    assert data["about"] == {"@type": "Thing", "name": "Russians in Afghanistan"}
    assert data["keywords"] == ["Afghanistan", "Russia"]
    assert data["description"].startswith("There are currently estimated")


def test_hostile_title_cannot_break_out_of_the_json_ld_or_the_attributes(client, hostile_article):
    head = _head(client, hostile_article)

    [block] = JSON_LD.findall(head)
    assert "</script" not in block.lower()
    assert "<!--" not in block
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    assert data["headline"] == HOSTILE_TITLE
    assert data["about"]["name"] == '</script><script>alert("group")</script>'
    assert data["keywords"] == ["</script>tag"]
    # The only script element in the head is the JSON-LD one.
    assert head.count("<script") == 1
    assert _meta(head, "property", "og:title") == [HOSTILE_TITLE]
    assert '"quotes"' not in head.replace(block, "")  # quotes are escaped in attributes


def test_article_page_query_count_is_the_same_for_one_section_and_forty(client, db):
    small = ArticleFactory(title="Small in A")
    SectionFactory(article=small, position=0)
    # One title no article has, as the big one's: a page with missing titles
    # makes one query more (the places and people of those names), whatever
    # their number.
    SeeAlsoFactory(article=small, position=0)
    big = ArticleFactory(title="Big in B")
    for n in range(40):
        SectionFactory(article=big, position=n)
        SeeAlsoFactory(article=big, position=n)
    big.tags.add("one", "two", "three")
    counts = []
    for article in (small, big):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(article.get_absolute_url()).content.decode()
        assert '<link rel="canonical"' in html and "application/ld+json" in html
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_meta_tags_make_no_queries_of_their_own(rf, seed_article, django_assert_num_queries):
    article = Article.objects.for_page().get(pk=seed_article.pk)
    page = article_page(article=article)
    request = rf.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        html = render_to_string(
            "includes/article_meta.html", {"article": article, "page": page}, request=request
        )
    assert _json_ld(html)["headline"] == "Russians in Afghanistan"
    assert _json_ld(html)["contentLocation"]["url"] == "http://testserver/places/afghanistan/"
