"""The article form in the Dari admin (/fa-af/admin/), right to left: the
sections' triangles point the way the line reads, and the ``[[`` link
picker's list opens under the textarea from its right edge, where a
right-to-left line starts (static/css/editor.css, static/js/link-picker.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.test_editing import add_sections, login  # noqa: F401 (login is a fixture)


@pytest.fixture(autouse=True)
def _patient():
    # The admin's change form is a heavy page on two shared cores.
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


def _before(page, selector: str) -> str:
    return page.locator(selector).evaluate("el => getComputedStyle(el, '::before').content")


@pytest.mark.parametrize(("prefix", "closed", "rtl", "link_to", "status", "kind"), [
    ("", "▸", False, "Link to", "Suggestions: 2. Down to choose", "article"),
    ("/fa-af", "◂", True, "پیوند به", "پیشنهادها: 2. پایین برای انتخاب", "مقاله"),
])
def test_the_article_form_reads_the_way_the_admin_language_does(
    login, site, prefix, closed, rtl, link_to, status, kind
):
    article = Article.objects.get(slug="russians-in-afghanistan")
    add_sections(article, [("History", "Soviet specialists came in the 1950s."), ("تاریخ", "متن بخش.")])
    page = login(f"rtl-admin{prefix.replace('/', '-')}")
    page.goto(f"{site}{prefix}/admin/articles/article/{article.pk}/change/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if rtl else "ltr")

    toggles = page.locator("#sections-group button.section-toggle")
    expect(toggles).to_have_count(2)
    expect(toggles.nth(0)).to_have_attribute("aria-expanded", "true")
    expect(toggles.nth(1)).to_have_attribute("aria-expanded", "false")
    assert closed in _before(page, "#sections-group button.section-toggle >> nth=1")
    assert "▾" in _before(page, "#sections-group button.section-toggle >> nth=0")

    lead = page.locator("#id_lead")
    lead.focus()
    lead.press("Control+End")
    page.keyboard.type(" [[Russ")
    # The picker's words are the admin's language's (#link-picker-config's data-label-*).
    listbox = page.get_by_role("listbox", name=link_to)
    expect(listbox.get_by_role("option", name=f"Russians in Afghanistan {kind}")).to_be_visible()
    expect(page.locator(".link-picker-status")).to_contain_text(status)
    field, shown = lead.bounding_box(), listbox.bounding_box()
    assert abs(shown["y"] - (field["y"] + field["height"])) < 1, (field, shown)
    if rtl:
        assert abs((shown["x"] + shown["width"]) - (field["x"] + field["width"])) < 1, (field, shown)
    else:
        assert abs(shown["x"] - field["x"]) < 1, (field, shown)
