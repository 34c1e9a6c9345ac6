"""The reading layout in a real browser (issue 15, Readers): on a phone the
lead's first paragraph comes before the infobox; on a desktop the infobox is
beside it and the first heading's rule stops at its edge; a dark scheme and a
print stylesheet; breadcrumbs, Markdown tables and the favicon. axe-core
finds nothing in light or dark at phone and desktop widths."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.services import articles_import
from tests.browser.conftest import goto_ok
from tests.browser.test_pages import axe_report

ARTICLE_URL = "/wiki/russians-in-afghanistan/"
PHONE, DESKTOP = 390, 1280
AXE_PAGES = {"article": ARTICLE_URL, "place": "/places/chaghcharan/", "home": "/"}
# A short lead beside a tall infobox, so that the first heading starts
# beside the infobox; a table wider than a phone.
TABLE_ARTICLE = (
    "= Czechs in Chile =\n\nInfobox\n- Group: Czechs in Chile\n- Population: 1,500 (2009 est.)\n"
    "- Langs: Czech, Spanish\n- Rels: Catholicism\n\n"
    "Czechs came to Chile in 1900.[^census] Compare [[Russians in Afghanistan]].\n\n"
    "==Numbers==\n"
    "| Year | People | Where they lived | Where they came from | What they did |\n"
    "|---|---|---|---|---|\n"
    "| 1900 | 120 | Santiago de Chile and Valparaíso | Bohemia and Moravia | Brewers and tailors |\n"
    "| 1950 | 800 | Santiago de Chile, Concepción | Czechoslovakia | Engineers and teachers |\n"
    "\n==References==\n- [^census]\n  - Title: Census of Chile\n  - Url: https://example.org/census\n"
)
TABLE_URL = "/wiki/czechs-in-chile/"
_axe = Axe()


@pytest.fixture
def reader(fresh_page, site):
    """reader(path, width=, dark=False, media=None) -> a fresh page on its own
    context (so a colour scheme never leaks into other tests' tabs)."""

    def _open(path: str, *, width: int = DESKTOP, dark: bool = False, media: str | None = None):
        return goto_ok(fresh_page(width, dark=dark, media=media), site + path)

    return _open


@pytest.fixture
def table_article(site):
    articles_import(sources=[("czechs.txt", TABLE_ARTICLE.encode())])
    return TABLE_URL


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not rendered"
    return found


def style(page, selector: str, prop: str, pseudo: str | None = None) -> str:
    return page.locator(selector).first.evaluate(
        "(e, [p, pseudo]) => getComputedStyle(e, pseudo).getPropertyValue(p)", [prop, pseudo]
    )


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of an rgb()/rgba() computed colour."""
    channels = [float(c) / 255 for c in css_colour[css_colour.index("(") + 1:-1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# --- On a phone the lead comes first ---


def test_on_a_phone_the_first_paragraph_is_above_the_infobox_on_the_first_screen(reader):
    page = reader(ARTICLE_URL, width=PHONE)
    first = box(page, ".lead > p")
    infobox = box(page, "aside.infobox")
    assert first["y"] + first["height"] <= infobox["y"], (first, infobox)
    assert first["y"] < 844, "the first paragraph should start on the first screen"
    assert page.locator(".lead > p").first.inner_text().startswith(
        "There are currently estimated to be 1,500 Russians in Afghanistan"
    )
    # The second paragraph follows the infobox.
    second = box(page, ".lead > p:nth-of-type(2)")
    assert second["y"] >= infobox["y"] + infobox["height"], (second, infobox)


def test_a_screen_reader_reads_the_first_paragraph_then_the_infobox(reader):
    page = reader(ARTICLE_URL, width=PHONE)
    order = page.evaluate(
        """() => [...document.querySelectorAll('article h1, .lead > p, aside.infobox')]
                 .slice(0, 3).map(e => e.tagName.toLowerCase())"""
    )
    assert order == ["h1", "p", "aside"]


def test_on_a_desktop_the_infobox_is_beside_the_first_paragraph(reader):
    page = reader(ARTICLE_URL, width=DESKTOP)
    first = box(page, ".lead > p")
    infobox = box(page, "aside.infobox")
    h1 = box(page, "h1")
    assert infobox["x"] >= first["x"] + first["width"], (first, infobox)
    assert abs(infobox["y"] - first["y"]) < 30, (first, infobox)
    assert h1["y"] + h1["height"] <= infobox["y"] + 1
    # The rest of the lead runs on below the first paragraph, beside the infobox.
    second = page.locator(".lead > p:nth-of-type(2)")
    top, right = second.evaluate(
        """e => { const r = document.createRange(); r.selectNodeContents(e);
                  const lines = [...r.getClientRects()];
                  return [lines[0].top, Math.max(...lines.map(l => l.right))]; }"""
    )
    assert top >= first["y"] + first["height"], "the second paragraph starts below the first"
    assert top < infobox["y"] + infobox["height"], "... and beside the infobox"
    assert right <= infobox["x"] + 1, "its lines end at the infobox"


def test_the_first_heading_rule_stops_at_the_infobox(reader, table_article):
    page = reader(table_article, width=DESKTOP)
    h2 = box(page, "section h2")
    infobox = box(page, "aside.infobox")
    assert h2["y"] < infobox["y"] + infobox["height"], "the test needs the heading beside the infobox"
    assert h2["x"] + h2["width"] <= infobox["x"], (h2, infobox)
    assert style(page, "section h2", "border-bottom-style") == "solid"


# --- Dark mode ---


def test_dark_mode_is_dark_and_light_mode_is_light(reader):
    light = reader(ARTICLE_URL)
    assert luminance(style(light, "body", "background-color")) > 0.9
    dark = reader(ARTICLE_URL, dark=True)
    assert luminance(style(dark, "body", "background-color")) < 0.05
    assert luminance(style(dark, "aside.infobox", "background-color")) < 0.05
    assert luminance(style(dark, "body", "color")) > 0.7
    assert luminance(style(dark, "main .lead a", "color")) > 0.3
    assert luminance(style(dark, "input[type=search]", "background-color")) < 0.05
    bar = dark.locator(".population-chart .bar").first
    assert luminance(bar.evaluate("e => getComputedStyle(e).fill")) > 0.2


# --- Print ---


def test_print_hides_search_and_navigation_and_prints_link_targets(reader, table_article):
    page = reader(table_article, media="print")
    for selector in (".site-search", "nav.breadcrumbs", "footer.site-footer"):
        assert style(page, selector, "display") == "none", selector
    assert page.locator("header .site-search").is_hidden()
    assert page.locator("aside.infobox").is_visible()
    assert style(page, "aside.infobox", "float") == "right"
    assert page.locator("section.references").is_visible()
    # An article link prints its address; a link within the page does not.
    article_link = page.locator('main a[href^="/wiki/"]').first
    href = article_link.get_attribute("href")
    assert article_link.evaluate("e => getComputedStyle(e, '::after').content") == f'" ({href})"'
    external = page.locator('section.references a[href^="https://example.org/"]').first
    assert external.evaluate("e => getComputedStyle(e, '::after').content") == (
        '" (https://example.org/census)"'
    )
    assert page.locator("section.references").get_by_text("Census of Chile").is_visible()
    anchor = page.locator('main sup.reference a[href^="#"]').first
    assert anchor.evaluate("e => getComputedStyle(e, '::after').content") in ("none", "normal")
    # On screen neither shows.
    page.emulate_media(media="screen")
    assert article_link.evaluate("e => getComputedStyle(e, '::after').content") in ("none", "normal")
    assert page.locator("header .site-search").is_visible()


# --- Breadcrumbs, tables, favicon ---


def test_breadcrumbs_lead_from_the_article_to_its_host_and_up_a_place(reader):
    page = reader(ARTICLE_URL)
    crumbs = page.get_by_role("navigation", name="Breadcrumbs")
    assert crumbs.inner_text().split() == ["Afghanistan", "›", "Russians", "in", "Afghanistan"] or \
        crumbs.inner_text().replace("\n", " ").split() == ["Afghanistan", "Russians", "in", "Afghanistan"]
    crumbs.get_by_role("link", name="Afghanistan").click()
    page.wait_for_url("**/places/afghanistan/")
    page.goto(page.url.replace("/places/afghanistan/", "/places/chaghcharan/"))
    links = page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link")
    assert links.all_inner_texts() == ["Afghanistan", "Ghor Province"]


def test_a_markdown_table_has_ruled_cells_and_scrolls_in_its_box_on_a_phone(reader, table_article):
    page = reader(table_article, width=PHONE)
    assert page.get_by_role("cell", name="Brewers and tailors").is_visible()
    assert style(page, ".table-scroll td", "border-top-style") == "solid"
    assert float(style(page, ".table-scroll td", "border-top-width").removesuffix("px")) >= 1
    assert style(page, ".table-scroll thead th", "font-weight") == "700"
    scroll_width, client_width = page.locator(".table-scroll").evaluate(
        "e => [e.scrollWidth, e.clientWidth]"
    )
    assert scroll_width > client_width, "the table should be wider than a phone, in its own box"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


@pytest.mark.parametrize("path", [ARTICLE_URL, "/places/chaghcharan/", "/"])
def test_no_sideways_scroll_on_a_phone(reader, path):
    page = reader(path, width=PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_the_favicon_is_linked_and_favicon_ico_answers(reader):
    page = reader("/")
    href = page.locator('link[rel="icon"]').get_attribute("href")
    assert href.endswith(".svg")
    icon = page.request.get(page.url.rstrip("/") + href)
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    ico = page.request.get(page.url.rstrip("/") + "/favicon.ico")
    assert ico.status == 200, "favicon.ico should answer (after its redirect), not 404"
    assert ico.body().startswith(b"<svg")


# --- axe-core ---


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("name", [*AXE_PAGES, "table"])
def test_no_axe_violations_in_light_and_dark(reader, table_article, screenshot_dir, name, dark):
    path = TABLE_URL if name == "table" else AXE_PAGES[name]
    reports = []
    for width in (PHONE, DESKTOP):
        page = reader(path, width=width, dark=dark)
        page.screenshot(path=screenshot_dir / f"reading-{name}-{'dark' if dark else 'light'}-{width}.png",
                        full_page=True)
        violations = _axe.run(page).response["violations"]
        if violations:
            reports.append(f"at {width}px: {axe_report(violations)}")
    assert not reports, "\n".join(reports)
