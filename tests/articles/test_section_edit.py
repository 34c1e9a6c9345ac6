"""One section at a time, through the section form's own POST: it saves
through the change form's merge and revision path, so edits of other parts
are merged in and a stale edit of the same section is a conflict."""

import re
import threading

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from reversion.models import Version

from articles.models import Section
from articles.services import articles_import
from tests.admin_forms import change_form_data, form_data, inline_forms
from tests.html import visible_text

TEXT = """\
= Uzbeks in Russia =

The lead.

==History==
Old history.

==Культура==
Old culture.
"""

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE = False


@pytest.fixture
def article(admin_user):
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())], user=admin_user)
    return result.article


def section_url(article, anchor: str) -> str:
    return f"/admin/articles/article/{article.pk}/section/{anchor}/"


def open_section(client, article, anchor: str) -> dict:
    response = client.get(section_url(article, anchor))
    assert response.status_code == 200
    return form_data(response.context["form"])


def bodies(article) -> dict[str, str]:
    return dict(Section.objects.filter(article=article).values_list("heading", "body"))


def revisions(article) -> list:
    return list(Version.objects.get_for_object(article).select_related("revision"))


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def body_key(data: dict, heading: str) -> str:
    for index, row in enumerate(inline_forms(data, "sections")):
        if row["heading"] == heading:
            return f"sections-{index}-body"
    raise KeyError(heading)


def test_the_section_form_shows_only_that_section(admin_client, article):
    response = admin_client.get(section_url(article, "history"))
    text = visible_text(response.content.decode())
    assert "Old history." in text
    assert "Old culture." not in text and "The lead." not in text
    assert response.context["form"]["heading"].value() == "History"


def test_a_section_is_saved_with_its_summary_as_a_revision(admin_client, client, article):
    data = open_section(admin_client, article, "history")
    data["body"] = "New history, with [[Tatars in Russia]]."
    data["edit_summary"] = "History rewritten"
    response = admin_client.post(section_url(article, "history"), data)

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "#history"
    assert bodies(article) == {"History": "New history, with [[Tatars in Russia]].",
                               "Культура": "Old culture."}
    assert [v.revision.comment for v in revisions(article)][0] == "History rewritten"
    assert len(revisions(article)) == 2
    # The page shows the edit on the very next request.
    page = visible_text(client.get(article.get_absolute_url()).content.decode())
    assert "New history, with Tatars in Russia." in page
    history = visible_text(admin_client.get(f"{change_url(article)[:-7]}history/").content.decode())
    assert "History rewritten" in history


def test_a_cyrillic_heading_is_found_by_its_anchor(admin_client, article):
    data = open_section(admin_client, article, "культура")
    data["heading"] = "Культура и язык"
    response = admin_client.post(section_url(article, "культура"), data)
    assert response.status_code == 302
    assert bodies(article)["Культура и язык"] == "Old culture."


def test_two_edits_of_different_sections_opened_together_are_both_kept(admin_client, article):
    first = open_section(admin_client, article, "history")
    second = open_section(admin_client, article, "культура")
    first["body"] = "History by the first editor."
    second["body"] = "Culture by the second editor."
    assert admin_client.post(section_url(article, "history"), first).status_code == 302
    assert admin_client.post(section_url(article, "культура"), second).status_code == 302
    assert bodies(article) == {"History": "History by the first editor.",
                               "Культура": "Culture by the second editor."}
    assert len(revisions(article)) == 3


def test_a_full_form_edit_of_another_part_saved_meanwhile_is_merged(admin_client, article):
    section = open_section(admin_client, article, "history")
    full = change_form_data(admin_client.get(change_url(article)))
    full[body_key(full, "Культура")] = "Culture from the full form."
    full["lead"] = "A lead from the full form."
    assert admin_client.post(change_url(article), full).status_code == 302

    section["body"] = "History from the section form."
    assert admin_client.post(section_url(article, "history"), section).status_code == 302
    article.refresh_from_db()
    assert article.lead == "A lead from the full form."
    assert bodies(article) == {"History": "History from the section form.",
                               "Культура": "Culture from the full form."}


