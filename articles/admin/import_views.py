"""Import wiki-text files in the article admin: upload, preview, confirm.

Step 1 uploads one or more files; step 2 parses them with
``articles_import_plan`` (the parsing ``articles_import`` does) and shows what
would be created and changed, writing nothing; the uploaded bytes wait in the
session under a random token. Step 3 posts the token back and runs
``articles_import``, the same import as ``manage.py import_articles``, all or
nothing. Cancel, an error or a finished import drops the session entry.

The confirmed import runs in a thread of the worker, recorded as an
ImportJob, and the editor is sent to its page, which reloads itself (a meta
refresh: the CSP allows no inline script) until the import has ended and
then shows what it made or why it failed. Rendering the Markdown of a large
upload can take longer than gunicorn lets one request run (--timeout), and a
request killed there would answer 500 however the response was streamed.

``ArticleAdmin.get_urls`` routes ``import/`` and ``import/<job>/`` to
``ImportViews``; whether a user may import is
``ArticleAdmin.has_import_permission``.
"""

from __future__ import annotations

import base64
import datetime
import logging
import re
import secrets
import threading

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.db import connection
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect

from ..models import ImportJob
from ..services import ImportFailed, ImportResult, articles_import, articles_import_plan

logger = logging.getLogger(__name__)

MiB = 1024 * 1024
MAX_FILES = 200
MAX_FILE_SIZE = 1 * MiB
MAX_TOTAL_SIZE = 5 * MiB
# A request larger than the files allowed plus room for the multipart
# headers of every file and the form's own fields is refused unread.
MAX_REQUEST_SIZE = MAX_TOTAL_SIZE + MAX_FILES * 1024 + 64 * 1024

SESSION_PREFIX = "articles_import:"
# A job still "running" after this long was stopped with its worker (a
# restart, a deploy): its transaction was rolled back, nothing was written.
JOB_STALE_AFTER = datetime.timedelta(minutes=15)
JOB_REFRESH_SECONDS = 2
# Threads of the jobs running in this process, by job id (tests join them).
running_jobs: dict[int, threading.Thread] = {}


def _progress_key(job_id: int) -> str:
    return f"articles:import-job:{job_id}:written"


TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def max_files() -> int:
    """How many files one upload may hold: MAX_FILES, unless Django's own
    DATA_UPLOAD_MAX_NUMBER_FILES refuses fewer."""
    ceiling = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    return MAX_FILES if ceiling is None else min(MAX_FILES, ceiling)


def file_size(size: int, limit: int) -> str:
    """``size`` in MiB with one decimal, or in bytes where that would read
    as the ``limit`` it exceeds ("1.0 MiB; files up to 1 MiB")."""
    shown = f"{size / MiB:.1f}"
    if float(shown) <= limit / MiB:
        return f"{size:,} bytes"
    return f"{shown} MiB"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern of Django's documentation).
    Empty files are kept: the parser reports them with the file's name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,text/plain"}))
        super().__init__(*args, allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="Wiki-text files",
        help_text=(
            f"One or more UTF-8 wiki-text files (.txt): at most {MAX_FILES} files, "
            f"each up to {MAX_FILE_SIZE // MiB} MiB, {MAX_TOTAL_SIZE // MiB} MiB in all."
        ),
        error_messages={"required": "Choose one or more wiki-text files to import."},
    )

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        limit = max_files()
        if len(files) > limit:
            raise forms.ValidationError(
                f"{len(files)} files were chosen; at most {limit} files can be imported at once."
            )
        errors = [
            f"{f.name} is {file_size(f.size, MAX_FILE_SIZE)}; files up to "
            f"{MAX_FILE_SIZE // MiB} MiB are accepted."
            for f in files
            if f.size > MAX_FILE_SIZE
        ]
        if errors:
            raise forms.ValidationError(errors)
        total = sum(f.size for f in files)
        if total > MAX_TOTAL_SIZE:
            raise forms.ValidationError(
                f"The files come to {file_size(total, MAX_TOTAL_SIZE)}; at most "
                f"{MAX_TOTAL_SIZE // MiB} MiB can be imported at once."
            )
        return files

    def sources(self) -> list[tuple[str, bytes]]:
        sources = []
        for f in self.cleaned_data["files"]:
            f.seek(0)
            sources.append((f.name, f.read()))
        return sources


