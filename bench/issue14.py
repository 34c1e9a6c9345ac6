#!/usr/bin/env python3
"""Issue 14's benchmarks on prepared databases, in the order they must run,
and their section of bench/RESULTS.md (bench/results/issue14.md).

    .venv/bin/python bench/issue14.py --database-url URL_1000 --database-url URL_100000 \\
        [--duration 10] [--rounds 2] [--no-wagtail]

For each database, with a Redis database of its own (6, 7, ...: the stored
renders are checked against that Redis's page generation, so two databases
must not share one):
1. bench/editing_bench.py: every article fetched once (the stored renders
   and the page cache filled), then Zipf reads with and without an editor
   saving 2 articles a second, beside the static limit;
2. bench/render_bench.py: the page from its stored render with the page
   cache off, the signed-in editor's page, and (first database only) the
   peer CMS, Wagtail 8;
3. bench/write_cost_bench.py, last because it changes the data: the admin
   save of an article 50 others link to.
`make bench` runs this from bench/run.py after the databases are built.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, log, production_env  # noqa: E402

PARTS = ROOT / "bench" / "results"
REDIS = "redis://127.0.0.1:6379/{}"


def _script(name: str, env: dict, *args: str) -> None:
    subprocess.run([str(PYTHON), f"bench/{name}", *args], cwd=ROOT, env=env, check=True)


def run_all(datasets: list[tuple[int, str, dict]], parts: Path = PARTS, duration: int = 10,
            rounds: int = 2, wagtail: bool = True, first_redis_db: int = 6) -> dict:
    """Run the three benches on each (articles, database URL, environment);
    returns their figures by size and writes parts/issue14.md."""
    parts.mkdir(exist_ok=True)
    figures: dict = {}
    for index, (n, url, env) in enumerate(datasets):
        redis_url = REDIS.format(first_redis_db + index)
        common = ["--database-url", url, "--redis-url", redis_url]
        # A database built earlier (build_large.py) may predate a migration.
        subprocess.run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                       env=env, check=True)
        steps = {}
        started = time.monotonic()
        log(f"issue 14, {n:,} articles: reads while editing")
        _script("editing_bench.py", env, *common, "--duration", str(duration + 5),
                "--rounds", str(rounds), "--out", str(parts / f"editing-{n}.md"),
                "--json", str(parts / f"editing-{n}.json"))
        steps["editing_s"] = round(time.monotonic() - started)
        log(f"issue 14, {n:,} articles: stored render, editor page"
            + (", peer CMS" if wagtail and index == 0 else ""))
        _script("render_bench.py", env, *common, "--duration", str(duration),
                "--rounds", str(rounds + 1), "--out", str(parts / f"render-{n}.md"),
                "--json", str(parts / f"render-{n}.json"),
                *(["--wagtail"] if wagtail and index == 0 else []))
        steps["render_s"] = round(time.monotonic() - started) - steps["editing_s"]
        log(f"issue 14, {n:,} articles: write cost")
        _script("write_cost_bench.py", env, *common, "--out", str(parts / f"write-cost-{n}.md"),
                "--json", str(parts / f"write-cost-{n}.json"))
        steps["write_cost_s"] = (round(time.monotonic() - started) - steps["editing_s"]
                                 - steps["render_s"])
        figures[n] = {
            kind: json.loads((parts / f"{kind}-{n}.json").read_text())
            for kind in ("editing", "render", "write-cost")
        }
        figures[n]["seconds"] = steps
    (parts / "issue14.md").write_text(markdown(figures, parts), encoding="utf-8")
    return figures


def _met(ok) -> str:
    return "n/a" if ok is None else ("met" if ok else "**not met**")


def markdown(figures: dict, parts: Path) -> str:
    sizes = sorted(figures, key=int)
    lines = [
        "## Pages while the encyclopedia is written (issue 14)",
        "",
        "Each figure beside its baseline measured in the same run (bench/issue14.py; gunicorn, "
        "production settings, 2 sync workers, `wrk -t2 -c16`, PostgreSQL and Redis on the "
        "same 2 cores).",
        "",
        "| Target | " + " | ".join(f"{int(n):,} articles" for n in sizes) + " |",
        "| --- | " + " | ".join("---" for _ in sizes) + " |",
    ]

    def row(label: str, cell) -> str:
        return f"| {label} | " + " | ".join(cell(figures[n]) for n in sizes) + " |"

    def uncached(f) -> str:
        s = f["render"]["summary"]
        return (f"{s['ratio_generated']:.2f}×, p99 {s['p99_ratio_generated']:.1f}× "
                f"({s['uncached_generated']['rps']:.0f} req/s): "
                f"{_met(s['uncached_target_met'])}")

    def editor(f) -> str:
        s = f["render"]["summary"]
        if "editor_vs_peer" not in s:
            return f"{s['editor_seed']['rps']:.0f} req/s (peer measured at the first size)"
        return (f"{s['editor_seed']['rps']:.0f} req/s vs Wagtail {s['peer']['rps']:.0f}: "
                f"{s['editor_vs_peer']:.1f}×, {_met(s['peer_target_met'])}")

    def editing(f) -> str:
        s = f["editing"]["summary"]
        return (f"{s['edits_ratio']:.2f}× static ({s['edits_rps']:.0f} req/s; no edits "
                f"{s['reads_rps']:.0f}), {s['not_visible']} edits not visible, target ≥ "
                f"{s['target']}×: {_met(s['target_met'])}")

    def span(values: list[int]) -> str:
        return str(values[0]) if len(values) == 1 else f"{values[0]}–{values[-1]}"

    def write_cost(f) -> str:
        return "; ".join(
            f"{kind}: p50 {s['post_p50_ms']:.0f} ms, p99 {s['post_p99_ms']:.0f} ms, "
            f"{span(s['emptied'])} pages emptied, {span(s['keys_moved'])} keys purged: "
            f"{_met(s['target_met'])}" for kind, s in f["write-cost"]["kinds"].items())

    lines += [
        row("Uncached article page (stored render) ≥ 0.25× static, p99 < 4×", uncached),
        row("Signed-in editor's page ≥ 3× the peer's anonymous page", editor),
        row("Zipf reads while an editor saves 2 articles/s (≥ 0.6× at 1,000, ≥ 0.4× at "
            "100,000; every edit visible on the next GET)", editing),
        row("Admin save of an article 50 pages link to: p50 < 300 ms", write_cost),
        row("Time taken (editing, render, write cost)", lambda f: ", ".join(
            f"{v} s" for v in f["seconds"].values())),
        "",
    ]
    for n in sizes:
        for kind in ("render", "editing", "write-cost"):
            part = parts / f"{kind}-{n}.md"
            if part.exists():
                lines += [part.read_text().rstrip(), ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", action="append", required=True,
                        help="a prepared database, smallest first (repeat)")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-wagtail", dest="wagtail", action="store_false")
    parser.add_argument("--parts", type=Path, default=PARTS)
    parser.add_argument("--first-redis-db", type=int, default=6,
                        help="Redis database of the first URL; the next get the following ones")
    args = parser.parse_args()
    datasets = []
    for url in args.database_url:
        env = production_env(url)
        count = subprocess.run(
            [str(PYTHON), "manage.py", "shell", "-c",
             "from articles.models import Article; print(Article.objects.count())"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.split()[-1]
        datasets.append((int(count), url, env))
    figures = run_all(datasets, args.parts, args.duration, args.rounds, args.wagtail,
                      args.first_redis_db)
    (args.parts / "issue14.json").write_text(json.dumps(figures, indent=2, default=str))
    log(f"wrote {args.parts / 'issue14.md'}")


if __name__ == "__main__":
    main()
