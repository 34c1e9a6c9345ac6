"""Every public page in each interface language (English, Russian, Dari,
Pashto) at phone and desktop widths: axe-core 0 violations, no sideways
scroll, ``<html lang dir>`` as the language writes, the layout mirrored in
Dari and Pashto (the infobox on the left at 1280 px), the interface's labels
in that language, and the language switcher keeping the reader on the same
page. Full-page screenshots of each (language × page × width) for people to
look at."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from encyclopedia.locale import bcp47, is_bidi, path_in
from tests.browser.conftest import goto_ok
from tests.browser.test_pages import ARTICLE_URL, DESKTOP, PAGES, PHONE, axe_report

_axe = Axe()
LANGUAGES = [code for code, _ in settings.LANGUAGES]
SEED_TITLE = "Russians in Afghanistan"


def _problems(page, where: str, width: int) -> list[str]:
    """What is wrong with the page on screen: axe-core's violations and a
    sideways scroll (with the elements that stick out)."""
    problems = []
    violations = _axe.run(page).response["violations"]
    if violations:
        problems.append(f"{where}: {axe_report(violations)}")
    scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert inner_width == width
    if scroll_width > inner_width:
        too_wide = page.evaluate(
            """w => [...document.querySelectorAll('body *')]
                .filter(e => { const r = e.getBoundingClientRect(); return r.right > w + 0.5 || r.left < -0.5; })
                .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
            inner_width,
        )
        problems.append(f"{where}: {scroll_width} px wide in a {inner_width} px window; sticking out: {too_wide}")
    return problems


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_in_each_interface_language(site, fresh_page, screenshot_dir, language, width):
    """One browser context per language and width, its tab reused for the
    six pages; every problem of every page is reported together."""
    page = fresh_page(width, height=900)
    rtl = is_bidi(language)
    problems: list[str] = []
    for name, path in PAGES.items():
        url = path_in(language, path)
        goto_ok(page, site + url)
        page.screenshot(path=screenshot_dir / f"lang-{language}-{name}-{width}.png", full_page=True)
        lang, direction = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
        assert (lang, direction) == (bcp47(language), "rtl" if rtl else "ltr"), url
        problems += _problems(page, f"{url} at {width} px", width)
        if width == DESKTOP:
            # The header mirrored too: the site's name where the line starts.
            name_box = page.locator(".site-name").bounding_box()
            assert (name_box["x"] > width / 2) is rtl, f"{url}: the site's name at {name_box}"
        if name == "article":
            expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
            if width == DESKTOP:
                # The whole infobox on the page's end side: the left half in
                # Dari and Pashto, the right half in English and Russian.
                box = page.locator("aside.infobox").bounding_box()
                assert box is not None, f"{url} shows no infobox"
                if rtl:
                    assert box["x"] + box["width"] <= width / 2, f"{url}: the infobox is not on the left: {box}"
                else:
                    assert box["x"] >= width / 2, f"{url}: the infobox is not on the right: {box}"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != settings.LANGUAGE_CODE])
def test_the_interface_labels_are_in_the_interface_language(site, fresh_page, language):
    """The footer's index link and the search button, read from the .po
    files' translations rather than written here: they differ from the
    English and are what gettext gives in that language."""
    page = goto_ok(fresh_page(DESKTOP), site + path_in(language, "/"))
    english = goto_ok(fresh_page(DESKTOP), site + "/")
    with translation.override(language):
        index_label = translation.gettext("Articles A–Z")
        search_label = translation.pgettext("verb, the site search's label", "Search")
    footer = page.locator("footer.site-footer")
    assert footer.inner_text() != english.locator("footer.site-footer").inner_text()
    assert index_label != "Articles A–Z", f"no {language} translation of 'Articles A–Z'"
    expect(footer.locator(f'a[href="{path_in(language, "/articles/")}"]')).to_have_text(index_label)
    expect(page.locator(".site-search button")).to_have_text(search_label)


def test_the_language_switcher_keeps_the_reader_on_the_same_page(site, fresh_page):
    page = goto_ok(fresh_page(DESKTOP), site + ARTICLE_URL)
    switcher = page.locator("nav.language-switcher")
    expect(switcher.locator('[aria-current="page"]')).to_have_text("English")
    for name, language in (("Русский", "ru"), ("دری", "fa-af"), ("پښتو", "ps"), ("English", "en")):
        with page.expect_navigation() as navigation:
            switcher.get_by_role("link", name=name, exact=True).click()
        assert navigation.value.status == 200
        expect(page).to_have_url(site + path_in(language, ARTICLE_URL))
        expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
        expect(page.locator("html")).to_have_attribute("lang", bcp47(language))
        expect(switcher.locator('[aria-current="page"]')).to_have_text(name)

    # A search stays the same search.
    goto_ok(page, site + path_in("ps", "/search/?q=Krasnoperov"))
    with page.expect_navigation() as navigation:
        switcher.get_by_role("link", name="Русский", exact=True).click()
    assert navigation.value.status == 200
    expect(page).to_have_url(site + "/ru/search/?q=Krasnoperov")
    expect(page.get_by_role("searchbox").first).to_have_value("Krasnoperov")
