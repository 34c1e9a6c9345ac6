"""SQL queries per public page, uncached, as JSON on standard output. Run
with DATABASE_URL pointing at a prepared database (bench/run.py does)."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")

import django

django.setup()

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from articles.models import Article


def main() -> None:
    # Counting queries needs no collected static files: plain static URLs.
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        count_queries()


def count_queries() -> None:
    middle = Article.objects.order_by("pk")[Article.objects.count() // 2]
    pages = {
        "article": middle.get_absolute_url(),
        "home": "/",
        "index": f"/articles/?letter={middle.title[0]}",
        "index, page 3": f"/articles/?letter={middle.title[0]}&page=3",
        "tag (every article)": "/tags/diaspora/",
        "tag, page 20": "/tags/diaspora/?page=20",
        "search, one word": "/search/?q=community",
        "search, two words": "/search/?q=railway+festival",
    }
    client = Client()
    counts = {}
    for name, url in pages.items():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        counts[name] = {"url": url, "queries": len(queries)}
    counts["articles"] = Article.objects.count()
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
