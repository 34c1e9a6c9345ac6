#!/usr/bin/env python3
"""The article page without the page cache, from its stored render (issue 14).

    .venv/bin/python bench/render_bench.py --database-url URL \\
        --out bench/results/render-1000.md --json bench/results/render-1000.json \\
        [--rounds 3] [--duration 10] [--wagtail] [--no-profile]

On a prepared database, two gunicorn servers (production settings, 2 sync
workers, Redis as in production, bench/static_pages.py for the static
limits): one with DJANGO_PAGE_CACHE=0, one with the page cache on. Measured
with ``wrk -t2 -c16 --latency``, each figure against the static limit run
just before it on the same server (the same page's exact bytes from memory,
in the same workers):

- the uncached page of the heaviest generated article (most sections) and
  of the seed article (Russians in Afghanistan), anonymous: req/s and p99
  against their static limits (targets: >= 0.25x, p99 < 4x);
- uncached reads over every article URL with a Zipf law (bench/zipf.lua):
  the stored renders of many different rows, not one hot row;
- the seed article for a signed-in editor (a staff account made in the
  bench database, its session cookie from /admin/login/): the page cache
  never serves it, so it is what an editor costs;
- with --wagtail, the peer: Wagtail 8 serving one ArticlePage holding the
  seed's text (bench/wagtail_bench.py), 2 sync workers, DEBUG off; the
  target is our editor page >= 3x the peer's anonymous page.

When the uncached target is missed, a pyinstrument profile of that page.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, ROOT, Site, log, machine  # noqa: E402
from editing_bench import CONNECTIONS, THREADS, run_wrk, wrk_path  # noqa: E402
from editor import Editor, create_staff, fill_stored_pages, published, static_path  # noqa: E402
from http_bench import Server, ensure_wrk, fetch, profile_uncached, published_articles  # noqa: E402
from zipf import ranked, wrk_command, write_paths  # noqa: E402

SEED = "russians-in-afghanistan"
TARGET_RATIO = 0.25
TARGET_P99 = 4.0
TARGET_PEER = 3.0
APP = "bench.static_pages:application"


EDITOR_PROFILE = r"""
import sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from pyinstrument import Profiler

client = Client()
client.force_login(get_user_model().objects.get(username=sys.argv[2]))
path = sys.argv[1]
for _ in range(5):
    assert client.get(path).status_code == 200
queries = []
with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
    client.get(path)
wall, cpu = time.perf_counter(), time.process_time()
for _ in range(50):
    client.get(path)
print(f"TIMING {(time.perf_counter() - wall) / 50 * 1000:.2f} "
      f"{(time.process_time() - cpu) / 50 * 1000:.2f} {len(queries)}")
profiler = Profiler(interval=0.0005)
profiler.start()
for _ in range(100):
    client.get(path)
