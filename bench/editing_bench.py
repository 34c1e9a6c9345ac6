#!/usr/bin/env python3
"""Reads while the encyclopedia is being edited (issue 14).

    .venv/bin/python bench/editing_bench.py --database-url URL \\
        --out bench/results/editing-1000.md --json bench/results/editing-1000.json \\
        [--duration 15] [--rounds 2] [--rate 2] [--redis-url redis://127.0.0.1:6379/6]

URL is a prepared database (migrated, articles imported). gunicorn serves the
site with production settings (bench/common.py) and the page cache on, in
Redis as in production, 2 sync workers, loading bench/wsgi_bench.py for the
static limit (the most read article's exact bytes from memory, in the same
workers).

1. Every published article is fetched once, so that each has its stored
   render and is in the page cache, as on a site in service (timed: at
   100,000 articles this is most of the bench's time when the import left
   the stored pages empty).
2. Rounds of three wrk runs of ``--duration`` seconds each (``wrk -t2 -c16``):
   the static limit; reads over every article URL with a Zipf law
   (bench/zipf.lua, exponent 1, ranks a seeded shuffle) and no edits; the
   same reads (same seed, same draws) while editors save ``--rate``
   articles a second, one paragraph of the lead changed, the articles drawn
   by the same Zipf law: with ``--editor service`` (the default, as the
   issue asks) through the service the admin's save ends in
   (``articles.services.article_edit``) from Django processes of their own;
   with ``--editor admin`` through the admin's change form over HTTP (staff
   sessions: GET the change page, POST the whole form back), which also
   spends the server's workers on building the 4,000-line form.
   The two reads alternate in order from round to round, so that neither
   always runs on the cache the other warmed.
3. After each save, the next anonymous GET of that article must show the
   new text: failures are counted (the target is 0).

Reported: reads/s beside the same reads with no edits and beside the static
limit, p50/p99, the saves made (rate, p50/p99 of the POST) and the
visibility failures.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Site, log, machine  # noqa: E402
from editor import (  # noqa: E402
    Editor, Save, ServiceEditor, create_staff, fill_stored_pages, published, static_path,
)
from http_bench import Server, ensure_wrk, fetch, parse_wrk  # noqa: E402
from zipf import EXPONENT, Zipf, ranked, wrk_command, write_paths  # noqa: E402

THREADS, CONNECTIONS = 2, 16
EDITOR_SESSIONS = 3  # saves overlap when one takes longer than 1 / rate
TARGETS = {1000: 0.6, 100_000: 0.4}  # reads while editing, x static


def target_for(n: int) -> float:
    """The issue's target for n articles (0.6x at 1,000, 0.4x at 100,000;
    sizes between take the nearer one below)."""
    return TARGETS[max((size for size in TARGETS if size <= n), default=1000)]


def run_wrk(command: list[str]) -> dict:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"wrk failed: {result.stderr[-2000:]}")
    figures = parse_wrk(result.stdout)
    if figures["non_2xx_3xx"] or figures["socket_errors"]:
        log(f"wrk: {figures['non_2xx_3xx']} non-2xx/3xx, {figures['socket_errors']} "
            "socket errors")
    return figures


def wrk_path(binary: str, server: Server, path: str, duration: float,
             headers: tuple[str, ...] = ()) -> dict:
    command = [binary, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration:g}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    return run_wrk([*command, server.url + path])


class EditorProcess:
    """Saves ``rate`` articles a second, drawn by the Zipf law, for
    ``duration`` seconds; each save checked on the next anonymous GET.
    Two saves never go to the same article at once (an editor's second save
    waits for the first: the conflict page is another bench's subject)."""

    def __init__(self, editors: list[Editor], refs: list, rate: float, duration: float,
                 seed: int):
        self.editors, self.refs, self.rate, self.duration = editors, refs, rate, duration
        self.zipf = Zipf(len(refs), seed=seed)
        self.saves: list[Save] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._busy: set[int] = set()
        self._next = 0
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self.started = time.monotonic()
        self.until = self.started + self.duration
        self._threads = [threading.Thread(target=self._loop, args=(e,), daemon=True)
                         for e in self.editors]
        for thread in self._threads:
            thread.start()

    def join(self) -> None:
        for thread in self._threads:
            thread.join()
        self.elapsed = time.monotonic() - self.started

    def _slot(self):
        with self._lock:
            due = self.started + self._next / self.rate
            if due >= self.until:
                return None, None
            self._next += 1
            for _ in range(1000):
                rank = self.zipf.draw()
                if rank not in self._busy:
                    break
            self._busy.add(rank)
            return due, rank

    def _loop(self, editor: Editor) -> None:
        while True:
            due, rank = self._slot()
            if due is None:
                return
            time.sleep(max(0.0, due - time.monotonic()))
            try:
                save = editor.edit_lead(self.refs[rank])
                if save.ok:
                    editor.visible(save)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                save = Save(self.refs[rank], "", False, repr(exc), 0.0, 0.0)
            finally:
                with self._lock:
                    self._busy.discard(rank)
            with self._lock:
                self.saves.append(save)

    def summary(self) -> dict:
        ok = [s for s in self.saves if s.ok]
        posts = sorted(s.post_seconds * 1000 for s in ok)
        forms = sorted(s.form_seconds * 1000 for s in ok)
        return {
            "saves": len(self.saves),
            "accepted": len(ok),
            "failed": len(self.saves) - len(ok),
            "errors": sorted({s.error for s in self.saves if not s.ok})[:5],
            "rate_per_s": round(len(ok) / self.elapsed, 2),
            "not_visible_on_next_get": sum(1 for s in ok if not s.visible),
            "post_p50_ms": round(percentile(posts, 50), 1),
            "post_p99_ms": round(percentile(posts, 99), 1),
            "form_p50_ms": round(percentile(forms, 50), 1),
            "distinct_articles": len({s.article.pk for s in ok}),
        }


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(pct / 100 * (len(values) - 1))))]


