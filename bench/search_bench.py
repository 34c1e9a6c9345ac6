"""Search latency: the whole /search/?q= page, measured in-process.

    .venv/bin/python bench/search_bench.py --database-url URL \\
        [--database-url URL2 ...] --out bench/results/search.md \\
        --json bench/results/search.json

Runs against already-prepared databases (articles imported, migrated); it
writes nothing to them. For each database (one child process each, with
production settings: DEBUG off, page cache off):

* picks the queries from the data, deterministically: a sample of the
  published articles' search documents (evenly spread over the ids) gives
  document frequencies; single-word queries are common words (in most
  documents), rare words (in one sampled document) and names (people's
  first or last names, place names); two-word queries are pairs of common
  words that follow each other in a document, a common and a rare word of
  the same document, and people's full names (or two-word place names);
* warms up (every query once, counting its SQL queries);
* times every query ROUNDS times (at least MIN_REQUESTS requests per
  kind), in rounds, with Django's test Client in
  the same process: the time of ``client.get("/search/?q=...")`` is the
  server-side work of the whole page: URL routing, middleware, the view
  with its SQL queries (people, places, the capped count of articles and
  the page of 20 articles with ranks and headlines) and the template;
* reports median, p90 and p99 per kind (and per kind of word), against the
  target (median < 50 ms and p99 < 200 ms), and, when a target is missed,
  the EXPLAIN ANALYZE (PostgreSQL) or the query plan (SQLite) of the
  slowest SQL query of the slowest request.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_GROUP = 17  # queries per kind of word: about 50 per kind of query
ROUNDS = 5  # timed requests per query, and at least MIN_REQUESTS per kind
MIN_REQUESTS = 200
SAMPLE = 600  # articles whose documents give the vocabulary
TARGET_MEDIAN_MS = 50.0
TARGET_P99_MS = 200.0
STOP = set(
    "the a an of in and to with from by after before since which who their there "
    "are is was were be been many see also this that for on at as or not it its "
    "estimated est".split()
)
WORD = re.compile(r"[^\W\d_]{3,}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# Child: one database -----------------------------------------------------------


def _setup(database_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="encyclopedia.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_PAGE_CACHE="0",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # No collected static files here: URLs of the app's files as they are
    # (a manifest lookup is a dict lookup; the page's work is the same).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _pick(items: list[str], count: int) -> list[str]:
    """``count`` of ``items`` spread evenly over the list (deterministic)."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def choose_queries() -> dict[str, list[tuple[str, str]]]:
    """{"single": [(group, query)], "two": [...]}, from the data."""
    from articles.models import Article
    from people.models import Person, Place

    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    sample_ids = _pick(ids, SAMPLE)
    documents = list(
        Article.objects.filter(pk__in=sample_ids)
        .order_by("pk")
        .values_list("search_document", flat=True)
    )
    tokens = [[w.lower() for w in WORD.findall(doc)] for doc in documents]
    frequency = Counter(w for doc in tokens for w in set(doc) if w not in STOP)
    by_frequency = sorted(frequency, key=lambda w: (-frequency[w], w))
    common = [w for w in by_frequency if frequency[w] >= 0.5 * len(documents)]
    common = _pick(common or by_frequency[:PER_GROUP], PER_GROUP)
    rare = sorted(w for w in frequency if frequency[w] == 1 and len(w) >= 5)
    rare = _pick(rare, PER_GROUP)

    people = list(Person.objects.order_by("pk").values_list("name", flat=True)[:5000])
    places = list(Place.objects.order_by("pk").values_list("name", flat=True)[:5000])
    name_words = sorted({w for name in people + places for w in name.split() if len(w) >= 3})
    if not name_words:  # no people or places: capitalised, uncommon words
        name_words = sorted({
            w for doc in documents for w in WORD.findall(doc)
            if w[0].isupper() and w.lower() not in STOP and frequency.get(w.lower(), 0) < 20
        })
    names = _pick(name_words, PER_GROUP - 1)

    common_pairs, mixed_pairs = [], []
    for doc in tokens:
        words = [w for w in doc if w not in STOP]
        for a, b in zip(words, words[1:]):
            if a != b and a in common and b in common and len(common_pairs) < 400:
                common_pairs.append(f"{a} {b}")
        rare_here = sorted(w for w in set(words) if frequency.get(w) == 1 and len(w) >= 5)
        common_here = sorted(w for w in set(words) if w in common)
        if rare_here and common_here:
            mixed_pairs.append(f"{common_here[len(mixed_pairs) % len(common_here)]} {rare_here[0]}")
    full_names = sorted(n for n in people + places if len(n.split()) == 2)
    if not full_names:
        name_set = set(name_words)
        full_names = sorted({
            f"{a} {b}" for doc in documents
            for a, b in zip(WORD.findall(doc), WORD.findall(doc)[1:])
            if a[0].isupper() and a.lower() not in STOP and b in name_set
        })
    return {
        "single": [("common", q) for q in common]
        + [("rare", q) for q in rare]
        + [("name", q) for q in names],
        "two": [("common", q) for q in _pick(sorted(set(common_pairs)), PER_GROUP)]
        + [("common+rare", q) for q in _pick(mixed_pairs, PER_GROUP)]
        + [("name", q) for q in _pick(full_names, PER_GROUP - 1)],
    }


