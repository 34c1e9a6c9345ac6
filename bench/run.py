"""`make bench`: every figure of issue 6, written to bench/RESULTS.md.

Steps (each prints what it does on standard error):
1. Synthetic data (bench/generate.py) at N = 1,000, 10,000 and 100,000.
2. Import and export on SQLite at 1,000 and 10,000 with `manage.py
   import_articles` / `export_articles` as a user runs them: rate, and peak
   resident memory of the command (getrusage of the child).
3. PostgreSQL databases at 1,000 and 100,000 (the same import command), with
   population history and tags added as editors would.
4. SQL queries per page at both sizes (bench/queries.py).
   Then `manage.py import_mediawiki --latest-only` of a generated dump at the
   same two sizes (bench/mediawiki_bench.py).
5. Search at 100,000 on PostgreSQL and at 10,000 on SQLite
   (bench/search_bench.py).
6. The article page over HTTP: gunicorn, 2 sync workers, wrk, cached and
   uncached against a trivial WSGI app in the same gunicorn
   (bench/http_bench.py), on the 100,000-article PostgreSQL database.
7. Issue 14, on both PostgreSQL databases (bench/issue14.py): reads while
   editing (bench/editing_bench.py), the page from its stored render and
   the signed-in editor's page, with the peer CMS at the small size
   (bench/render_bench.py), and the cost of a save that 50 pages depend on
   (bench/write_cost_bench.py, last: it changes the data).

Options: --sizes 1000,10000,100000 to run smaller (the 1st size is the small
one, the 2nd the SQLite import size, the 3rd the large PostgreSQL one),
--keep to keep the databases and files, --skip-http / --skip-search /
--skip-issue14 (--issue14-duration, --issue14-rounds: its wrk runs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PG_SERVER, PYTHON, database, log, production_env

RESULTS = ROOT / "bench" / "RESULTS.md"
PARTS = ROOT / "bench" / "results"
IMPORT_TARGET = 500  # articles per second


def run_with_rss(args: list[str], env: dict) -> tuple[float, float, str]:
    """(seconds, peak RSS in MiB, stdout) of a child process, via wait4."""
    started = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{err.decode()[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, out.decode()


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def django_script(env: dict, code: str) -> str:
    result = subprocess.run(
        [str(PYTHON), "-c", "import django; django.setup()\n" + code],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if result.returncode:
        raise RuntimeError(f"script failed:\n{result.stderr[-3000:]}")
    return result.stdout


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG_SERVER}/postgres", "-q", "-c", sql], check=True,
                   capture_output=True)


class Dataset:
    """A database with N generated articles, loaded the way a site is: the
    people and places first, then `import_articles`, then population
    history and tags (editorial data outside the wiki-text)."""

    def __init__(self, n: int, engine: str, tmp: Path):
        self.n = n
        self.engine = engine
        self.name, self.url = database(
            engine, f"encyclopedia_bench_{n}_{os.getpid()}", tmp / f"bench-{n}.sqlite3"
        )
        self.files = tmp / f"files-{n}"
        self.env = production_env(self.url)
        self.import_seconds = self.import_rss = 0.0
        self.reused = False

    def create(self) -> None:
        if self.engine == "postgres":
            psql(f'DROP DATABASE IF EXISTS "{self.name}"')
            psql(f'CREATE DATABASE "{self.name}"')
        manage(self.env, "migrate", "--noinput", "-v", "0")
        manage(self.env, "setup_site")
        if not self.files.exists():
            log(f"writing {self.n:,} files")
            django_script(self.env, (
                "from pathlib import Path\n"
                "from bench.generate import World, write_files\n"
                f"write_files(World({self.n}), Path({str(self.files)!r}))\n"
            ))
        django_script(self.env, (
            "from bench.generate import World, populate_names\n"
            f"populate_names(World({self.n}))\n"
        ))
        log(f"{self.engine}: importing {self.n:,} articles")
        self.import_seconds, self.import_rss, out = run_with_rss(
            [str(PYTHON), "manage.py", "import_articles", str(self.files)], self.env
        )
        log(f"  {out.strip()} in {self.import_seconds:.1f} s "
            f"({self.n / self.import_seconds:,.0f}/s, peak RSS {self.import_rss:.0f} MiB)")
        django_script(self.env, (
            "from bench.generate import World, populate_history, populate_tags\n"
            f"w = World({self.n}); populate_history(w); populate_tags(w)\n"
        ))
        if self.engine == "postgres":
            # What a DBA does after a bulk load (autovacuum gets there later):
            # without statistics the planner guesses, and search takes 0.7 s.
            log("VACUUM ANALYZE")
            subprocess.run(["psql", self.url, "-q", "-c", "VACUUM ANALYZE"], check=True,
                           capture_output=True)

    @classmethod
    def existing(cls, n: int, url: str) -> Dataset:
        """A database bench/build_large.py built, with the import figures
        it saved in $TMPDIR/<database>.json."""
        ds = cls.__new__(cls)
        ds.n, ds.engine, ds.url, ds.name = n, "postgres", url, url.rsplit("/", 1)[-1]
        ds.env = production_env(url)
        record = Path(tempfile.gettempdir()) / f"{ds.name}.json"
        saved = json.loads(record.read_text()) if record.exists() else {}
        ds.import_seconds = saved.get("import_seconds", float("nan"))
        ds.import_rss = saved.get("import_rss", float("nan"))
        ds.reused = True
        return ds

    def drop(self) -> None:
        if self.engine == "postgres":
            psql(f'DROP DATABASE IF EXISTS "{self.name}"')


def measure_export(ds: Dataset, tmp: Path) -> tuple[float, float]:
    out = tmp / f"export-{ds.n}"
    shutil.rmtree(out, ignore_errors=True)
    seconds, rss, _ = run_with_rss(
        [str(PYTHON), "manage.py", "export_articles", "--out", str(out)], ds.env
    )
    written = len(list(out.glob("*.txt")))
    if written < ds.n:
        raise RuntimeError(f"export wrote {written} files for {ds.n} articles")
    return seconds, rss


def measure_parse(ds: Dataset) -> float:
    """Seconds to read and parse the same files in one process: the floor
    any import stands on, measured beside it."""
    code = (
        "import time; from pathlib import Path; from articles import wikitext\n"
        f"files = sorted(Path({str(ds.files)!r}).glob('*.txt'))\n"
        "t = time.perf_counter()\n"
        "for f in files: wikitext.parse(wikitext.decode(f.read_bytes()))\n"
        "print(time.perf_counter() - t)\n"
    )
    return float(django_script(ds.env, code).strip())


def _trim_profile(text: str, depth: int = 7) -> str:
    """The profile tree down to ``depth`` levels, without the banner."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "articles_import" in line), 0)
    kept = []
    for line in lines[start:]:
        stripped = line.lstrip(" |`-")
        level = (len(line) - len(stripped)) // 3
        if stripped and level <= depth:
            kept.append(line.rstrip())
    return "\n".join(kept)


