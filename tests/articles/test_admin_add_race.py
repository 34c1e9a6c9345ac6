"""Issue 10, item 13: six editors adding one title at the same moment. One
article is made; the other five get the form back saying the title exists
(before: five 500s from the IntegrityError on PostgreSQL)."""

import re

from django.test import Client
from reversion.models import Version

from articles.models import Article
from tests.admin_forms import change_form_data
from tests.articles.test_concurrency import post_together

ADD_URL = "/admin/articles/article/add/"


def test_simultaneous_adds_of_one_title_make_one_article_and_five_clear_errors(
    transactional_db, admin_user
):
    client = Client()
    client.force_login(admin_user)
    data = change_form_data(client.get(ADD_URL))
    data.update(title="Uzbeks in Norway", slug="uzbeks-in-norway",
                lead="Uzbeks live in Norway.", status="published")

    responses = post_together(admin_user, ADD_URL, [dict(data) for _ in range(6)])

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 5 + [302]
    for response in responses:
        if response.status_code == 200:
            html = response.content.decode()
            assert re.search(r"Article with this Title already exists", html), html[:3000]
    article = Article.objects.get()
    assert article.title == "Uzbeks in Norway"
    assert Version.objects.get_for_object(article).count() == 1
