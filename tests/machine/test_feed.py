"""The Atom feed of recently changed articles."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory
from tests.machine.conftest import HOSTILE_TITLE

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client):
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response.content, ET.fromstring(response.content)


def _entries(root):
    return {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}


def test_feed_is_atom_with_the_article_title_absolute_link_and_dates(client, seed_article):
    _, root = _feed(client)

    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Diaspora Encyclopedia: recently changed articles"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Diaspora Encyclopedia"
    entry = _entries(root)["Russians in Afghanistan"]
    [link] = entry.findall(f"{ATOM}link")
    assert link.get("href") == "http://testserver/wiki/russians-in-afghanistan/"
    assert link.get("rel") == "alternate"
    updated = dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert updated == seed_article.updated
    assert entry.findtext(f"{ATOM}id").startswith("tag:testserver,")
    assert entry.findtext(f"{ATOM}id").endswith(f":article/{seed_article.pk}")


def test_feed_summary_is_the_lead_as_plain_text_cut_to_sixty_words(client, seed_article):
    _, root = _feed(client)
    summary = _entries(root)["Russians in Afghanistan"].find(f"{ATOM}summary")

    assert summary.get("type") == "text"
    assert summary.text.startswith(
        "There are currently estimated to be 1,500 Russians in Afghanistan, which in this "
        "article refers not only to ethnic Russians, but also to any citizens of Russia. "
        "In the 1960s and 1970s"  # paragraphs joined by a space, not run together
    )
    assert "<" not in summary.text
    assert summary.text.endswith("…")
    assert len(summary.text.split()) == 60


def test_feed_escapes_a_hostile_title_and_lead(client, hostile_article):
    content, root = _feed(client)

    assert b"<script>" not in content
    assert b"</script>" not in content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; in X" in content
    entry = _entries(root)[HOSTILE_TITLE]  # parses back to exactly the title
    # Markdown keeps raw HTML as text, and so does the plain-text summary.
    assert entry.findtext(f"{ATOM}summary") == (
        'Text with </script><!-- and "quotes" & <b>tags</b> and separators.'
    )


def test_feed_has_the_fifty_most_recently_changed_published_articles_newest_first(client, db):
    for n in range(55):
        ArticleFactory(title=f"Group{n} in Land")
    now = timezone.now()
    for n in range(55):  # auto_now: set the dates with update()
        Article.objects.filter(title=f"Group{n} in Land").update(
            updated=now - dt.timedelta(hours=n)
        )
    ArticleFactory(title="Drafted in Land", status=Article.Status.DRAFT)

    _, root = _feed(client)

    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert titles == [f"Group{n} in Land" for n in range(50)]
    assert dt.datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == now


def test_feed_query_count_is_one(client, db, django_assert_num_queries):
    for n in range(20):
        ArticleFactory()
    with django_assert_num_queries(1):
        client.get("/feed/")


def test_pages_link_to_the_feed(client, seed_article):
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feed/"' in html


def test_feed_parses_when_the_database_holds_characters_xml_forbids(client, db):
    # The forms and the import refuse them; written straight to the database
    # they must still not make the feed unparseable.
    article = ArticleFactory(title="Russians in Afghanistan", lead="A lead.")
    Article.objects.filter(pk=article.pk).update(
        title="Russians\ufffe in\x01 Afghanistan\uffff", lead_html="<p>Le\ufffead\x01.</p>"
    )

    _, root = _feed(client)  # parses

    [entry] = root.iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Russians in Afghanistan"
    assert entry.findtext(f"{ATOM}summary") == "Lead."
