"""The admin's history page of an article: one table of revisions, newest
first, with time to the second, author, edit summary, size change, and a
one-click compare with the previous revision; a fixed number of queries."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.admin.history_views import HISTORY_PER_PAGE
from articles.services import article_edit, article_export, articles_import
from tests.admin_forms import change_form_data
from tests.html import visible_text

pytestmark = pytest.mark.django_db

TEXT = """\
= Uzbeks in Russia =

Infobox
- Group: Uzbeks in Russia
- Population: 100

The lead.

==History==
Old history.
"""


class _Table(HTMLParser):
    """The rows of the page's tables: each cell's text, and the links."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.links: list[dict] = []
        self._cell: list[str] | None = None
        self._link: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in {"td", "th"} and self.tables:
            self._cell = []
        elif tag == "a":
            self._link = {**attrs, "text": ""}
            self.links.append(self._link)

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self._cell is not None:
            self.tables[-1][-1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link["text"] += data


def parsed(html: str) -> _Table:
    """The tables and links of the page's content (not the admin's sidebar)."""
    parser = _Table()
    parser.feed(html[html.index('id="content-main"'):])
    return parser


@pytest.fixture
def article(admin_user):
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())], user=admin_user)
    return result.article


def history_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/history/"


def revisions(article) -> list:
    return [v.revision for v in Version.objects.get_for_object(article).select_related("revision")]


def save_lead(client, article, lead: str, summary: str = "") -> None:
    """A save through the admin's change form, as an editor makes it."""
    url = f"/admin/articles/article/{article.pk}/change/"
    data = change_form_data(client.get(url))
    data["lead"] = lead
    if "edit_summary" in data or summary:
        data["edit_summary"] = summary
    assert client.post(url, data).status_code == 302


def test_one_table_newest_first_with_seconds_authors_comments_and_signed_size_changes(
    admin_client, article, admin_user
):
    save_lead(admin_client, article, "The lead, now with a longer sentence about the community.")
    save_lead(admin_client, article, "Short.")
    newest, middle, oldest = revisions(article)

    html = admin_client.get(history_url(article)).content.decode()
    page = parsed(html)
    assert len(page.tables) == 1, "the admin's log is not repeated in a second table"
    header, *rows = page.tables[0]
    assert header == ["Time", "Author", "Edit summary", "Size change", "Compare", "Older", "Newer", "Revert"]
    assert [row[0] for row in rows] == [
        r.date_created.strftime("%Y-%m-%d %H:%M:%S") for r in (newest, middle, oldest)
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row[0]) for row in rows)
    assert [row[1] for row in rows] == [admin_user.username] * 3
    assert rows[2][2] == "Imported from uzbeks.txt"
    assert "Lead" in rows[0][2] and "Lead" in rows[1][2]

    grown = len("The lead, now with a longer sentence about the community.") - len("The lead.")
    shrunk = len("Short.") - len("The lead, now with a longer sentence about the community.")
    assert [row[3] for row in rows] == [f"\u2212{-shrunk}", f"+{grown}", f"+{len(TEXT.encode())}"]
    assert "Action" not in visible_text(html)  # the log table's header
    article.refresh_from_db()
    assert f'title="{len(article_export(article=article).encode())} bytes after"' in html


def test_each_row_compares_with_the_previous_revision_in_one_click(admin_client, article):
    save_lead(admin_client, article, "A second lead.")
    save_lead(admin_client, article, "A third lead.")
    newest, middle, oldest = revisions(article)

    links = [a for a in parsed(admin_client.get(history_url(article)).content.decode()).links
             if a.get("class") == "compare-prev"]
    assert [a["text"] for a in links] == ["prev", "prev"]
    expected = [(middle, newest, "second", "third"), (oldest, middle, "The", "A second")]
    for link, (old, new, removed, added) in zip(links, expected, strict=True):
        assert link["href"] == f"compare/?a={old.pk}&b={new.pk}"
        compare = admin_client.get(history_url(article) + link["href"]).content.decode()
        assert f"From revision {old.pk} " in visible_text(compare)
        assert f"to revision {new.pk} " in visible_text(compare)
        assert f"<del>{removed}</del>" in compare or removed in compare
        assert added in visible_text(compare)


def test_hostile_edit_summary_and_author_are_escaped(admin_client, article, admin_user):
    article_edit(article=article, changes={"lead": "x"}, user=admin_user,
                 comment='<script>alert(1)</script><img src=x onerror=alert(2)>')
    html = admin_client.get(history_url(article)).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _history_queries(client, article) -> list[str]:
    client.get(history_url(article))  # the session and permissions cached, as for an editor
    with CaptureQueriesContext(connection) as queries:
        response = client.get(history_url(article))
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("count", [2, 20])
def test_the_page_makes_the_same_number_of_queries_at_2_and_20_revisions(
    admin_client, article, admin_user, count
):
    for number in range(count - 1):
        article_edit(article=article, changes={"lead": f"Lead number {number}."}, user=admin_user,
                     comment=f"Edit {number}")
    assert len(revisions(article)) == count
    queries = _history_queries(admin_client, article)
    # The signed-in user, the article twice (ArticleAdmin.history_view and the
    # admin's own), the admin log's count (Django's history_view still counts
    # it, though the page no longer lists it), the revisions' count and their
    # page with authors, and all their versions (the sizes). The infobox here
    # lists no named terms, which would add one query per kind of term.
    assert len(queries) == 7, "\n".join(q[:120] for q in queries)
    html = admin_client.get(history_url(article)).content.decode()
    assert html.count('class="compare-prev"') == count - 1


def test_a_long_history_is_paginated_and_the_next_page_starts_where_the_first_ended(
    admin_client, article, admin_user
):
    for number in range(HISTORY_PER_PAGE + 2):
        article_edit(article=article, changes={"lead": f"Lead {number}."}, user=admin_user,
                     comment=f"Edit {number}")
    first = parsed(admin_client.get(history_url(article)).content.decode()).tables[0][1:]
    second_html = admin_client.get(history_url(article), {"p": 2}).content.decode()
    second = parsed(second_html).tables[0][1:]
    assert len(first) == HISTORY_PER_PAGE
    assert [row[2] for row in first[:2]] == [f"Edit {HISTORY_PER_PAGE + 1}", f"Edit {HISTORY_PER_PAGE}"]
    assert [row[2] for row in second] == ["Edit 1", "Edit 0", "Imported from uzbeks.txt"]
    assert f"{HISTORY_PER_PAGE + 3} revisions" in visible_text(second_html)
    # The first page's oldest row still compares with the revision before it.
    assert first[-1][4] == "prev"
