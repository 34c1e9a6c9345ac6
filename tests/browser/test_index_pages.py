"""The index pages, What links here, the page information block and the
Wikipedia-style addresses in a real browser (Debian's Chromium): axe-core
finds nothing in light or dark at phone and desktop widths, a reader sees
the entries and counts, follows the footer's links, and lands on the
article from /wiki/Title_with_underscores (Latin, Cyrillic, Arabic) and
/random/."""

from __future__ import annotations

import urllib.parse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import goto_ok
from tests.browser.test_pages import axe_report
from tests.factories import ArticleFactory, SeeAlsoFactory

PAGES = {
    "people-index": "/people/",
    "places-index": "/places/",
    "languages-index": "/languages/",
    "religions-index": "/religions/",
    "tags-index": "/tags/",
    "links-here": "/wiki/russians-in-afghanistan/links/",
}
PHONE, DESKTOP = 390, 1280
CYRILLIC = "Русские в Таджикистане"
ARABIC = "الروس في أفغانستان"
_axe = Axe()


@pytest.fixture
def linked(site):
    """The seed, with articles in three scripts linking to it."""
    ArticleFactory(title=CYRILLIC, slug="русские-в-таджикистане",
                   lead="См. [[Russians in Afghanistan]].")
    SeeAlsoFactory(article=ArticleFactory(title=ARABIC, slug="الروس-في-أفغانستان", lead="نص."),
                   target_title="Russians in Afghanistan")
    return site


@pytest.fixture
def reader(fresh_page, linked):
    def _open(path: str, *, width: int = DESKTOP, dark: bool = False):
        return goto_ok(fresh_page(width, dark=dark), linked + path)

    return _open


@pytest.mark.parametrize("name", PAGES)
def test_index_pages_have_no_axe_violations_light_or_dark(reader, screenshot_dir, name):
    reports = []
    for dark in (False, True):
        for width in (PHONE, DESKTOP):
            page = reader(PAGES[name], width=width, dark=dark)
            page.screenshot(path=screenshot_dir / f"{name}-{width}{'-dark' if dark else ''}.png",
                            full_page=True)
            violations = _axe.run(page).response["violations"]
            if violations:
                scheme = "dark" if dark else "light"
                reports.append(f"{scheme} at {width}px: {axe_report(violations)}")
            width_used = page.evaluate("document.documentElement.scrollWidth")
            assert width_used <= width, f"{name} scrolls sideways at {width}px"
    assert not reports, "\n".join(reports)


def test_a_reader_finds_the_indexes_in_the_footer_and_sees_the_counts(reader):
    page = reader("/wiki/russians-in-afghanistan/", width=PHONE)
    page.get_by_role("navigation", name="Browse the encyclopedia").get_by_role(
        "link", name="People").click()
    expect(page).to_have_url(f"{page.url.split('/people/')[0]}/people/")
    expect(page.get_by_role("listitem").filter(has_text="Noor Mohammad")).to_contain_text(
        "(1 article)")
    page.get_by_role("link", name="Places", exact=True).click()
    afghanistan = page.get_by_role("region", name="Afghanistan")
    expect(afghanistan.get_by_role("heading", level=2)).to_have_text("Afghanistan")
    expect(afghanistan.get_by_role("listitem").filter(has_text="Chaghcharan")).to_have_text(
        "Chaghcharan in Ghor Province, Afghanistan (1 article)")
    page.get_by_role("link", name="Languages").click()
    expect(page.get_by_role("listitem").filter(has_text="Dari")).to_have_text("Dari (1 article)")


def test_the_article_ends_with_page_information_and_what_links_here(reader):
    page = reader("/wiki/russians-in-afghanistan/")
    block = page.get_by_role("region", name="Page information")
    expect(block).to_contain_text("Revisions")
    expect(block).to_contain_text("Last edited")
    block.get_by_role("link", name="What links here").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What links here")
    items = page.locator("main li")
    # By title, as the database orders them (Cyrillic before Arabic script).
    expect(items).to_have_text([f"{CYRILLIC} (link)", f"{ARABIC} (See also)"])


@pytest.mark.parametrize("address, title", [
    ("Russians_in_Afghanistan", "Russians in Afghanistan"),
    ("russians in AFGHANISTAN", "Russians in Afghanistan"),
    ("РУССКИЕ_в_Таджикистане", CYRILLIC),
    ("الروس_في_أفغانستان", ARABIC),
])
def test_a_wikipedia_style_address_lands_on_the_article(reader, address, title):
    page = reader("/wiki/" + urllib.parse.quote(address))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert urllib.parse.unquote(page.url).endswith("/")
    assert "_" not in urllib.parse.unquote(page.url)


def test_random_lands_on_a_published_article(reader):
    page = reader("/random/")
    assert "/wiki/" in page.url
    assert page.locator("h1").inner_text() in {"Russians in Afghanistan", CYRILLIC, ARABIC}
    expect(page.get_by_role("region", name="Page information")).to_be_visible()
