"""History, diffs, revert and no lost edits, through the admin's own forms."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from articles.models import Article, Section
from articles.services import article_revert, articles_import
from tests.admin_forms import add_inline_form, change_form_data, inline_forms
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

    # Saving it again unchanged makes no revision (see below).
    admin_client.post(change_url(article), open_form(admin_client, article))
    assert [r.get_comment() for r in revisions(article)] == [
        "Changed Lead.", "Imported from uzbeks.txt",
    ]


# --- History records what changed, and only that (CRLF from the browser) ---------------

LONG_TEXT = """\
= Tatars in Finland =

Infobox
- Group: Finnish Tatars
- Population: 600

The first paragraph of the lead.

The second paragraph of the lead.

==History==
Merchants came from Nizhny Novgorod.

- traders
- furriers

==Culture==
A mosque in Helsinki.

A school in Järvenpää.

==Language==
Mishar Tatar.
"""


@pytest.fixture
def long_article(admin_user):
    [result] = articles_import(sources=[("tatars.txt", LONG_TEXT.encode())], user=admin_user)
    return result.article


def log_messages(article) -> list[str]:
    return [e.get_change_message() for e in LogEntry.objects.filter(object_id=str(article.pk))]


def test_saving_the_unchanged_form_makes_no_revision_no_log_entry_and_no_write(
    admin_client, long_article
):
    article = long_article
    updated = Article.objects.get(pk=article.pk).updated
    data = open_form(admin_client, article)
    # What a browser sends: every textarea's line breaks as CRLF.
    assert "lead.\r\n\r\nThe second" in data["lead"]
    assert "\r\n- traders\r\n" in data[section_key(data, "History", "body")]

    response = admin_client.post(change_url(article), data, follow=True)

    assert response.status_code == 200
    assert "Nothing was changed in “Tatars in Finland”" in visible_text(response.content.decode())
    assert [r.get_comment() for r in revisions(article)] == ["Imported from tatars.txt"]
    assert log_messages(article) == []
    assert Article.objects.get(pk=article.pk).updated == updated
    assert "\r" not in Article.objects.get(pk=article.pk).lead


def test_an_edit_to_one_section_is_recorded_as_that_change_only(admin_client, long_article):
    article = long_article
    data = open_form(admin_client, article)
    key = section_key(data, "Culture", "body")
    data[key] = data[key].replace("A school", "Two schools")
    assert admin_client.post(change_url(article), data).status_code == 302

    new, imported = revisions(article)
    assert new.get_comment() == "Changed Body for section “Culture”."
    assert log_messages(article) == ["Changed Body for section “Culture”."]
    assert Section.objects.get(article=article, heading="Culture").body == (
        "A mosque in Helsinki.\n\nTwo schools in Järvenpää."
    )
    compare = admin_client.get(f"{history_url(article)}compare/", {"a": imported.pk, "b": new.pk})
    rows = re.findall(r'<th scope="row">([^<]+) <small>', compare.content.decode())
    assert rows == ["Section ==Culture=="]
    assert re.search(r"<ins>[^<]*Two", compare.content.decode())


# --- No false conflict on the tags -----------------------------------------------------


@pytest.mark.parametrize("they_change_tags", [False, True])
def test_an_editor_who_changed_only_the_lead_keeps_it_after_another_saved_a_section(
    admin_client, long_article, they_change_tags
):
    article = long_article
    article.tags.set(["Tatar diaspora", "Finland"])
    mine = open_form(admin_client, article)
    theirs = open_form(admin_client, article)
    assert mine["tags"] == '"Tatar diaspora", Finland'  # the string the tags field posts

    theirs[section_key(theirs, "History", "body")] = "Merchants came in the 1870s."
    if they_change_tags:
        theirs["tags"] = "Tatar diaspora, Finland, Islam"
    assert admin_client.post(change_url(article), theirs).status_code == 302

    mine["lead"] = "A new lead."
    response = admin_client.post(change_url(article), mine)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Article.objects.get(pk=article.pk).lead == "A new lead."
    assert Section.objects.get(article=article, heading="History").body == (
        "Merchants came in the 1870s."
    )
    expected = ["Finland", "Tatar diaspora", *(["Islam"] if they_change_tags else [])]
    assert sorted(article.tags.names()) == sorted(expected)
    assert revisions(article)[0].get_comment() == "Changed Lead."


def test_both_editors_changing_the_tags_is_still_a_conflict(admin_client, long_article):
    article = long_article
    article.tags.set(["Finland"])
    mine = open_form(admin_client, article)
    theirs = open_form(admin_client, article)
    theirs["tags"] = "Finland, Islam"
    assert admin_client.post(change_url(article), theirs).status_code == 302

    mine["tags"] = "Finland, Helsinki"
    response = admin_client.post(change_url(article), mine)

    assert response.status_code == 200
    assert "changed the same parts: Tags." in visible_text(response.content.decode())
    assert sorted(article.tags.names()) == ["Finland", "Islam"]


# --- Revert to a title or slug that another article has now ----------------------------


@pytest.mark.parametrize("taken", ["title", "slug"])
def test_revert_to_a_title_or_slug_taken_since_is_a_clear_message_and_changes_nothing(
    admin_client, article, taken
):
    first = revisions(article)[0]
    data = open_form(admin_client, article)
    data["title"], data["slug"] = "Uzbeks of Russia", "uzbeks-of-russia"
    data[section_key(data, "History", "body")] = "New history."
    assert admin_client.post(change_url(article), data).status_code == 302
    if taken == "title":
        articles_import(sources=[("other.txt", b"= Uzbeks in Russia =\n\nAnother.\n")])
    else:
        articles_import(sources=[("other.txt", b"= Uzbek people in Russia =\n\nAnother.\n")])
        Article.objects.filter(title="Uzbek people in Russia").update(slug="uzbeks-in-russia")
    before = (list(revisions(article)), log_messages(article))

    response = admin_client.post(f"{history_url(article)}{first.pk}/revert/")

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    what = "title “Uzbeks in Russia”" if taken == "title" else "address (slug) “uzbeks-in-russia”"
    assert f"Revision {first.pk} cannot be restored: another article" in text
    assert what in text and "Rename that article first" in text
    current = Article.objects.get(pk=article.pk)
    assert (current.title, current.slug) == ("Uzbeks of Russia", "uzbeks-of-russia")
    assert Section.objects.get(article=article, heading="History").body == "New history."
    assert (list(revisions(article)), log_messages(article)) == before


# --- Section order ---------------------------------------------------------------------


def test_moving_a_section_shows_in_compare_and_in_the_revert_preview(admin_client, article):
    first = revisions(article)[0]
    data = open_form(admin_client, article)
    data[section_key(data, "History", "position")] = "5"  # History after Culture
    assert admin_client.post(change_url(article), data).status_code == 302
    assert list(article.sections.values_list("heading", flat=True)) == ["Culture", "History"]
    moved = revisions(article)[0]

    order_change = (
        "<del>1. ==History==\n2. ==Culture==</del>\n<ins>1. ==Culture==\n2. ==History==</ins>"
    )
    compare = admin_client.get(f"{history_url(article)}compare/", {"a": first.pk, "b": moved.pk})
    html = compare.content.decode()
    assert re.findall(r'<th scope="row">([^<]+) <small>', html) == ["Section order"]
    assert order_change in html

    preview = admin_client.get(f"{history_url(article)}{first.pk}/revert/").content.decode()
    assert re.findall(r'<th scope="row">([^<]+) <small>', preview) == ["Section order"]
    assert "<del>1. ==Culture==\n2. ==History==</del>\n<ins>1. ==History==\n2. ==Culture==</ins>" in (
        preview
    )


def test_sections_added_together_take_distinct_positions_in_the_order_entered(
    client, admin_client, article
):
    response = admin_client.get(change_url(article))
    data = change_form_data(response)
    add_inline_form(response, data, "sections", heading="Economy", body="Trade.")
    add_inline_form(response, data, "sections", heading="Religion", body="Sunni Islam.")
    assert [row["position"] for row in inline_forms(data, "sections")] == ["0", "1", "", ""]

    assert admin_client.post(change_url(article), data).status_code == 302

    assert list(article.sections.values_list("heading", "position")) == [
        ("History", 0), ("Culture", 1), ("Economy", 2), ("Religion", 3),
    ]
    html = client.get(article.get_absolute_url()).content.decode()
    headings = re.findall(r'<h2 id="[^"]*">([^<]*) <a class="anchor"', html)
    assert headings == ["History", "Culture", "Economy", "Religion"]
