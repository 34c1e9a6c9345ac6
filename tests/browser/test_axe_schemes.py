"""Issue 15's pages not covered elsewhere in both colour schemes and both
widths: the search results ("Did you mean", no results) and the editor's
forms (the article's change form, its section form, its history, the log-in
page of a save after the session expired). axe-core
0 violations in light and dark, at 390 and 1280 px, and no sideways scroll."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from articles.services import articles_import
from tests.browser.test_editing import PASSWORD
from tests.browser.test_pages import DESKTOP, PHONE, axe_report

_axe = Axe()
SCHEMES = ("light", "dark")

TEXT = """\
= Uzbeks in Norway =

Uzbeks have lived in [[Norway]] since the 1990s.

==History==
The first came as students.

==Культура==
Old culture, with a [[Russians in Afghanistan]] link.
"""


def assert_clean(page, where: str) -> None:
    violations = _axe.run(page).response["violations"]
    assert not violations, f"{where}\n{axe_report(violations)}"
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert sideways <= 0, f"{where} scrolls sideways by {sideways} px"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_search_pages_in_both_schemes(site, fresh_page, screenshot_dir, width, scheme):
    page = fresh_page(width, dark=scheme == "dark", height=900)
    for query in ("Krasnoperv", "xqzvvj"):
        page.goto(f"{site}/search/?q={query}")
        expect(page.get_by_role("searchbox")).to_have_value(query)
        page.screenshot(path=screenshot_dir / f"search-{query}-{width}-{scheme}.png", full_page=True)
        assert_clean(page, f"/search/?q={query} at {width} px, {scheme}")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_editors_forms_in_both_schemes(site, fresh_page, screenshot_dir, width, scheme):
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())])
    article = result.article
    username = f"axe-{width}-{scheme}"
    get_user_model().objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    page = fresh_page(width, dark=scheme == "dark", height=900)
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{site}/admin/")

    admin = f"{site}/admin/articles/article/{article.pk}"
    page.goto(f"{admin}/change/")
    expect(page.locator("#id_title")).to_have_value("Uzbeks in Norway")
    page.screenshot(path=screenshot_dir / f"change-form-{width}-{scheme}.png")
    assert_clean(page, f"the change form at {width} px, {scheme}")

    page.goto(f"{admin}/section/%D0%BA%D1%83%D0%BB%D1%8C%D1%82%D1%83%D1%80%D0%B0/")
    expect(page.get_by_label("Heading")).to_have_value("Культура")
    page.get_by_role("button", name="Show preview").click()
    expect(page.locator(".edit-preview")).to_contain_text("Old culture")
    page.screenshot(path=screenshot_dir / f"section-form-{width}-{scheme}.png", full_page=True)
    assert_clean(page, f"the section form with its preview at {width} px, {scheme}")

    page.goto(f"{admin}/history/")
    expect(page.locator("#revision-list")).to_contain_text("uzbeks.txt")
    assert_clean(page, f"the history at {width} px, {scheme}")

    # A save after the session expired: the login form that keeps the text.
    page.goto(f"{admin}/change/")
    page.context.clear_cookies(name="sessionid")
    page.locator('input[name="_save"]').last.click()
    expect(page.get_by_role("heading", name="Log in to save your changes")).to_be_visible()
    assert_clean(page, f"the log-in-to-save page at {width} px, {scheme}")
