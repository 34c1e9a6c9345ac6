"""The article change form: a shorter layout (title, lead and sections first;
the rarely used parts collapsed), a save whose session expired keeps what
was typed and lands after logging in again, and the link picker's
suggestions. All through the admin's own rendered form and the test
client's real flow (login page, CSRF checks on)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.admin_forms import change_form_data
from tests.factories import ArticleFactory, SectionFactory
from tests.servers import form_fields

pytestmark = pytest.mark.django_db

PASSWORD = "Layout-test-pass-5120"
CHANGELIST_URL = "/admin/articles/article/"
PICKER_URL = "/admin/articles/article/link-picker/"


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def as_post(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = defaultdict(list)
    for name, value in pairs:
        data[name].append(value)
    return dict(data)


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("layout", "layout@example.org", PASSWORD)


@pytest.fixture
def browser_client(editor):
    """A client that checks CSRF tokens, as a browser's requests are, logged
    in through the admin's login form."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/admin/login/?next=/admin/").content.decode()
    fields = dict(form_fields(page, "login-form"))
    fields.update(username="layout", password=PASSWORD)
    response = client.post("/admin/login/?next=/admin/", fields)
    assert response.status_code == 302 and response.url == "/admin/"
    return client


# --- the layout -----------------------------------------------------------------------


def test_title_and_lead_come_first_then_the_sections_then_the_infobox(admin_client, seed_fixture):
    SectionFactory(article=seed_fixture, heading="History", body="Soviet advisers.", position=0)
    response = admin_client.get(change_url(seed_fixture))
    html = response.content.decode()

    first = next(iter(response.context["adminform"]))
    assert [field for line in first for field in line.fields][:2] == ["title", "lead"]
    order = [
        html.index('id="id_title"'),
        html.index('id="id_lead"'),
        html.index('id="sections-group"'),
        html.index(">Infobox</h2>"),
        html.index(">Community</h2>"),
        html.index('id="see_also-group"'),
    ]
    assert order == sorted(order), order
    # The sections are rendered once, not again among the other inlines.
    assert html.count('id="sections-group"') == 1
    assert "History" in html[html.index('id="sections-group"'):html.index(">Infobox</h2>")]


def test_rarely_used_fieldsets_and_inlines_are_collapsed(admin_client, seed_fixture):
    response = admin_client.get(change_url(seed_fixture))
    html = response.content.decode()

    fieldsets = {fieldset.name: fieldset for fieldset in response.context["adminform"]}
    assert fieldsets["Community"].is_collapsible
    assert not fieldsets["Infobox"].is_collapsible
    community = html[html.rindex("<fieldset", 0, html.index(">Community</h2>")):html.index(">Community</h2>")]
    assert "collapse" in community and "<details><summary>" in community

    collapsed = {
        str(inline.opts.verbose_name_plural): inline.is_collapsible
        for inline in response.context["inline_admin_formsets"]
    }
    assert collapsed["population figures"] is True
    assert collapsed["people mentioned"] is True
    assert collapsed["places mentioned"] is True
    assert collapsed["in other languages"] is True
    assert collapsed["sections"] is False
    assert collapsed["See also"] is False
    for inline in response.context["inline_admin_formsets"]:
        group = html[html.index(f'id="{inline.formset.prefix}-group"'):]
        head = group[:group.index("inline-heading")]
        assert ("<details><summary>" in head) is inline.is_collapsible, inline.formset.prefix


def test_the_editing_scripts_are_static_files_on_the_form_and_the_change_list(admin_client, seed_fixture):
    html = admin_client.get(change_url(seed_fixture)).content.decode()
    for script in ("editor-draft.js", "editor-sections.js", "link-picker.js"):
        assert f'src="/static/js/{script}"' in html
    assert 'id="editor-draft-notice"' in html and f'data-draft-article="{seed_fixture.pk}"' in html
    assert "<script>" not in html  # nothing inline (script-src 'self')
    listing = admin_client.get(CHANGELIST_URL).content.decode()
    assert 'src="/static/js/editor-draft.js"' in listing  # drops the saved draft there


# --- a save after the session expired -------------------------------------------------


def expire(client: Client) -> None:
    SessionStore(client.cookies["sessionid"].value).delete()


