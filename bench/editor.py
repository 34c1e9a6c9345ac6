"""Editors for the benches. Two (bench/editing_bench.py, bench/write_cost_bench.py,
bench/render_bench.py):

- ``Editor``, over HTTP as a browser is one: a staff account made in the
  bench database, signed in through /admin/login/, saving an article by
  GETting its admin change form and POSTing every field back with one
  paragraph of the lead changed. The form is read from the page's HTML by
  load_editors.FormParser, as a browser submits it.
- ``ServiceEditor``: the same change of the lead saved through the service
  the admin's save ends in (``articles.services.article_edit``: one
  content_change, the refresh, the revision, the page rendered), by a
  Django process of its own beside the server, as a script or a bot edits.

Also: the pages' stored renders filled before a run (``fill_stored_pages``),
and the article ids and slugs of a database.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import re
import secrets
import subprocess
import time
import urllib.parse
from dataclasses import dataclass

from common import EDITOR_PASSWORD, PYTHON, ROOT
from load_editors import Browser, FormParser

MARKER = re.compile(r" Bench edit bm[0-9a-f]+\.")
STATIC_PREFIX = "/__static_limit__"  # as bench/static_pages.py serves it


def static_path(path: str) -> str:
    """The address of ``path``'s static limit (bench/static_pages.py)."""
    return STATIC_PREFIX + path

STAFF_SCRIPT = r"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
User = get_user_model()
for name in {names!r}:
    user, _ = User.objects.get_or_create(username=name, defaults={{"is_staff": True}})
    user.is_staff = True
    user.is_superuser = False
    user.set_password({password!r})
    user.save()
    # An editor's rights: every permission of the content apps, no superuser.
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label__in=["articles", "people", "taggit", "reversion"]))
print("STAFF", len({names!r}))
"""

IDS_SCRIPT = r"""
from articles.models import Article
for pk, slug, title in Article.objects.published().order_by("pk").values_list("pk", "slug", "title"):
    print(f"ID\t{pk}\t{slug}\t{title}")
"""


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args[:2])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def create_staff(env: dict, names: list[str]) -> None:
    """Staff accounts with an editor's permissions (not superusers)."""
    manage(env, "shell", "-c", STAFF_SCRIPT.format(names=names, password=EDITOR_PASSWORD))


@dataclass(frozen=True)
class ArticleRef:
    pk: int
    slug: str
    title: str

    @property
    def path(self) -> str:
        return urllib.parse.quote(f"/wiki/{self.slug}/")


def published(env: dict) -> list[ArticleRef]:
    out = manage(env, "shell", "-c", IDS_SCRIPT)
    refs = []
    for line in out.splitlines():
        if line.startswith("ID\t"):
            _, pk, slug, title = line.split("\t", 3)
            refs.append(ArticleRef(int(pk), slug, title))
    if not refs:
        raise SystemExit("the database has no published article")
    return refs


