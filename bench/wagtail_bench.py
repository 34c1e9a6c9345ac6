"""The peer CMS of issue 14's comparison: Wagtail 8 serving one ArticlePage
that holds the seed article's text (bench/wagtail_site), with production-ish
settings (DEBUG off, `wagtail start`'s middleware, PostgreSQL, a persistent
connection as the project's), gunicorn with 2 sync workers on 127.0.0.1.
Used by bench/render_bench.py, which loads it with wrk beside our pages.

Wagtail runs from its own virtualenv, never the project's: WAGTAIL_VENV
(default /tmp/wagtail-venv), made when missing with
``python -m venv`` and ``pip install wagtail==8.0.1 gunicorn psycopg[binary]``
from the package registry. ``available()`` says whether that worked.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import PG_SERVER, PYTHON, ROOT, free_port, log, stop_process

SITE = Path(__file__).resolve().parent / "wagtail_site"
VENV = Path(os.environ.get("WAGTAIL_VENV", "/tmp/wagtail-venv"))
VERSION = "8.0.1"
WORKERS = 2

# The seed article's text, read from the project's database.
EXPORT_SCRIPT = r"""
import json
from articles.models import Article
a = Article.objects.get(slug={slug!r})
rows = []
if a.group_name: rows.append(("Group", a.group_name))
if a.population or a.population_note:
    rows.append(("Population", " ".join(x for x in (f"{{a.population:,}}" if a.population else "",
                                                    a.population_note) if x)))
places = ", ".join(a.population_places.values_list("name", flat=True))
if places: rows.append(("Regions with significant populations", places))
langs = ", ".join(a.languages.values_list("name", flat=True))
if langs: rows.append(("Languages", langs))
rels = ", ".join(a.religions.values_list("name", flat=True))
if rels: rows.append(("Religion", rels))
rows += list(a.extra_rows.order_by("position").values_list("key", "value"))
sections = list(a.sections.order_by("position").values_list("heading", "body_html"))
print("SEED" + json.dumps({{"title": a.title, "slug": a.slug, "lead": a.lead_html,
                           "infobox": rows, "sections": sections}}))
"""

LOAD_SCRIPT = r"""
import json, sys
import django
django.setup()
from wagtail.models import Page, Site
from peer.models import ArticlePage
data = json.load(open(sys.argv[1]))
home = Site.objects.get(is_default_site=True).root_page
page = ArticlePage(
    title=data["title"], slug=data["slug"], lead=data["lead"],
    infobox=[("row", {"key": k, "value": v}) for k, v in data["infobox"]],
    body=[("section", {"heading": h, "text": t}) for h, t in data["sections"]],
)
home.add_child(instance=page)
page.save_revision().publish()
print("URL", page.url)
"""


def ensure_venv() -> bool:
    """The virtualenv with Wagtail, made if missing; False if it cannot be."""
    python = VENV / "bin" / "python"
    check = [str(python), "-c", f"import wagtail, gunicorn, psycopg; "
             f"assert wagtail.__version__ == {VERSION!r}"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return True
    log(f"making {VENV} with wagtail=={VERSION} (pip, from the package registry)")
    made = subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True)
    if made.returncode:
        return False
    installed = subprocess.run(
        [str(VENV / "bin" / "pip"), "install", "-q", f"wagtail=={VERSION}", "gunicorn",
         "psycopg[binary]"], capture_output=True, text=True)
    if installed.returncode:
        log(f"pip install wagtail failed: {installed.stderr[-1500:]}")
        return False
    return subprocess.run(check, capture_output=True).returncode == 0


def seed_content(env: dict, slug: str) -> dict:
    out = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", EXPORT_SCRIPT.format(slug=slug)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("SEED"))
    return json.loads(line[4:])


class WagtailSite:
    """A throwaway PostgreSQL database, migrated, with one ArticlePage, and
    gunicorn serving it."""

    def __init__(self, tmp: Path, content: dict):
        self.tmp = tmp / "wagtail"
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.db = f"encyclopedia_bench_wagtail_{os.getpid()}_{secrets.token_hex(3)}"
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", "/tmp"),
            "PYTHONPATH": str(SITE),
            "DJANGO_SETTINGS_MODULE": "peer.settings",
            "WAGTAIL_SECRET_KEY": secrets.token_urlsafe(50),
            "WAGTAIL_DATABASE_URL": f"{PG_SERVER}/{self.db}",
            "WAGTAIL_STATIC_ROOT": str(self.tmp / "static"),
        }
        self.content = content
        self.process: subprocess.Popen | None = None
        self.path = ""
        self.url = ""

    def _django(self, *args: str) -> str:
        result = subprocess.run([str(VENV / "bin" / "django-admin"), *args], cwd=SITE,
                                env=self.env, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"wagtail {' '.join(args)}: {result.stderr[-2000:]}")
        return result.stdout

    def _psql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def prepare(self) -> None:
        self._psql(f'CREATE DATABASE "{self.db}"')
        log(f"wagtail: migrate, one ArticlePage ({self.content['title']})")
        self._django("migrate", "--noinput", "-v", "0")
        self._django("collectstatic", "--noinput", "-v", "0")
        data = self.tmp / "seed.json"
        data.write_text(json.dumps(self.content))
        out = subprocess.run([str(VENV / "bin" / "python"), "-c", LOAD_SCRIPT, str(data)],
                             cwd=SITE, env=self.env, capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"wagtail page: {out.stderr[-2000:]}")
        self.path = next(line[4:] for line in out.stdout.splitlines() if line.startswith("URL "))

    def start(self) -> str:
        import urllib.request

        port = free_port()
        self.process = subprocess.Popen(
            [str(VENV / "bin" / "gunicorn"), "peer.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--worker-class", "sync",
             "--no-control-socket", "--log-level", "warning",
             "--error-logfile", str(self.tmp / "gunicorn.log")],
            cwd=SITE, env=self.env)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"wagtail gunicorn exited: {self.log()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.url + self.path, timeout=5) as response:
                    if response.status == 200:
                        log(f"wagtail: gunicorn ({WORKERS} workers) at {self.url}{self.path}")
                        return self.url
            time.sleep(0.3)
        raise RuntimeError(f"wagtail did not answer in 60 s: {self.log()}")

    def log(self) -> str:
        path = self.tmp / "gunicorn.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def cleanup(self) -> None:
        if self.process:
            stop_process(self.process)
        with contextlib.suppress(Exception):
            self._psql(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)
