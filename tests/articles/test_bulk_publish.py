"""Publish and unpublish selected articles from the admin's change list: a
revision each, the public pages on the very next request, change permission
required."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from reversion.models import Version

from articles.models import Article
from articles.services import articles_import
from tests.html import visible_text

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


def wikitext(title: str, lead: str) -> bytes:
    return f"= {title} =\n\n{lead}\n\n==History==\nSome history.\n".encode()


@pytest.fixture
def drafts(admin_user) -> list[Article]:
    results = articles_import(
        sources=[
            ("tajiks.txt", wikitext("Tajiks in Russia", "About Tajiks in Russia.")),
            ("uzbeks.txt", wikitext("Узбеки в России", "Об узбеках в России.")),
            ("other.txt", wikitext("Kazakhs in Russia", "About Kazakhs.")),
        ],
        user=admin_user,
        status=Article.Status.DRAFT,
    )
    return [result.article for result in results]


def act(client, action: str, articles) -> object:
    """The change list's action form, as the browser posts it."""
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles], "index": "0"},
        follow=True,
    )


def comments(article) -> list[str]:
    return [v.revision.get_comment() for v in
            Version.objects.get_for_object(article).select_related("revision")]


def test_the_change_list_offers_publish_and_unpublish_beside_delete(admin_client, drafts):
    html = admin_client.get(CHANGELIST).content.decode()
    assert '<option value="publish">Publish selected articles</option>' in html
    assert '<option value="unpublish">Unpublish selected articles (make them drafts)</option>' in html
    assert '<option value="delete_selected">' in html


def test_publish_makes_a_revision_each_and_the_pages_appear_on_the_next_request(
    admin_client, drafts, admin_user
):
    tajiks, uzbeks, kazakhs = drafts
    reader = Client()
    # Each public page asked for (and so cached, if it can be) before.
    for article in drafts:
        assert reader.get(article.get_absolute_url()).status_code == 404
    listing = reader.get("/articles/")
    assert "Tajiks in Russia" not in visible_text(listing.content.decode())

    response = act(admin_client, "publish", [tajiks, uzbeks])
    assert "2 articles published." in visible_text(response.content.decode())
    assert set(Article.objects.published().values_list("title", flat=True)) == {
        "Tajiks in Russia", "Узбеки в России"
    }
    for article in (tajiks, uzbeks):
        assert comments(article) == ["Published", "Imported from " + ("tajiks.txt" if article == tajiks else "uzbeks.txt")]
        assert Version.objects.get_for_object(article).first().revision.user == admin_user
        page = reader.get(article.get_absolute_url())
        assert page.status_code == 200
        assert article.title in visible_text(page.content.decode())
    assert comments(kazakhs) == ["Imported from other.txt"]
    assert reader.get(kazakhs.get_absolute_url()).status_code == 404
    assert "Tajiks in Russia" in visible_text(reader.get("/articles/").content.decode())
    assert LogEntry.objects.filter(object_id=str(tajiks.pk), change_message="Published").exists()


def test_unpublish_takes_the_pages_down_on_the_next_request(admin_client, drafts):
    tajiks, uzbeks, _ = drafts
    act(admin_client, "publish", [tajiks, uzbeks])
    reader = Client()
    assert reader.get(tajiks.get_absolute_url()).status_code == 200

    response = act(admin_client, "unpublish", [tajiks])
    assert "1 article draft." in visible_text(response.content.decode())
    assert reader.get(tajiks.get_absolute_url()).status_code == 404
    assert reader.get(uzbeks.get_absolute_url()).status_code == 200
    assert comments(tajiks)[:2] == ["Unpublished", "Published"]


def test_articles_already_in_that_status_get_no_empty_revision(admin_client, drafts):
    tajiks = drafts[0]
    response = act(admin_client, "unpublish", [tajiks])
    assert "No article was draft: the selected ones already were." in visible_text(
        response.content.decode()
    )
    assert comments(tajiks) == ["Imported from tajiks.txt"]


def test_a_user_without_change_permission_cannot_publish(client, django_user_model, drafts):
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(
        content_type__app_label="articles", codename="view_article"
    ))
    client.force_login(viewer)
    html = client.get(CHANGELIST).content.decode()
    assert 'value="publish"' not in html

    # The admin offers such a user no action; a forged POST changes nothing.
    response = act(client, "publish", drafts[:2])
    assert response.status_code == 200
    assert "published." not in visible_text(response.content.decode())
    assert not Article.objects.published().exists()
    assert comments(drafts[0]) == ["Imported from tajiks.txt"]
