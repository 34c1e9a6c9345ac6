#!/usr/bin/env python3
"""The cost of a write (issue 14): an admin save of an article that 50 other
articles link to.

    .venv/bin/python bench/write_cost_bench.py --database-url URL \\
        --out bench/results/write-cost-1000.md --json ... [--saves 30] [--linkers 50]

On a prepared database (it is changed: run it last), with gunicorn serving
the site in production settings, page cache on in Redis, 2 sync workers:

1. An article T that no other article links to or lists is chosen, and 50
   others get "See [[T]]." in their lead, saved through the admin's change
   form over HTTP like any edit (so their links rows are the real ones).
2. Then ``--saves`` saves of T of each of two kinds, alternating, each the
   real path: a staff session GETs T's change page and POSTs the form back
   (bench/editor.py):
   - "lead": one paragraph of the lead changed (what only T's page shows);
   - "population": the infobox population changed (what lists, and the
     pages that show T, may show of it: the dependency rules then empty the
     50 linking pages and the other pages that show T).
   Timed: the POST (the save, from request to response), and the GET of the
   form beside it.
3. Counted from outside after each save, before anything reads a page:
   the stored renders (articles_articlerender) emptied (page empty) and
   re-rendered by the write itself (seq changed, page kept), and the page
   cache's key versions in Redis that moved (each is a page, or a list of
   pages, purged here and in Varnish). Then the emptied pages are read once,
   so the next save starts from the same state.
Target: p50 of the save < 300 ms.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, ROOT, Site, log, machine  # noqa: E402
from editor import (  # noqa: E402
    ArticleRef, Database, Editor, change_lead, create_staff, fill_stored_pages, get, manage,
    page_generation,
)
from editing_bench import percentile  # noqa: E402
from http_bench import Server  # noqa: E402

TARGET_P50_MS = 300
VERSION_PATTERN = ":1:pagekeys:*"

PICK_SCRIPT = r"""
from collections import Counter
from articles.models import Article, RelatedGroup, SeeAlso, WikiLink
shown = Counter(WikiLink.objects.values_list("target_title", flat=True))
shown.update(SeeAlso.objects.values_list("target_title", flat=True))
shown.update(RelatedGroup.objects.values_list("title", flat=True))
rows = list(Article.objects.published().order_by("pk").values_list("pk", "slug", "title"))
# The article the fewest others show, so that the 50 links added are most of them.
target = min(rows[len(rows) // 3:], key=lambda row: (shown[row[2]], row[0]))
linking = set(WikiLink.objects.filter(target_title=target[2]).values_list("article_id", flat=True))
linkers = [row for row in rows if row[0] != target[0] and row[0] not in linking][:{linkers}]
print(f"SHOWN\t{{shown[target[2]]}}")
for pk, slug, title in [target, *linkers]:
    print(f"ROW\t{{pk}}\t{{slug}}\t{{title}}")
"""

COUNT_LINKS = r"""
from articles.models import WikiLink
print("LINKS", WikiLink.objects.filter(target_title={title!r}).count())
"""


def versions(client) -> dict[bytes, bytes]:
    keys = list(client.scan_iter(VERSION_PATTERN, count=5000))
    out = {}
    for start in range(0, len(keys), 5000):
        chunk = keys[start:start + 5000]
        out.update(zip(chunk, client.mget(chunk)))
    return out


def run(args) -> dict:
    import redis

    site = Site(engine="sqlite")
    env = {**site.env, "DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url}
    site.env = env
    server = None
    db = Database(args.database_url)
    client = redis.Redis.from_url(args.redis_url)
    try:
        site.manage("collectstatic", "--noinput", "-v", "0")
        create_staff(env, ["bench-writer"])
        picked = manage(env, "shell", "-c", PICK_SCRIPT.format(linkers=args.linkers))
        rows = [line.split("\t")[1:] for line in picked.splitlines() if line.startswith("ROW\t")]
        shown_before = int(re.search(r"^SHOWN\t(\d+)$", picked, re.MULTILINE).group(1))
        refs = [ArticleRef(int(pk), slug, title) for pk, slug, title in rows]
        target, linkers = refs[0], refs[1:]
        env["BENCH_STATIC_PAGE"] = target.path
        server = Server("writes", {**env, "DJANGO_PAGE_CACHE": "1"}, site.tmp)
        editor = Editor("127.0.0.1", server.port, "bench-writer")
        log(f"target {target.title!r}; linking it from {len(linkers)} articles' leads")

        def add_link(fields):
            for index, (name, value) in enumerate(fields):
                if name == "lead":
                    if f"[[{target.title}]]" not in value:
                        fields[index] = (name, value.rstrip() + f" See [[{target.title}]].")
                    return target.title
            return None

        for ref in linkers:
            save = editor.change(ref, add_link)
            if not save.ok:
                raise RuntimeError(f"linking from {ref.slug}: {save.error}")
        links = int(re.search(r"LINKS (\d+)", manage(env, "shell", "-c", COUNT_LINKS.format(
            title=target.title))).group(1))
        log(f"{links} articles link to {target.title!r}")
        # Every page with its stored render (only those without one are read):
        # what a save empties is then counted whole.
        missing = db.unrendered_slugs(page_generation(args.redis_url))
        log(f"reading the {len(missing):,} pages without a stored render")
        fill_stored_pages("127.0.0.1", server.port,
                          [ArticleRef(0, slug, "").path for slug in missing])
        articles = db.count()
        results: dict[str, list[dict]] = {"lead": [], "population": []}
        for number in range(args.saves * 2):
            kind = "lead" if number % 2 == 0 else "population"
            before_renders, before_versions = db.renders(), versions(client)
            if kind == "lead":
                save = editor.change(target, change_lead)
            else:
                save = editor.change(target, bump_population(1 if number % 4 == 1 else -1))
            if not save.ok:
                raise RuntimeError(f"save {number} of {target.slug}: {save.error}")
            after_renders, after_versions = db.renders(), versions(client)
            emptied = [pk for pk, (seq, empty) in after_renders.items()
                       if empty and not before_renders.get(pk, (None, False))[1]]
            rerendered = [pk for pk, (seq, empty) in after_renders.items()
                          if not empty and before_renders.get(pk, (seq,))[0] != seq]
            moved = [key for key, value in after_versions.items()
                     if before_versions.get(key) != value]
            results[kind].append({
                "post_ms": save.post_seconds * 1000, "form_ms": save.form_seconds * 1000,
                "emptied": len(emptied), "rerendered": len(rerendered),
                "keys_moved": len(moved),
                "all_moved": any(key.endswith(b":all") for key in moved),
            })
            # The next reader renders them again: done now, so that every
            # save starts with all pages stored.
            for slug in db.slugs(emptied):
                get("127.0.0.1", server.port, ArticleRef(0, slug, "").path)
            time.sleep(0.2)
        if server.log().strip():
            log(f"gunicorn log:\n{server.log()}")
        server.stop()
        summaries = {kind: summarise(rows) for kind, rows in results.items()}
        profile = ""
        if args.profile and not all(s["target_met"] for s in summaries.values()):
            log("profiling the save (pyinstrument, bench/profile_save.py)")
            profile = profile_save(env, target.pk)
    except BaseException:
        if server:
            log(f"gunicorn log:\n{server.log()}")
        raise
    finally:
        db.close()
        if server:
            server.stop()
        site.cleanup()
    return {
        "machine": machine(),
        "database": re.sub(r"//[^@/]*@", "//", args.database_url),
        "articles": articles,
        "target": target.title,
        "linking_articles": links,
        "shown_before": shown_before,
        "linkers_added": len(linkers),
        "saves_per_kind": args.saves,
        "kinds": summaries,
        "per_save": results,
        "profile": profile,
    }


def profile_save(env: dict, pk: int) -> str:
    result = subprocess.run([str(PYTHON), "bench/profile_save.py", str(pk), "--saves", "10"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        return f"(profile failed: {result.stderr[-1500:]})"
    tree, _, flat = result.stdout.strip("\n").partition("Functions by their own time (flat):")
    return "\n".join([*tree.splitlines()[:60], "", "Functions by their own time (flat):",
                      *flat.strip("\n").splitlines()[:40]])


def bump_population(delta: int):
    """An edit of the infobox population by ``delta`` (the form's value read back)."""

    def edit(fields):
        for index, (field, value) in enumerate(fields):
            if field == "population":
                fields[index] = (field, str(max(1, int(value or 1000) + delta)))
                return fields[index][1]
        return None

    return edit


def summarise(rows: list[dict]) -> dict:
    posts = [r["post_ms"] for r in rows]
    out = {
        "post_p50_ms": round(statistics.median(posts), 1),
        "post_p99_ms": round(percentile(posts, 99), 1),
        "form_p50_ms": round(statistics.median(r["form_ms"] for r in rows), 1),
        "emptied": sorted({r["emptied"] for r in rows}),
        "rerendered": sorted({r["rerendered"] for r in rows}),
        "keys_moved": sorted({r["keys_moved"] for r in rows}),
        "all_moved": any(r["all_moved"] for r in rows),
    }
    out["target_met"] = out["post_p50_ms"] < TARGET_P50_MS
    return out


def _span(values: list[int]) -> str:
    return str(values[0]) if len(values) == 1 else f"{values[0]}–{values[-1]}"


def markdown(data: dict) -> str:
    ok = {True: "met", False: "**not met**"}
    lines = [
        f"### Write cost: an admin save of an article {data['linking_articles']} others link "
        f"to ({data['articles']:,} articles)",
        "",
        f"\"{data['target']}\", linked from {data['linking_articles']} articles "
        f"(`[[...]]` added to {data['linkers_added']} leads through the admin; before, {data['shown_before']} "
        "links, See also or Related rows named it). Each save is the real path: a staff session "
        "GETs the change page and POSTs the whole form back (HTTP, gunicorn 2 sync workers, "
        f"production settings, page cache on in Redis, database {data['database']}); "
        f"{data['saves_per_kind']} saves of each kind, alternating, no other load. Counted "
        "after each save, before any read: stored renders emptied (the next reader renders "
        "them) and re-rendered by the write itself, and page-cache key versions moved in "
        "Redis (each purges one page, or one list, here and in Varnish).",
        "",
        "| Save | POST p50 | POST p99 | GET of the form p50 | Pages emptied | Re-rendered by "
        "the write | Keys purged | Target | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    names = {"lead": "One paragraph of the lead", "population": "The infobox population"}
    for kind, s in data["kinds"].items():
        lines.append(
            f"| {names[kind]} | {s['post_p50_ms']:.0f} ms | {s['post_p99_ms']:.0f} ms | "
            f"{s['form_p50_ms']:.0f} ms | {_span(s['emptied'])} | {_span(s['rerendered'])} | "
            f"{_span(s['keys_moved'])}{' (all: every page)' if s['all_moved'] else ''} | "
            f"p50 < {TARGET_P50_MS} ms | {ok[s['target_met']]} |")
    if data.get("profile"):
        lines += ["", "Where a save's time goes (pyinstrument, bench/profile_save.py: 10 saves "
                  "of the lead through the test client in one process, production settings):",
                  "", "```", data["profile"], "```"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--saves", type=int, default=30, help="saves of each kind")
    parser.add_argument("--linkers", type=int, default=50)
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    args = parser.parse_args()
    data = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(data), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    for kind, s in data["kinds"].items():
        print(f"{kind}: POST p50 {s['post_p50_ms']:.0f} ms, p99 {s['post_p99_ms']:.0f} ms, "
              f"emptied {s['emptied']}, re-rendered {s['rerendered']}, keys {s['keys_moved']}")


if __name__ == "__main__":
    main()
