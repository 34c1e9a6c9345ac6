"""Section editing, the edit summary and the preview in Chromium, as an
editor uses them: the "edit" link beside a heading on the public page, the
section form saved and merged with a colleague's full-form save of another
section, Show preview and Show changes with script (fetched in place) and
without (the form posted and shown again), nothing saved by either; axe-core
finds nothing on the section form."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from reversion.models import Version

from articles.models import Article, Section
from articles.services import articles_import
from tests.browser.test_editing import change_url, login, save, section_index  # noqa: F401
from tests.browser.test_pages import axe_report

TEXT = """\
= Uzbeks in Russia =

The lead of the article.

==History==
Old history.

==Культура==
Old culture.

==التاريخ==
Old Arabic-script section.
"""


@pytest.fixture
def article(site) -> Article:
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())])
    return result.article


def bodies(article: Article) -> dict[str, str]:
    return dict(Section.objects.filter(article=article).values_list("heading", "body"))


def test_a_section_edit_is_merged_with_a_full_form_edit_and_previewed_first(
    login, site, article, screenshot_dir
):
    editor = login("sectioneditor")
    editor.goto(f"{site}{article.get_absolute_url()}")
    heading = editor.locator("h2", has_text="History")
    edit = heading.get_by_role("link", name="Edit the section History")
    expect(edit).to_have_text("edit")
    expect(editor.get_by_role("link", name="Edit the section Культура")).to_be_visible()
    edit.click()
    expect(editor.get_by_label("Heading")).to_have_value("History")
    expect(editor.get_by_label("Text")).to_have_value("Old history.")

    # Meanwhile a colleague saves another section through the full form.
    colleague = login("colleague")
    colleague.goto(change_url(site, article))
    body = colleague.locator(f"#id_sections-{section_index(colleague, 'Культура')}-body")
    toggle = colleague.locator("#sections-group button.section-toggle", has_text="Культура")
    if not body.is_visible() and toggle.count():
        toggle.click()  # the form shows one section open at a time
    body.fill("Culture by the colleague.")
    save(colleague, site)

    editor.get_by_label("Text").fill("History with **bold** and [[Uzbeks in Russia]].")
    editor.get_by_label("Edit summary").fill("History expanded")
    revisions = Version.objects.get_for_object(article).count()

    editor.get_by_role("button", name="Show preview").click()
    preview = editor.locator("#edit-preview-area .edit-preview")
    expect(preview.get_by_role("heading", name="Preview")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("bold")
    expect(editor.get_by_label("Text")).to_have_value("History with **bold** and [[Uzbeks in Russia]].")
    editor.get_by_role("button", name="Show changes").click()
    expect(preview.get_by_role("heading", name="Your changes")).to_be_visible()
    expect(preview.locator("ins").first).to_contain_text("with")
    editor.screenshot(path=str(screenshot_dir / "section-edit-changes.png"), full_page=True)
    assert bodies(article)["History"] == "Old history."  # nothing saved by either
    assert Version.objects.get_for_object(article).count() == revisions

    editor.get_by_role("button", name="Save").click()
    expect(editor).to_have_url(f"{site}{article.get_absolute_url()}#history")
    expect(editor.locator("section", has=editor.locator("h2#history"))).to_contain_text(
        "History with bold and Uzbeks in Russia.")
    expect(editor.locator("body")).to_contain_text("Culture by the colleague.")
    assert bodies(article) == {"History": "History with **bold** and [[Uzbeks in Russia]].",
                               "Культура": "Culture by the colleague.",
                               "التاريخ": "Old Arabic-script section."}
    editor.goto(f"{site}/admin/articles/article/{article.pk}/history/")
    expect(editor.locator("body")).to_contain_text("History expanded")


def test_preview_without_script_posts_and_keeps_the_form(browser, site, article, login):
    login("noscript")  # the user; this context logs in again without script
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{site}/admin/login/?next=/admin/")
        page.get_by_label("Username").fill("noscript")
        page.get_by_label("Password").fill("Browser-test-pass-4291")
        page.get_by_role("button", name="Log in").click()
        page.goto(change_url(site, article))
        page.locator("#id_lead").fill("A lead *previewed* without script.")
        page.get_by_role("button", name="Show preview").click()
        expect(page).to_have_url(f"{site}/admin/articles/article/{article.pk}/preview/")
        expect(page.locator(".edit-preview em")).to_have_text("previewed")
        expect(page.locator("#id_lead")).to_have_value("A lead *previewed* without script.")
        assert Article.objects.get(pk=article.pk).lead == "The lead of the article."
        page.locator('input[name="_save"]').last.click()
        expect(page).to_have_url(f"{site}/admin/articles/article/")
        assert Article.objects.get(pk=article.pk).lead == "A lead *previewed* without script."
    finally:
        context.close()


def test_the_section_form_has_no_axe_violations(login, site, article):
    page = login("axe-section")
    page.goto(f"{site}/admin/articles/article/{article.pk}/section/%D0%BA%D1%83%D0%BB%D1%8C%D1%82%D1%83%D1%80%D0%B0/")
    expect(page.get_by_label("Heading")).to_have_value("Культура")
    violations = Axe().run(page).response["violations"]
    assert not violations, axe_report(violations)
    page.get_by_role("button", name="Show preview").click()
    expect(page.locator(".edit-preview")).to_contain_text("Old culture.")
    violations = Axe().run(page).response["violations"]
    assert not violations, axe_report(violations)
