"""A title that See also shows is not repeated under Related communities
(issue 15, "No repeats"): the related block shows only what See also
lacks, and is left out when See also holds all of it."""

import re

import pytest

from articles.models import Article
from articles.services import articles_import
from tests.html import visible_text

pytestmark = pytest.mark.django_db

SEE_ALSO = ["Afghans in Russia", "Armenians in Afghanistan", "Russians in Pakistan"]


def _page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _shown_as_link_or_missing(html: str, title: str) -> int:
    """How many links or missing-title spans the page shows for ``title``."""
    return len(re.findall(rf"<(?:a|span) [^>]*>{re.escape(title)}</(?:a|span)>", html))


def _related_block(html: str) -> str:
    match = re.search(r'<section class="related".*?</section>', html, re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("title", SEE_ALSO)
def test_seed_page_shows_each_see_also_title_once(client, seed_fixture, title):
    html = _page(client, seed_fixture)
    assert _shown_as_link_or_missing(html, title) == 1, title
    see_also = re.search(r'<section class="see-also".*?</section>', html, re.S).group(0)
    assert title in visible_text(see_also)
    assert title not in visible_text(_related_block(html))


def test_seed_page_has_no_related_block_when_see_also_holds_it_all(client, seed_fixture):
    html = _page(client, seed_fixture)
    assert "Related communities" not in visible_text(html)
    assert _related_block(html) == ""


def test_related_block_shows_only_what_see_also_lacks(client, seed_fixture):
    articles_import(sources=[("iran.txt", "= Russians in Iran =\n\nLead.\n".encode())])
    Article.objects.filter(title="Russians in Iran").update(status=Article.Status.PUBLISHED)
    iran = Article.objects.get(title="Russians in Iran")
    html = _page(client, seed_fixture)
    related = visible_text(_related_block(html))
    assert related == "Related communities Russians in other countries Russians in Iran"
    assert f'<a href="{iran.get_absolute_url()}">Russians in Iran</a>' in _related_block(html)
    for title in SEE_ALSO:
        assert _shown_as_link_or_missing(html, title) == 1, title
