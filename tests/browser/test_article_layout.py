"""The article page's layout in a real browser: the infobox beside the text on
a desktop and at full width after the lead's first paragraph on a phone; the table of contents only for
articles with enough sections, and its links scroll to the heading."""

import pytest
from playwright.sync_api import expect

from articles.services import articles_import

ARTICLE_URL = "/wiki/russians-in-afghanistan/"
THREE_SECTIONS = (
    b"= Uzbeks in Russia =\n\nLead.\n\n"
    b"==History==\nA.\n\n==Culture==\nB.\n\n==Today==\nC.\n"
)


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return found


def test_infobox_is_beside_the_text_on_a_desktop(open_page):
    page = open_page(ARTICLE_URL, width=1280)
    column = box(page.locator("article.article"))
    infobox = box(page.locator("aside.infobox"))
    h1 = box(page.get_by_role("heading", level=1))
    assert infobox["x"] >= column["x"] + column["width"] / 2, (infobox, column)
    assert infobox["x"] + infobox["width"] <= column["x"] + column["width"] + 1, (infobox, column)
    h1_bottom = h1["y"] + h1["height"]
    assert h1_bottom - 1 <= infobox["y"] <= h1_bottom + 200, (infobox, h1)
    lead = box(page.locator(".lead p").first)
    assert lead["y"] < infobox["y"] + infobox["height"], "the lead should run beside the infobox"


def test_infobox_is_at_full_width_on_a_phone(open_page):
    page = open_page(ARTICLE_URL, width=390)
    column = box(page.locator("main"))
    content_width = page.locator("main").evaluate(
        "e => e.clientWidth - parseFloat(getComputedStyle(e).paddingLeft)"
        " - parseFloat(getComputedStyle(e).paddingRight)"
    )
    infobox = box(page.locator("aside.infobox"))
    assert infobox["width"] >= 0.9 * content_width, (infobox, column, content_width)
    # Issue 15: the lead's first paragraph comes before the infobox on a
    # phone (tests/browser/test_reading_layout.py); the rest follows it.
    lead = box(page.locator(".lead p").nth(1))
    assert lead["y"] >= infobox["y"] + infobox["height"], (lead, infobox)


def test_no_table_of_contents_for_the_seed(open_page):
    page = open_page(ARTICLE_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Russians in Afghanistan")
    expect(page.locator("nav.toc")).to_have_count(0)


@pytest.fixture
def three_sections(site):
    articles_import(sources=[("x.txt", THREE_SECTIONS)])
    return "/wiki/uzbeks-in-russia/"


@pytest.mark.parametrize("width", [390, 1280])
def test_table_of_contents_links_scroll_to_their_heading(open_page, three_sections, width):
    # A short window, so that the last sections start below the fold.
    page = open_page(three_sections, width=width, height=420)
    toc = page.get_by_role("navigation", name="Contents")
    expect(toc).to_be_visible()
    hrefs = toc.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["#history", "#culture", "#today"]

    heading = page.locator("h2#culture")
    assert not in_viewport(page, heading), "the test needs Culture below the fold before the click"
    toc.get_by_role("link", name="Culture", exact=True).click()
    page.wait_for_function("location.hash === '#culture'")
    page.wait_for_function(
        "() => { const r = document.getElementById('culture').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    assert in_viewport(page, heading)


def in_viewport(page, locator) -> bool:
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
