"""Import in the admin: upload wiki-text files, preview what changes, then
confirm or cancel. Nothing is written before the confirmation, and nothing
on an error or a cancel."""

import re

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from reversion.models import Version

from articles import wikitext
from articles.admin.import_views import (
    MAX_FILE_SIZE, MAX_TOTAL_SIZE, SESSION_PREFIX, max_files, running_jobs,
)
from articles.models import Article, InfoboxRow, SeeAlso, Section
from articles.services import article_export, articles_import
from tests.html import visible_text

# Transactional: a confirmed import runs in a thread with its own connection.
pytestmark = pytest.mark.django_db(transaction=True)

IMPORT_URL = "/admin/articles/article/import/"
CHANGELIST_URL = "/admin/articles/article/"
SEED_TITLE = "Russians in Afghanistan"

NEW_ARTICLE = b"""\
= Armenians in Afghanistan =

Infobox
- Group: Armenians in Afghanistan
- Population: 300
- Langs: Armenian, Dari

Armenians have lived in Afghanistan since the 19th century.

==History==
The community was small.

==See also==
- Russians in Afghanistan
"""

SECTIONS_BEFORE = b"""\
= Greeks in Egypt =

Infobox
- Group: Egyptiotes
- Population: 5,000

The Greek community of Egypt.

==History==
Greeks settled in Alexandria in antiquity.

==Culture==
The community kept its own schools and churches.

==Today==
About five thousand remain.

==See also==
- Greeks in Sudan
"""

# Culture removed, Today changed; History, the lead and the rest as they were.
SECTIONS_AFTER = b"""\
= Greeks in Egypt =

Infobox
- Group: Egyptiotes
- Population: 5,000

The Greek community of Egypt.

==History==
Greeks settled in Alexandria in antiquity.

==Today==
A few thousand remain, most of them in Alexandria.

==See also==
- Greeks in Sudan
"""

# Line 5 is not an infobox row.
BROKEN = b"""\
= Poles in Iran =

Infobox
- Group: Poles in Iran
Population 300
"""


def upload(*files: tuple[str, bytes]) -> dict:
    return {"files": [SimpleUploadedFile(name, data, "text/plain") for name, data in files]}


def page_text(response) -> str:
    return visible_text(response.content.decode())


def pending(client) -> list[str]:
    """The imports waiting in the client's session."""
    return [key for key in client.session.keys() if key.startswith(SESSION_PREFIX)]


def db_state() -> dict:
    """Enough of the database to see that nothing was written."""
    return {
        "articles": sorted(Article.objects.values_list("title", "updated")),
        "sections": sorted(Section.objects.values_list("article__title", "heading", "body")),
        "see_also": sorted(SeeAlso.objects.values_list("article__title", "target_title")),
        "infobox_rows": sorted(InfoboxRow.objects.values_list("article__title", "key", "value")),
        "log_entries": LogEntry.objects.count(),
        "versions": Version.objects.count(),
    }


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def confirm(client, token: str):
    """Confirm the import waiting under ``token``: the answer sends the
    editor to the job's page; once the job's thread has ended, that page."""
    response = client.post(IMPORT_URL, {"token": token, "action": "confirm"})
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert re.fullmatch(r"/admin/articles/article/import/\d+/", location), location
    wait_for_imports()
    return client.get(location)


def wait_for_imports() -> None:
    for thread in list(running_jobs.values()):
        thread.join(60)
    assert not running_jobs


def preview(client, *files):
    response = client.post(IMPORT_URL, upload(*files))
    assert response.status_code == 200, response.content[:500]
    assert "plan" in response.context, page_text(response)
    return response


@pytest.fixture
def greeks_in_egypt(db):
    [result] = articles_import(sources=[("greeks.txt", SECTIONS_BEFORE)])
    return result.article


def test_new_article_text_is_canonical_so_its_export_can_equal_the_upload():
    assert wikitext.dump(wikitext.parse(NEW_ARTICLE.decode())) == NEW_ARTICLE.decode()
    assert wikitext.dump(wikitext.parse(SECTIONS_AFTER.decode())) == SECTIONS_AFTER.decode()


def test_changelist_has_import_button_beside_the_add_button(admin_client):
    response = admin_client.get(CHANGELIST_URL)
    html = response.content.decode()
    assert f'href="{IMPORT_URL}"' in html
    assert "Import wiki-text" in html
    assert 'href="/admin/articles/article/add/"' in html


