"""Links go where a reader expects, in a real browser (Debian's Chromium):
a reader clicks ``[[Kabul]]`` and lands on the place's page, an alias on
the person's, Cyrillic and Arabic names too; the seed's See also titles are
shown once, with no Related communities block repeating them; axe-core
finds nothing on the page, light or dark, at phone and desktop widths."""

from __future__ import annotations

import urllib.parse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import goto_ok
from tests.browser.test_pages import axe_report
from tests.factories import ArticleFactory, PlaceFactory

PHONE, DESKTOP = 390, 1280
_axe = Axe()


@pytest.fixture
def linking(site):
    PlaceFactory(name="Кабул", slug="кабул", kind="city")
    PlaceFactory(name="مزار شریف", slug="مزار-شریف", kind="city")
    ArticleFactory(
        title="Таджики в России", slug="таджики-в-россии",
        lead="Из [[Kabul]], [[Кабул]] и [[مزار شریف]]; писал [[Sergei Kransnoperov]]. "
             "[[Nowhere yet]].",
    )
    return site


@pytest.fixture
def reader(fresh_page, linking):
    def _open(path: str, *, width: int = DESKTOP, dark: bool = False):
        return goto_ok(fresh_page(width, dark=dark), linking + path)

    return _open


ARTICLE = "/wiki/" + urllib.parse.quote("таджики-в-россии") + "/"


@pytest.mark.parametrize(("label", "lands_on", "heading"), [
    ("Kabul", "/places/kabul/", "Kabul"),
    ("Кабул", "/places/" + urllib.parse.quote("кабул") + "/", "Кабул"),
    ("مزار شریف", "/places/" + urllib.parse.quote("مزار-شریف") + "/", "مزار شریف"),
    ("Sergei Kransnoperov", "/people/noor-mohammad/", "Noor Mohammad"),
])
def test_a_reader_follows_a_name_link_to_its_page(reader, label, lands_on, heading):
    page = reader(ARTICLE)
    page.locator(".lead").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state("load")
    assert urllib.parse.urlsplit(page.url).path == lands_on
    expect(page.locator("h1")).to_contain_text(heading)


def test_a_name_nobody_has_is_still_missing(reader):
    page = reader(ARTICLE)
    missing = page.locator('.lead .missing[title="Nowhere yet: no article yet"]')
    expect(missing).to_have_text("Nowhere yet")


def test_the_seed_shows_its_see_also_titles_once(reader):
    page = reader("/wiki/russians-in-afghanistan/")
    for title in ("Afghans in Russia", "Armenians in Afghanistan", "Russians in Pakistan"):
        expect(page.locator("main").get_by_text(title, exact=True)).to_have_count(1)
        expect(page.locator("section.see-also").get_by_text(title, exact=True)).to_have_count(1)
    expect(page.locator("section.related")).to_have_count(0)


def test_linked_names_page_has_no_axe_violations(reader, screenshot_dir):
    reports = []
    for dark in (False, True):
        for width in (PHONE, DESKTOP):
            page = reader(ARTICLE, width=width, dark=dark)
            page.screenshot(
                path=screenshot_dir / f"link-targets-{width}{'-dark' if dark else ''}.png",
                full_page=True)
            violations = _axe.run(page).response["violations"]
            if violations:
                reports.append(f"{'dark' if dark else 'light'} at {width}px: "
                               f"{axe_report(violations)}")
    assert not reports, "\n".join(reports)
