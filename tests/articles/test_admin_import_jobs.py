"""Issue 10, item 3 (b): a confirmed admin import runs outside the request,
as an ImportJob, so that no upload within the limits can outlast gunicorn's
worker timeout. Its page reloads itself until the import has ended, then
shows what was made, or why nothing was."""

import datetime
import threading

import pytest
from django.utils import timezone

from articles.admin import import_views
from articles.models import Article, ImportJob
from tests.articles.test_admin_import import (
    IMPORT_URL, NEW_ARTICLE, confirm, db_state, page_text, preview, wait_for_imports,
)

pytestmark = pytest.mark.django_db(transaction=True)

REFRESH = f'<meta http-equiv="refresh" content="{import_views.JOB_REFRESH_SECONDS}">'


def job_url(job: ImportJob) -> str:
    return f"/admin/articles/article/import/{job.pk}/"


def test_confirm_answers_before_the_import_runs_and_the_page_reloads_until_it_ends(
    admin_client, admin_user, monkeypatch
):
    release = threading.Event()
    real_import = import_views.articles_import

    def held_import(**kwargs):
        release.wait(30)  # the import waits until the test has seen the page
        return real_import(**kwargs)

    monkeypatch.setattr(import_views, "articles_import", held_import)
    token = preview(admin_client, ("armenians.txt", NEW_ARTICLE)).context["token"]

    response = admin_client.post(IMPORT_URL, {"token": token, "action": "confirm"})

    job = ImportJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, job_url(job))
    assert (job.status, job.files, job.user) == ("running", 1, admin_user)
    page = admin_client.get(job_url(job))
    html = page.content.decode()
    assert REFRESH in html
    assert "<script>" not in html  # the CSP allows no inline script
    assert "Importing 1 file (started at" in page_text(page)
    assert not Article.objects.exists()

    release.set()
    wait_for_imports()
    page = admin_client.get(job_url(job))
    html = page.content.decode()
    assert REFRESH not in html
    article = Article.objects.get()
    assert "Imported 1 article: 1 created, 0 updated." in page_text(page)
    assert f'href="/admin/articles/article/{article.pk}/change/"' in html
    job.refresh_from_db()
    assert (job.status, job.results) == ("done", [[article.title, article.pk, True]])


def test_the_job_page_counts_the_files_written_while_the_import_runs(admin_client, monkeypatch):
    """The rows are invisible until the import commits; the page still says
    how far it has got (the count goes through the shared cache)."""
    written_one = threading.Event()
    release = threading.Event()
    real_import = import_views.articles_import

    def slow_import(**kwargs):
        report = kwargs["on_progress"]

        def on_progress(result):
            report(result)
            written_one.set()
            release.wait(30)  # the rest waits until the test has seen the page

        return real_import(**{**kwargs, "on_progress": on_progress})

    monkeypatch.setattr(import_views, "articles_import", slow_import)
    files = [(f"{n}.txt", f"= Tatars in Place{n} =\n\nLead {n}.\n".encode()) for n in "ABC"]
    token = preview(admin_client, *files).context["token"]
    response = admin_client.post(IMPORT_URL, {"token": token, "action": "confirm"})
    job = ImportJob.objects.get()
    assert written_one.wait(30)

    text = page_text(admin_client.get(job_url(job)))
    assert "Importing 3 files" in text
    assert "1 of 3 written." in text
    assert not Article.objects.exists()  # not committed yet

    release.set()
    wait_for_imports()
    assert "Imported 3 articles: 3 created, 0 updated." in page_text(admin_client.get(response["Location"]))


def test_an_import_that_fails_when_run_shows_why_and_writes_nothing(
    admin_client, monkeypatch
):
    token = preview(admin_client, ("armenians.txt", NEW_ARTICLE)).context["token"]
    before = db_state()

    def failing(**kwargs):
        raise import_views.ImportFailed("armenians.txt:3: the file changed")

    monkeypatch.setattr(import_views, "articles_import", failing)
    page = confirm(admin_client, token)

    assert "Nothing was imported: armenians.txt:3: the file changed" in page_text(page)
    assert REFRESH not in page.content.decode()
    assert db_state() == before
    assert ImportJob.objects.get().status == "failed"


def test_an_internal_error_in_the_import_is_a_message_not_a_traceback(
    admin_client, monkeypatch
):
    token = preview(admin_client, ("armenians.txt", NEW_ARTICLE)).context["token"]
    before = db_state()

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(import_views, "articles_import", broken)
    page = confirm(admin_client, token)

    assert page.status_code == 200
    assert ("Nothing was imported: the import stopped on an internal error"
            in page_text(page))
    assert "a bug" not in page.content.decode()
    assert db_state() == before


def test_a_job_left_running_by_a_stopped_worker_is_shown_as_interrupted(admin_client, admin_user):
    job = ImportJob.objects.create(user=admin_user, files=3)
    ImportJob.objects.filter(pk=job.pk).update(
        created=timezone.now() - import_views.JOB_STALE_AFTER - datetime.timedelta(minutes=1)
    )
    page = admin_client.get(job_url(job))
    assert "was interrupted (the server restarted). Nothing was imported" in page_text(page)
    assert REFRESH not in page.content.decode()


def test_another_editors_import_is_not_shown(client, admin_user, django_user_model):
    from django.contrib.auth.models import Permission

    job = ImportJob.objects.create(user=admin_user, files=1)
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(
        codename__in=["add_article", "change_article", "view_article"]
    ))
    client.force_login(editor)
    assert client.get(job_url(job)).status_code == 404


def test_a_job_page_is_for_signed_in_importers_only(client, admin_user, django_user_model):
    job = ImportJob.objects.create(user=admin_user, files=1)
    response = client.get(job_url(job))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)  # staff, but may not import
    assert client.get(job_url(job)).status_code == 403
