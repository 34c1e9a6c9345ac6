"""Bad input never gives a 500 and never writes anything.

Malformed fixtures, oversized and non-UTF-8 uploads, overlong form fields,
odd slugs, unknown URLs and garbage query strings: each is refused with a
clear error (or a 404), and the database is as it was. Status codes are
asserted exactly. Runs on SQLite and PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError
from django.test import Client
from reversion.models import Revision, Version
from taggit.models import Tag, TaggedItem

from articles.admin.import_views import MAX_FILE_SIZE, MAX_TOTAL_SIZE, SESSION_PREFIX
from articles.models import Article, Language, PopulationFigure, Religion, Section
from people.models import Person, Place
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/articles/article/import/"
SEED_SLUG = "russians-in-afghanistan"

MODELS = [Article, Section, PopulationFigure, Language, Religion, Person, Place, Tag, TaggedItem,
          Revision, Version]


def snapshot() -> dict:
    """Every row of the tables bad input could touch."""
    return {
        model.__name__: sorted(map(repr, model.objects.order_by("pk").values_list()))
        for model in MODELS
    }


@pytest.fixture
def site(seed_fixture):
    return seed_fixture


@pytest.fixture
def admin_client(site, admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


# --- fixtures for loaddata ----------------------------------------------------

VALID_PLACE = {"model": "people.place", "pk": 500,
               "fields": {"name": "Herat", "slug": "herat", "kind": "city"}}

BAD_FIXTURES = {
    # Django's message names the file only; the JSON error (with its line
    # and column) is the exception's __cause__.
    "malformed-json": ('[{"model": "people.place", "pk": 500, "fields": {"name": "Herat"', None),
    "not-a-list": ('{"model": "people.place"}', None),
    "unknown-model": (json.dumps([VALID_PLACE, {"model": "people.planet", "pk": 1, "fields": {}}]),
                      "people.planet"),
    "unknown-field": (json.dumps([VALID_PLACE, {"model": "people.place", "pk": 501,
                                                "fields": {"name": "Kandahar", "slug": "kandahar",
                                                           "altitude": 1010}}]),
                      "altitude"),
    "bad-value": (json.dumps([VALID_PLACE, {"model": "articles.populationfigure", "pk": 900,
                                            "fields": {"article": 1, "year": "last year",
                                                       "count": 5}}]),
                  "last year"),
    "missing-foreign-row": (json.dumps([VALID_PLACE, {"model": "articles.section", "pk": 900,
                                                      "fields": {"article": 98765,
                                                                 "heading": "H", "level": 2,
                                                                 "body": "", "body_html": "",
                                                                 "position": 0}}]),
                            None),
    "unknown-natural-key": (json.dumps([VALID_PLACE, {
        "model": "taggit.taggeditem", "pk": 900,
        "fields": {"tag": ["No such tag"], "content_type": ["articles", "article"],
                   "object_id": 1}}]),
        None),
}


@pytest.mark.parametrize("name", BAD_FIXTURES)
def test_bad_fixture_raises_a_clear_error_and_writes_nothing(site, tmp_path, name):
    text, detail = BAD_FIXTURES[name]
    path = tmp_path / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    before = snapshot()
    with pytest.raises((CommandError, DeserializationError, IntegrityError)) as raised:
        call_command("loaddata", str(path), verbosity=0, stdout=StringIO())
    message = str(raised.value)
    if not isinstance(raised.value, IntegrityError):
        assert path.name in message, message
    if detail:
        assert detail in message, message
    if name == "malformed-json":
        cause = raised.value.__cause__
        assert isinstance(cause, json.JSONDecodeError) and cause.lineno == 1, repr(cause)
    assert snapshot() == before
    assert not Place.objects.filter(slug="herat").exists()


def test_fixture_that_does_not_exist_is_a_command_error(site):
    with pytest.raises(CommandError, match="No fixture named 'no-such-fixture'"):
        call_command("loaddata", "no-such-fixture", verbosity=0)


def test_fixture_that_is_not_utf8_is_refused_and_writes_nothing(site, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps([VALID_PLACE]).replace("Herat", "H\u00e9rat").encode("latin-1"))
    before = snapshot()
    with pytest.raises((DeserializationError, UnicodeDecodeError)) as raised:
        call_command("loaddata", str(path), verbosity=0)
    if isinstance(raised.value, DeserializationError):
        assert path.name in str(raised.value)
    assert snapshot() == before


# --- uploads in the admin import -----------------------------------------------------


def upload(name: str, size: int) -> SimpleUploadedFile:
    head = b"= Big =\n\n"
    return SimpleUploadedFile(name, head + b"a" * (size - len(head)), content_type="text/plain")


def assert_nothing_imported(client: Client, before: dict) -> None:
    assert snapshot() == before
    assert not [key for key in client.session.keys() if key.startswith(SESSION_PREFIX)]


def test_a_file_over_the_size_limit_is_refused(admin_client):
    before = snapshot()
    response = admin_client.post(IMPORT_URL, {"files": [upload("big.txt", MAX_FILE_SIZE + 1)]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "big.txt is 1,048,577 bytes; files up to 1 MiB are accepted." in text
    assert_nothing_imported(admin_client, before)


def test_files_over_the_total_limit_are_refused(admin_client):
    before = snapshot()
    # Six files of at most 1 MiB each, 5,300,000 bytes in all (> 5 MiB).
    files = [upload(f"f{i}.txt", 1_000_000) for i in range(5)] + [upload("g.txt", 300_000)]
    assert sum(f.size for f in files) > MAX_TOTAL_SIZE
    response = admin_client.post(IMPORT_URL, {"files": files})
    assert response.status_code == 200
    assert "at most 5 MiB can be imported at once" in response.content.decode()
    assert_nothing_imported(admin_client, before)


def test_an_upload_far_over_the_limit_is_refused_unread(admin_client):
    before = snapshot()
    files = [upload(f"f{i}.txt", MAX_FILE_SIZE) for i in range(7)]
    response = admin_client.post(IMPORT_URL, {"files": files})
    assert response.status_code == 200
    text = response.content.decode()
    assert "at most 5 MiB can be imported at once. Nothing was imported." in text
    assert_nothing_imported(admin_client, before)


NOT_UTF8 = b"= Latin =\n\nFirst line.\n\nCaf\xe9 on line five.\n"


def test_an_upload_that_is_not_utf8_names_the_file_and_line(admin_client):
    before = snapshot()
    good = SimpleUploadedFile("good.txt", b"= Good =\n\nFine.\n")
    bad = SimpleUploadedFile("latin1.txt", NOT_UTF8)
    response = admin_client.post(IMPORT_URL, {"files": [good, bad]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was imported: latin1.txt:5: byte 0xe9 is not valid UTF-8" in text
    assert_nothing_imported(admin_client, before)


def test_import_command_refuses_a_file_that_is_not_utf8_with_its_line(site, tmp_path):
    (tmp_path / "a-good.txt").write_bytes(b"= Good =\n\nFine.\n")
    (tmp_path / "b-latin1.txt").write_bytes(NOT_UTF8)
    before = snapshot()
    with pytest.raises(CommandError, match=r"b-latin1\.txt:5: byte 0xe9 is not valid UTF-8"):
        call_command("import_articles", str(tmp_path), verbosity=0)
    assert snapshot() == before


# --- overlong fields in the change form -------------------------------------------------


@pytest.mark.parametrize("field", ["title", "slug", "group_name", "population_note"])
def test_overlong_field_in_the_change_form_is_a_form_error(admin_client, site, field):
    url = f"/admin/articles/article/{site.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data[field] = "x" * 300  # MAX_NAME_LENGTH is 255
    before = snapshot()
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert "at most 255 characters" in " ".join(errors[field])
    assert snapshot() == before


def test_overlong_section_heading_is_a_form_error(admin_client, site):
    url = f"/admin/articles/article/{site.pk}/change/"
    response = admin_client.get(url)
    data = change_form_data(response)
    from tests.admin_forms import add_inline_form

    add_inline_form(response, data, "sections", heading="H" * 300, level=2, position=0,
                    body="Text.")
    before = snapshot()
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "at most 255 characters" in response.content.decode()
    assert snapshot() == before


def test_overlong_title_in_the_add_form_is_a_form_error(admin_client):
    response = admin_client.get("/admin/articles/article/add/")
    data = change_form_data(response)
    data.update(title="T" * 300, slug="t", status="published")
    before = snapshot()
    response = admin_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors
    assert snapshot() == before


# --- odd URLs ------------------------------------------------------------------------

ODD_SLUGS = [
    "%00",
    "a%00b",
    "a%20b",
    "a b",
    "..%2f",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e",
    "%3Cscript%3E",
    "<script>",
    "%FF",
    "%C0%AF",
    "a" * 5000,
    "я" * 3000,
    "-",
    "_",
    "russians-in-afghanistan%0A",
    "russians-in-afghanistan.json",
    "%E2%80%AE",
    "%F0%9F%99%82",
]

DETAIL_PREFIXES = ["/wiki/", "/people/", "/places/", "/tags/", "/languages/", "/religions/",
                   "/api/articles/"]


@pytest.mark.parametrize("prefix", DETAIL_PREFIXES)
def test_odd_slugs_are_404_never_500(site, prefix):
    client = Client()
    for slug in ODD_SLUGS:
        response = client.get(f"{prefix}{slug}/")
        assert response.status_code == 404, (prefix, slug, response.status_code)
        response = client.head(f"{prefix}{slug}/")
        assert response.status_code == 404, (prefix, slug, response.status_code)


@pytest.mark.parametrize("slug", ["%00", "a%20b", "..%2f", "a" * 5000, "%3Cscript%3E", "-"])
def test_the_json_view_answers_odd_slugs_with_a_json_404(site, slug):
    response = Client().get(f"/api/articles/{slug}/")
    assert response.status_code == 404
    if response["Content-Type"].startswith("application/json"):
        assert response.json() == {"error": "No published article at this address."}


UNKNOWN_URLS = [
    "/nope/", "/wiki/", "/api/", "/api/articles/",
    "/wiki/russians-in-afghanistan/extra/", "/sitemap-nope.xml", "/sitemap-.xml",
    "/feed/extra/", "/robots.txt/x", "/%00", "/.env", "/wp-login.php", "/static/nope.css",
]


def test_unknown_urls_are_404(site):
    client = Client()
    for url in UNKNOWN_URLS:
        assert client.get(url).status_code == 404, url


def test_admin_urls_with_odd_ids_are_not_500(admin_client, site):
    for object_id in ["abc", "%00", "99999999999999999999", "-1", "1.5"]:
        response = admin_client.get(f"/admin/articles/article/{object_id}/change/")
        # The admin redirects to its index with a message for a missing object.
        assert response.status_code == 302, (object_id, response.status_code)
        response = admin_client.get(f"/admin/articles/article/{object_id}/history/compare/?a=x")
        assert response.status_code == 404, (object_id, response.status_code)


# --- garbage query strings ------------------------------------------------------------------

GARBAGE = [
    "page=abc", "page=-1", "page=0", "page=1.5", "page=99999999999999999999", "page=%00",
    "page=", "page=1&page=2", "letter=%3Cscript%3E", "letter=%00", "letter=ZZ", "letter=%23",
    "letter=a", "q=%00", "q=%3Cscript%3Ealert(1)%3C/script%3E", "q=" + "a" * 10000,
    "q=%27%22%5C", "q=%25%5F", "q=!%26|():*", "p=abc", "%ZZ=1", "&&&", "=",
]

# The home page is a ListView: a page number that is not one is a 404. The
# other lists use Paginator.get_page, which falls back to page 1 or the last.
HOME_404 = {"page=abc", "page=-1", "page=0", "page=1.5", "page=99999999999999999999",
            "page=%00", "page=1&page=2"}


def listing_urls(site) -> list[str]:
    return [
        "/",
        "/articles/",
        "/search/",
        "/search/?q=Russians",
        f"/tags/{Tag.objects.first().slug}/",
        f"/languages/{Language.objects.first().slug}/",
        f"/religions/{Religion.objects.first().slug}/",
        f"/places/{Place.objects.first().slug}/",
        f"/people/{Person.objects.first().slug}/",
        f"/wiki/{SEED_SLUG}/",
        f"/api/articles/{SEED_SLUG}/",
        "/feed/",
        "/robots.txt",
    ]


def expected_status(url: str, query: str) -> int:
    if url == "/" and query in HOME_404:
        return 404
    return 200


@pytest.mark.parametrize("query", GARBAGE)
def test_garbage_query_strings_give_200_or_404_never_500(site, query):
    client = Client()
    for url in listing_urls(site):
        full = f"{url}{'&' if '?' in url else '?'}{query}"
        response = client.get(full)
        assert response.status_code == expected_status(url, query), (full, response.status_code)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/sitemap-articles.xml?p=abc", 404),
        ("/sitemap-articles.xml?p=0", 404),
        ("/sitemap-articles.xml?p=99999999999999999999", 404),
        ("/sitemap-articles.xml?p=2", 404),
        ("/sitemap-articles.xml?p=1", 200),
        ("/sitemap.xml?p=abc", 200),
    ],
)
def test_sitemap_page_numbers(site, url, status):
    assert Client().get(url).status_code == status