def get(host: str, port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    """One anonymous GET on a connection of its own (no cookies)."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def fill_stored_pages(host: str, port: int, paths: list[str], threads: int = 4,
                      log=None) -> dict:
    """GET every page once, so that each article's stored render exists (and,
    on a server with the page cache on, the page is in it), as on a site in
    service where every page has been read since its last change. Returns
    the time taken and the status counts."""
    started = time.monotonic()
    statuses: dict[int, int] = {}
    done = 0

    def one(path: str) -> int:
        return get(host, port, path)[0]

    pool = concurrent.futures.ThreadPoolExecutor(threads)
    try:
        for status in pool.map(one, paths):
            statuses[status] = statuses.get(status, 0) + 1
            done += 1
            if log and done % 5_000 == 0:
                log(f"  stored pages: {done:,}/{len(paths):,} "
                    f"({time.monotonic() - started:.0f} s)")
    finally:
        # On an interrupt, the pages not fetched yet are dropped, not waited for.
        pool.shutdown(wait=True, cancel_futures=True)
    return {"pages": len(paths), "seconds": round(time.monotonic() - started, 1),
            "statuses": statuses}


class Database:
    """Direct reads of the stored renders (PostgreSQL or SQLite)."""

    def __init__(self, url: str):
        self.url = url
        if url.startswith("sqlite"):
            import sqlite3

            self.conn = sqlite3.connect(url.split("sqlite:///", 1)[1])
        else:
            import psycopg

            self.conn = psycopg.connect(url, autocommit=True)
    def renders(self) -> dict[int, tuple[int, bool]]:
        """article id -> (seq, stored page is empty)."""
        cursor = self.conn.execute(
            "SELECT article_id, seq, length(page) = 0 FROM articles_articlerender")
        return {pk: (seq, bool(empty)) for pk, seq, empty in cursor.fetchall()}

    def slugs(self, pks: list[int]) -> list[str]:
        if not pks:
            return []
        marks = ",".join(["%s" if not self.url.startswith("sqlite") else "?"] * len(pks))
        cursor = self.conn.execute(f"SELECT slug FROM articles_article WHERE id IN ({marks})",
                                   pks)
        return [row[0] for row in cursor.fetchall()]

    def unrendered_slugs(self, generation: int | None = None) -> list[str]:
        """Published articles without a stored render, with an emptied one,
        or (given the page cache's ``generation``) with one made in another
        generation, which the next reader would render again."""
        mark = "?" if self.url.startswith("sqlite") else "%s"
        stale = f" OR r.generation IS NULL OR r.generation != {mark}" if generation else ""
        cursor = self.conn.execute(
            "SELECT a.slug FROM articles_article a LEFT JOIN articles_articlerender r "
            "ON r.article_id = a.id WHERE a.status = 'published' "
            f"AND (r.article_id IS NULL OR length(r.page) = 0{stale})",
            (generation,) if generation else ())
        return [row[0] for row in cursor.fetchall()]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles_article").fetchone()[0]

    def close(self) -> None:
        self.conn.close()


def page_generation(redis_url: str) -> int | None:
    """The page cache's generation (what every stored render is checked
    against), read from Redis as the site stores it."""
    import redis

    value = redis.Redis.from_url(redis_url).get(":1:pagekeys:all")
    return int(value) if value is not None else None


@dataclass
class Save:
    """One save through the change form."""

    article: ArticleRef
    marker: str
    ok: bool
    error: str
    form_seconds: float  # GET of the change form
    post_seconds: float  # POST of the form: the save itself
    visible: bool | None = None  # the marker on the next anonymous GET
    started: float = 0.0


class Editor:
    """One signed-in staff session."""

    def __init__(self, host: str, port: int, username: str):
        self.host, self.port, self.username = host, port, username
        self.browser = Browser(host, port)
        self.browser.login(username)

    @property
    def cookie(self) -> str:
        """The Cookie header of this session (for wrk)."""
        return "; ".join(f"{k}={v}" for k, v in self.browser.cookies.items())

    def change(self, article: ArticleRef, edit) -> Save:
        """GET the change form of ``article``, apply ``edit(fields) ->
        marker`` to the fields a browser would send, POST them back."""
        url = f"/admin/articles/article/{article.pk}/change/"
        started = time.monotonic()
        status, _, page = self.browser.request("GET", url)
        form_seconds = time.monotonic() - started
        if status != 200:
            return Save(article, "", False, f"GET change form: {status}", form_seconds, 0.0,
                        started=started)
        parser = FormParser()
        parser.feed(page)
        fields = parser.fields
        marker = edit(fields)
        if marker is None:
            return Save(article, "", False, "the form has no field to change", form_seconds,
                        0.0, started=started)
        fields.append(("_save", "Save"))
        posted = time.monotonic()
        status, headers, page = self.browser.post_form(url, fields)
        post_seconds = time.monotonic() - posted
        if status == 302:
            return Save(article, marker, True, "", form_seconds, post_seconds, started=started)
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
        reason = "conflict page" if "Another editor saved" in page else f"form errors {errors[:3]}"
        return Save(article, marker, False, f"POST answered {status}: {reason}", form_seconds,
                    post_seconds, started=started)

    def edit_lead(self, article: ArticleRef) -> Save:
        return self.change(article, change_lead)

    def visible(self, save: Save) -> bool:
        """The next anonymous GET of the article shows the save's marker."""
        status, body = get(self.host, self.port, save.article.path)
        save.visible = status == 200 and save.marker.encode() in body
        return save.visible


SERVICE_SCRIPT = r"""
import re, secrets, sys, time
from django.contrib.auth import get_user_model
from articles.models import Article
from articles.services import article_edit

MARKER = re.compile(r" Bench edit bm[0-9a-f]+\.")
user = get_user_model().objects.get(username={username!r})
print("READY", flush=True)
for line in sys.stdin:
    started = time.perf_counter()
    try:
        article = Article.objects.get(pk=int(line))
        marker = "bm" + secrets.token_hex(6)
        paragraphs = re.split(r"(\r?\n\s*\r?\n)", MARKER.sub("", article.lead), maxsplit=1)
        paragraphs[0] = paragraphs[0].rstrip() + f" Bench edit {{marker}}."
        article_edit(article=article, changes={{"lead": "".join(paragraphs)}}, user=user,
                     comment="Bench edit.")
        print(f"OK {{marker}} {{time.perf_counter() - started:.6f}}", flush=True)
    except Exception as exc:
        print(f"ERROR {{type(exc).__name__}}: {{str(exc)[:200]!r}}", flush=True)
"""


class ServiceEditor:
    """One editor saving through ``articles.services.article_edit`` in a
    Django process of its own (``manage.py shell``), the saves' results read
    back line by line; visibility checked over HTTP as ``Editor`` does."""

    def __init__(self, host: str, port: int, username: str, env: dict):
        self.host, self.port, self.username = host, port, username
        self.process = subprocess.Popen(
            [str(PYTHON), "manage.py", "shell", "-c", SERVICE_SCRIPT.format(username=username)],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            bufsize=1)
        said = []  # manage.py shell may first say what it imported
        while not said or said[-1].strip() != "READY":
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"the service editor did not start: {''.join(said)!r}")
            said.append(line)

    def edit_lead(self, article: ArticleRef) -> Save:
        started = time.monotonic()
        self.process.stdin.write(f"{article.pk}\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().split(" ", 2)
        if answer[0] != "OK":
            return Save(article, "", False, " ".join(answer).strip() or "the editor died",
                        0.0, time.monotonic() - started, started=started)
        return Save(article, answer[1], True, "", 0.0, float(answer[2]), started=started)

    visible = Editor.visible

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def change_lead(fields: list[tuple[str, str]]) -> str | None:
    """Rewrite the lead's first paragraph: any earlier bench marker out, a new
    sentence with a new marker in. Returns the marker."""
    marker = "bm" + secrets.token_hex(6)
    for index, (name, value) in enumerate(fields):
        if name == "lead":
            paragraphs = MARKER.sub("", value).split("\r\n\r\n")
            paragraphs[0] = paragraphs[0].rstrip() + f" Bench edit {marker}."
            fields[index] = (name, "\r\n\r\n".join(paragraphs))
            return marker
    return None
