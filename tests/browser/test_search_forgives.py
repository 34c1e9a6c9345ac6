"""Search that forgives, in a real browser: the results page for a typo
("Krasnoperv") and a page with no result at all, at phone and desktop
widths: no axe-core violations, exactly one search box and it holds the
query, "Did you mean" leading to the search that finds the article."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_pages import DESKTOP, PHONE, axe_report

_axe = Axe()
TYPO = "/search/?q=Krasnoperv"
NOTHING = "/search/?q=xqzvvj"
CYRILLIC = "/search/?q=%D0%9A%D1%80%D0%B0%D1%81%D0%BD%D0%BE%D0%BF%D0%B5%D1%80%D0%BE%D0%B2"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize(
    ("path", "query"), [(TYPO, "Krasnoperv"), (NOTHING, "xqzvvj"), (CYRILLIC, "Красноперов")]
)
def test_results_page_is_accessible_with_one_search_box_holding_the_query(
    open_page, screenshot_dir, path, query, width
):
    page = open_page(path, width=width)
    page.screenshot(path=screenshot_dir / f"search-forgives-{query}-{width}.png", full_page=True)
    violations = _axe.run(page).response["violations"]
    assert not violations, axe_report(violations)
    boxes = page.get_by_role("searchbox")
    expect(boxes).to_have_count(1)
    expect(boxes).to_have_value(query)
    expect(page.get_by_role("search")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Search results for “{query}”")


def test_did_you_mean_leads_to_the_article(open_page):
    page = open_page(TYPO, width=PHONE)
    people = page.get_by_role("region", name="People with a similar name")
    expect(people.get_by_role("link", name="Noor Mohammad")).to_be_visible()
    page.get_by_role("link", name="Krasnoperov", exact=True).click()
    expect(page.get_by_role("searchbox")).to_have_value("Krasnoperov")
    results = page.get_by_role("region", name="Articles")
    expect(results.get_by_role("link", name="Russians in Afghanistan")).to_be_visible()


def test_nothing_found_says_so_and_suggests_nothing(open_page):
    page = open_page(NOTHING, width=DESKTOP)
    expect(page.get_by_text("No articles match “xqzvvj”.")).to_be_visible()
    expect(page.get_by_text("Did you mean")).to_have_count(0)


def test_the_header_box_searches_from_the_results_page(open_page):
    page = open_page(NOTHING, width=DESKTOP)
    box = page.get_by_role("searchbox")
    box.fill("Jalalabd Kabol")
    box.press("Enter")
    page.wait_for_url("**/search/?q=Jalalabd+Kabol")
    expect(page.get_by_role("searchbox")).to_have_value("Jalalabd Kabol")
