"""Related communities show only what the public may read: a title named only
in a draft's See also stays off public pages until the draft is published."""

import pytest

from articles.models import Article
from tests.admin_forms import add_inline_form, change_form_data
from tests.html import visible_text

pytestmark = pytest.mark.django_db

ARTICLE_URL = "/wiki/russians-in-afghanistan/"
ADD_URL = "/admin/articles/article/add/"


def related_text(client) -> str:
    html = client.get(ARTICLE_URL).content.decode()
    if '<section class="related"' not in html:
        return ""
    block = html[html.index('<section class="related"'):]
    return visible_text(block[:block.index("</section>")])


def test_a_see_also_title_of_a_draft_is_not_a_public_related_community(
    admin_client, client, seed_fixture
):
    response = admin_client.get(ADD_URL)
    data = change_form_data(response)
    data.update(title="Tajiks in Afghanistan", lead="Work in progress.", status="draft",
                slug="tajiks-in-afghanistan")  # what the admin's script fills in
    add_inline_form(response, data, "see_also", target_title="Uzbeks in Afghanistan")
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    draft = Article.objects.get(title="Tajiks in Afghanistan")
    assert draft.status == Article.Status.DRAFT
    assert list(draft.see_also.values_list("target_title", flat=True)) == ["Uzbeks in Afghanistan"]

    assert "Uzbeks in Afghanistan" not in related_text(client)
    assert "Uzbeks in Afghanistan" not in client.get(ARTICLE_URL).content.decode()

    change_url = f"/admin/articles/article/{draft.pk}/change/"
    response = admin_client.get(change_url)
    data = change_form_data(response)
    data["status"] = "published"
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    text = related_text(client)
    assert "Other communities in Afghanistan" in text
    assert "Uzbeks in Afghanistan (not written yet)" in text
