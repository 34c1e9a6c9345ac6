"""Issue 10, item 3: the work of rendering one text is bounded. cmark-gfm
(C, linear) parses and renders; the Python around it walks the tree only
when there is typed HTML or a wiki-link to handle, and reparses all HTML
blocks of a text in one parse; 1 MB of the inputs that took markdown-it
2-10 s render within the test run (about 0.1-0.3 s each). A lead or section
longer than MAX_TEXT_LENGTH is refused with its line (the import) or a
message on the form (the admin)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles import markdown
from articles.models import Section
from articles.services import ImportFailed, articles_import, articles_import_plan
from articles.wikitext.blocks import MAX_TEXT_LENGTH
from tests.admin_forms import add_inline_form
from tests.articles.test_admin import (
    article_state, assert_refused, change_url, open_form, post_form,
)

PATHOLOGICAL = {
    # text: the HTML it must give (seconds of CPU per MB in markdown-it)
    "![" * 500_000: None,  # 2.3 s before
    "![" * 500_000 + "]": None,  # 9.7 s before
    "![a](" * 200_000: None,  # 7.6 s before
    "[" * 500_000 + "]" * 500_000: None,  # 6.0 s before
    "*a" * 500_000: "<p>" + "<em>a</em>a" * 250_000 + "</p>\n",  # 5.4 s before
}


@pytest.mark.parametrize("text", list(PATHOLOGICAL), ids=lambda t: f"{t[:6]!r}...")
def test_a_1mb_text_of_dense_markup_renders_in_the_test_run(text):
    assert len(text) >= 1_000_000
    assert markdown.render(text, {}) == (PATHOLOGICAL[text] or f"<p>{text}</p>\n")


class Counted:
    """Counts calls of one function of the markdown module."""

    def __init__(self, monkeypatch, name):
        self.calls = 0
        original = getattr(markdown, name)

        def counted(*args, **kwargs):
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(markdown, name, counted)


def test_a_text_without_html_or_wikilinks_is_never_walked_in_python(monkeypatch):
    walks = Counted(monkeypatch, "_nodes")
    text = "*a* [b](/c) `d` ![e](/f)\n\n" * 10_000
    assert markdown.render(text, {}).count("<em>a</em>") == 10_000
    assert walks.calls == 0


def test_all_html_blocks_of_a_text_are_reparsed_in_one_parse(monkeypatch):
    parses = Counted(monkeypatch, "_parse")
    text = "<div>a</div>\n\n- <p>b</p>\n\n" * 5_000
    html = markdown.render(text, {})
    assert html.count("<p>&lt;div&gt;a&lt;/div&gt;</p>") == 5_000
    assert html.count("<li>&lt;p&gt;b&lt;/p&gt;</li>") == 5_000
    # The text, then its HTML blocks (at any depth) all at once.
    assert parses.calls == 2


def test_many_wikilinks_make_at_most_two_nodes_each(monkeypatch):
    inserts = Counted(monkeypatch, "_insert_before")
    html = markdown.render("[[A]] " * 10_000, {"A": "/a/"})
    assert html.count('<a href="/a/" rel="noopener noreferrer">A</a>') == 10_000
    # Each link and the space before it (the first has none).
    assert inserts.calls == 2 * 10_000 - 1


MARKUP = st.lists(
    st.sampled_from([
        "[", "]", "(", ")", "!", "*", "_", "`", "<", ">", " ", "a", "\\", "\n", "\n\n",
        "[[", "]]", "[[a]]", "[[b|c]]", "](", "http://x", "<http://y>", '"t"', "[x]: /u\n",
        "\\(", "\\ ", "\x7f", "\t", "|", "-", "<b>", "</b>", "<div>", "<script>", "<!--",
        "-->", "<pre>", "```", "- ", "> ", "1. ", "    ", "|---|", "~~", "&lt;", "\u2045", "\x00",
    ]),
    max_size=40,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(MARKUP)
def test_any_markup_renders_without_typed_tags_or_leftover_placeholders(text):
    html = markdown.render(text, {"a": "/wiki/a/"})
    # Every tag is one the renderer made (typed ones are text) ...
    for tag in ("<b>", "<div", "<script", "<!--"):
        assert tag not in html
    # ... and no wiki-link placeholder is left in place of the link.
    assert "\ue000" not in html
    assert html.count("/wiki/a/") <= text.count("[[a]]")


# --- The limit on one text --------------------------------------------------------------

DOC = "= Armenians in Afghanistan =\n\nA lead.\n\n== History ==\n\n{body}\n"


def test_import_refuses_a_section_over_the_limit_with_file_and_line(db):
    body = "![" * (MAX_TEXT_LENGTH // 2) + "x"
    with pytest.raises(ImportFailed) as caught:
        articles_import(sources=[("big.txt", DOC.format(body=body).encode())])
    assert str(caught.value) == (
        f"big.txt:7: the text that starts here is {len(body):,} characters long; a lead or "
        f"section may hold at most {MAX_TEXT_LENGTH:,}: split it into sections"
    )
    assert not Section.objects.exists()


def test_import_of_a_section_at_the_limit_of_unclosed_brackets_renders_it(db):
    body = "![" * (MAX_TEXT_LENGTH // 2)
    [result] = articles_import(sources=[("big.txt", DOC.format(body=body).encode())])
    section = result.article.sections.get()
    assert section.body == body
    assert section.body_html == f"<p>{body}</p>\n"


def test_admin_import_preview_refuses_a_section_over_the_limit(admin_client):
    from tests.articles.test_admin_import import IMPORT_URL, page_text, upload

    body = "[" * (MAX_TEXT_LENGTH + 1)
    response = admin_client.post(IMPORT_URL, upload(("big.txt", DOC.format(body=body).encode())))
    assert response.status_code == 200
    assert "Nothing was imported: big.txt:7: the text that starts here is" in page_text(response)
    with pytest.raises(ImportFailed):
        articles_import_plan(sources=[("big.txt", DOC.format(body=body).encode())])


def test_admin_saves_a_section_of_unclosed_brackets_at_the_limit(admin_client, seed_fixture):
    # Every later save renders it again: bounded by the limit and the fast scan.
    response, data = open_form(admin_client, change_url(seed_fixture))
    body = "![" * (MAX_TEXT_LENGTH // 2)
    add_inline_form(response, data, "sections", heading="Brackets", level="2",
                    position="9", body=body)
    response = post_form(admin_client, change_url(seed_fixture), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    section = seed_fixture.sections.get(heading="Brackets")
    assert section.body_html == f"<p>{body}</p>\n"


def test_admin_refuses_a_section_over_the_limit_and_saves_nothing(admin_client, seed_fixture):
    before = article_state(seed_fixture.pk)
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "sections", heading="Brackets", level="2",
                    position="9", body="![" * (MAX_TEXT_LENGTH // 2 + 1))
    response = post_form(admin_client, change_url(seed_fixture), data)
    assert_refused(
        response,
        f"Line 1: the text that starts here is {MAX_TEXT_LENGTH + 2:,} characters long; "
        f"a lead or section may hold at most {MAX_TEXT_LENGTH:,}: split it into sections",
        before, seed_fixture.pk,
    )