def test_import_page_shows_a_multiple_file_upload_form_in_the_admin(admin_client):
    response = admin_client.get(IMPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="files"' in html and "multiple" in html
    assert "csrfmiddlewaretoken" in html
    assert response.context["opts"] is Article._meta
    assert response.context["site_header"]  # each_context: the admin's own page
    assert 'class="breadcrumbs"' in html


def test_preview_of_seed_and_new_article_lists_both_and_writes_nothing(
    admin_client, seed_fixture, seed_bytes
):
    before = db_state()
    response = preview(admin_client, ("seed.txt", seed_bytes), ("armenians.txt", NEW_ARTICLE))

    plan = response.context["plan"]
    seed, new = plan.articles
    assert (seed.name, seed.title, seed.article) == ("seed.txt", SEED_TITLE, seed_fixture)
    assert (new.name, new.title, new.created) == ("armenians.txt", "Armenians in Afghanistan", True)
    text = page_text(response)
    assert "armenians.txt Armenians in Afghanistan new A new article." in text
    if seed.unchanged:
        assert f"seed.txt {SEED_TITLE} no change The article already matches this file." in text
    else:
        assert f"seed.txt {SEED_TITLE} updated" in text
    assert db_state() == before
    assert len(pending(admin_client)) == 1


def test_seed_fixture_is_shown_as_no_change_when_it_matches_the_file(
    admin_client, seed_fixture, seed_bytes
):
    assert article_export(article=seed_fixture) == seed_bytes.decode()
    plan = preview(admin_client, ("seed.txt", seed_bytes)).context["plan"]
    assert [a.title for a in plan.unchanged] == [SEED_TITLE]
    assert plan.created == plan.updated == []


def test_confirm_imports_both_exports_equal_the_upload_and_logs_the_editor(
    admin_client, admin_user, seed_fixture, seed_bytes
):
    response = preview(admin_client, ("seed.txt", seed_bytes), ("armenians.txt", NEW_ARTICLE))
    token = response.context["token"]

    response = confirm(admin_client, token)

    assert response.status_code == 200
    assert "Imported 2 articles: 1 created, 1 updated." in page_text(response)
    seed = Article.objects.get(title=SEED_TITLE)
    new = Article.objects.get(title="Armenians in Afghanistan")
    assert seed.pk == seed_fixture.pk
    assert article_export(article=seed) == seed_bytes.decode()
    assert article_export(article=new) == NEW_ARTICLE.decode()
    logs = {
        (e.object_id, e.action_flag, e.user_id, e.change_message, e.object_repr)
        for e in LogEntry.objects.all()
    }
    assert logs == {
        (str(seed.pk), CHANGE, admin_user.pk, "Imported from seed.txt", SEED_TITLE),
        (str(new.pk), ADDITION, admin_user.pk, "Imported from armenians.txt",
         "Armenians in Afghanistan"),
    }
    # The same import service as the command: each article gets a revision by the editor.
    assert Version.objects.get_for_object(new).first().revision.user == admin_user
    assert pending(admin_client) == []


def test_history_and_recent_actions_show_the_import_with_its_author(
    admin_client, admin_user, seed_bytes
):
    token = preview(admin_client, ("armenians.txt", NEW_ARTICLE)).context["token"]
    confirm(admin_client, token)
    article = Article.objects.get(title="Armenians in Afghanistan")

    history = page_text(admin_client.get(f"/admin/articles/article/{article.pk}/history/"))
    assert "Imported from armenians.txt" in history
    assert admin_user.get_username() in history
    assert "Armenians in Afghanistan" in page_text(admin_client.get("/admin/"))


def test_preview_of_update_names_exactly_the_removed_and_changed_sections(
    admin_client, greeks_in_egypt
):
    before = db_state()
    response = preview(admin_client, ("greeks.txt", SECTIONS_AFTER))

    [item] = response.context["plan"].articles
    assert item.article == greeks_in_egypt and not item.created and not item.unchanged
    assert [(s.heading, s.position) for s in item.sections_removed] == [("Culture", 2)]
    assert [(s.heading, s.position) for s in item.sections_changed] == [("Today", 2)]
    assert item.sections_added == ()
    assert not item.lead_changed
    assert item.infobox_rows == item.see_also_added == item.see_also_removed == ()
    assert item.reordered == ()
    text = page_text(response)
    assert "greeks.txt Greeks in Egypt updated" in text
    assert "Section changed: Today (section 2)" in text
    assert "Section removed: Culture (was section 2)" in text
    assert "History" not in text
    assert "Lead changed" not in text
    assert db_state() == before


def test_preview_shows_lead_infobox_and_see_also_changes(admin_client, greeks_in_egypt):
    changed = (
        SECTIONS_BEFORE.replace(b"The Greek community", b"The old Greek community")
        .replace(b"- Population: 5,000", b"- Population: 4,000\n- Langs: Greek")
        .replace(b"- Greeks in Sudan", b"- Greeks in Libya")
        .replace(b"==Today==", b"==Now==")
    )
    [item] = preview(admin_client, ("greeks.txt", changed)).context["plan"].articles

    assert item.lead_changed
    assert [(r.key, r.old, r.new) for r in item.infobox_rows] == [
        ("Population", "5,000", "4,000"),
        ("Langs", None, "Greek"),
    ]
    assert item.see_also_added == ("Greeks in Libya",)
    assert item.see_also_removed == ("Greeks in Sudan",)
    assert [s.heading for s in item.sections_added] == ["Now"]
    assert [s.heading for s in item.sections_removed] == ["Today"]
    assert item.sections_changed == ()


GREEKS_WITH_REFERENCES = SECTIONS_BEFORE.replace(
    b"The Greek community of Egypt.", b"The Greek community of Egypt.[^kitroeff][^census]"
) + b"""
==References==
- [^kitroeff]
  - Type: book
  - Title: The Greeks in Egypt 1919-1937
  - Author: Alexander Kitroeff
  - Publisher: Ithaca Press
  - Date: 1989
- [^census]
  - Title: Census of Egypt 1947
  - Url: https://example.org/census-1947
  - Accessed: 2020-01-01
- [^old]
  - Title: An old pamphlet
"""


def test_preview_lists_the_references_a_file_adds_changes_and_removes(admin_client):
    [result] = articles_import(sources=[("greeks.txt", GREEKS_WITH_REFERENCES)])
    from articles.models import ArticleReference, Source

    sources_before = list(Source.objects.values_list("pk", "title", "url"))
    references_before = list(ArticleReference.objects.values_list("pk", "key", "accessed"))
    changed = (
        GREEKS_WITH_REFERENCES
        .replace(b"https://example.org/census-1947", b"https://example.org/census/1947")
        .replace(b"2020-01-01", b"2021-02-03")
        .replace(b"- [^old]\n  - Title: An old pamphlet\n",
                 b"- [^dalachanis]\n  - Type: book\n  - Title: The Greek Exodus from Egypt\n"
                 b"  - Author: Angelos Dalachanis\n  - Date: 2017\n")
        .replace(b"- Population: 5,000", b"- Population: 5,000 [^census|table 2]")
    )

    response = preview(admin_client, ("greeks.txt", changed))

    [item] = response.context["plan"].articles
    assert item.article == result.article and not item.unchanged
    assert [(r.key, r.title) for r in item.references_added] == [
        ("dalachanis", "The Greek Exodus from Egypt")
    ]
    assert [(r.key, r.fields) for r in item.references_changed] == [
        ("census", ("Url", "Accessed"))
    ]
    assert [(r.key, r.title) for r in item.references_removed] == [("old", "An old pamphlet")]
    # A citation added after an infobox row changes that row.
    assert [(r.key, r.old, r.new) for r in item.infobox_rows] == [
        ("Population", "5,000", "5,000 [^census|table 2]")
    ]
    assert not item.lead_changed and item.reordered == ()
    text = page_text(response)
    assert "Reference added: [^dalachanis] The Greek Exodus from Egypt" in text
    assert "Reference changed: [^census] Census of Egypt 1947 (Url, Accessed)" in text
    assert "Reference removed: [^old] An old pamphlet" in text
    assert "Infobox row Population changed: 5,000 → 5,000 [^census|table 2]" in text
    # Nothing written: the shared sources and the references are as they were.
    assert list(Source.objects.values_list("pk", "title", "url")) == sources_before
    assert list(ArticleReference.objects.values_list("pk", "key", "accessed")) == references_before


def test_preview_of_a_file_with_the_same_references_is_no_change(admin_client):
    articles_import(sources=[("greeks.txt", GREEKS_WITH_REFERENCES)])

    [item] = preview(admin_client, ("greeks.txt", GREEKS_WITH_REFERENCES)).context["plan"].articles

    assert item.unchanged
    assert item.references_added == item.references_changed == item.references_removed == ()


def test_preview_names_reordered_references_and_a_changed_author(admin_client):
    articles_import(sources=[("greeks.txt", GREEKS_WITH_REFERENCES)])
    kitroeff = GREEKS_WITH_REFERENCES.split(b"- [^kitroeff]\n")[1].split(b"- [^census]")[0]
    reordered = (
        GREEKS_WITH_REFERENCES.replace(b"- [^kitroeff]\n" + kitroeff, b"")
        .replace(b"  - Title: An old pamphlet\n",
                 b"  - Title: An old pamphlet\n- [^kitroeff]\n"
                 + kitroeff.replace(b"Alexander Kitroeff", b"A. Kitroeff"))
    )

    [item] = preview(admin_client, ("greeks.txt", reordered)).context["plan"].articles

    assert item.reordered == ("references",)
    assert [(r.key, r.fields) for r in item.references_changed] == [("kitroeff", ("Author",))]


def test_preview_of_a_new_article_lists_its_references(admin_client):
    response = preview(admin_client, ("greeks.txt", GREEKS_WITH_REFERENCES))

    [item] = response.context["plan"].articles
    assert item.created
    assert [r.key for r in item.references_added] == ["kitroeff", "census", "old"]
    assert (
        "A new article, with 3 references: [^kitroeff] The Greeks in Egypt 1919-1937; "
        "[^census] Census of Egypt 1947; [^old] An old pamphlet."
    ) in page_text(response)


def test_bad_file_among_good_ones_shows_file_and_line_and_writes_nothing(
    admin_client, seed_fixture, seed_bytes
):
    before = db_state()
    response = admin_client.post(
        IMPORT_URL,
        upload(("seed.txt", seed_bytes), ("broken.txt", BROKEN), ("armenians.txt", NEW_ARTICLE)),
    )

    assert response.status_code == 200
    assert "plan" not in response.context
    assert "broken.txt:5: infobox row must look like '- Key: Value'" in page_text(response)
    assert response.context["form"].errors["files"] == [
        "Nothing was imported: broken.txt:5: infobox row must look like '- Key: Value'"
    ]
    assert db_state() == before
    assert pending(admin_client) == []


def test_two_files_with_one_title_are_refused_as_the_import_refuses_them(admin_client):
    response = admin_client.post(
        IMPORT_URL, upload(("a.txt", NEW_ARTICLE), ("b.txt", NEW_ARTICLE))
    )
    assert "b.txt:1: the title 'Armenians in Afghanistan' is also the title of a.txt" in (
        page_text(response)
    )
    assert not Article.objects.exists()
    assert pending(admin_client) == []


def test_non_utf8_file_is_refused_with_its_line(admin_client):
    latin1 = "= Turks in Germany =\n\nDie türkische Gemeinde.\n".encode("latin-1")
    response = admin_client.post(IMPORT_URL, upload(("turks.txt", latin1)))

    assert response.status_code == 200
    assert (
        "turks.txt:3: byte 0xfc is not valid UTF-8; save the file as UTF-8" in page_text(response)
    )
    assert not Article.objects.exists()


def test_empty_file_is_reported_by_name(admin_client):
    response = admin_client.post(IMPORT_URL, upload(("empty.txt", b"")))
    assert "empty.txt:1: the file is empty" in page_text(response)


def test_oversize_file_is_refused_with_its_size(admin_client):
    big = NEW_ARTICLE + b"x" * int(2.3 * MAX_FILE_SIZE - len(NEW_ARTICLE))
    response = admin_client.post(
        IMPORT_URL, upload(("armenians.txt", NEW_ARTICLE), ("broken.txt", big))
    )

    assert response.status_code == 200
    assert "broken.txt is 2.3 MiB; files up to 1 MiB are accepted." in page_text(response)
    assert not Article.objects.exists()
    assert pending(admin_client) == []


def test_file_just_over_the_limit_is_shown_in_bytes_not_as_1_mib(admin_client):
    response = admin_client.post(IMPORT_URL, upload(("a.txt", b"x" * (MAX_FILE_SIZE + 1))))
    assert "a.txt is 1,048,577 bytes; files up to 1 MiB are accepted." in page_text(response)


def test_files_over_the_total_limit_are_refused(admin_client):
    files = [(f"{i}.txt", b"x" * MAX_FILE_SIZE) for i in range(5)] + [("5.txt", b"x" * 10)]
    response = admin_client.post(IMPORT_URL, upload(*files))
    assert response.status_code == 200
    assert (
        "The files come to 5,242,890 bytes; at most 5 MiB can be imported at once."
        in page_text(response)
    )


def test_upload_far_over_the_total_limit_is_refused_unread(admin_client):
    files = [(f"{i}.txt", b"x" * MAX_FILE_SIZE) for i in range(7)]
    response = admin_client.post(IMPORT_URL, upload(*files))
    assert response.status_code == 200
    assert "The upload is 7.0 MiB; at most 5 MiB can be imported at once." in page_text(response)
    assert MAX_TOTAL_SIZE == 5 * 1024 * 1024


@pytest.mark.parametrize("django_ceiling", [100, 200, None])
def test_too_many_files_are_refused(admin_client, settings, django_ceiling):
    # Django refuses more than DATA_UPLOAD_MAX_NUMBER_FILES while reading the
    # request; the form refuses more than 200 when Django lets them through.
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = django_ceiling
    assert max_files() == min(200, django_ceiling or 200)
    files = [(f"{i}.txt", b"= T =\n") for i in range(max_files() + 1)]
    response = admin_client.post(IMPORT_URL, upload(*files))
    assert response.status_code == 200
    assert f"at most {max_files()} files can be imported at once" in page_text(response).lower()
    assert not Article.objects.exists()


def test_no_file_chosen_asks_for_one(admin_client):
    response = admin_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "Choose one or more wiki-text files to import." in page_text(response)


def test_cancel_writes_nothing_and_forgets_the_upload(admin_client, seed_fixture, seed_bytes):
    before = db_state()
    token = preview(admin_client, ("armenians.txt", NEW_ARTICLE)).context["token"]

    response = admin_client.post(IMPORT_URL, {"token": token, "action": "cancel"})

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST_URL
    assert messages_of(response) == ["Import cancelled; nothing was imported."]
    assert db_state() == before
    assert pending(admin_client) == []
    # The cancelled token cannot be confirmed afterwards.
    admin_client.post(IMPORT_URL, {"token": token, "action": "confirm"})
    assert db_state() == before


def test_unknown_or_used_token_is_an_error_message_not_a_500(admin_client):
    response = admin_client.post(IMPORT_URL, {"token": "no-such-token-at-all-xyz", "action": "confirm"})
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert "no longer waiting" in messages_of(response)[0]

    token = preview(admin_client, ("armenians.txt", NEW_ARTICLE)).context["token"]
    assert confirm(admin_client, token).status_code == 200
    again = admin_client.post(IMPORT_URL, {"token": token, "action": "confirm"}, follow=True)
    assert again.status_code == 200
    assert "no longer waiting" in page_text(again)
    assert Article.objects.count() == 1
    assert LogEntry.objects.count() == 1


def test_a_new_upload_replaces_the_import_waiting_for_confirmation(admin_client):
    first = preview(admin_client, ("armenians.txt", NEW_ARTICLE)).context["token"]
    second = preview(admin_client, ("greeks.txt", SECTIONS_BEFORE)).context["token"]
    assert pending(admin_client) == [SESSION_PREFIX + second]

    admin_client.post(IMPORT_URL, {"token": first, "action": "confirm"})
    assert not Article.objects.exists()
    confirm(admin_client, second)
    assert list(Article.objects.values_list("title", flat=True)) == ["Greeks in Egypt"]


def test_confirm_form_carries_only_the_token(admin_client):
    response = preview(admin_client, ("armenians.txt", NEW_ARTICLE))
    html = response.content.decode()
    form = html[html.index('id="import-confirm"'):]
    form = form[: form.index("</form>")]
    assert 'name="token"' in form and "Armenians have lived" not in form
    assert form.count("<input") == 2  # the CSRF token and the import token


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/articles/article/import/")
    response = client.post(IMPORT_URL, upload(("armenians.txt", NEW_ARTICLE)))
    assert response.status_code == 302
    assert not Article.objects.exists()


def test_staff_without_add_permission_is_forbidden(client, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "change_article"])
    )
    client.force_login(user)

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, upload(("armenians.txt", NEW_ARTICLE))).status_code == 403
    assert not Article.objects.exists()
    assert "Import wiki-text" not in client.get(CHANGELIST_URL).content.decode()


def test_upload_and_confirm_need_the_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post(IMPORT_URL, upload(("armenians.txt", NEW_ARTICLE)))
    assert response.status_code == 403
    assert pending(client) == []

    client.get(IMPORT_URL)  # sets the CSRF cookie, as the form page does in a browser
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        IMPORT_URL, {**upload(("armenians.txt", NEW_ARTICLE)), "csrfmiddlewaretoken": csrf}
    )
    import_token = response.context["token"]
    response = client.post(IMPORT_URL, {"token": import_token, "action": "confirm"})
    assert response.status_code == 403
    assert not Article.objects.exists()
