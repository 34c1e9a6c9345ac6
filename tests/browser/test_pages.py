"""Every public page in a real browser: no axe-core violations, no sideways
scrolling on a phone, full-page screenshots at phone and desktop widths, and
the seed's real content on screen."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PAGES = {
    "home": "/",
    "article": "/wiki/russians-in-afghanistan/",
    "person": "/people/noor-mohammad/",
    "place": "/places/afghanistan/",
    "index": "/articles/",
    "search": "/search/?q=Krasnoperov",
}
PHONE, DESKTOP = 390, 1280
ARTICLE_URL = "/wiki/russians-in-afghanistan/"

pages = pytest.mark.parametrize("name", PAGES)
_axe = Axe()


def axe_report(violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe-core violation(s):"]
    for v in violations:
        targets = [", ".join(map(str, node["target"])) for node in v["nodes"][:3]]
        more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} -> {'; '.join(targets)}{more}")
    return "\n".join(lines)


@pages
def test_page_has_no_axe_violations(open_page, name):
    reports = []
    for width in (PHONE, DESKTOP):
        violations = _axe.run(open_page(PAGES[name], width=width)).response["violations"]
        if violations:
            reports.append(f"at {width}px: {axe_report(violations)}")
    assert not reports, "\n".join(reports)


@pages
def test_page_fits_a_phone_screen(open_page, screenshot_dir, name):
    """Full-page screenshots at both widths (saved first, to help with a
    failure), then no sideways scrolling at phone width."""
    for width in (DESKTOP, PHONE):
        path = screenshot_dir / f"{name}-{width}.png"
        page = open_page(PAGES[name], width=width)
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 1000
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert inner_width == PHONE
    if scroll_width > inner_width:
        too_wide = page.evaluate(
            """w => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 0.5)
                .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
            inner_width,
        )
        pytest.fail(f"{PAGES[name]} is {scroll_width}px wide in a {inner_width}px window; too wide: {too_wide}")


def test_home_lists_the_seed_article(open_page):
    page = open_page("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Diaspora communities")
    link = page.get_by_role("main").get_by_role("link", name="Russians in Afghanistan")
    expect(link).to_have_attribute("href", ARTICLE_URL)


def test_article_shows_title_infobox_and_lead(open_page):
    page = open_page(ARTICLE_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Russians in Afghanistan")
    infobox = page.locator("aside.infobox")
    expect(infobox.locator("caption")).to_have_text("Russians in Afghanistan")
    population = infobox.locator("tr").filter(
        has=page.get_by_role("rowheader", name="Population", exact=True)
    )
    expect(population.locator("td")).to_have_text("1,500 (2009 est.)")
    expect(infobox.get_by_role("link", name="Kabul")).to_have_attribute("href", "/places/kabul/")
    expect(page.locator(".lead p").first).to_contain_text("1,500 Russians in Afghanistan")
    expect(page.locator(".lead")).to_contain_text("Sergei Yurevich Krasnoperov")


def test_person_shows_name_aliases_and_article(open_page):
    page = open_page("/people/noor-mohammad/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Noor Mohammad")
    expect(page.get_by_role("listitem").filter(has_text="Sergei Yurevich Krasnoperov")).to_have_count(1)
    expect(page.get_by_role("main").get_by_role("link", name="Russians in Afghanistan")).to_have_attribute(
        "href", ARTICLE_URL
    )


def test_place_shows_its_places_and_communities(open_page):
    page = open_page("/places/afghanistan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Afghanistan")
    expect(page.get_by_role("link", name="Kabul", exact=True)).to_have_attribute("href", "/places/kabul/")
    expect(page.get_by_role("main").get_by_role("link", name="Russians in Afghanistan").first).to_be_visible()


def test_index_shows_letters_and_the_seed_article(open_page):
    page = open_page("/articles/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles A–Z")
    letters = page.get_by_role("navigation", name="By first letter")
    expect(letters.get_by_role("link", name="R", exact=True)).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="Russians in Afghanistan")).to_have_attribute(
        "href", ARTICLE_URL
    )


def test_search_finds_the_former_name_of_noor_mohammad(open_page):
    page = open_page("/search/?q=Krasnoperov")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    results = page.get_by_role("main").locator(
        f'a[href="{ARTICLE_URL}"], a[href="/people/noor-mohammad/"]'
    )
    expect(results.first).to_be_visible()


def test_axe_check_reports_what_it_finds(open_page):
    """The harness itself: a broken page yields a violation and a readable message."""
    page = open_page("/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    violations = _axe.run(page).response["violations"]
    report = axe_report(violations)
    assert "image-alt [critical]: Images must have alternative text -> img" in report, report
