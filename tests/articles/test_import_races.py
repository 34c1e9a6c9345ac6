"""Issue 10, item 13: an import never ends in a traceback. A host country
that cannot be a place ("Korea, South") imports without one; two imports
that make the same new place at once both succeed, with one place."""

import io
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from articles.models import Article, Language
from articles.services import articles_import
from articles.services.import_names import _get_or_create_named_many
from people.models import Place
from tests.articles.test_admin_import import confirm, page_text, preview

KOREA = b"= Russians in Korea, South =\n\nRussians live in South Korea.\n"


def test_command_imports_a_title_whose_host_country_has_a_comma(db, tmp_path):
    path = tmp_path / "korea.txt"
    path.write_bytes(KOREA)
    out = io.StringIO()
    call_command("import_articles", str(path), stdout=out)
    assert "Imported 1 article(s): 1 created, 0 updated." in out.getvalue()
    article = Article.objects.get(title="Russians in Korea, South")
    # The country is a real name, but no Place: a place name may not hold a
    # comma (Popplace lists are comma-separated).
    assert (article.origin_group, article.host_country) == ("Russians", None)
    assert not Place.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_admin_import_of_a_title_whose_host_country_has_a_comma(admin_client):
    response = preview(admin_client, ("korea.txt", KOREA))
    response = confirm(admin_client, response.context["token"])
    assert response.status_code == 200
    assert "Imported 1 article: 1 created, 0 updated." in page_text(response)
    assert Article.objects.get().host_country is None


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        # The view is a snapshot taken once per transaction: take a new one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def wait_until_blocked() -> None:
    """Until another connection waits on a lock (PostgreSQL), or a moment."""
    if connection.vendor != "postgresql":
        time.sleep(0.3)
        return
    for _ in range(200):
        if _lock_waiters():
            return
        time.sleep(0.05)
    raise AssertionError("the second import never waited on the first")


def test_imports_that_make_one_new_place_at_once_share_it(transactional_db):
    """The first import has made the place and not committed; the second
    finds no place, inserts it, and waits on the unique key. When the first
    commits, the second uses its place (before: IntegrityError)."""
    made, done = threading.Event(), threading.Event()
    errors: list = []

    def first() -> None:
        try:
            with transaction.atomic():
                _get_or_create_named_many(Place, ["Newland"], kind=Place.Kind.COUNTRY)
                _get_or_create_named_many(Language, ["Newlandish"])
                made.set()
                done.wait(30)
                wait_until_blocked()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            made.set()
        finally:
            connection.close()

    results: list = []

    def second() -> None:
        try:
            made.wait(30)
            done.set()
            results.extend(articles_import(sources=[(
                "n.txt",
                b"= Uzbeks in Newland =\n\nInfobox\n- Langs: Newlandish\n\nThe lead.\n",
            )]))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    [result] = results
    place = Place.objects.get()
    assert (place.name, result.article.host_country) == ("Newland", place)
    assert list(Language.objects.values_list("name", flat=True)) == ["Newlandish"]
    assert list(result.article.languages.values_list("name", flat=True)) == ["Newlandish"]
