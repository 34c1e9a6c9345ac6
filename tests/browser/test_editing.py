"""The editorial workflow in a real browser, through the admin's own pages:
sections and See also rows added and reordered, two editors saving the same
article (merged, or an edit conflict shown), a revert from the history, and
an article created from a missing See also title.

Every editor is a superuser created here, logged in through /admin/login/ in
a browser context of their own (so two editors have separate sessions).
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from articles.models import Article, Section
from articles.services import article_refresh, article_revision_save

ARTICLE_URL = "/wiki/russians-in-afghanistan/"
SEED_LEAD = "There are currently estimated to be 1,500 Russians in Afghanistan"
PASSWORD = "Browser-test-pass-4291"
CONFLICT_ERROR = "Another editor saved this article while you were editing it"


# --- Fixtures and helpers ----------------------------------------------------------


@pytest.fixture
def seed_article(site) -> Article:
    return Article.objects.get(slug="russians-in-afghanistan")


@pytest.fixture
def login(browser, site):
    """login(username) -> a page in a new browser context, logged in to the
    admin as a new superuser ``username`` through the login form."""
    contexts = []
    serving_before = set(threading.enumerate())

    def _login(username: str) -> Page:
        get_user_model().objects.create_superuser(username, f"{username}@example.org", PASSWORD)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, device_scale_factor=1, reduced_motion="reduce"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{site}/admin/login/?next=/admin/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(f"{site}/admin/")
        expect(page.locator("#user-tools strong")).to_have_text(username)
        return page

    yield _login
    for context in contexts:
        context.close()
    # As the shared tabs do: let the server threads serving these contexts'
    # kept-alive connections finish before the database is flushed (not the
    # threads serving the shared tabs, which stay open).
    deadline = time.monotonic() + 5
    for thread in set(threading.enumerate()) - serving_before:
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))


def change_url(site: str, article: Article) -> str:
    return f"{site}/admin/articles/article/{article.pk}/change/"


def save(page: Page, site: str, *, added: bool = False) -> None:
    """Click Save (the bottom one) and expect the changelist's success message."""
    page.locator('input[name="_save"]').last.click()
    expect(page).to_have_url(f"{site}/admin/articles/article/")
    done = "was added successfully" if added else "was changed successfully"
    expect(page.locator("ul.messagelist li.success")).to_contain_text(done)


def add_inline_row(page: Page, prefix: str, label: str) -> int:
    """Click the inline's "Add another …" link; the new row's form index."""
    index = int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value())
    page.locator(f"#{prefix}-group").get_by_text(f"Add another {label}", exact=True).click()
    expect(page.locator(f"#id_{prefix}-TOTAL_FORMS")).to_have_value(str(index + 1))
    return index


def section_index(page: Page, heading: str) -> int:
    """The form index of the Sections inline row with this heading."""
    for field in page.locator('input[id^="id_sections-"][id$="-heading"]').all():
        if field.input_value() == heading:
            return int(re.search(r"-(\d+)-", field.get_attribute("id")).group(1))
    raise AssertionError(f"no section {heading!r} in the change form")


