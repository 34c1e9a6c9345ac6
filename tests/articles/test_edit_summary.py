"""The edit summary: typed on the change form, stored as the revision's
comment, shown on the history page; a summary alone saves nothing."""

import pytest
from reversion.models import Version

from articles.services import articles_import
from tests.admin_forms import change_form_data, inline_forms
from tests.html import visible_text

pytestmark = pytest.mark.django_db

TEXT = """\
= Tatars in Finland =

The lead.

==History==
Old history.
"""


@pytest.fixture
def article(admin_user):
    [result] = articles_import(sources=[("tatars.txt", TEXT.encode())], user=admin_user)
    return result.article


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def comments(article) -> list[str]:
    return [v.revision.comment for v in Version.objects.get_for_object(article).select_related("revision")]


def test_the_change_form_shows_an_edit_summary_box(admin_client, article):
    response = admin_client.get(change_url(article))
    html = response.content.decode()
    assert 'name="edit_summary"' in html
    assert "Edit summary" in visible_text(html)


def test_the_summary_is_the_revisions_comment_and_the_history_shows_it(admin_client, article):
    data = change_form_data(admin_client.get(change_url(article)))
    data["lead"] = "A better lead."
    data["edit_summary"] = "Lead rewritten from the 2010 census <b>notes</b>"
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302
    assert comments(article)[0] == "Lead rewritten from the 2010 census <b>notes</b>"
    history = admin_client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "Lead rewritten from the 2010 census <b>notes</b>" in visible_text(history)
    assert "<b>notes</b>" not in history  # escaped, as everything an editor types


def test_without_a_summary_the_comment_says_what_changed(admin_client, article):
    data = change_form_data(admin_client.get(change_url(article)))
    [row] = inline_forms(data, "sections")
    data["sections-0-body"] = "New history."
    admin_client.post(change_url(article), data)
    assert "History" in comments(article)[0]
    assert "Changed" in comments(article)[0]


def test_a_summary_alone_saves_nothing(admin_client, article):
    before = comments(article)
    data = change_form_data(admin_client.get(change_url(article)))
    data["edit_summary"] = "Nothing really"
    response = admin_client.post(change_url(article), data, follow=True)
    assert "Nothing was changed" in visible_text(response.content.decode())
    assert comments(article) == before


def test_an_overlong_summary_is_refused_with_a_message(admin_client, article):
    data = change_form_data(admin_client.get(change_url(article)))
    data["lead"] = "Changed."
    data["edit_summary"] = "x" * 501
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "at most 500 characters" in visible_text(response.content.decode())
    article.refresh_from_db()
    assert article.lead == "The lead."