class ImportViews:
    """The import views of one model admin of Article: the upload form, its
    preview and confirmation (``upload_view``) and a job's page (``job_view``)."""

    form_template = "admin/articles/article/import_form.html"
    preview_template = "admin/articles/article/import_preview.html"
    job_template = "admin/articles/article/import_job.html"

    def __init__(self, model_admin):
        self.model_admin = model_admin

    # Views

    def upload_view(self, request):
        """Upload, preview, then confirm or cancel. Routed csrf_exempt (see
        ``ArticleAdmin.get_urls``) only so that an oversized upload is refused
        before anything reads the body; the steps are csrf_protect'ed."""
        if not self.model_admin.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            problem = self._unreadable_upload(request)
            if problem:
                # Nothing is done with the request; it is answered with the
                # empty form (the CSRF token could not be read to check it).
                return self._render_form(request, ImportForm(), problem)
        return csrf_protect(self._import_steps)(request)

    def _import_steps(self, request):
        if request.method != "POST":
            return self._render_form(request, ImportForm())
        if "token" in request.POST:
            return self._import_confirm(request)
        # A new upload replaces an import still waiting for confirmation.
        self._forget(request)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            sources = form.sources()
            try:
                plan = articles_import_plan(sources=sources)
            except ImportFailed as exc:
                form.add_error("files", f"Nothing was imported: {exc}")
            else:
                token = self._keep(request, sources)
                context = {
                    **self._context(request, "Import wiki-text: preview"),
                    "plan": plan,
                    "token": token,
                }
                return TemplateResponse(request, self.preview_template, context)
        return self._render_form(request, form)

    def _import_confirm(self, request):
        sources = self._take(request, request.POST["token"])
        if sources is None:
            messages.error(
                request,
                "This import is no longer waiting: it was already confirmed or cancelled, "
                "or the session ended. Nothing was imported; upload the files again.",
            )
            return HttpResponseRedirect(self._url("import"))
        if request.POST.get("action") != "confirm":
            messages.info(request, "Import cancelled; nothing was imported.")
            return HttpResponseRedirect(self._url("changelist"))

        job = ImportJob.objects.create(user=request.user, files=len(sources))
        # Saved now, before the import holds the database's write lock
        # (SQLite), rather than by the middleware after the thread started.
        request.session.save()
        request.session.modified = False
        thread = threading.Thread(
            target=self._run_job, args=(job.pk, sources, request),
            name=f"articles-import-{job.pk}", daemon=True,
        )
        running_jobs[job.pk] = thread
        thread.start()
        return HttpResponseRedirect(self._job_url(job))

    def _run_job(self, job_id: int, sources: list[tuple[str, bytes]], request) -> None:
        """The import of a job, in its own thread and database connection."""

        done = 0

        def log(result: ImportResult) -> None:
            nonlocal done
            done += 1
            # Rows written inside the import's transaction are invisible to
            # the job page until the commit: the count goes through the
            # cache, which every process shares (see encyclopedia.pagecache).
            cache.set(_progress_key(job_id), done, JOB_STALE_AFTER.total_seconds())
            # Called inside the import's transaction: no log without the import.
            message = f"Imported from {result.name}"
            if result.created:
                self.model_admin.log_addition(request, result.article, message)
            else:
                self.model_admin.log_change(request, result.article, message)

        try:
            try:
                results = articles_import(sources=sources, on_progress=log, user=request.user)
            except ImportFailed as exc:
                self._end_job(job_id, ImportJob.Status.FAILED, message=str(exc))
            except Exception:
                logger.exception("Import job %s failed", job_id)
                self._end_job(
                    job_id, ImportJob.Status.FAILED,
                    message="the import stopped on an internal error (it is in the server's log)",
                )
            else:
                self._end_job(job_id, ImportJob.Status.DONE, results=[
                    [result.title, result.article_id, result.created] for result in results
                ])
        finally:
            running_jobs.pop(job_id, None)
            connection.close()

    @staticmethod
    def _end_job(job_id: int, status: str, **fields) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            status=status, finished=timezone.now(), **fields
        )

    def job_view(self, request, job_id: int):
        if not self.model_admin.has_import_permission(request):
            raise PermissionDenied
        job = ImportJob.objects.filter(pk=job_id).first()
        if job is None or (job.user_id != request.user.pk and not request.user.is_superuser):
            raise Http404("No such import.")
        stale = (
            job.status == ImportJob.Status.RUNNING
            and timezone.now() - job.created > JOB_STALE_AFTER
        )
        progress = cache.get(_progress_key(job.pk), 0) if job.status == ImportJob.Status.RUNNING else 0
        articles = [
            {"title": title, "created": created,
             "url": reverse("admin:%s_%s_change" % (self.model_admin.opts.app_label, self.model_admin.opts.model_name),
                            args=[pk], current_app=self.model_admin.admin_site.name)}
            for title, pk, created in job.results
        ]
        created = sum(a["created"] for a in articles)
        context = {
            **self._context(request, "Import wiki-text: result" if job.finished else
                            "Import wiki-text: importing"),
            "job": job,
            "stale": stale,
            "progress": progress,
            "refresh": JOB_REFRESH_SECONDS if job.status == ImportJob.Status.RUNNING
            and not stale else None,
            "articles": articles,
            "created_count": created,
            "updated_count": len(articles) - created,
        }
        return TemplateResponse(request, self.job_template, context)

    # Helpers

    def _unreadable_upload(self, request) -> str:
        """Why the POST body cannot be taken, or ''. Reads (parses) the body."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_REQUEST_SIZE:
            return (
                f"The upload is {file_size(length, MAX_TOTAL_SIZE)}; at most "
                f"{MAX_TOTAL_SIZE // MiB} MiB can be imported at once. Nothing was imported."
            )
        try:
            request.POST, request.FILES  # noqa: B018 - parse now, to catch the limits
        except TooManyFilesSent:
            return f"At most {max_files()} files can be imported at once. Nothing was imported."
        except RequestDataTooBig:
            return (
                f"The upload is too large; at most {MAX_TOTAL_SIZE // MiB} MiB can be imported "
                "at once. Nothing was imported."
            )
        return ""

    def _forget(self, request) -> None:
        for key in [key for key in request.session.keys() if key.startswith(SESSION_PREFIX)]:
            del request.session[key]

    def _keep(self, request, sources: list[tuple[str, bytes]]) -> str:
        """Keep the files in the session until confirmed or cancelled. A new
        upload forgets the last (see _forget), so a session holds at most one
        waiting import and an abandoned preview takes no room for long."""
        token = secrets.token_urlsafe(24)
        request.session[SESSION_PREFIX + token] = [
            [name, base64.b64encode(data).decode("ascii")] for name, data in sources
        ]
        return token

    def _take(self, request, token: str) -> list[tuple[str, bytes]] | None:
        """The files kept under ``token``, removed from the session."""
        if not TOKEN_RE.fullmatch(token):
            return None
        kept = request.session.pop(SESSION_PREFIX + token, None)
        if kept is None:
            return None
        return [(name, base64.b64decode(data)) for name, data in kept]

    def _job_url(self, job: ImportJob) -> str:
        info = self.model_admin.opts.app_label, self.model_admin.opts.model_name
        return reverse("admin:%s_%s_import_job" % info, args=[job.pk],
                       current_app=self.model_admin.admin_site.name)

    def _url(self, view: str) -> str:
        info = self.model_admin.opts.app_label, self.model_admin.opts.model_name, view
        return reverse("admin:%s_%s_%s" % info, current_app=self.model_admin.admin_site.name)

    def _context(self, request, title: str) -> dict:
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.opts,
            "title": title,
            "changelist_url": self._url("changelist"),
            "import_url": self._url("import"),
            "max_files": max_files(),
            "max_file_mib": MAX_FILE_SIZE // MiB,
            "max_total_mib": MAX_TOTAL_SIZE // MiB,
        }

    def _render_form(self, request, form: ImportForm, problem: str = ""):
        context = {
            **self._context(request, "Import wiki-text"),
            "form": form,
            "problem": problem,
            "media": self.model_admin.media + form.media,
        }
        return TemplateResponse(request, self.form_template, context)