def open_section(page: Page, index: int) -> None:
    """Open the change form's section ``index`` (shown by its heading only)."""
    toggle = page.locator(f"#sections-{index} button.section-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(page.locator(f"#id_sections-{index}-body")).to_be_visible()


def section_headings(page: Page) -> list[str]:
    """The public page's section headings, in order (without the # anchors)."""
    return page.locator(
        "article.article > section > :is(h2, h3):has(> a.anchor)"
    ).evaluate_all("hs => hs.map(h => h.firstChild.textContent.trim())")


def diff_sides(cell) -> tuple[str, str]:
    """The old and the new text of a word diff shown in ``cell``: without
    its insertions, and without its deletions."""
    return tuple(
        cell.evaluate(
            """(td, drop) => { const copy = td.cloneNode(true);
                copy.querySelectorAll(drop).forEach(e => e.remove());
                return copy.textContent.trim(); }""",
            drop,
        )
        for drop in ("ins", "del")
    )


def add_sections(article: Article, sections: list[tuple[str, str]]) -> None:
    """Give the seed some sections, as a first revision of it."""
    for position, (heading, body) in enumerate(sections):
        Section.objects.create(article=article, heading=heading, body=body, position=position)
    article_refresh(article=article)
    article_revision_save(article=article, comment="Sections for the test.")


# --- 1. Sections and See also --------------------------------------------------------


def test_editor_adds_and_reorders_sections_and_adds_see_also(login, site, seed_article):
    page = login("editor")
    page.goto(change_url(site, seed_article))
    expect(page.get_by_role("heading", level=2, name="Russians in Afghanistan")).to_be_visible()

    history = add_inline_row(page, "sections", "Section")
    page.locator(f"#id_sections-{history}-heading").fill("History")
    page.locator(f"#id_sections-{history}-position").fill("1")
    page.locator(f"#id_sections-{history}-body").fill("Soviet specialists worked in Kabul from the 1950s.")

    further = add_inline_row(page, "sections", "Section")
    page.locator(f"#id_sections-{further}-heading").fill("Further reading")
    page.locator(f"#id_sections-{further}-position").fill("2")
    page.locator(f"#id_sections-{further}-body").fill("Books and *memoirs* of the community.")

    see_also = add_inline_row(page, "see_also", "See also link")
    page.locator(f"#id_see_also-{see_also}-target_title").fill("Tajiks in Afghanistan")
    page.locator(f"#id_see_also-{see_also}-position").fill("4")
    save(page, site)

    page.goto(site + ARTICLE_URL)
    assert section_headings(page) == ["History", "Further reading"]
    further_reading = page.locator("section", has=page.locator("h2#further-reading"))
    expect(further_reading).to_contain_text("Books and memoirs of the community.")
    expect(further_reading.locator("em")).to_have_text("memoirs")
    entries = page.locator("section.see-also li")
    expect(entries.last).to_contain_text("Tajiks in Afghanistan")
    expect(entries.last.locator(".missing")).to_have_text("Tajiks in Afghanistan")
    expect(entries.last.locator(".missing-note")).to_have_text("(not written yet)")

    # Reorder: Further reading before History.
    page.goto(change_url(site, seed_article))
    page.locator(f"#id_sections-{section_index(page, 'History')}-position").fill("2")
    reading = section_index(page, "Further reading")
    open_section(page, reading)  # one section is open at a time (static/js/editor-sections.js)
    page.locator(f"#id_sections-{reading}-position").fill("1")
    save(page, site)
    page.goto(site + ARTICLE_URL)
    assert section_headings(page) == ["Further reading", "History"]


# --- 2. Two editors at once ------------------------------------------------------------


def test_two_editors_merge_then_conflict(login, site, seed_article, screenshot_dir):
    add_sections(seed_article, [("History", "Soviet specialists worked in Kabul.")])
    alice, bob = login("alice"), login("bob")

    # Different parts: both saves go through, merged.
    for page in (alice, bob):
        page.goto(change_url(site, seed_article))
    alice.locator("#id_lead").fill("Alice rewrote the lead about the Russians in Afghanistan.")
    save(alice, site)
    history = section_index(bob, "History")
    bob.locator(f"#id_sections-{history}-body").fill("Bob rewrote the history section.")
    save(bob, site)

    alice.goto(site + ARTICLE_URL)
    expect(alice.locator(".lead > p")).to_have_text("Alice rewrote the lead about the Russians in Afghanistan.")
    expect(alice.locator("section", has=alice.locator("h2#history"))).to_contain_text(
        "Bob rewrote the history section."
    )

    # The same part: Bob's save is stopped and shows Alice's change.
    for page in (alice, bob):
        page.goto(change_url(site, seed_article))
    alice.locator("#id_lead").fill("Alice's second lead names Kabul and Mazar-i-Sharif.")
    save(alice, site)
    bob_lead = "Bob's own lead, written at the same time."
    bob.locator("#id_lead").fill(bob_lead)
    with bob.expect_response(lambda r: r.request.method == "POST") as posted:
        bob.locator('input[name="_save"]').last.click()
    assert posted.value.status == 200, f"the conflicting save answered {posted.value.status}"
    expect(bob.get_by_text(CONFLICT_ERROR)).to_be_visible()
    expect(bob.locator("#id_lead")).to_have_value(bob_lead)
    conflict = bob.locator("div.edit-conflict")
    expect(conflict).to_be_visible()
    lead_change = conflict.locator("tr", has=bob.get_by_role("rowheader", name=re.compile("^Lead")))
    expect(lead_change.locator("ins").first).to_be_visible()
    assert diff_sides(lead_change.locator("td")) == (
        "Alice rewrote the lead about the Russians in Afghanistan.",
        "Alice's second lead names Kabul and Mazar-i-Sharif.",
    )
    bob.screenshot(path=screenshot_dir / "edit-conflict.png", full_page=True)

    # Having seen it, Bob saves again: his text wins.
    save(bob, site)
    bob.goto(site + ARTICLE_URL)
    expect(bob.locator(".lead > p")).to_have_text(bob_lead)
    expect(bob.locator("section", has=bob.locator("h2#history"))).to_contain_text(
        "Bob rewrote the history section."
    )


# --- 3. Revert from the history ----------------------------------------------------------


def test_revert_from_history(login, site, seed_article, screenshot_dir):
    article_revision_save(article=seed_article, comment="Imported.")
    page = login("editor")
    page.goto(change_url(site, seed_article))
    page.locator("#id_lead").fill("A vandal replaced the whole lead.")
    save(page, site)
    page.goto(site + ARTICLE_URL)
    expect(page.locator(".lead > p")).to_have_text("A vandal replaced the whole lead.")

    page.goto(change_url(site, seed_article))
    page.locator("#content-main .object-tools").get_by_role("link", name="History").click()
    expect(page).to_have_url(f"{site}/admin/articles/article/{seed_article.pk}/history/")
    rows = page.locator("#revision-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Changed Lead")
    page.screenshot(path=screenshot_dir / "history.png", full_page=True)

    page.get_by_role("button", name="Compare selected revisions").click()
    expect(page).to_have_url(re.compile(r"/history/compare/\?[ab]=\d+&[ab]=\d+$"))
    lead_change = page.locator(
        "table.revision-diff tr", has=page.get_by_role("rowheader", name=re.compile("^Lead"))
    )
    expect(lead_change.locator("ins").first).to_be_visible()
    before, after = diff_sides(lead_change.locator("td"))
    assert before.startswith(SEED_LEAD) and after == "A vandal replaced the whole lead.", (before, after)
    page.screenshot(path=screenshot_dir / "history-compare.png", full_page=True)

    page.go_back()
    previous = rows.nth(1)
    expect(previous).to_contain_text("Imported.")
    revision = previous.locator('input[name="a"]').get_attribute("value")
    previous.get_by_role("link", name="Revert to this").click()
    expect(page).to_have_url(re.compile(rf"/history/{revision}/revert/$"))
    expect(page.locator("table.revision-diff")).to_contain_text("vandal")
    page.screenshot(path=screenshot_dir / "history-revert.png", full_page=True)
    page.get_by_role("button", name=f"Revert to revision {revision}").click()

    expect(page).to_have_url(f"{site}/admin/articles/article/{seed_article.pk}/history/")
    expect(page.locator("ul.messagelist li.success")).to_contain_text("was restored")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(f"Reverted to revision {revision}")
    expect(rows.first).to_contain_text("editor")

    page.goto(site + ARTICLE_URL)
    expect(page.locator(".lead p").first).to_contain_text(SEED_LEAD)
    expect(page.locator(".lead")).not_to_contain_text("vandal")


# --- 4. Creating a missing article ---------------------------------------------------------


def test_create_article_from_missing_see_also(login, site, seed_article):
    page = login("editor")
    page.goto(site + ARTICLE_URL)
    create = page.locator("section.see-also").get_by_role("link", name="Afghans in Russia", exact=True)
    expect(create).to_have_class(re.compile(r"\bcreate-link\b"))
    create.click()

    expect(page).to_have_url(re.compile(r"/admin/articles/article/add/\?"))
    assert f"from={seed_article.pk}" in page.url
    expect(page.locator("#id_title")).to_have_value("Afghans in Russia")
    expect(page.locator("#id_slug")).to_have_value("afghans-in-russia")
    page.locator("#id_status").select_option("published")
    page.locator("#id_lead").fill("Afghans in Russia live mostly in Moscow.")
    # Suggested infobox rows come without values: fill them in or drop them.
    for row in page.locator("#extra_rows-group tr.form-row:not(.empty-form)").all():
        value = row.locator('input[name$="-value"]')
        if value.count() and not value.input_value():
            row.locator("a.inline-deletelink").click()
    see_also_titles = [
        field.input_value() for field in page.locator('input[id^="id_see_also-"][id$="-target_title"]').all()
    ]
    assert "Russians in Afghanistan" in see_also_titles, see_also_titles
    save(page, site, added=True)

    page.goto(site + ARTICLE_URL)
    link = page.locator("section.see-also").get_by_role("link", name="Afghans in Russia", exact=True)
    expect(link).to_have_attribute("href", "/wiki/afghans-in-russia/")
    expect(link).not_to_have_class(re.compile("missing"))
    link.click()
    expect(page).to_have_url(f"{site}/wiki/afghans-in-russia/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Afghans in Russia")
    back = page.locator("section.see-also").get_by_role("link", name="Russians in Afghanistan", exact=True)
    expect(back).to_have_attribute("href", ARTICLE_URL)