def test_a_save_after_the_session_expired_keeps_the_text_and_lands_after_login(
    browser_client, seed_fixture
):
    url = change_url(seed_fixture)
    page = browser_client.get(url).content.decode()
    data = as_post(form_fields(page, "article_form"))
    typed = data["lead"][0].replace("derserters", "deserters") + '\r\n\r\nA "quoted" <b>line</b> & more.'
    data["lead"] = [typed]
    data["_save"] = ["Save"]
    expire(browser_client)

    response = browser_client.post(url, data)

    assert response.status_code == 200
    login_page = response.content.decode()
    assert "Log in to save your changes" in login_page
    assert "&lt;b&gt;line&lt;/b&gt; &amp; more." in login_page  # escaped, never markup
    assert "<b>line</b>" not in login_page
    carried = as_post(form_fields(login_page, "login-form"))
    assert carried["lead"] == [typed]
    assert Article.objects.get(pk=seed_fixture.pk).lead.count("derserters") == 1  # not saved yet

    carried["_login-username"], carried["_login-password"] = ["layout"], [PASSWORD]
    response = browser_client.post(url, carried)

    assert response.status_code == 302 and response.url == CHANGELIST_URL
    saved = Article.objects.get(pk=seed_fixture.pk)
    assert "derserters" not in saved.lead
    assert saved.lead.endswith('A "quoted" <b>line</b> & more.')
    listing = browser_client.get(CHANGELIST_URL).content.decode()
    assert "was changed successfully" in listing
    # The rest of the form went through too: See also rows unchanged.
    assert list(saved.see_also.values_list("target_title", flat=True)) == [
        "Afghans in Russia", "Armenians in Afghanistan", "Demographics of Afghanistan", "Russians in Pakistan",
    ]


def test_a_wrong_password_keeps_the_text_and_saves_nothing(browser_client, seed_fixture):
    url = change_url(seed_fixture)
    data = as_post(form_fields(browser_client.get(url).content.decode(), "article_form"))
    data["lead"] = ["A lead typed before the session ran out."]
    expire(browser_client)
    login_page = browser_client.post(url, data).content.decode()
    carried = as_post(form_fields(login_page, "login-form"))
    carried["_login-username"], carried["_login-password"] = ["layout"], ["not the password"]

    response = browser_client.post(url, carried)

    assert response.status_code == 200
    again = response.content.decode()
    assert "Please enter a correct username and password" in again
    assert as_post(form_fields(again, "login-form"))["lead"] == ["A lead typed before the session ran out."]
    assert Article.objects.get(pk=seed_fixture.pk).lead != "A lead typed before the session ran out."


def test_a_get_without_a_session_still_goes_to_the_admin_login(client, seed_fixture):
    response = client.get(change_url(seed_fixture))
    assert response.status_code == 302 and response.url.startswith("/admin/login/?next=")


# --- the link picker's suggestions -----------------------------------------------------


def test_the_link_picker_suggests_articles_places_and_people_in_three_queries(
    admin_client, seed_fixture
):
    ArticleFactory(title="Armenians in Russia", slug="armenians-in-russia")
    admin_client.get(PICKER_URL + "?term=x")  # the session and user are read once, then cached
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(PICKER_URL + "?term=Russ")
    results = response.json()["results"]

    assert {"title": "Russians in Afghanistan", "kind": "article"} in results
    articles = [r["title"] for r in results if r["kind"] == "article"]
    # Starting with the term before containing it.
    assert articles.index("Russians in Afghanistan") < articles.index("Armenians in Russia")
    content = [q["sql"] for q in queries.captured_queries
               if re.search(r'FROM "(articles_article|people_place|people_person)"', q["sql"])]
    assert len(content) == 3  # one query per model, each LIMITed
    assert all("LIMIT" in sql for sql in content)

    kabul = admin_client.get(PICKER_URL + "?term=kabu").json()["results"]
    assert {"title": "Kabul", "kind": "place"} in kabul


def test_the_link_picker_is_for_editors_only(client, seed_fixture):
    staff = get_user_model().objects.create_user("reader", password=PASSWORD, is_staff=True)
    client.force_login(staff)
    response = client.get(PICKER_URL + "?term=Russ")
    assert response.status_code == 403
    assert "Russians" not in response.content.decode()
    assert client.get(PICKER_URL + "?term=").status_code == 403
    client.logout()
    assert client.get(PICKER_URL + "?term=Russ").status_code == 302  # to the login page


def test_an_empty_or_long_term_gives_a_clear_answer(admin_client, seed_fixture):
    assert admin_client.get(PICKER_URL + "?term=").json() == {"results": []}
    long = admin_client.get(PICKER_URL, {"term": "R" * 5000})
    assert long.status_code == 200 and long.json() == {"results": []}
