#!/usr/bin/env python3
"""Editors' load: 8 editors saving articles through the admin change form over
HTTP for 30 s, against gunicorn with production settings on PostgreSQL.
127.0.0.1 only.

    .venv/bin/python bench/load_editors.py [--editors 8] [--duration 30]

Each editor (its own account and session) loops: GET the change form of an
article, change one section's body (appending a unique marker line), POST
the whole form back as a browser would. Half the saves go to one shared
article (editors with an even number edit its first section, odd ones its
second: concurrent saves of different sections merge, of the same section
conflict), half to the editor's own article.

A 302 is an accepted save; a 200 page saying "Another editor saved this
article" is a refused one (the conflict page); anything else is an error.
Afterwards, in the database: every accepted marker is in a revision of that
article made by that editor, each editor has exactly as many revisions as
accepted saves, and no refused marker was saved anywhere.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import random
import re
import sys
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EDITOR_PASSWORD, Site, log, machine  # noqa: E402

CONFLICT = "Another editor saved this article"


class FormParser(HTMLParser):
    """The fields a browser submits for the form with id ``article_form``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._multiple = False
        self._selected: list[str] = []
        self._first_option: str | None = None
        self._option: str | None = None
        self._option_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "article_form":
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea, self._text = name, []
        elif tag == "select" and name and "__prefix__" not in name:
            self._select, self._multiple = name, "multiple" in a
            self._selected, self._first_option = [], None
        elif tag == "option" and self._select:
            value = a.get("value")
            self._option, self._option_text = value, []
            if "selected" in a:
                self._selected.append(value if value is not None else "")
            if self._first_option is None:
                self._first_option = value or ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # A browser drops one newline right after <textarea> and sends CRLF.
            text = text[1:] if text.startswith("\n") else text
            self.fields.append((self._textarea, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if self._selected:
                for value in self._selected:
                    self.fields.append((self._select, value))
            elif not self._multiple and self._first_option is not None:
                self.fields.append((self._select, self._first_option))
            self._select = None


class Browser:
    """One editor's session: cookies by hand (they may be marked Secure)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict, str]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", errors="replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text

    def post_form(self, path: str, fields: list[tuple[str, str]]):
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, body,
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def login(self, username: str) -> None:
        status, _, page = self.request("GET", "/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, headers, page = self.post_form(
            "/admin/login/?next=/admin/",
            [("csrfmiddlewaretoken", token), ("username", username),
             ("password", EDITOR_PASSWORD), ("next", "/admin/")],
        )
        if status != 302:
            raise RuntimeError(f"{username}: login answered {status}")


Outcome = collections.namedtuple("Outcome", "editor article marker result status seconds")


def edit_once(browser: Browser, editor: str, article_id: int, section: int, marker: str):
    url = f"/admin/articles/article/{article_id}/change/"
    status, _, page = browser.request("GET", url)
    if status != 200:
        return "error", status
    parser = FormParser()
    parser.feed(page)
    fields = parser.fields
    key = f"sections-{section}-body"
    for index, (name, value) in enumerate(fields):
        if name == key:
            fields[index] = (name, value + "\r\n\r\n" + marker)
            break
    else:
        return "error", f"no field {key}"
    fields.append(("_continue", "Save and continue editing"))
    status, headers, page = browser.post_form(url, fields)
    if status == 302:
        return "accepted", status
    if status == 200 and CONFLICT in page:
        return "refused", status
    if status == 200:
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
        return "error", f"200 with form errors {errors[:3]}"
    return "error", status


def run_editor(base_host, port, number, shared, own, until, outcomes, lock, failures):
    editor = f"editor{number}"
    browser = Browser(base_host, port)
    try:
        browser.login(editor)
    except Exception as exc:  # noqa: BLE001 - reported
        failures.append(f"{editor}: {exc!r}")
        return
    rng = random.Random(number)
    count = 0
    while time.monotonic() < until:
        count += 1
        marker = f"BENCH-{editor}-{count}-{rng.randrange(10**9)}"
        if rng.random() < 0.5:
            article, section = shared, number % 2
        else:
            article, section = own, rng.randrange(2)
        started = time.monotonic()
        try:
            result, status = edit_once(browser, editor, article, section, marker)
        except Exception as exc:  # noqa: BLE001 - counted as an error
            result, status = "error", repr(exc)
        with lock:
            outcomes.append(Outcome(editor, article, marker, result, status,
                                    time.monotonic() - started))


VERIFY = r"""
import json, sys
from django.contrib.auth import get_user_model
from reversion.models import Revision, Version
from articles.models import Article, Section
outcomes = json.load(open(sys.argv[-1]))
problems = []
for o in outcomes:
    versions = Version.objects.filter(serialized_data__contains=o["marker"])
    if o["result"] == "accepted":
        mine = versions.filter(revision__user__username=o["editor"],
                               content_type__model="section")
        if not mine.exists():
            problems.append(f"accepted save {o['marker']} is in no revision by {o['editor']}")
    elif o["result"] == "refused" and versions.exists():
        problems.append(f"refused save {o['marker']} is in a revision")
per_editor = {}
for o in outcomes:
    per_editor.setdefault(o["editor"], 0)
    per_editor[o["editor"]] += o["result"] == "accepted"
for name, accepted in sorted(per_editor.items()):
    revisions = Revision.objects.filter(user__username=name).count()
    if revisions != accepted:
        problems.append(f"{name}: {accepted} accepted saves but {revisions} revisions")
# Markers still in the current text: accepted saves may be overwritten only
# by later saves that merged them or by the editor's own later text.
current = "\n".join(Section.objects.values_list("body", flat=True))
kept = sum(o["marker"] in current for o in outcomes if o["result"] == "accepted")
print(json.dumps({"problems": problems, "accepted_markers_in_current_text": kept,
                  "revisions_total": Revision.objects.count()}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--editors", type=int, default=8)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()

    log(machine())
    with Site(articles=args.editors + 1, editors=args.editors, engine="postgres") as site:
        ids = site.manage(
            "shell", "-c",
            "from articles.models import Article\n"
            "print(' '.join(str(pk) for pk in Article.objects.filter(title__startswith='Group')"
            ".order_by('pk').values_list('pk', flat=True)))",
        ).strip().splitlines()[-1].split()
        ids = [int(i) for i in ids]
        shared, own = ids[0], ids[1:]
        site.start(args.workers)
        port = site.port
        outcomes: list[Outcome] = []
        failures: list[str] = []
        lock = threading.Lock()
        log(f"{args.editors} editors for {args.duration} s; shared article {shared}")
        until = time.monotonic() + args.duration
        threads = [
            threading.Thread(target=run_editor, args=("127.0.0.1", port, n, shared, own[n],
                                                      until, outcomes, lock, failures))
            for n in range(args.editors)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        site.stop()
        import json

        data = site.tmp / "outcomes.json"
        data.write_text(json.dumps([o._asdict() for o in outcomes], default=str))
        verified = json.loads(site.manage("shell", "-c", VERIFY.replace(
            "sys.argv[-1]", repr(str(data)))).strip().splitlines()[-1])
        errors_log = site.gunicorn_log()

    counts = collections.Counter(o.result for o in outcomes)
    shared_counts = collections.Counter(o.result for o in outcomes if o.article == shared)
    times = sorted(o.seconds for o in outcomes)
    p50 = times[len(times) // 2] if times else 0
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0
    errors = [o for o in outcomes if o.result == "error"]
    print(
        f"RESULT editors: {len(outcomes)} saves in {args.duration} s by {args.editors} editors "
        f"({len(outcomes) / args.duration:.1f}/s): accepted {counts['accepted']}, refused "
        f"(conflict page) {counts['refused']}, errors {counts['error']}; on the shared article "
        f"accepted {shared_counts['accepted']}, refused {shared_counts['refused']}; "
        f"GET+POST p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms; revisions checked: "
        f"{len(verified['problems'])} problems; accepted markers still in the current text "
        f"{verified['accepted_markers_in_current_text']}"
    )
    for problem in verified["problems"][:20] + failures:
        print("PROBLEM", problem)
    for error in errors[:10]:
        print("ERROR", error)
    if "Traceback" in errors_log:
        print("gunicorn logged errors:\n" + errors_log, file=sys.stderr)
    return 0 if not (verified["problems"] or failures or errors) else 1


if __name__ == "__main__":
    sys.exit(main())