def test_a_stale_edit_of_the_same_section_is_a_conflict_and_keeps_the_text(admin_client, article):
    mine = open_section(admin_client, article, "history")
    theirs = open_section(admin_client, article, "history")
    theirs["body"] = "Their history."
    assert admin_client.post(section_url(article, "history"), theirs).status_code == 302

    mine["body"] = "My history."
    response = admin_client.post(section_url(article, "history"), mine)
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert "Another editor saved this article while you were editing it" in text
    assert "Their history." in text  # their change, shown
    assert response.context["form"]["body"].value() == "My history."  # nothing lost
    assert bodies(article)["History"] == "Their history."
    assert len(revisions(article)) == 2

    # Saving again, having seen their change, is accepted.
    again = form_data(response.context["form"])
    assert admin_client.post(section_url(article, "history"), again).status_code == 302
    assert bodies(article)["History"] == "My history."


def test_a_bad_marker_is_refused_with_the_change_forms_message(admin_client, article):
    data = open_section(admin_client, article, "history")
    data["body"] = "Cited [^nosuchsource]."
    response = admin_client.post(section_url(article, "history"), data)
    assert response.status_code == 200
    assert "nosuchsource" in visible_text(response.content.decode())
    assert bodies(article)["History"] == "Old history."


def test_a_forged_base_is_refused_with_a_message(admin_client, article):
    data = open_section(admin_client, article, "history")
    data["base_state"] = "forged"
    data["body"] = "Forged."
    response = admin_client.post(section_url(article, "history"), data)
    assert response.status_code == 200
    assert "could not be read" in visible_text(response.content.decode())
    assert bodies(article)["History"] == "Old history."


def test_a_section_no_longer_there_sends_the_editor_to_the_whole_form(admin_client, article):
    response = admin_client.get(section_url(article, "no-such-section"), follow=True)
    assert response.redirect_chain[-1][0] == change_url(article)
    assert "no longer in the article" in visible_text(response.content.decode())


def test_hostile_text_is_escaped_on_the_form(admin_client, article):
    Section.objects.filter(article=article, heading="History").update(body="<script>alert(1)</script>")
    html = admin_client.get(section_url(article, "history")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.fixture
def viewer(db):
    user = User.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


def test_editors_get_edit_links_and_readers_and_viewers_do_not(admin_client, client, viewer, article):
    reader = client.get(article.get_absolute_url()).content.decode()
    assert "section-edit" not in reader
    editor = admin_client.get(article.get_absolute_url()).content.decode()
    assert f'href="{section_url(article, "history")}"' in editor
    assert f'href="/admin/articles/article/{article.pk}/section/%D0%BA%D1%83%D0%BB%D1%8C%D1%82%D1%83%D1%80%D0%B0/"' in editor
    assert re.search(r'aria-label="Edit the section History">edit</a>', editor)
    client.force_login(viewer)
    assert "section-edit" not in client.get(article.get_absolute_url()).content.decode()


def test_the_url_refuses_who_may_not_change_articles(client, viewer, article):
    assert client.get(section_url(article, "history")).status_code == 302  # to the login
    client.force_login(viewer)
    assert client.get(section_url(article, "history")).status_code == 403
    response = client.post(section_url(article, "history"), {"heading": "X", "body": "Y"})
    assert response.status_code == 403
    assert bodies(article)["History"] == "Old history."


@pytest.mark.django_db(transaction=True)
def test_simultaneous_section_saves_of_different_sections_are_both_kept(admin_user):
    [result] = articles_import(sources=[("u.txt", TEXT.encode())])
    article = result.article
    client = Client()
    client.force_login(admin_user)
    forms = [open_section(client, article, "history"), open_section(client, article, "культура")]
    forms[0]["body"], forms[1]["body"] = "History at once.", "Culture at once."
    urls = [section_url(article, "history"), section_url(article, "культура")]
    barrier, responses = threading.Barrier(2), [None, None]

    def run(index: int) -> None:
        own = Client()
        own.force_login(admin_user)
        barrier.wait()
        try:
            responses[index] = own.post(urls[index], forms[index])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [r.status_code for r in responses] == [302, 302]
    assert bodies(article) == {"History": "History at once.", "Культура": "Culture at once."}