def _explain(sql: str, vendor: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def run_child(database_url: str, rounds: int) -> dict:
    _setup(database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    client = Client()
    published = Article.objects.published().count()
    queries = choose_queries()
    result = {
        "database": connection.vendor,
        "articles": published,
        "method": "django.test.Client in-process, production settings, page cache off",
        "kinds": {},
    }
    for kind, items in queries.items():
        counts, slowest = set(), (0.0, "", [])
        for _, q in items:  # warm-up, counting the SQL queries
            with CaptureQueriesContext(connection) as ctx:
                response = client.get("/search/", {"q": q})
            assert response.status_code == 200, (q, response.status_code)
            counts.add(len(ctx.captured_queries))
        times: list[float] = []
        by_group: dict[str, list[float]] = {}
        for _ in range(max(rounds, -(-MIN_REQUESTS // len(items)))):
            for group, q in items:
                start = time.perf_counter()
                response = client.get("/search/", {"q": q})
                elapsed = (time.perf_counter() - start) * 1000
                assert response.status_code == 200
                times.append(elapsed)
                by_group.setdefault(group, []).append(elapsed)
                if elapsed > slowest[0]:
                    slowest = (elapsed, q, [])
        # The slowest request again, with its SQL queries timed.
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            client.get("/search/", {"q": slowest[1]})
            again = (time.perf_counter() - start) * 1000
        sql = [(float(c["time"]) * 1000, c["sql"]) for c in ctx.captured_queries]
        median, p90, p99 = (percentile(times, p) for p in (50, 90, 99))
        met = median < TARGET_MEDIAN_MS and p99 < TARGET_P99_MS
        entry = {
            "queries": [q for _, q in items],
            "groups": {g: [q for gg, q in items if gg == g] for g in dict(items)},
            "requests": len(times),
            "median_ms": median,
            "p90_ms": p90,
            "p99_ms": p99,
            "max_ms": max(times),
            "by_group": {
                g: {"requests": len(v), "median_ms": percentile(v, 50), "p99_ms": percentile(v, 99)}
                for g, v in by_group.items()
            },
            "sql_queries_per_request": sorted(counts),
            "target": f"median < {TARGET_MEDIAN_MS:g} ms, p99 < {TARGET_P99_MS:g} ms",
            "met": met,
            "slowest": {
                "query": slowest[1],
                "ms": slowest[0],
                "again_ms": again,
                "sql_ms": [round(t, 1) for t, _ in sql],
            },
        }
        if not met and sql:
            worst = max(sql)[1]
            entry["slowest"]["sql"] = worst
            entry["slowest"]["plan"] = _explain(worst, connection.vendor)
        result["kinds"][kind] = entry
    return result


# Parent: the report --------------------------------------------------------------


def markdown(results: list[dict]) -> str:
    lines = [
        "## Search",
        "",
        "| N | database | kind | median | p90 | p99 | queries per request | target | met? |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for kind, e in r["kinds"].items():
            counts = "/".join(str(c) for c in e["sql_queries_per_request"])
            lines.append(
                f"| {r['articles']:,} | {r['database']} | {kind}-word "
                f"({e['requests']} requests) | {e['median_ms']:.1f} ms | {e['p90_ms']:.1f} ms "
                f"| {e['p99_ms']:.1f} ms | {counts} | {e['target']} "
                f"| {'yes' if e['met'] else 'NO'} |"
            )
    lines += ["", "By kind of word (median / p99):", ""]
    for r in results:
        for kind, e in r["kinds"].items():
            parts = ", ".join(
                f"{g} {v['median_ms']:.1f} / {v['p99_ms']:.1f} ms"
                for g, v in e["by_group"].items()
            )
            lines.append(f"* {r['articles']:,} {r['database']}, {kind}-word: {parts}")
    lines += [
        "",
        "Method: each database is measured in its own process with production "
        "settings (DEBUG off, page cache off; static file URLs without a collected manifest). The time is that of "
        "`django.test.Client().get('/search/?q=...')` in-process against the "
        "real database: the server-side work of the whole page (middleware, the "
        "view's SQL queries and the template), without HTTP and gunicorn. "
        "Queries come from the data, deterministically: document frequencies of "
        f"{SAMPLE} published articles spread over the ids give common words (in "
        "at least half the sampled documents), rare words (in one) and names "
        "(people and places, or capitalised words); two-word queries are "
        "adjacent common words, a common and a rare word of one document, and "
        f"full names. Every query is requested once to warm up (counting its "
        f"SQL queries), then {ROUNDS} times (or more, to make at least "
        f"{MIN_REQUESTS} timed requests per kind) in rounds.",
        "",
        "Queries (first of each kind): "
        + "; ".join(
            f"{r['articles']:,} {r['database']} {kind}: "
            + ", ".join(f"`{q}`" for q in e["queries"][::8])
            for r in results
            for kind, e in r["kinds"].items()
        ),
    ]
    for r in results:
        for kind, e in r["kinds"].items():
            s = e["slowest"]
            lines += [
                "",
                f"Slowest {r['articles']:,} {r['database']} {kind}-word request: `{s['query']}` "
                f"{s['ms']:.1f} ms (again: {s['again_ms']:.1f} ms; its SQL queries: "
                + ", ".join(f"{t} ms" for t in s["sql_ms"])
                + ").",
            ]
            if "plan" in s:
                lines += ["", "```", s["sql"], "", s["plan"], "```"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", action="append", required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.database_url[0], args.rounds)))
        return
    results = []
    for url in args.database_url:
        print(f"[search-bench] {url.split('@')[-1]}", file=sys.stderr, flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--database-url", url,
             "--rounds", str(args.rounds)],
            check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        results.append(json.loads(out.stdout))
    text = markdown(results)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
