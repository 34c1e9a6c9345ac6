"""Citations in a real browser (issue 12): the numbered superscripts and the
References list, the reference preview on hover, on keyboard focus and on
touch (static/js/reference-preview.js), the plain jump to the entry without
JavaScript, and no axe-core violations on the article and source pages,
popup open or not."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.services import articles_import
from tests.articles.test_citations_render import EXAMPLE
from tests.browser.test_pages import axe_report

URL = "/wiki/russians-in-tajikistan/"
SMITH_URL = "/sources/the-railway-and-the-steppe/"
PHONE, DESKTOP = 390, 1280
_axe = Axe()


@pytest.fixture
def cited(site):
    articles_import(sources=[("tajikistan.txt", EXAMPLE.encode())])
    return site


def marker(page, key: str, index: int):
    return page.locator(f"sup#cite-ref-{key}-{index} a")


def test_superscripts_number_the_references_in_order_of_first_use(open_page, cited):
    page = open_page(URL)
    infobox = page.locator("aside.infobox tr").filter(has=page.get_by_role("rowheader", name="Population"))
    expect(infobox.locator("td")).to_have_text("34,000 (2010 census)[1]")
    expect(page.locator(".lead p")).to_have_text(
        "Russians live mostly in Dushanbe.[1] The first settlers came with the railway.[2]:\u200ap. 42"
    )
    expect(marker(page, "rferl", 0)).to_have_text("[3]")
    expect(page.locator(".citation-needed")).to_have_text("[citation needed]")
    references = page.locator("section.references ol.references > li")
    expect(references).to_have_count(3)
    expect(references.nth(1)).to_contain_text("John Smith; Jane Doe (1998). The Railway and the Steppe.")
    expect(page.locator("ul.references-general > li")).to_contain_text("Migration from Central Asia")


def test_the_preview_speaks_the_interfaces_language(open_page, cited):
    # The English article in the Russian interface: the popup's own words
    # are Russian (the script tag's data-label-*) and marked so; the
    # reference's text stays the article's.
    page = open_page("/ru" + URL)
    marker(page, "smith", 0).hover()
    popup = page.locator("#reference-preview")
    expect(popup).to_have_attribute("lang", "en")
    heading = popup.locator(".reference-preview-heading")
    expect(heading).to_have_text("Источник 2 (p. 42)")
    expect(heading).to_have_attribute("lang", "ru")
    expect(popup.locator(".reference-preview-jump")).to_have_text("Перейти к источнику")
    expect(popup).to_contain_text("John Smith; Jane Doe (1998). The Railway and the Steppe.")


def test_hovering_a_superscript_previews_its_reference(open_page, cited):
    page = open_page(URL)
    popup = page.locator("#reference-preview")
    expect(popup).to_be_hidden()
    marker(page, "smith", 0).hover()
    expect(popup).to_be_visible()
    expect(popup.locator(".reference-preview-heading")).to_have_text("Reference 2 (p. 42)")
    expect(popup).to_contain_text("John Smith; Jane Doe (1998). The Railway and the Steppe. Example Press.")
    expect(popup).to_have_attribute("role", "tooltip")
    expect(marker(page, "smith", 0)).to_have_attribute("aria-describedby", "reference-preview")
    # The pointer may move onto the popup (its links work) ...
    popup.locator(".reference-preview-jump").hover()
    page.wait_for_timeout(500)
    expect(popup).to_be_visible()
    # ... and away: the popup goes.
    page.locator("h1").hover()
    expect(popup).to_be_hidden()
    expect(marker(page, "smith", 0)).not_to_have_attribute("aria-describedby", "reference-preview")
    # Another superscript shows its own reference.
    marker(page, "rferl", 0).hover()
    expect(popup).to_contain_text("Tajikistan's Russians")
    expect(popup).not_to_contain_text("The Railway")
    # No copy of an id: the page's ids stay unique.
    assert page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return ids.length === new Set(ids).size; }"
    )


def test_keyboard_focus_previews_and_escape_dismisses(open_page, cited):
    page = open_page(URL)
    popup = page.locator("#reference-preview")
    # The lead's first superscript (its first paragraph comes before the
    # infobox since issue 15's reading layout), then Tab to the next one.
    page.locator("sup#cite-ref-census2010-1 a").focus()
    expect(popup).to_contain_text("Population census of the Republic of Tajikistan 2010")
    expect(popup).to_contain_text("Retrieved 1 May 2023")
    page.keyboard.press("Tab")
    expect(marker(page, "smith", 0)).to_be_focused()
    expect(popup).to_contain_text("The Railway and the Steppe")
    page.keyboard.press("Escape")
    expect(popup).to_be_hidden()
    expect(marker(page, "smith", 0)).to_be_focused()
    # Enter follows the link to the entry, as without the script.
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{URL}#cite-note-smith")
    # Leaving the superscript hides the popup.
    marker(page, "rferl", 0).focus()
    expect(popup).to_be_visible()
    page.locator("section.references a").first.focus()
    expect(popup).to_be_hidden()


def test_touch_previews_on_the_first_tap_and_follows_on_the_second(browser, cited, screenshot_dir):
    context = browser.new_context(viewport={"width": PHONE, "height": 844}, has_touch=True,
                                  is_mobile=True, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(cited + URL)
        popup = page.locator("#reference-preview")
        marker(page, "smith", 0).tap()
        expect(popup).to_be_visible()
        expect(popup).to_contain_text("The Railway and the Steppe")
        assert page.url == cited + URL  # no jump yet
        # The popup fits the phone's screen.
        box = popup.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, box
        page.screenshot(path=screenshot_dir / "reference-preview-phone.png")
        # A tap elsewhere hides it.
        page.locator("h1").tap()
        expect(popup).to_be_hidden()
        # The jump link in the popup goes to the entry; so does a second tap.
        marker(page, "rferl", 0).tap()
        popup.locator(".reference-preview-jump").tap()
        page.wait_for_url(f"**{URL}#cite-note-rferl")
        expect(popup).to_be_hidden()
        marker(page, "smith", 1).scroll_into_view_if_needed()
        marker(page, "smith", 1).tap()
        expect(popup).to_be_visible()
        marker(page, "smith", 1).tap()
        page.wait_for_url(f"**{URL}#cite-note-smith")
    finally:
        context.close()


def test_without_javascript_a_superscript_jumps_to_its_entry(browser, cited):
    context = browser.new_context(java_script_enabled=False, viewport={"width": DESKTOP, "height": 844})
    try:
        page = context.new_page()
        page.goto(cited + URL)
        marker(page, "smith", 0).click()
        page.wait_for_url(f"**{URL}#cite-note-smith")
        expect(page.locator("#cite-note-smith")).to_be_in_viewport()
        expect(page.locator("#reference-preview")).to_have_count(0)
        # And back up from the entry to the use.
        page.locator('#cite-note-smith a[href="#cite-ref-smith-1"]').click()
        page.wait_for_url(f"**{URL}#cite-ref-smith-1")
    finally:
        context.close()


@pytest.mark.parametrize("path", [URL, "/sources/", SMITH_URL])
def test_citation_pages_have_no_axe_violations(open_page, cited, path):
    reports = []
    for width in (PHONE, DESKTOP):
        page = open_page(path, width=width)
        if path == URL:
            marker(page, "smith", 0).hover()
            expect(page.locator("#reference-preview")).to_be_visible()
        violations = _axe.run(page).response["violations"]
        if violations:
            reports.append(f"at {width}px: {axe_report(violations)}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            reports.append(f"at {width}px: {path} is {scroll_width}px wide")
    assert not reports, "\n".join(reports)


def test_source_page_lists_the_article_citing_it(open_page, cited):
    page = open_page(SMITH_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("The Railway and the Steppe")
    expect(page.get_by_role("main").get_by_role("link", name="Russians in Tajikistan")).to_have_attribute(
        "href", URL
    )
    index = open_page("/sources/")
    expect(index.get_by_role("link", name="The Railway and the Steppe")).to_have_attribute("href", SMITH_URL)
