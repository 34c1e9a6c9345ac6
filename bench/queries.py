"""SQL queries per public page, uncached, as JSON on standard output. Run
with DATABASE_URL pointing at a prepared database (bench/run.py does).

The article page is counted three ways (issue 14): from its stored render
with the page cache off (what a reader costs when the page cache misses:
one request first, so that the render is stored, then the one counted), for
a signed-in staff editor the same way, and when its stored render is out of
date (the page cache cleared: the first read after a change renders it).
Every other page: the page cache cleared, then one anonymous request."""

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


def counted(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")
    return len(queries)


def staff_client() -> Client:
    """A client signed in as a staff editor (not a superuser), made here."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user, _ = get_user_model().objects.get_or_create(
        username="bench-queries-editor", defaults={"is_staff": True})
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label__in=["articles", "people"]))
    client = Client()
    client.force_login(user)
    return client


def count_queries() -> None:
    middle = Article.objects.order_by("pk")[Article.objects.count() // 2]
    url = middle.get_absolute_url()
    counts = {}
    with override_settings(PAGE_CACHE=False):
        for name, client in (("article (stored render)", Client()),
                             ("article, signed-in editor", staff_client())):
            client.get(url)  # the render stored, if it was not
            counts[name] = {"url": url, "queries": counted(client, url)}
    pages = {
        "article, stored render out of date": url,
        "home": "/",
        "index": f"/articles/?letter={middle.title[0]}",
        "index, page 3": f"/articles/?letter={middle.title[0]}&page=3",
        "tag (every article)": "/tags/diaspora/",
        "tag, page 20": "/tags/diaspora/?page=20",
        "search, one word": "/search/?q=community",
        "search, two words": "/search/?q=railway+festival",
    }
    client = Client()
    for name, address in pages.items():
        cache.clear()
        counts[name] = {"url": address, "queries": counted(client, address)}
    counts["articles"] = Article.objects.count()
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
