"""Show preview and Show changes, through the change form's and the section
form's own POST: the page's renderer and the history's diff, nothing saved
(rows, revisions and the stored page unchanged), every field kept."""

import pytest
from reversion.models import Version

from articles.models import Article, ArticleRender, Section
from articles.services import articles_import
from tests.admin_forms import change_form_data, form_data, inline_forms
from tests.examples import SOURCES_EXAMPLE
from tests.factories import ArticleFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE = False


@pytest.fixture
def article(admin_user):
    [result] = articles_import(sources=[("tajikistan.txt", SOURCES_EXAMPLE.encode())], user=admin_user)
    ArticleFactory(title="Russians in Uzbekistan", lead="Target.")
    return result.article


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def preview_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/preview/"


def snapshot(article) -> tuple:
    article = Article.objects.get(pk=article.pk)
    return (
        article.lead, article.lead_html, article.updated,
        sorted(Section.objects.filter(article=article).values_list("heading", "body", "body_html")),
        Version.objects.get_for_object(article).count(),
        ArticleRender.objects.filter(pk=article.pk).values_list("page", flat=True).first(),
    )


def history_key(data: dict, field: str = "body") -> str:
    for index, row in enumerate(inline_forms(data, "sections")):
        if row["heading"] == "History":
            return f"sections-{index}-{field}"
    raise KeyError("History")


def posted(admin_client, article, **changes) -> dict:
    data = change_form_data(admin_client.get(change_url(article)))
    data.update(changes)
    return data


def test_the_change_form_has_the_preview_buttons(admin_client, article):
    html = admin_client.get(change_url(article)).content.decode()
    assert f'formaction="{preview_url(article)}"' in html
    assert "Show preview" in html and "Show changes" in html
    assert 'id="edit-preview-area"' in html


def test_preview_renders_markdown_links_and_numbered_citations_and_saves_nothing(
    admin_client, article
):
    before = snapshot(article)
    data = posted(admin_client, article, lead="Now **bold**, [[Russians in Uzbekistan]] and "
                  "[[Tajiks in Mars]].[^rferl]", _preview="preview")
    data[history_key(data)] = "Rewritten history.[^smith|p. 9]"
    response = admin_client.post(preview_url(article), data)

    assert response.status_code == 200
    html = response.content.decode()
    preview = html[html.index('class="edit-preview"'):html.index("</section>", html.index('class="edit-preview"'))]
    assert "<strong>bold</strong>" in preview
    assert 'href="/articles/russians-in-uzbekistan/"' in preview or "russians-in-uzbekistan" in preview
    assert 'title="Tajiks in Mars: no article yet"' in preview  # missing, as the page shows it
    # Numbered as the page numbers them: the infobox's census is [1], then
    # this lead's rferl [2], then the history's smith [3].
    assert '<a href="#cite-note-rferl" rel="noopener noreferrer">[2]</a>' in preview
    assert '<a href="#cite-note-smith" rel="noopener noreferrer">[3]</a>' in preview
    assert "Rewritten history." in visible_text(preview)
    assert "nothing has been saved yet" in visible_text(preview)
    # The form is shown again with what was typed, posting to the change form.
    form = response.context["adminform"].form
    assert form["lead"].value().startswith("Now **bold**")
    assert f'action="{change_url(article)}"' in html
    assert snapshot(article) == before


def test_preview_links_a_title_no_article_has_to_the_place_of_that_name(admin_client, article):
    from tests.factories import PlaceFactory

    place = PlaceFactory(name="Dushanbe")
    data = posted(admin_client, article, lead="Lives in [[Dushanbe]].", _preview="preview")
    html = admin_client.post(preview_url(article), data, HTTP_X_EDIT_PREVIEW="fragment").content.decode()
    assert f'href="{place.get_absolute_url()}"' in html
    assert "Dushanbe: no article yet" not in html


