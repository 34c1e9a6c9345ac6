"""The article form's editing aids in Chromium, through the admin's own
pages: the draft kept in the browser and offered after a reload, a save
after the session expired (log in, saved, nothing lost), the sections shown
as headings with one open, the ``[[`` link picker used with the keyboard,
and axe-core on the form at 1280 px."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from articles.models import Article
from tests.browser.test_editing import (  # noqa: F401 (login is a fixture)
    PASSWORD,
    add_inline_row,
    add_sections,
    change_url,
    login,
    save,
)
from tests.browser.test_pages import axe_report

TYPED = "A sentence typed in the browser, Русские в Афганистане, روس‌ها در افغانستان."
# Functions, not expressions: the page's CSP (script-src 'self') refuses eval.
DRAFT_KEYS = "() => Object.keys(localStorage).filter(k => k.startsWith('editor-draft:'))"
ONE_DRAFT = "() => Object.keys(localStorage).filter(k => k.startsWith('editor-draft:')).length === 1"


@pytest.fixture(autouse=True)
def _patient():
    # These tests share two cores with others' test runs: wait longer.
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def seed_article(site) -> Article:
    return Article.objects.get(slug="russians-in-afghanistan")


def type_at_end(page: Page, selector: str, text: str) -> None:
    field = page.locator(selector)
    field.focus()
    field.press("Control+End")
    page.keyboard.type(text)


def wait_for_draft(page: Page) -> None:
    page.wait_for_function(ONE_DRAFT)


def test_a_draft_typed_in_the_lead_is_offered_after_a_reload_and_restored(
    login, site, seed_article, screenshot_dir
):
    page = login("drafter")
    page.set_default_timeout(30_000)
    page.goto(change_url(site, seed_article))
    expect(page.locator("#editor-draft-notice")).to_be_hidden()
    type_at_end(page, "#id_lead", "\n\n" + TYPED)
    wait_for_draft(page)

    # The tab closed (or the browser crashed) and the form opened again: a
    # new navigation, where a reload might refill the fields by itself.
    page.goto(change_url(site, seed_article))

    notice = page.get_by_role("region", name="Unsaved changes from an earlier visit")
    expect(notice).to_be_visible()
    assert TYPED not in page.locator("#id_lead").input_value()
    page.screenshot(path=screenshot_dir / "editor-draft-offered.png")
    restore = notice.get_by_role("button", name="Restore")
    restore.focus()
    page.keyboard.press("Enter")  # the keyboard is enough

    expect(notice).to_be_hidden()
    assert page.locator("#id_lead").input_value().endswith(TYPED)
    save(page, site)
    assert Article.objects.get(pk=seed_article.pk).lead.endswith(TYPED)
    assert page.evaluate(DRAFT_KEYS) == []  # dropped once saved


def test_a_discarded_draft_is_not_offered_again(login, site, seed_article):
    page = login("discarder")
    page.set_default_timeout(30_000)
    page.goto(change_url(site, seed_article))
    type_at_end(page, "#id_lead", " Not wanted.")
    wait_for_draft(page)
    page.goto(change_url(site, seed_article))
    page.get_by_role("button", name="Discard").click()
    expect(page.locator("#editor-draft-notice")).to_be_hidden()
    assert "Not wanted." not in page.locator("#id_lead").input_value()
    page.goto(change_url(site, seed_article))
    expect(page.locator("#editor-draft-notice")).to_be_hidden()
    assert page.evaluate(DRAFT_KEYS) == []


def test_a_save_after_the_session_expired_lands_after_login_with_no_text_lost(
    login, site, seed_article, screenshot_dir
):
    page = login("expired")
    page.set_default_timeout(30_000)
    page.goto(change_url(site, seed_article))
    type_at_end(page, "#id_lead", "\n\n" + TYPED)
    page.context.clear_cookies(name="sessionid")  # the session expired meanwhile

    page.locator('input[name="_save"]').last.click()

    expect(page.get_by_role("heading", name="Log in to save your changes")).to_be_visible()
    page.screenshot(path=screenshot_dir / "editor-session-expired.png")
    assert TYPED not in Article.objects.get(pk=seed_article.pk).lead
    page.get_by_label("Username").fill("expired")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in and save").click()

    expect(page).to_have_url(f"{site}/admin/articles/article/")
    expect(page.locator("ul.messagelist li.success")).to_contain_text("was changed successfully")
    assert Article.objects.get(pk=seed_article.pk).lead.endswith(TYPED)
    assert page.evaluate(DRAFT_KEYS) == []


def test_sections_are_shown_as_headings_with_one_open(login, site, seed_article, screenshot_dir):
    add_sections(seed_article, [
        ("History", "Soviet specialists came in the 1950s."),
        ("Culture", "Russian-language media."),
        ("Русская община", "Текст раздела."),
    ])
    page = login("sections")
    page.set_default_timeout(30_000)
    page.goto(change_url(site, seed_article))
    toggles = page.locator("#sections-group button.section-toggle")
    expect(toggles).to_have_count(3)
    assert toggles.all_inner_texts() == ["History", "Culture", "Русская община"]
    expect(toggles.nth(0)).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#id_sections-0-body")).to_be_visible()
    expect(page.locator("#id_sections-1-body")).to_be_hidden()
    expect(page.locator("#id_sections-2-body")).to_be_hidden()

    toggles.nth(2).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_sections-2-body")).to_be_visible()
    expect(page.locator("#id_sections-0-body")).to_be_hidden()
    expect(toggles.nth(0)).to_have_attribute("aria-expanded", "false")
    page.screenshot(path=screenshot_dir / "editor-sections.png", full_page=True)

    new = add_inline_row(page, "sections", "Section")  # goes to the end, opened
    assert new == 3
    expect(page.locator(f"#id_sections-{new}-body")).to_be_visible()
    expect(page.locator("#id_sections-2-body")).to_be_hidden()
    page.locator(f"#id_sections-{new}-heading").fill("Language")
    page.locator(f"#id_sections-{new}-body").fill("Russian is spoken at home.")
    expect(toggles.nth(3)).to_have_text("Language")
    save(page, site)
    assert list(seed_article.sections.values_list("heading", flat=True)) == [
        "History", "Culture", "Русская община", "Language"
    ]


def test_the_link_picker_offers_titles_after_double_brackets_and_inserts_with_the_keyboard(
    login, site, seed_article, screenshot_dir
):
    page = login("linker")
    page.set_default_timeout(30_000)
    page.goto(change_url(site, seed_article))
    type_at_end(page, "#id_lead", "\n\nSee [[Russ")

    listbox = page.get_by_role("listbox", name="Link to")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option", name="Russians in Afghanistan article")
    expect(option).to_be_visible()
    expect(page.locator("#id_lead")).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    page.screenshot(path=screenshot_dir / "editor-link-picker.png")
    page.keyboard.press("Enter")

    expect(listbox).to_be_hidden()
    assert page.locator("#id_lead").input_value().endswith("See [[Russians in Afghanistan]]")
    page.keyboard.type(" and [[Kab")
    expect(listbox.get_by_role("option", name="Kabul place")).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    assert page.locator("#id_lead").input_value().endswith("[[Russians in Afghanistan]] and [[Kab")


def test_the_change_form_has_no_axe_violations_at_1280(login, site, seed_article):
    add_sections(seed_article, [("History", "Text."), ("Culture", "More text.")])
    page = login("axe")
    page.set_default_timeout(30_000)
    page.goto(change_url(site, seed_article))
    type_at_end(page, "#id_lead", " [[Russ")  # the link picker's list open
    expect(page.get_by_role("listbox", name="Link to")).to_be_visible()
    page.wait_for_function(ONE_DRAFT)
    violations = Axe().run(page).response["violations"]
    assert not violations, axe_report(violations)

    page.goto(change_url(site, seed_article))  # the draft notice shown
    expect(page.locator("#editor-draft-notice")).to_be_visible()
    violations = Axe().run(page).response["violations"]
    assert not violations, axe_report(violations)
