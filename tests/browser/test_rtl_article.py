"""An article's text reads in its own direction whatever the interface's: a
Dari article (Article.language "fa-AF") in the English interface is right to
left, in a font that has the Arabic script's letters, while the site's header
around it stays left to right; its reference previews open from the right."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import goto_ok
from tests.browser.test_axe_schemes import assert_clean
from tests.browser.test_pages import DESKTOP, PHONE
from tests.factories import ArticleFactory, ArticleReferenceFactory, SectionFactory, SourceFactory

TITLE = "روس‌ها در افغانستان"
LEAD = "گفته می‌شود که اکنون حدود ۱۵۰۰ روس در افغانستان زندگی می‌کنند."
HISTORY = "در دهه‌های ۱۹۶۰ و ۱۹۷۰ میلادی، هزاران مهندس روس در افغانستان کار می‌کردند."
ARABIC_FONTS = {"Noto Naskh Arabic", "Noto Sans Arabic"}


def _fonts_drawing(page, selector: str) -> set[str]:
    """The fonts Chromium actually drew the element's text with (DevTools'
    "Rendered fonts"), not the font-family it was asked for."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {font["familyName"] for font in fonts if font["glyphCount"]}


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_dari_article_reads_right_to_left_in_the_english_interface(site, fresh_page, screenshot_dir, width):
    article = ArticleFactory(title=TITLE, slug="rusha-dar-afghanistan", lead=LEAD, language="fa-AF")
    SectionFactory(article=article, heading="تاریخ", body=HISTORY)
    page = goto_ok(fresh_page(width), f"{site}/wiki/rusha-dar-afghanistan/")
    page.screenshot(path=screenshot_dir / f"rtl-article-in-english-{width}.png", full_page=True)

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    # The element that says the text's language (on .article or inside it).
    marked = page.locator('.article[lang="fa-AF"], .article [lang="fa-AF"]').first
    expect(marked).to_have_attribute("dir", "rtl")
    expect(marked.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(marked).to_contain_text(LEAD)
    expect(marked).to_contain_text(HISTORY)

    directions = page.evaluate(
        """lead => {
            const dir = el => getComputedStyle(el).direction;
            const paragraph = [...document.querySelectorAll('.article p')].find(p => p.textContent.includes(lead));
            return {
                heading: dir(document.querySelector('.article h1')),
                lead: dir(paragraph),
                section: dir(document.querySelector('.article section')),
                header: dir(document.querySelector('.site-header')),
                search: dir(document.querySelector('.site-search')),
                footer: dir(document.querySelector('.site-footer')),
            };
        }""",
        LEAD,
    )
    assert directions == {
        "heading": "rtl", "lead": "rtl", "section": "rtl",
        "header": "ltr", "search": "ltr", "footer": "ltr",
    }
    # Right to left on screen too: the title ends at the column's right edge
    # (its start), the English site name at the header's left.
    title = page.locator(".article h1").evaluate(
        """h1 => { const r = document.createRange(); r.selectNodeContents(h1);
                   const text = r.getBoundingClientRect(), box = h1.getBoundingClientRect();
                   return [box.right - text.right, text.left - box.left]; }"""
    )
    assert title[0] < 2 and title[1] > 20, f"the title is not set from the right: {title}"
    assert _fonts_drawing(page, ".article h1") & ARABIC_FONTS
    assert _fonts_drawing(page, ".article section p") & ARABIC_FONTS


def test_a_reference_preview_in_a_dari_article_opens_from_the_markers_right(site, fresh_page):
    """The popup (static/js/reference-preview.js) is placed in <main>, the
    interface's: it takes the text's language and direction, and lines up
    with the superscript's right edge, where a right-to-left line starts."""
    article = ArticleFactory(
        title=TITLE, slug="rusha-dar-afghanistan", lead=f"{LEAD}[^census]", language="fa-AF"
    )
    ArticleReferenceFactory(article=article, key="census", source=SourceFactory(title="سرشماری ۲۰۰۹"))
    page = goto_ok(fresh_page(DESKTOP), f"{site}/wiki/rusha-dar-afghanistan/")
    marker = page.locator("sup#cite-ref-census-0 a")
    popup = page.locator("#reference-preview")
    marker.hover()
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("سرشماری ۲۰۰۹")
    expect(popup).to_have_attribute("dir", "rtl")
    expect(popup).to_have_attribute("lang", "fa-AF")
    assert popup.evaluate("el => getComputedStyle(el).direction") == "rtl"
    sup, box = marker.bounding_box(), popup.bounding_box()
    assert abs((box["x"] + box["width"]) - (sup["x"] + sup["width"])) < 1, (sup, box)


@pytest.mark.parametrize(("prefix", "separator", "rtl"), [("", "›", False), ("/fa-af", "‹", True)])
def test_breadcrumbs_run_and_point_the_way_the_interface_reads(site, fresh_page, prefix, separator, rtl):
    """A place's parents above it: right to left in Dari, the parent on the
    right and the separator pointing left, towards the place."""
    page = goto_ok(fresh_page(DESKTOP), f"{site}{prefix}/places/balkh-province/")
    crumbs = page.locator("nav.breadcrumbs li")
    expect(crumbs).to_have_count(2)
    parent, current = crumbs.nth(0).bounding_box(), crumbs.nth(1).bounding_box()
    assert (parent["x"] > current["x"]) is rtl, (parent, current)
    drawn = crumbs.nth(1).evaluate("li => getComputedStyle(li, '::before').content")
    assert separator in drawn and ("›" if rtl else "‹") not in drawn, drawn


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_dari_interface_in_the_dark_scheme(site, fresh_page, screenshot_dir, width):
    page = goto_ok(fresh_page(width, dark=True), f"{site}/fa-af/wiki/russians-in-afghanistan/")
    page.screenshot(path=screenshot_dir / f"rtl-fa-af-article-dark-{width}.png", full_page=True)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_clean(page, f"the Dari article page at {width} px, dark")


def test_the_dari_interface_printed_keeps_the_infobox_on_the_left(site, fresh_page):
    page = goto_ok(fresh_page(DESKTOP, media="print"), f"{site}/fa-af/wiki/russians-in-afghanistan/")
    expect(page.locator(".site-search")).to_be_hidden()
    box, main = page.locator("aside.infobox").bounding_box(), page.locator("main").bounding_box()
    assert box["x"] - main["x"] < 1 and box["x"] + box["width"] < main["x"] + main["width"] / 2, (box, main)
