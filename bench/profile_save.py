"""A pyinstrument profile of the admin save of one article, in one process:
the change form's POST (as a browser sends it, read back from the GET of
the page by load_editors.FormParser) with one paragraph of the lead
changed, through Django's test client, production settings. Run with
DATABASE_URL (and REDIS_URL) of a prepared database; prints the timings and
the profile.

    .venv/bin/python bench/profile_save.py ARTICLE_ID [--saves 10] [--get]

--get profiles the GET of the change form instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from editor import change_lead  # noqa: E402
from load_editors import FormParser  # noqa: E402


def form_fields(client: Client, url: str) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = FormParser()
    parser.feed(response.content.decode())
    return parser.fields


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", type=int)
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--get", action="store_true")
    args = parser.parse_args()
    user = get_user_model().objects.filter(is_staff=True, is_superuser=False).first()
    if user is None:
        sys.exit("no staff account: bench/editor.py create_staff makes one")
    client = Client()
    client.force_login(user)
    url = f"/admin/articles/article/{args.article}/change/"
    profiler = Profiler(interval=0.0005)
    walls, queries = [], []
    for number in range(args.saves + 1):
        fields = form_fields(client, url) if not args.get else None
        if fields is not None:
            change_lead(fields)
            fields.append(("_save", "Save"))
            data: dict = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
        measured = number > 0  # the first one warms up
        if measured:
            profiler.start()
        started = time.perf_counter()
        counted: list[int] = []
        with connection.execute_wrapper(lambda execute, *a: counted.append(1) or execute(*a)):
            if args.get:
                response = client.get(url)
                assert response.status_code == 200, response.status_code
            else:
                response = client.post(url, data)
                assert response.status_code == 302, response.content[-2000:]
        if measured:
            profiler.stop()
            walls.append((time.perf_counter() - started) * 1000)
            queries.append(len(counted))
    walls.sort()
    what = "GET of the change form" if args.get else "POST of the change form (a save)"
    print(f"TIMING {what}: p50 {walls[len(walls) // 2]:.0f} ms, min {walls[0]:.0f} ms, "
          f"{queries[len(queries) // 2]} queries, {args.saves} requests")
    print(profiler.output_text(unicode=False, color=False, show_all=False))
    # The admin's own frames are hidden above (library code): where the time
    # goes function by function, its own time, library code included.
    print("Functions by their own time (flat):")
    print("\n".join(profiler.output_text(unicode=False, color=False, flat=True)
                    .splitlines()[:45]))


if __name__ == "__main__":
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        main()
