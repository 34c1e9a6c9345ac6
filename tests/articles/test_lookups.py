"""articles.lookups: the one redirect from a former slug, as readers, editors
and machines meet it (the article page and its JSON)."""

import pytest

from articles.models import Article, FormerName, PersonMention, PlaceMention
from tests.factories import ArticleFactory, PersonFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def renamed(status: str) -> Article:
    article = ArticleFactory(title="Tatars in Finland", status=status)
    FormerName.objects.create(article=article, title="Finnish Tatars", slug="finnish-tatars")
    return article


def test_former_slug_of_a_published_article_redirects_permanently_page_and_json(client):
    article = renamed(Article.Status.PUBLISHED)

    page = client.get("/wiki/finnish-tatars/")
    data = client.get("/api/articles/finnish-tatars/")

    assert (page.status_code, page["Location"]) == (301, f"/wiki/{article.slug}/")
    assert (data.status_code, data["Location"]) == (301, f"/api/articles/{article.slug}/")


def test_former_slug_of_a_draft_redirects_an_editor_temporarily_and_readers_nowhere(
    client, admin_client
):
    article = renamed(Article.Status.DRAFT)

    editor = admin_client.get("/wiki/finnish-tatars/")

    assert (editor.status_code, editor["Location"]) == (302, f"/wiki/{article.slug}/")
    assert client.get("/wiki/finnish-tatars/").status_code == 404
    assert admin_client.get("/api/articles/finnish-tatars/").status_code == 404


def test_shown_mentions_are_found_and_added_not_removed():
    article = ArticleFactory(title="Tatars in Finland")
    found, added, removed = (PersonFactory(name=n) for n in ("Ayaz", "Bulat", "Chulpan"))
    for person, state in ((found, "found"), (added, "added"), (removed, "removed")):
        PersonMention.objects.create(article=article, person=person, state=state)
    PlaceMention.objects.create(article=article, place=PlaceFactory(name="Tampere"), state="removed")

    shown = PersonMention.objects.shown().filter(article=article)

    assert sorted(m.person.name for m in shown) == ["Ayaz", "Bulat"]
    assert [p.name for p in article.mentioned_people()] == ["Ayaz", "Bulat"]
    assert list(article.mentioned_places()) == []
