"""Import wiki-text files in the article admin: upload, preview, confirm.

Step 1 uploads one or more files; step 2 parses them with
``articles_import_plan`` (the parsing ``articles_import`` does) and shows what
would be created and changed, writing nothing; the uploaded bytes wait in the
session under a random token. Step 3 posts the token back and runs
``articles_import``, the same import as ``manage.py import_articles``, all or
nothing. Cancel, an error or a finished import drops the session entry.

MediaWiki files (Special:Export dumps, .wiki pages) take the same steps
through the service of ``manage.py import_mediawiki``: the preview is
``mediawiki_import_plan`` (the same table, plus each page's revisions, what
is dropped, its tags and other languages), the job ``mediawiki_import``.
One upload is of one kind; the options chosen with the files (status of new
articles, history or latest only) wait with them in the session, so that
the confirmation imports what was previewed.

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
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.db import connection, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _

from ..models import Article, ImportJob
from .import_render import rendered_new_articles
from ..services import (
    ImportFailed, ImportPlan, ImportResult, articles_import, articles_import_plan,
)
from ..services.import_mediawiki import (
    PLAN_MAX_XML,
    SUFFIXES as MEDIAWIKI_SUFFIXES,
    MediaWikiReport,
    is_mediawiki_file,
    mediawiki_import,
    mediawiki_import_plan,
)

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


def _total_key(job_id: int) -> str:
    """How many writes the job makes, when that is not its number of files
    (a MediaWiki import writes every revision)."""
    return f"articles:import-job:{job_id}:total"


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


WIKITEXT = "wikitext"
MEDIAWIKI = "mediawiki"

# The file chooser offers both kinds; some browsers match only a name's last
# extension, hence .bz2 and .gz besides .xml.bz2 and .xml.gz (the server
# decides by the whole suffix).
ACCEPT = ",".join([".txt", "text/plain", *MEDIAWIKI_SUFFIXES, ".bz2", ".gz"])


@dataclass
class Upload:
    """The files of one import and the options chosen with them."""

    kind: str  # WIKITEXT or MEDIAWIKI
    sources: list[tuple[str, bytes]]
    status: str
    latest_only: bool = False
    drafts: bool = False  # every article a draft, the existing ones unpublished too


def skipped_text(skipped: dict[str, int]) -> str:
    """"1 redirect, 2 Talk pages": the pages of a dump that are not articles."""
    return ", ".join(
        f"{count} {'redirect' if kind == 'redirect' else kind + ' page'}{'s' if count != 1 else ''}"
        for kind, count in sorted(skipped.items())
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern of Django's documentation).
    Empty files are kept: the parser reports them with the file's name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
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
        label=_("Files"),
        help_text=format_lazy(
            _("One or more UTF-8 wiki-text files (.txt), or MediaWiki files: Special:Export "
              "dumps (.xml, .xml.bz2, .xml.gz) and wikitext pages (.wiki, .mediawiki, titled "
              "by the file's name); not both kinds in one upload. "
              "At most {files} files, each up to {size} MiB, {total} MiB in all; a compressed "
              "dump counts by its compressed size."),
            files=MAX_FILES, size=MAX_FILE_SIZE // MiB, total=MAX_TOTAL_SIZE // MiB,
        ),
        error_messages={"required": _("Choose one or more wiki-text files to import.")},
    )
    # Not required: a post without them (a script, an old form) gets the
    # defaults the form shows.
    status = forms.ChoiceField(
        label=_("Status of new articles"),
        choices=Article.Status.choices,
        initial=Article.Status.PUBLISHED,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Articles that already exist keep their status."),
    )
    drafts = forms.BooleanField(
        label=_("Import as drafts"),
        required=False,
        help_text=_(
            "Every imported article is unpublished: new ones are created as drafts and "
            "existing ones become drafts (the status above is then ignored). For MediaWiki "
            "files, new articles only."
        ),
    )
    history = forms.BooleanField(
        label=_("Import the history (every revision)"),
        initial=True,
        required=False,
        help_text=_(
            "MediaWiki dumps only: each revision becomes a history entry, with its date, "
            "contributor and edit summary. Unchecked: only each page's newest revision."
        ),
    )

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        limit = max_files()
        if len(files) > limit:
            raise forms.ValidationError(
                gettext("%(chosen)s files were chosen; at most %(limit)s files can be imported at once.")
                % {"chosen": len(files), "limit": limit}
            )
        errors = [
            gettext("%(name)s is %(size)s; files up to %(limit)s MiB are accepted.")
            % {"name": f.name, "size": file_size(f.size, MAX_FILE_SIZE), "limit": MAX_FILE_SIZE // MiB}
            for f in files
            if f.size > MAX_FILE_SIZE
        ]
        if errors:
            raise forms.ValidationError(errors)
        total = sum(f.size for f in files)
        if total > MAX_TOTAL_SIZE:
            raise forms.ValidationError(
                gettext("The files come to %(size)s; at most %(limit)s MiB can be imported at once.")
                % {"size": file_size(total, MAX_TOTAL_SIZE), "limit": MAX_TOTAL_SIZE // MiB}
            )
        mediawiki = [f.name for f in files if is_mediawiki_file(f.name)]
        wikitext = [f.name for f in files if not is_mediawiki_file(f.name)]
        if mediawiki and wikitext:
            raise forms.ValidationError(
                gettext("Import wiki-text files or MediaWiki files, not both at once: "
                        "%(wikitext)s is wiki-text, %(mediawiki)s is MediaWiki "
                        "(%(suffixes)s). Nothing was imported.")
                % {"wikitext": wikitext[0], "mediawiki": mediawiki[0],
                   "suffixes": ", ".join(MEDIAWIKI_SUFFIXES)}
            )
        return files

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or Article.Status.PUBLISHED

    def sources(self) -> list[tuple[str, bytes]]:
        sources = []
        for f in self.cleaned_data["files"]:
            f.seek(0)
            sources.append((f.name, f.read()))
        return sources

    def upload(self) -> Upload:
        """The files and options of a valid form."""
        sources = self.sources()
        kind = MEDIAWIKI if is_mediawiki_file(sources[0][0]) else WIKITEXT
        drafts = self.cleaned_data["drafts"]
        return Upload(
            kind=kind, sources=sources,
            status=Article.Status.DRAFT if drafts else self.cleaned_data["status"],
            latest_only=kind == MEDIAWIKI and not self.cleaned_data["history"],
            drafts=drafts,
        )


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
            upload = form.upload()
            report = None
            try:
                if upload.kind == MEDIAWIKI:
                    plan, report = self._mediawiki_plan(upload)
                else:
                    plan = articles_import_plan(sources=upload.sources)
            except ImportFailed as exc:
                form.add_error("files", gettext("Nothing was imported: %(problem)s") % {"problem": exc})
            else:
                token = self._keep(request, upload)
                # Wiki-text only: a MediaWiki page's text is converted on import.
                rendered = {} if report else rendered_new_articles(
                    sources=upload.sources, plan=plan, status=upload.status
                )
                context = {
                    **self._context(request, gettext("Import wiki-text: preview")),
                    "plan": plan,
                    "token": token,
                    "upload": upload,
                    "status_label": Article.Status(upload.status).label.lower(),
                    "mediawiki": report,
                    "rows": [{**row, "rendered": rendered.get(row["item"].name)}
                             for row in self._preview_rows(plan, report)],
                    "skipped": skipped_text(report.skipped) if report else "",
                    # ((the wiki's code, the article's language), pages): a
                    # list, as a template cannot call a Counter's items().
                    "approximated": sorted(report.approximated.items()) if report else [],
                }
                return TemplateResponse(request, self.preview_template, context)
        return self._render_form(request, form)

    @staticmethod
    def _mediawiki_plan(upload: Upload) -> tuple[ImportPlan, MediaWikiReport]:
        """The plan and report of MediaWiki files; ImportFailed when they
        hold nothing to import, or cannot be read."""
        try:
            plan, report = mediawiki_import_plan(
                files=upload.sources, latest_only=upload.latest_only
            )
        except ImportFailed:
            raise
        except Exception:
            # The converter meets markup of every wiki; a page it trips on
            # must not cost the editor a 500 and the upload.
            logger.exception("MediaWiki import preview failed")
            raise ImportFailed(
                "the files could not be converted (an internal error; it is in the "
                "server's log)"
            ) from None
        if not report.pages:
            found = skipped_text(report.skipped)
            raise ImportFailed(
                "the files hold no article to import"
                + (f" (skipped, not articles: {found})" if found else "")
            )
        return plan, report

    @staticmethod
    def _preview_rows(plan: ImportPlan, report: MediaWikiReport | None) -> list[dict]:
        """Each planned article with, for MediaWiki files, its page of the
        report (the plan lists the pages in the report's order)."""
        pages = report.pages if report else [None] * len(plan.articles)
        return [{"item": item, "page": page} for item, page in zip(plan.articles, pages, strict=True)]

    def _import_confirm(self, request):
        upload = self._take(request, request.POST["token"])
        if upload is None:
            messages.error(
                request,
                gettext("This import is no longer waiting: it was already confirmed or cancelled, "
                        "or the session ended. Nothing was imported; upload the files again."),
            )
            return HttpResponseRedirect(self._url("import"))
        if request.POST.get("action") != "confirm":
            messages.info(request, gettext("Import cancelled; nothing was imported."))
            return HttpResponseRedirect(self._url("changelist"))

        job = ImportJob.objects.create(user=request.user, files=len(upload.sources))
        # Saved now, before the import holds the database's write lock
        # (SQLite), rather than by the middleware after the thread started.
        request.session.save()
        request.session.modified = False
        thread = threading.Thread(
            target=self._run_job, args=(job.pk, upload, request),
            name=f"articles-import-{job.pk}", daemon=True,
        )
        running_jobs[job.pk] = thread
        thread.start()
        return HttpResponseRedirect(self._job_url(job))

    def _run_job(self, job_id: int, upload: Upload, request) -> None:
        """The import of a job, in its own thread and database connection."""

        done = 0

        def count(result: ImportResult) -> None:
            nonlocal done
            done += 1
            # Rows written inside the import's transaction are invisible to
            # the job page until the commit: the count goes through the
            # cache, which every process shares (see encyclopedia.pagecache).
            cache.set(_progress_key(job_id), done, JOB_STALE_AFTER.total_seconds())

        def log(result: ImportResult, created: bool) -> None:
            # Called inside the import's transaction: no log without the import.
            message = f"Imported from {result.name}"
            if created:
                self.model_admin.log_addition(request, result.article, message)
            else:
                self.model_admin.log_change(request, result.article, message)

        def count_and_log(result: ImportResult) -> None:
            count(result)
            log(result, result.created)

        try:
            try:
                if upload.kind == MEDIAWIKI:
                    results = self._mediawiki_job(job_id, upload, request, count, log)
                else:
                    results = [
                        [result.title, result.article_id, result.created]
                        for result in articles_import(
                            sources=upload.sources, on_progress=count_and_log,
                            user=request.user, status=upload.status, drafts=upload.drafts,
                        )
                    ]
            except ImportFailed as exc:
                self._end_job(job_id, ImportJob.Status.FAILED, message=str(exc))
            except Exception:
                logger.exception("Import job %s failed", job_id)
                self._end_job(
                    job_id, ImportJob.Status.FAILED,
                    message="the import stopped on an internal error (it is in the server's log)",
                )
            else:
                self._end_job(job_id, ImportJob.Status.DONE, results=results)
        finally:
            running_jobs.pop(job_id, None)
            connection.close()

    @staticmethod
    def _mediawiki_job(job_id: int, upload: Upload, request, count, log) -> list[list]:
        """Import MediaWiki files; [title, article id, created] per page.

        Progress counts every revision written. The log has one entry per
        article, for its newest revision: those are only known once the
        import returns, so the log is written then, in a transaction around
        the import's, so that there is still no log without the import."""

        def total(revisions: int) -> None:
            cache.set(_total_key(job_id), revisions, JOB_STALE_AFTER.total_seconds())

        with transaction.atomic():
            report = mediawiki_import(
                files=upload.sources, latest_only=upload.latest_only, status=upload.status,
                user=request.user, on_progress=count, on_total=total, max_bytes=PLAN_MAX_XML,
            )
            # The results are the newest revisions', each an update of the
            # article its oldest revision created: "created" is the page's.
            created = {page.name: page.created for page in report.pages}
            for result in report.results:
                log(result, created[result.name])
        return [
            [result.title, result.article_id, created[result.name]] for result in report.results
        ]

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
        running = job.status == ImportJob.Status.RUNNING
        progress = cache.get(_progress_key(job.pk), 0) if running else 0
        total = cache.get(_total_key(job.pk), job.files) if running else job.files
        articles = [
            {"title": title, "created": created,
             "url": reverse("admin:%s_%s_change" % (self.model_admin.opts.app_label, self.model_admin.opts.model_name),
                            args=[pk], current_app=self.model_admin.admin_site.name)}
            for title, pk, created in job.results
        ]
        created = sum(a["created"] for a in articles)
        context = {
            **self._context(request, gettext("Import wiki-text: result") if job.finished else
                            gettext("Import wiki-text: importing")),
            "job": job,
            "stale": stale,
            "progress": progress,
            "total": total,
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
                gettext("The upload is %(size)s; at most %(limit)s MiB can be imported at once. "
                        "Nothing was imported.")
                % {"size": file_size(length, MAX_TOTAL_SIZE), "limit": MAX_TOTAL_SIZE // MiB}
            )
        try:
            request.POST, request.FILES  # noqa: B018 - parse now, to catch the limits
        except TooManyFilesSent:
            return gettext("At most %(files)s files can be imported at once. Nothing was imported.") % {
                "files": max_files()}
        except RequestDataTooBig:
            return (
                gettext("The upload is too large; at most %(limit)s MiB can be imported "
                        "at once. Nothing was imported.") % {"limit": MAX_TOTAL_SIZE // MiB}
            )
        return ""

    def _forget(self, request) -> None:
        for key in [key for key in request.session.keys() if key.startswith(SESSION_PREFIX)]:
            del request.session[key]

    def _keep(self, request, upload: Upload) -> str:
        """Keep the files and options in the session until confirmed or
        cancelled. A new upload forgets the last (see _forget), so a session
        holds at most one waiting import and an abandoned preview takes no
        room for long."""
        token = secrets.token_urlsafe(24)
        request.session[SESSION_PREFIX + token] = {
            "kind": upload.kind,
            "status": upload.status,
            "latest_only": upload.latest_only,
            "drafts": upload.drafts,
            "files": [
                [name, base64.b64encode(data).decode("ascii")] for name, data in upload.sources
            ],
        }
        return token

    def _take(self, request, token: str) -> Upload | None:
        """The upload kept under ``token``, removed from the session."""
        if not TOKEN_RE.fullmatch(token):
            return None
        kept = request.session.pop(SESSION_PREFIX + token, None)
        if kept is None:
            return None
        if isinstance(kept, list):
            # Kept before uploads had options: wiki-text files, the defaults.
            kept = {"kind": WIKITEXT, "status": Article.Status.PUBLISHED, "files": kept}
        return Upload(
            kind=kept["kind"],
            sources=[(name, base64.b64decode(data)) for name, data in kept["files"]],
            status=kept["status"],
            latest_only=kept.get("latest_only", False),
            drafts=kept.get("drafts", False),
        )

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
            **self._context(request, gettext("Import wiki-text")),
            "form": form,
            "problem": problem,
            "media": self.model_admin.media + form.media,
        }
        return TemplateResponse(request, self.form_template, context)
