"""The site under gunicorn with production settings, requested as a browser
requests it: percent-encoded URLs in every script, with the page cache and
without, anonymous and signed in; and the default cache kept right across
gunicorn's worker processes and manage.py commands.

The test client never goes through the WSGI layer (PEP 3333 hands the path
over as Latin-1 bytes in a str), so only a real server shows these."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from tests.servers import Site, form_fields

pytestmark = pytest.mark.slow

TITLES = {
    "cyrillic": "Украинцы в Польше",
    "arabic-script": "تاجیک‌ها در ایران",  # with the zero-width non-joiner U+200C
    "cjk": "在日ブラジル人",
    "accented": "Café owners in Testland",
}
PLACE = "Варшава"


def article_text(title: str, lead: str) -> str:
    return (
        f"= {title} =\n\nInfobox\n- Group: {title}\n- Popplace: {PLACE}\n\n{lead}\n\n"
        "==History==\nText.\n"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    folder = tmp_path_factory.mktemp("real-server")
    site = Site.create(folder)
    files = folder / "articles"
    files.mkdir()
    for index, title in enumerate(TITLES.values()):
        (files / f"{index}.txt").write_text(article_text(title, f"Lead of {title}."), "utf-8")
    result = site.manage("import_articles", str(files))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module", params=["page-cache", "no-page-cache"])
def server(site, request):
    env = {} if request.param == "page-cache" else {"DJANGO_PAGE_CACHE": "0"}
    with site.serve(**env) as server:
        yield server


def links(page: str, prefix: str) -> dict[str, str]:
    """Link text -> href for the links under ``prefix`` on ``page``."""
    found = re.findall(rf'<a href="({prefix}[^"]*)"[^>]*>([^<]+)</a>', page)
    return {urllib.parse.unquote(href).strip("/").split("/")[-1]: href for href, _ in found} | {
        text: href for href, text in found
    }


def test_every_script_is_served_by_its_percent_encoded_url(server):
    """What a reader does: open the A-Z index, follow each title's link (the
    browser sends it percent-encoded), twice so that the second answer comes
    from the page cache when it is on."""
    browser = server.browser()
    index = browser.get("/articles/")
    assert index.status == 200
    hrefs = links(index.text, "/wiki/")
    for title in TITLES.values():
        href = hrefs[title]
        assert href.isascii() and "%" in href, href  # as sent on the wire
        for attempt in ("miss", "hit"):
            page = browser.get(href)
            assert page.status == 200, (title, attempt, page.body[:300])
            assert f"<h1>{title}</h1>" in page.text, (title, attempt)
            assert f"Lead of {title}." in page.text
    assert "UnicodeEncodeError" not in server.log
    assert "Internal Server Error" not in server.log


def test_a_place_named_in_cyrillic_is_served(server):
    browser = server.browser()
    article = browser.get(links(browser.get("/articles/").text, "/wiki/")[TITLES["cyrillic"]])
    place_href = links(article.text, "/places/")[PLACE]
    for _ in range(2):
        page = browser.get(place_href)
        assert page.status == 200
        assert PLACE in page.text
        assert TITLES["cyrillic"] in page.text  # the articles about it


def test_an_unknown_non_ascii_url_is_the_sites_404(server):
    browser = server.browser()
    for path in ("/%E2%80%8B", "/wiki/%D0%BD%D0%B5%D1%82/", "/places/%E5%9C%A8/"):
        for _ in range(2):
            page = browser.get(path)
            assert page.status == 404, path
            assert "<h1>Page not found</h1>" in page.text


def test_a_signed_in_editor_gets_the_same_pages_with_edit_links(site, server):
    browser = server.browser()
    browser.log_in("admin", site.admin_password)
    hrefs = links(browser.get("/articles/").text, "/wiki/")
    for title in TITLES.values():
        page = browser.get(hrefs[title])
        assert page.status == 200, title
        assert f"<h1>{title}</h1>" in page.text
        assert ">Edit</a>" in page.text


# The default cache, shared by gunicorn's workers and manage.py ----------------


SEED_URL = "/wiki/russians-in-afghanistan/"


def seed_leads(browser, count: int) -> list[bool]:
    return [browser.get(SEED_URL).text for _ in range(count)]


def test_an_admin_save_reaches_every_worker(site):
    """Two workers, no REDIS_URL: the default cache is shared, so after an
    admin save through one worker no reader gets the old page from either."""
    with site.serve(workers=2) as server:
        reader = server.browser()
        before = seed_leads(reader, 20)  # both workers now hold the page
        assert all("Soviet" in page for page in before)

        editor = server.browser()
        editor.log_in("admin", site.admin_password)
        change = editor.get("/admin/articles/article/?q=Russians+in+Afghanistan")
        change_url = re.search(r'href="(/admin/articles/article/\d+/change/)[^"]*"', change.text)
        form_page = editor.get(change_url.group(1))
        fields = form_fields(form_page.text, "article_form")
        marker = "Edited through gunicorn by the real-server test."
        fields = [(name, marker + "\r\n\r\n" + value if name == "lead" else value)
                  for name, value in fields]
        fields.append(("_continue", "Save and continue editing"))
        saved = editor.post(change_url.group(1), fields)
        assert saved.status == 302, saved.text[:2000]

        after = seed_leads(reader, 20)
        assert sum(marker in page for page in after) == 20


def test_an_import_from_another_process_reaches_the_server(site, tmp_path):
    """`manage.py import_articles` runs outside gunicorn: its write must make
    the server's stored pages stale all the same."""
    with site.serve(workers=2) as server:
        reader = server.browser()
        url = links(reader.get("/articles/").text, "/wiki/")[TITLES["cjk"]]
        assert all("Lead of" in reader.get(url).text for _ in range(10))

        path = tmp_path / "cjk.txt"
        path.write_text(article_text(TITLES["cjk"], "A lead written by a later import."), "utf-8")
        result = site.manage("import_articles", str(path))
        assert result.returncode == 0, result.stderr

        pages = [reader.get(url).text for _ in range(20)]
        assert sum("A lead written by a later import." in page for page in pages) == 20


def test_a_per_process_cache_is_reported_at_start_up(site):
    """A configuration that cannot be correct says so loudly: in `manage.py
    check` and in the server's log when gunicorn starts its workers."""
    settings = {"DJANGO_SETTINGS_MODULE": "tests.locmem_settings"}
    result = site.manage("check", **settings)
    assert "encyclopedia.W001" in result.stderr + result.stdout
    assert "private to each process" in result.stderr + result.stdout
    with site.serve(workers=1, **settings) as server:
        assert server.browser().get("/").status == 200
        assert "WARNING (encyclopedia.W001): The page cache is on" in server.log

    result = site.manage("check")  # the default (file cache) is right
    assert result.returncode == 0
    assert "W001" not in result.stderr + result.stdout