def machine() -> dict:
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    pg = subprocess.run(["psql", f"{PG_SERVER}/postgres", "-Atc", "SHOW server_version"],
                        capture_output=True, text=True).stdout.strip()
    sqlite = subprocess.run([str(PYTHON), "-c", "import sqlite3; print(sqlite3.sqlite_version)"],
                            capture_output=True, text=True).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": pg,
        "sqlite": sqlite,
        "kernel": platform.release(),
        "load_before": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Issue 6 benchmarks")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--skip-issue14", action="store_true")
    parser.add_argument("--issue14-duration", type=int, default=10)
    parser.add_argument("--issue14-rounds", type=int, default=2)
    parser.add_argument("--http-duration", type=int, default=15)
    parser.add_argument("--http-rounds", type=int, default=3)
    parser.add_argument("--http-rss-requests", type=int, default=10_000)
    parser.add_argument(
        "--large-url", default="",
        help="use this PostgreSQL database, built earlier by this script's Dataset "
        "(bench/build_large.py), as the large one instead of importing it again",
    )
    args = parser.parse_args()
    small, medium, large = (int(x) for x in args.sizes.split(","))
    if shutil.which("wrk") is None and not args.skip_http:
        log("installing Debian's wrk")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True,
                       capture_output=True)
    PARTS.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="encyclopedia-bench-"))
    figures: dict = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M")}
    datasets: list[Dataset] = []
    try:
        # Import and export on SQLite.
        imports = {}
        for n in (small, medium):
            ds = Dataset(n, "sqlite", tmp)
            datasets.append(ds)
            ds.create()
            parse_seconds = measure_parse(ds)
            export_seconds, export_rss = measure_export(ds, tmp)
            imports[n] = {
                "articles": n,
                "import_seconds": ds.import_seconds,
                "import_rate": n / ds.import_seconds,
                "import_peak_rss_mib": ds.import_rss,
                "parse_seconds": parse_seconds,
                "export_seconds": export_seconds,
                "export_rate": n / export_seconds,
                "export_peak_rss_mib": export_rss,
            }
            log(f"  export {n / export_seconds:,.0f}/s, peak RSS {export_rss:.0f} MiB; "
                f"parse alone {n / parse_seconds:,.0f}/s")
        figures["import"] = imports
        log("profiling an import of 1,000 files")
        profile = subprocess.run(
            [str(PYTHON), "bench/profile_import.py", "--articles", str(min(small, 1000))],
            cwd=ROOT, env=production_env(""), capture_output=True, text=True, check=True,
        ).stdout
        (PARTS / "import-profile.txt").write_text(_trim_profile(profile))
        sqlite_medium = datasets[-1]

        # MediaWiki import on SQLite, at the same two sizes.
        from bench.mediawiki_bench import measure as measure_mediawiki

        figures["mediawiki"] = [measure_mediawiki(n, tmp) for n in (small, medium)]

        # PostgreSQL, small and large.
        pg_small = Dataset(small, "postgres", tmp)
        datasets.append(pg_small)
        pg_small.create()
        if args.large_url:
            pg_large = Dataset.existing(large, args.large_url)
        else:
            pg_large = Dataset(large, "postgres", tmp)
            datasets.append(pg_large)
            pg_large.create()
        figures["import_postgres"] = {
            n: {"seconds": ds.import_seconds, "rate": n / ds.import_seconds,
                "peak_rss_mib": ds.import_rss, "reused": ds.reused}
            for n, ds in ((small, pg_small), (large, pg_large))
        }

        # Queries per page at both sizes.
        counts = {}
        for ds in (pg_small, pg_large):
            out = subprocess.run(
                [str(PYTHON), "bench/queries.py"], cwd=ROOT, env=ds.env,
                capture_output=True, text=True, check=True,
            ).stdout
            counts[ds.n] = json.loads(out)
        figures["queries"] = counts

        if not args.skip_issue14:
            from bench.issue14 import run_all

            figures["issue14"] = run_all(
                [(pg_small.n, pg_small.url, pg_small.env), (pg_large.n, pg_large.url, pg_large.env)],
                PARTS, duration=args.issue14_duration, rounds=args.issue14_rounds,
            )
        if not args.skip_search:
            log(f"search on PostgreSQL at {pg_large.n:,} and SQLite at {sqlite_medium.n:,}")
            subprocess.run(
                [str(PYTHON), "bench/search_bench.py", "--database-url", pg_large.url,
                 "--database-url", sqlite_medium.url,
                 "--out", str(PARTS / "search.md"), "--json", str(PARTS / "search.json")],
                cwd=ROOT, env=pg_large.env, check=True,
            )
        if not args.skip_http:
            log("article page over HTTP")
            subprocess.run(
                [str(PYTHON), "bench/http_bench.py", "--database-url", pg_large.url,
                 "--out", str(PARTS / "http.md"), "--json", str(PARTS / "http.json"),
                 "--duration", str(args.http_duration), "--rounds", str(args.http_rounds),
                 "--rss-requests", str(args.http_rss_requests)],
                cwd=ROOT, env=pg_large.env, check=True,
            )
    finally:
        if not args.keep:
            for ds in datasets:
                ds.drop()
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"kept {tmp} and databases {[d.url for d in datasets]}")
    figures["finished"] = time.strftime("%Y-%m-%d %H:%M")
    (PARTS / "run.json").write_text(json.dumps(figures, indent=2, default=str))
    from bench.report import write_report

    write_report(figures, RESULTS, PARTS)
    log(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
