#!/usr/bin/env python3
"""Readers' load: gunicorn with production settings, wrk with 64 connections
for 30 s over article, search and index pages. 127.0.0.1 only.

    .venv/bin/python bench/load_readers.py [--duration 30] [--connections 64]
        [--articles 300] [--engine postgres|sqlite]

Prepares a throwaway database (migrate, setup_site, synthetic articles
imported with import_articles, collectstatic into a temporary folder),
starts gunicorn on a free port, checks every URL answers 200, runs wrk, prints
requests/s, latency p50/p99 and the count of responses that were not
2xx/3xx, and stops gunicorn and drops the database. Needs Debian's wrk
(apt-get install -y wrk).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Site, log, machine  # noqa: E402

LUA = r"""
-- Rotates over the paths; each wrk thread has its own copy and counter.
local paths = {PATHS}
local i = 0
local statuses = {}

request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f, "non_2xx_3xx": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"""


def paths(articles: int) -> list[str]:
    wiki = ["/wiki/russians-in-afghanistan/"] + [
        f"/wiki/group{n}-in-country{n % 40}/" for n in range(0, articles, max(articles // 40, 1))
    ]
    search = [f"/search/?q={q}" for q in
              ["Russians", "Afghanistan", "Group12", "culture", "Country7", "football", "Kabul",
               "nothing-matches-this"]]
    index = ["/", "/articles/", "/articles/?letter=G", "/articles/?letter=R",
             "/articles/?letter=G&page=2"]
    # Articles weigh most, as for real readers: about 72% article pages,
    # 19% searches, 9% lists.
    return wiki * 3 + search * 4 + index * 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()

    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk is not installed. Install Debian's wrk:  apt-get install -y wrk",
              file=sys.stderr)
        return 2

    log(machine())
    with Site(articles=args.articles, engine=args.engine) as site:
        base = site.start(args.workers)
        try:
            urls = paths(args.articles)
            # Every page exists and renders before the load starts (and warms up).
            bad = []
            for path in sorted(set(urls)):
                try:
                    with urllib.request.urlopen(base + path, timeout=30) as response:
                        status = response.status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                if status != 200:
                    bad.append((path, status))
            if bad:
                log(f"pages that do not answer 200: {bad}\n{site.gunicorn_log()}")
                return 1
            script = site.tmp / "rotate.lua"
            script.write_text(LUA.replace("{PATHS}", "{" + ", ".join(json.dumps(p) for p in urls)
                                          + "}"))
            log(f"wrk: {args.connections} connections, {args.threads} threads, "
                f"{args.duration} s over {len(set(urls))} URLs")
            result = subprocess.run(
                [wrk, "-t", str(args.threads), "-c", str(args.connections),
                 "-d", f"{args.duration}s", "--timeout", "10s", "--latency", "-s", str(script),
                 base],
                capture_output=True, text=True,
            )
            print(result.stdout)
            if result.returncode != 0:
                print(result.stderr, file=sys.stderr)
                return 1
        finally:
            site.stop()
        errors = site.gunicorn_log()
    line = next(l for l in result.stdout.splitlines() if l.startswith("WRKJSON "))
    data = json.loads(line[len("WRKJSON "):])
    rps = data["requests"] / (data["duration_us"] / 1e6)
    print(
        f"RESULT readers: {rps:.1f} requests/s, {data['requests']} requests in "
        f"{data['duration_us'] / 1e6:.1f} s; latency p50 {data['p50_us'] / 1000:.1f} ms, "
        f"p90 {data['p90_us'] / 1000:.1f} ms, p99 {data['p99_us'] / 1000:.1f} ms, "
        f"max {data['max_us'] / 1000:.1f} ms; non-2xx/3xx {data['non_2xx_3xx']}; socket errors "
        f"connect {data['connect_errors']} read {data['read_errors']} write "
        f"{data['write_errors']} timeout {data['timeouts']}"
    )
    if "Traceback" in errors or "ERROR" in errors:
        print("gunicorn logged errors:\n" + errors, file=sys.stderr)
    ok = data["non_2xx_3xx"] == 0 and data["timeouts"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
