"""History, diffs, revert and no lost edits, through the admin's own forms."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from articles.models import Article, Section
from articles.services import article_revert, articles_import
from tests.admin_forms import change_form_data, inline_forms
from tests.html import visible_text

pytestmark = pytest.mark.django_db

TEXT = """\
= Uzbeks in Russia =

Infobox
- Group: Uzbeks in Russia
- Population: 100

The lead.

==History==
Old history.

==Culture==
Old culture.
"""


@pytest.fixture
def article(admin_user):
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())], user=admin_user)
    return result.article


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def history_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/history/"


def open_form(client, article) -> dict:
    response = client.get(change_url(article))
    assert response.status_code == 200
    return change_form_data(response)


def section_key(data: dict, heading: str, field: str) -> str:
    for index, row in enumerate(inline_forms(data, "sections")):
        if row["heading"] == heading:
            return f"sections-{index}-{field}"
    raise KeyError(heading)


def revisions(article) -> list:
    return [v.revision for v in Version.objects.get_for_object(article).select_related("revision")]


def test_import_admin_save_and_revert_each_make_one_revision_with_author_and_comment(
    admin_client, article, admin_user
):
    assert [r.get_comment() for r in revisions(article)] == ["Imported from uzbeks.txt"]

    data = open_form(admin_client, article)
    data["lead"] = "A new lead."
    assert admin_client.post(change_url(article), data).status_code == 302
    saved = revisions(article)[0]
    assert saved.user == admin_user and "Changed Lead" in saved.get_comment()

    imported = revisions(article)[1]
    article_revert(article=article, revision=imported, user=admin_user)
    reverted, saved_again, first = revisions(article)
    assert reverted.get_comment().startswith(f"Reverted to revision {imported.pk} of ")
    assert reverted.user == admin_user
    assert (saved_again, first) == (saved, imported)
    assert Article.objects.get(pk=article.pk).lead == "The lead."


def test_a_revision_holds_the_article_with_its_sections_and_infobox(article):
    [revision] = revisions(article)
    models = sorted(v.content_type.model for v in revision.version_set.all())
    assert models.count("section") == 2
    assert "article" in models and "populationplace" not in models
    fields = {v.content_type.model: v.field_dict for v in revision.version_set.all()}
    assert fields["article"]["population"] == 100


def test_revert_restores_sections_as_one_unit_and_is_a_new_revision(admin_client, client, article):
    first = revisions(article)[0]
    data = open_form(admin_client, article)
    data[section_key(data, "History", "body")] = "Rewritten history."
    data[section_key(data, "Culture", "DELETE")] = "on"
    data["lead"] = "Changed lead."
    assert admin_client.post(change_url(article), data).status_code == 302
    assert list(article.sections.values_list("heading", flat=True)) == ["History"]

    confirm = admin_client.get(f"{history_url(article)}{first.pk}/revert/")
    assert confirm.status_code == 200
    assert "<del>Rewritten</del><ins>Old</ins>" in confirm.content.decode()
    response = admin_client.post(f"{history_url(article)}{first.pk}/revert/")
    assert response.status_code == 302

    assert list(article.sections.values_list("heading", "body")) == [
        ("History", "Old history."), ("Culture", "Old culture."),
    ]
    assert Article.objects.get(pk=article.pk).lead == "The lead."
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Old culture." in html and "Rewritten history." not in html
    assert len(revisions(article)) == 3
    assert revisions(article)[0].get_comment().startswith(f"Reverted to revision {first.pk}")
    entry = LogEntry.objects.filter(object_id=str(article.pk)).first()
    assert entry.get_change_message().startswith(f"Reverted to revision {first.pk}")


def test_history_page_lists_revisions_and_compares_any_two(admin_client, article):
    data = open_form(admin_client, article)
    data[section_key(data, "History", "body")] = "New history with more words."
    data["title"] = "Uzbeks of Russia"
    admin_client.post(change_url(article), data)
    newest, oldest = revisions(article)

    history = admin_client.get(history_url(article)).content.decode()
    assert "Imported from uzbeks.txt" in history
    assert f'name="a" value="{oldest.pk}"' in history

    compare = admin_client.get(f"{history_url(article)}compare/", {"a": oldest.pk, "b": newest.pk})
    html = compare.content.decode()
    assert compare.status_code == 200
    rows = dict(re.findall(r'<th scope="row">([^<]+) <small>\((\w+)\)</small>', html))
    assert rows == {"Title": "changed", "Section ==History==": "changed"}
    assert "Uzbeks <del>in</del><ins>of</ins> Russia" in html
    assert "<del>Old</del><ins>New</ins> history<ins> with more words</ins>." in html


def test_compare_of_a_foreign_revision_is_a_404(admin_client, article):
    [other] = articles_import(sources=[("t.txt", b"= Tatars in Russia =\n\nLead.\n")])
    foreign = revisions(other.article)[0]
    own = revisions(article)[0]
    url = f"{history_url(article)}compare/"
    assert admin_client.get(url, {"a": own.pk, "b": foreign.pk}).status_code == 404
    assert admin_client.get(url, {"a": "x", "b": own.pk}).status_code == 404
    assert admin_client.post(f"{history_url(article)}{foreign.pk}/revert/").status_code == 404


def test_changes_to_different_sections_are_merged(admin_client, article):
    mine = open_form(admin_client, article)
    theirs = open_form(admin_client, article)
    theirs[section_key(theirs, "Culture", "body")] = "Their culture."
    assert admin_client.post(change_url(article), theirs).status_code == 302

    mine[section_key(mine, "History", "body")] = "My history."
    response = admin_client.post(change_url(article), mine)

    assert response.status_code == 302
    assert dict(article.sections.values_list("heading", "body")) == {
        "History": "My history.", "Culture": "Their culture.",
    }


def test_changes_to_different_fields_are_merged(admin_client, article):
    mine = open_form(admin_client, article)
    theirs = open_form(admin_client, article)
    theirs["group_name"] = "Uzbek community"
    assert admin_client.post(change_url(article), theirs).status_code == 302

    mine["lead"] = "My lead."
    assert admin_client.post(change_url(article), mine).status_code == 302

    article.refresh_from_db()
    assert (article.lead, article.group_name) == ("My lead.", "Uzbek community")


def test_overlapping_changes_get_the_conflict_page_and_keep_my_text(admin_client, article):
    mine = open_form(admin_client, article)
    theirs = open_form(admin_client, article)
    theirs[section_key(theirs, "History", "body")] = "Their history."
    assert admin_client.post(change_url(article), theirs).status_code == 302

    mine[section_key(mine, "History", "body")] = "My careful history."
    response = admin_client.post(change_url(article), mine)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Another editor saved this article while you were editing it" in html
    assert "My careful history." in html  # nothing typed is lost
    assert "<del>Old</del><ins>Their</ins> history." in html  # their change, as a diff
    assert Section.objects.get(article=article, heading="History").body == "Their history."

    # Saving the form as shown again (the editor has seen their change) wins.
    again = change_form_data(response)
    assert admin_client.post(change_url(article), again).status_code == 302
    assert Section.objects.get(article=article, heading="History").body == "My careful history."


def test_editing_a_section_the_other_editor_deleted_is_a_conflict(admin_client, article):
    mine = open_form(admin_client, article)
    theirs = open_form(admin_client, article)
    theirs[section_key(theirs, "Culture", "DELETE")] = "on"
    assert admin_client.post(change_url(article), theirs).status_code == 302

    mine[section_key(mine, "Culture", "body")] = "My culture."
    response = admin_client.post(change_url(article), mine)

    assert response.status_code == 200
    assert "a row you edited was deleted" in visible_text(response.content.decode())
    assert "My culture." in response.content.decode()


def test_a_section_the_other_editor_deleted_stays_deleted_if_i_did_not_touch_it(admin_client, article):
    mine = open_form(admin_client, article)
    theirs = open_form(admin_client, article)
    theirs[section_key(theirs, "Culture", "DELETE")] = "on"
    assert admin_client.post(change_url(article), theirs).status_code == 302

    mine["lead"] = "My lead."
    assert admin_client.post(change_url(article), mine).status_code == 302

    assert list(article.sections.values_list("heading", flat=True)) == ["History"]
    assert Article.objects.get(pk=article.pk).lead == "My lead."


def test_a_tampered_base_is_treated_as_no_base(admin_client, article):
    data = open_form(admin_client, article)
    data["base_state"] = "forged"
    data["lead"] = "Edited."
    assert admin_client.post(change_url(article), data).status_code == 302
    assert Article.objects.get(pk=article.pk).lead == "Edited."


def test_save_comment_names_only_what_the_editor_changed(admin_client, article):
    data = open_form(admin_client, article)
    data["lead"] = "Another lead."
    admin_client.post(change_url(article), data)
    assert revisions(article)[0].get_comment() == "Changed Lead."

    admin_client.post(change_url(article), open_form(admin_client, article))
    assert revisions(article)[0].get_comment() == "No fields changed."