profiler.stop()
print(profiler.output_text(unicode=False, color=False, show_all=False))
"""


def profile_editor(env: dict, path: str, username: str) -> dict:
    """The signed-in editor's page in one process (test client, production
    settings): timing, queries and a pyinstrument profile."""
    result = subprocess.run([str(PYTHON), "-c", EDITOR_PROFILE, path, username], cwd=ROOT,
                            env=env, capture_output=True, text=True)
    if result.returncode:
        return {"text": f"(profile failed: {result.stderr[-1500:]})"}
    timing = re.search(r"^TIMING ([\d.]+) ([\d.]+) (\d+)$", result.stdout, re.MULTILINE)
    text = result.stdout[timing.end():].strip("\n") if timing else result.stdout
    return {
        "wall_ms_per_request": float(timing.group(1)) if timing else None,
        "cpu_ms_per_request": float(timing.group(2)) if timing else None,
        "queries": int(timing.group(3)) if timing else None,
        "text": "\n".join(text.splitlines()[:90]),
    }


def run(args) -> dict:
    binary = ensure_wrk()
    site = Site(engine="sqlite")
    env = {**site.env, "DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url}
    site.env = env
    servers: list[Server] = []
    peer = None
    try:
        site.manage("collectstatic", "--noinput", "-v", "0")
        refs = published(env)
        heaviest = next(slug for slug in published_articles(env) if slug != SEED)
        pages = {"generated": f"/wiki/{heaviest}/", "seed": f"/wiki/{SEED}/"}
        seed_ref = next(ref for ref in refs if ref.slug == SEED)
        paths = write_paths(ranked([ref.slug for ref in refs]), site.tmp / "paths.txt")
        create_staff(env, ["bench-reader-editor"])
        uncached = Server("uncached", {**env, "DJANGO_PAGE_CACHE": "0"}, site.tmp, app=APP)
        servers.append(uncached)
        cached = Server("cached", {**env, "DJANGO_PAGE_CACHE": "1"}, site.tmp, app=APP)
        servers.append(cached)
        sizes = {}
        for name, path in pages.items():
            for server in servers:
                status, headers, body = fetch(server.url + path)
                for _ in range(6):
                    static_status, _, static = fetch(server.url + static_path(path))
                assert status == static_status == 200 and body == static, "static bytes differ"
            sizes[name] = len(body)
        # Every page read once, so that each has a stored render the site
        # considers current (whatever makes one out of date: an edit, another
        # page generation, another template version).
        if args.zipf:
            filled = fill_stored_pages("127.0.0.1", uncached.port, [ref.path for ref in refs],
                                       log=log)
            log(f"every article read once: {filled}")
        editor = Editor("127.0.0.1", cached.port, "bench-reader-editor")
        cookie = ("Cookie: " + editor.cookie,)
        status, _, page = editor.browser.request("GET", pages["seed"])
        edit_link = f"/admin/articles/article/{seed_ref.pk}/change/"
        assert status == 200 and edit_link in page, "the editor's page has no Edit link"
        editor_bytes = len(page.encode())
        peer_info = {}
        if args.wagtail:
            from wagtail_bench import WagtailSite, ensure_venv, seed_content

            if ensure_venv():
                peer = WagtailSite(site.tmp, seed_content(env, SEED))
                peer.prepare()
                peer.start()
                body = fetch(peer.url + peer.path)[2]
                peer_info = {"path": peer.path, "bytes": len(body)}
            else:
                peer_info = {"skipped": "Wagtail could not be installed from the registry"}

        rounds = []
        for number in range(1, args.rounds + 1):
            row: dict = {}
            for name, path in pages.items():
                row[f"static_{name}"] = wrk_path(binary, uncached, static_path(path),
                                                 args.duration)
                row[f"uncached_{name}"] = wrk_path(binary, uncached, path, args.duration)
            if args.zipf:
                row["uncached_zipf"] = run_wrk(wrk_command(binary, uncached.url, paths,
                                                           args.duration, THREADS, CONNECTIONS,
                                                           2000 + number))
            row["static_seed_cached"] = wrk_path(binary, cached, static_path(pages["seed"]),
                                                 args.duration)
            row["editor_seed"] = wrk_path(binary, cached, pages["seed"], args.duration, cookie)
            if peer:
                row["peer"] = run_wrk([binary, f"-t{THREADS}", f"-c{CONNECTIONS}",
                                       f"-d{args.duration:g}s", "--latency",
                                       peer.url + peer.path])
            for name in pages:
                row[f"ratio_{name}"] = row[f"uncached_{name}"]["rps"] / row[f"static_{name}"]["rps"]
                row[f"p99_ratio_{name}"] = (row[f"uncached_{name}"]["p99_ms"]
                                            / row[f"static_{name}"]["p99_ms"])
            if args.zipf:
                row["ratio_zipf"] = row["uncached_zipf"]["rps"] / row["static_generated"]["rps"]
            row["ratio_editor"] = row["editor_seed"]["rps"] / row["static_seed_cached"]["rps"]
            if peer:
                row["editor_vs_peer"] = row["editor_seed"]["rps"] / row["peer"]["rps"]
            log(f"round {number}: " + ", ".join(
                f"{key} {value['rps']:.0f}" for key, value in row.items() if isinstance(value, dict)))
            rounds.append(row)
        for server in servers:
            if server.log().strip():
                log(f"{server.name} gunicorn log:\n{server.log()}")
        summary = summarise(rounds, bool(peer), args.zipf)
        profile = {}
        if args.profile and not summary["uncached_target_met"]:
            log("profiling the uncached page (pyinstrument)")
            profile = profile_uncached(env, pages["generated"])
        editor_profile = {}
        if args.profile and summary["peer_target_met"] is False:
            log("profiling the editor's page (pyinstrument)")
            editor_profile = profile_editor(env, pages["seed"], "bench-reader-editor")
    except BaseException:
        for server in servers:
            log(f"{server.name} gunicorn log:\n{server.log()}")
        raise
    finally:
        for server in servers:
            server.stop()
        if peer:
            peer.cleanup()
        site.cleanup()
    return {
        "machine": machine(),
        "articles": len(refs),
        "pages": pages,
        "bytes": sizes,
        "editor_bytes": editor_bytes,
        "database": re.sub(r"//[^@/]*@", "//", args.database_url),
        "load": f"wrk -t{THREADS} -c{CONNECTIONS} -d{args.duration:g}s --latency",
        "peer": peer_info,
        "summary": summary,
        "per_round": rounds,
        "profile_uncached": profile,
        "profile_editor": editor_profile,
    }


def summarise(rounds: list[dict], peer: bool, zipf: bool = True) -> dict:
    def med(key: str, name: str = "rps") -> float:
        return round(statistics.median(r[key][name] for r in rounds), 3)

    def ratio(key: str) -> float:
        return round(statistics.median(r[key] for r in rounds), 3)

    s = {}
    for key in ("static_generated", "uncached_generated", "static_seed", "uncached_seed",
                *(["uncached_zipf"] if zipf else []), "static_seed_cached", "editor_seed",
                *(["peer"] if peer else [])):
        s[key] = {"rps": med(key), "p50_ms": med(key, "p50_ms"), "p99_ms": med(key, "p99_ms")}
    for key in ("ratio_generated", "p99_ratio_generated", "ratio_seed", "p99_ratio_seed",
                *(["ratio_zipf"] if zipf else []), "ratio_editor",
                *(["editor_vs_peer"] if peer else [])):
        s[key] = ratio(key)
    s["errors"] = sum(v["non_2xx_3xx"] + v["socket_errors"] for r in rounds
                      for v in r.values() if isinstance(v, dict))
    s["uncached_target_met"] = all(
        s[f"ratio_{name}"] >= TARGET_RATIO and s[f"p99_ratio_{name}"] < TARGET_P99
        for name in ("generated", "seed"))
    s["peer_target_met"] = (s["editor_vs_peer"] >= TARGET_PEER) if peer else None
    return s


def markdown(data: dict) -> str:
    s = data["summary"]
    ok = {True: "met", False: "**not met**", None: "n/a"}
    pages = data["pages"]

    def line(label: str, key: str, ratio: str = "", target: str = "", met=None) -> str:
        f = s[key]
        return (f"| {label} | {f['rps']:.0f} | {f['p50_ms']:.2f} | {f['p99_ms']:.2f} | {ratio} "
                f"| {target} | {ok[met] if target else ''} |")

    gen_met = s["ratio_generated"] >= TARGET_RATIO and s["p99_ratio_generated"] < TARGET_P99
    seed_met = s["ratio_seed"] >= TARGET_RATIO and s["p99_ratio_seed"] < TARGET_P99
    lines = [
        f"### Article page from its stored render, {data['articles']:,} articles",
        "",
        f"{data['load']}, gunicorn 2 sync workers, production settings, Redis, database "
        f"{data['database']}; medians of {len(data['per_round'])} rounds, each ratio against "
        "the static limit run just before it on the same server (the same page's bytes from "
        "memory, in the same workers).",
        "",
        "| Page | Requests/s | p50 ms | p99 ms | Ratio | Target | |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        line(f"Static limit, {pages['generated']} ({data['bytes']['generated']:,} bytes)",
             "static_generated", "1"),
        line("Same page, DJANGO_PAGE_CACHE=0 (stored render)", "uncached_generated",
             f"{s['ratio_generated']:.2f}× (p99 {s['p99_ratio_generated']:.1f}×)",
             f"≥ {TARGET_RATIO}×, p99 < {TARGET_P99:g}×", gen_met),
        line(f"Static limit, {pages['seed']} ({data['bytes']['seed']:,} bytes)",
             "static_seed", "1"),
        line("Same page, DJANGO_PAGE_CACHE=0 (stored render)", "uncached_seed",
             f"{s['ratio_seed']:.2f}× (p99 {s['p99_ratio_seed']:.1f}×)",
             f"≥ {TARGET_RATIO}×, p99 < {TARGET_P99:g}×", seed_met),
        *([line(f"DJANGO_PAGE_CACHE=0, Zipf over all {data['articles']:,} article URLs",
                "uncached_zipf", f"{s['ratio_zipf']:.2f}× the first static limit")]
          if "uncached_zipf" in s else []),
        line("Static limit of the seed, page cache on", "static_seed_cached", "1"),
        line(f"The seed for a signed-in editor (staff session; {data['editor_bytes']:,} bytes)",
             "editor_seed", f"{s['ratio_editor']:.2f}×"),
    ]
    if "peer" in s:
        lines.append(line(
            f"Peer: Wagtail 8, one ArticlePage with the seed's text, anonymous "
            f"({data['peer']['bytes']:,} bytes)", "peer",
            f"editor page {s['editor_vs_peer']:.1f}× the peer", f"editor ≥ {TARGET_PEER:g}× peer",
            s["peer_target_met"]))
    elif data["peer"].get("skipped"):
        lines.append(f"| Peer (Wagtail) | skipped: {data['peer']['skipped']} | | | | | |")
    lines += ["", f"Errors (non-2xx/3xx, socket errors) over all runs: {s['errors']}."]
    profile = data.get("profile_uncached") or {}
    if profile:
        lines += ["", "Where an uncached request's time goes (pyinstrument, one process, "
                  f"{profile.get('wall_ms_per_request')} ms wall, "
                  f"{profile.get('cpu_ms_per_request')} ms CPU per request):", "", "```",
                  profile["text"], "```"]
    profile = data.get("profile_editor") or {}
    if profile:
        lines += ["", "Where the signed-in editor's request goes (pyinstrument, test client in "
                  f"one process: {profile.get('wall_ms_per_request')} ms wall, "
                  f"{profile.get('cpu_ms_per_request')} ms CPU, {profile.get('queries')} "
                  "queries per request):", "", "```", profile["text"], "```"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--wagtail", action="store_true", help="also measure the peer CMS")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--no-zipf", dest="zipf", action="store_false",
                        help="no uncached Zipf reads over every article (nor the first read "
                        "of every article they need: long at 100,000 when the stored "
                        "renders are empty)")
    args = parser.parse_args()
    data = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(data), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    s = data["summary"]
    print(f"{data['articles']:,}: uncached {s['uncached_generated']['rps']:.0f} rps "
          f"({s['ratio_generated']:.2f}x, p99 {s['p99_ratio_generated']:.1f}x), seed "
          f"{s['ratio_seed']:.2f}x, editor {s['editor_seed']['rps']:.0f} rps"
          + (f", peer {s['peer']['rps']:.0f} rps ({s['editor_vs_peer']:.1f}x)" if "peer" in s
             else ""))


if __name__ == "__main__":
    main()