def test_changes_shows_the_diff_against_the_stored_version(admin_client, article):
    before = snapshot(article)
    data = posted(admin_client, article, _preview="changes")
    data[history_key(data)] = "Text. Entirely new."
    data[history_key(data, "heading")] = "Early history"
    response = admin_client.post(preview_url(article), data)
    html = response.content.decode()
    text = visible_text(html)
    assert "Your changes" in text
    assert "<ins> Entirely new.</ins>" in html
    assert "<del>[^smith|pp. 50–52][^rferl]</del>" in html
    assert "==<del>History</del><ins>Early history</ins>==" in html
    assert "Section ==Early history==" in text
    assert snapshot(article) == before


def test_changes_of_an_unchanged_form_say_so(admin_client, article):
    response = admin_client.post(preview_url(article), posted(admin_client, article, _preview="changes"))
    assert "No differences." in visible_text(response.content.decode())


def test_hostile_input_is_escaped_in_preview_and_changes(admin_client, article):
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> [[<b>x</b>]]'
    for mode in ("preview", "changes"):
        response = admin_client.post(preview_url(article), posted(admin_client, article, lead=hostile, _preview=mode))
        html = response.content.decode()
        area = html[html.index('id="edit-preview-area"'):]
        assert "<script>alert(1)" not in area
        assert "onerror" not in area.split("</section>")[0] or "onerror=alert(2)&gt;" in area
        assert "<img" not in area.split("</section>")[0]


def test_the_fragment_asked_for_by_script_is_the_preview_alone(admin_client, article):
    data = posted(admin_client, article, lead="Fragment *lead*.", _preview="preview")
    response = admin_client.post(preview_url(article), data, HTTP_X_EDIT_PREVIEW="fragment")
    html = response.content.decode()
    assert "<em>lead</em>" in html
    assert "<form" not in html and "edit-preview-area" not in html
    assert "no-store" in response["Cache-Control"]  # the admin's never_cache


def test_saving_after_a_preview_saves_what_was_previewed(admin_client, article):
    data = posted(admin_client, article, lead="Previewed lead.", _preview="preview")
    response = admin_client.post(preview_url(article), data)
    again = change_form_data(response)
    again.pop("_preview", None)
    assert admin_client.post(change_url(article), again).status_code == 302
    assert Article.objects.get(pk=article.pk).lead == "Previewed lead."


def test_a_preview_with_an_invalid_field_shows_its_error_and_saves_nothing(admin_client, article):
    before = snapshot(article)
    data = posted(admin_client, article, title="", lead="Still *previewed*.", _preview="preview")
    html = admin_client.post(preview_url(article), data).content.decode()
    assert "<em>previewed</em>" in html
    assert "This field is required." in visible_text(html)
    assert snapshot(article) == before


def test_the_preview_url_refuses_a_get_and_a_viewer(admin_client, client, article, django_user_model):
    assert admin_client.get(preview_url(article)).status_code == 302
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    assert client.post(preview_url(article), {"lead": "x", "_preview": "preview"}).status_code == 403


# --- the section form ---


def section_url(article, anchor="history", preview=False) -> str:
    return f"/admin/articles/article/{article.pk}/section/{anchor}/" + ("preview/" if preview else "")


def test_the_section_form_previews_its_section_numbered_among_the_others(admin_client, article):
    before = snapshot(article)
    data = form_data(admin_client.get(section_url(article)).context["form"])
    data.update(body="New _text_.[^rferl][^smith]", _preview="preview")
    response = admin_client.post(section_url(article, preview=True), data)
    html = response.content.decode()
    assert "<em>text</em>" in html
    # census [1] (infobox, lead), smith [2] (lead), rferl [3].
    assert '<a href="#cite-note-rferl" rel="noopener noreferrer">[3]</a>' in html
    assert "Russians live mostly in Dushanbe" not in visible_text(html)  # the section only
    assert response.context["form"]["body"].value() == "New _text_.[^rferl][^smith]"
    assert snapshot(article) == before


def test_the_section_form_shows_its_changes(admin_client, article):
    data = form_data(admin_client.get(section_url(article)).context["form"])
    data.update(body="Text. And more.", _preview="changes")
    html = admin_client.post(section_url(article, preview=True), data).content.decode()
    assert "<ins>" in html and "more" in html
    assert "Your changes" in visible_text(html)
