"""Bulk publish, the history page and the import preview in Chromium,
through the admin's own pages, with axe-core on the new pages."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from articles.services import article_edit, articles_import
from tests.browser.test_editing import login  # noqa: F401 - the fixture
from tests.browser.test_pages import axe_report

_axe = Axe()

DRAFTS = [
    ("tajiks.txt", "= Tajiks in Russia =\n\nAbout Tajiks in Russia.\n\n==History==\nSome history.\n"),
    ("uzbeks.txt", "= Узбеки в России =\n\nОб узбеках в России.\n\n==History==\nИстория.\n"),
]
NEW = """\
= الأرمن في أفغانستان =

Infobox
- Group: Armenians in Afghanistan
- Population: 300
- Langs: Armenian, Dari

Armenians have lived in Afghanistan since the 19th century.

==History==
The community was small.
"""


def axe_violations(page, label: str) -> list[str]:
    reports = []
    for scheme in ("light", "dark"):
        for width in (390, 1280):
            page.emulate_media(color_scheme=scheme)
            page.set_viewport_size({"width": width, "height": 900})
            violations = _axe.run(page).response["violations"]
            if violations:
                reports.append(f"{label}, {scheme} at {width}px: {axe_report(violations)}")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 1280, "height": 900})
    return reports


def test_bulk_publish_two_drafts_from_the_change_list(login, site, screenshot_dir):
    articles_import(sources=[(n, t.encode()) for n, t in DRAFTS], status=Article.Status.DRAFT)
    page = login("bulk")
    page.goto(f"{site}/admin/articles/article/")
    for title in ("Tajiks in Russia", "Узбеки в России"):
        row = page.locator("#result_list tbody tr", has=page.get_by_role("link", name=title, exact=True))
        row.locator("input.action-select").check()
    page.locator('select[name="action"]').select_option("publish")
    page.locator("#changelist-form .actions button[name=index]").click()
    expect(page.locator("ul.messagelist li.success")).to_have_text("2 articles published.")
    page.screenshot(path=screenshot_dir / "bulk-publish.png", full_page=True)
    for slug, title in ((Article.objects.get(title=t).slug, t) for t in ("Tajiks in Russia", "Узбеки в России")):
        page.goto(f"{site}/wiki/{slug}/")
        expect(page.locator("h1")).to_have_text(title)


def test_history_compare_with_the_previous_revision_in_one_click(login, site, screenshot_dir):
    [result] = articles_import(sources=[DRAFTS[1][0:1] + (DRAFTS[1][1].encode(),)])
    article = result.article
    article_edit(article=article, changes={"lead": "Об узбеках в России: новый текст."}, comment="Новый текст")
    article_edit(article=article, changes={"lead": "Коротко."}, comment="Короче")
    page = login("historian")
    page.goto(f"{site}/admin/articles/article/{article.pk}/history/")
    rows = page.locator("#revision-list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Короче")
    expect(rows.nth(0).locator(".size-change")).to_have_text(re.compile("^\u2212\\d+$"))
    expect(rows.nth(1).locator(".size-change")).to_have_text(re.compile(r"^\+\d+$"))
    expect(rows.nth(0).locator("time")).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"))
    expect(page.locator("#content-main table")).to_have_count(1)
    reports = axe_violations(page, "history")
    page.screenshot(path=screenshot_dir / "history-table.png", full_page=True)

    rows.nth(0).get_by_role("link", name=re.compile("with the revision before it")).click()
    expect(page).to_have_url(re.compile(r"/history/compare/\?a=\d+&b=\d+$"))
    lead = page.locator("table.revision-diff tr", has=page.get_by_role("rowheader", name=re.compile("^Lead")))
    expect(lead.locator("ins").first).to_contain_text("Коротко")
    page.screenshot(path=screenshot_dir / "history-prev.png", full_page=True)
    assert not reports, "\n".join(reports)


def test_import_preview_shows_the_new_article_rendered(login, site, screenshot_dir, tmp_path):
    path = tmp_path / "armenians.txt"
    path.write_text(NEW, encoding="utf-8")
    page = login("importer")
    page.goto(f"{site}/admin/articles/article/import/")
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_label("Import as drafts").check()
    page.get_by_role("button", name="Preview import").click()
    preview = page.locator("section.import-rendered")
    expect(preview).to_have_count(1)
    expect(preview.locator(".infobox")).to_contain_text("Armenian")
    expect(preview.locator("h1")).to_have_text("الأرمن في أفغانستان")
    expect(preview).to_contain_text("The community was small.")
    expect(page.locator("#import-summary")).to_contain_text("Every imported article will be a draft")
    reports = axe_violations(page, "import preview")
    page.screenshot(path=screenshot_dir / "import-preview-rendered.png", full_page=True)
    assert not Article.objects.filter(title="الأرمن في أفغانستان").exists()
    assert not reports, "\n".join(reports)