def run(args) -> dict:
    binary = ensure_wrk()
    site = Site(engine="sqlite")  # its production environment and temporary folder
    env = {**site.env, "DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url}
    site.env = env
    server = None
    editors: list = []
    try:
        log(f"collectstatic into {site.tmp / 'static'}")
        site.manage("collectstatic", "--noinput", "-v", "0")
        refs = published(env)
        by_slug = {ref.slug: ref for ref in refs}
        order = [by_slug[slug] for slug in ranked(list(by_slug))]
        paths = write_paths([ref.slug for ref in order], site.tmp / "paths.txt")
        names = [f"bench-editor-{i}" for i in range(EDITOR_SESSIONS)]
        create_staff(env, names)
        server = Server("cached", {**env, "DJANGO_PAGE_CACHE": "1"}, site.tmp,
                        app="bench.static_pages:application")
        static = static_path(order[0].path)
        status, _, page = fetch(server.url + order[0].path)
        static_status, _, static_page = fetch(server.url + static)
        assert status == static_status == 200 and page == static_page, "static bytes differ"
        for _ in range(6):  # each worker holds its copy
            fetch(server.url + static)
        log(f"fetching every article once ({len(order):,}): stored pages and page cache")
        warm = fill_stored_pages("127.0.0.1", server.port, [ref.path for ref in order],
                                 log=log)
        log(f"  {warm}")
        if args.editor == "service":
            editors = [ServiceEditor("127.0.0.1", server.port, name, env) for name in names]
        else:
            editors = [Editor("127.0.0.1", server.port, name) for name in names]
        zipf = Zipf(len(order))
        rounds = []
        for number in range(1, args.rounds + 1):
            row = {"static": wrk_path(binary, server, static, args.duration)}
            seed = 1000 + number
            order_of_runs = ("reads", "edits") if number % 2 else ("edits", "reads")
            for kind in order_of_runs:
                command = wrk_command(binary, server.url, paths, args.duration, THREADS,
                                      CONNECTIONS, seed)
                if kind == "reads":
                    row["reads"] = run_wrk(command)
                    continue
                editing = EditorProcess(editors, order, args.rate, args.duration, seed)
                editing.start()
                row["edits"] = run_wrk(command)
                editing.join()
                row["editor"] = editing.summary()
            row["reads_ratio"] = row["reads"]["rps"] / row["static"]["rps"]
            row["edits_ratio"] = row["edits"]["rps"] / row["static"]["rps"]
            log(f"round {number}: static {row['static']['rps']:.0f}, reads "
                f"{row['reads']['rps']:.0f} ({row['reads_ratio']:.2f}x), while editing "
                f"{row['edits']['rps']:.0f} ({row['edits_ratio']:.2f}x); editor "
                f"{row['editor']}")
            rounds.append(row)
        if server.log().strip():
            log(f"gunicorn log:\n{server.log()}")
    except BaseException:
        if server:
            log(f"gunicorn log:\n{server.log()}")
        raise
    finally:
        for editor in editors:
            if hasattr(editor, "close"):
                editor.close()
        if server:
            server.stop()
        site.cleanup()
    n = len(order)
    return {
        "machine": machine(),
        "articles": n,
        "page": order[0].path,
        "page_bytes": len(page),
        "database": re.sub(r"//[^@/]*@", "//", args.database_url),
        "redis": args.redis_url,
        "load": f"wrk -t{THREADS} -c{CONNECTIONS} -d{args.duration:g}s --latency",
        "zipf": {"exponent": EXPONENT, "top_1pct_share": round(zipf.share_of_top(n // 100), 3),
                 "top_10_share": round(zipf.share_of_top(10), 3)},
        "rate": args.rate,
        "editor": args.editor,
        "warm": warm,
        "summary": summarise(rounds, n),
        "per_round": rounds,
    }


def summarise(rounds: list[dict], n: int) -> dict:
    def med(key: str, name: str) -> float:
        return round(statistics.median(r[key][name] for r in rounds), 3)

    editor = [r["editor"] for r in rounds]
    summary = {
        "static_rps": med("static", "rps"),
        "static_p99_ms": med("static", "p99_ms"),
        "reads_rps": med("reads", "rps"),
        "reads_p50_ms": med("reads", "p50_ms"),
        "reads_p99_ms": med("reads", "p99_ms"),
        "edits_rps": med("edits", "rps"),
        "edits_p50_ms": med("edits", "p50_ms"),
        "edits_p99_ms": med("edits", "p99_ms"),
        "reads_ratio": round(statistics.median(r["reads_ratio"] for r in rounds), 3),
        "edits_ratio": round(statistics.median(r["edits_ratio"] for r in rounds), 3),
        "edits_vs_reads": round(statistics.median(r["edits"]["rps"] / r["reads"]["rps"]
                                                  for r in rounds), 3),
        "saves": sum(e["accepted"] for e in editor),
        "failed_saves": sum(e["failed"] for e in editor),
        "save_rate": round(statistics.median(e["rate_per_s"] for e in editor), 2),
        "post_p50_ms": round(statistics.median(e["post_p50_ms"] for e in editor), 1),
        "post_p99_ms": round(max(e["post_p99_ms"] for e in editor), 1),
        "not_visible": sum(e["not_visible_on_next_get"] for e in editor),
        "http_errors": sum(r[k]["non_2xx_3xx"] + r[k]["socket_errors"] for r in rounds
                           for k in ("static", "reads", "edits")),
        "target": target_for(n),
    }
    summary["target_met"] = (summary["edits_ratio"] >= summary["target"]
                             and summary["not_visible"] == 0 and summary["failed_saves"] == 0)
    return summary


def markdown(data: dict) -> str:
    s = data["summary"]
    ok = {True: "met", False: "**not met**"}
    lines = [
        f"### Reads while editing, {data['articles']:,} articles",
        "",
        f"{data['load']} over every article URL with a Zipf law (exponent "
        f"{data['zipf']['exponent']:g}: the top 1% of articles get "
        f"{data['zipf']['top_1pct_share']:.0%} of the reads, the 10 most read "
        f"{data['zipf']['top_10_share']:.0%}), page cache on (Redis), gunicorn 2 sync workers, "
        f"database {data['database']}. While editing, an editor process saves "
        f"{data['rate']:g} articles a second, one changed paragraph in the lead, "
        + ("through the service the admin's save ends in (articles.services.article_edit, "
           f"{EDITOR_SESSIONS} Django processes beside the server)"
           if data.get("editor", "admin") == "service" else
           "through the admin's change form over HTTP (staff sessions)")
        + ", drawn by the same law. Medians of "
        f"{len(data['per_round'])} rounds. Before the rounds every article was fetched once "
        f"({data['warm']['pages']:,} pages in {data['warm']['seconds']:.0f} s), so that each "
        "has its stored render and is in the page cache.",
        "",
        "| Reads | Requests/s | p50 ms | p99 ms | × static | Target | |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        f"| Static limit ({data['page']}, {data['page_bytes']:,} bytes from memory) | "
        f"{s['static_rps']:.0f} | | {s['static_p99_ms']:.2f} | 1 | | |",
        f"| Zipf reads, no edits | {s['reads_rps']:.0f} | {s['reads_p50_ms']:.2f} | "
        f"{s['reads_p99_ms']:.2f} | {s['reads_ratio']:.2f}× | | |",
        f"| Same reads while editing | {s['edits_rps']:.0f} | {s['edits_p50_ms']:.2f} | "
        f"{s['edits_p99_ms']:.2f} | {s['edits_ratio']:.2f}× ({s['edits_vs_reads']:.2f}× the "
        f"reads without edits) | ≥ {s['target']}× static, every edit visible on the next GET "
        f"| {ok[s['target_met']]} |",
        "",
        f"Saves: {s['saves']} accepted, {s['failed_saves']} failed, at {s['save_rate']:g}/s "
        f"(median of rounds); the save p50 {s['post_p50_ms']:.0f} ms, p99 "
        f"{s['post_p99_ms']:.0f} ms under the read load. Edits not visible on the next "
        f"anonymous GET of the article: **{s['not_visible']}**. HTTP errors over all runs: "
        f"{s['http_errors']}.",
        "",
        "Per round: " + "; ".join(
            f"static {r['static']['rps']:.0f}, reads {r['reads']['rps']:.0f} "
            f"({r['reads_ratio']:.2f}×), while editing {r['edits']['rps']:.0f} "
            f"({r['edits_ratio']:.2f}×, {r['editor']['accepted']} saves)"
            for r in data["per_round"]) + ".",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--rate", type=float, default=2.0, help="saves per second")
    parser.add_argument("--editor", choices=["service", "admin"], default="service",
                        help="save through articles.services.article_edit or the admin's form")
    args = parser.parse_args()
    data = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(data), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    s = data["summary"]
    print(f"{data['articles']:,} articles: static {s['static_rps']:.0f}, reads "
          f"{s['reads_rps']:.0f} ({s['reads_ratio']:.2f}x), while editing {s['edits_rps']:.0f} "
          f"({s['edits_ratio']:.2f}x), {s['saves']} saves, {s['not_visible']} not visible")


if __name__ == "__main__":
    main()
