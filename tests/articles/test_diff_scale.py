"""Diffs of long sections on the admin's compare and revert pages: a one-word
edit in a section of 21,000 words (about 128 KB) took 35-76 s with difflib's
quadratic matcher; now it is shown at once, word for word."""

import re
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.services import articles_import
from tests.articles.test_history import change_url, history_url, open_form, revisions, section_key

pytestmark = pytest.mark.django_db

VOCABULARY = "alpha beta gamma delta the of and community Kabul migrants families, moved. in 1990".split()


def long_body(words: int, per_line: int) -> list[list[str]]:
    """Paragraphs of a section with many repeated words (the worst case of
    the old matcher), deterministic."""
    tokens = [VOCABULARY[(i * 7 + i // 13) % len(VOCABULARY)] for i in range(words)]
    return [tokens[i : i + per_line] for i in range(0, words, per_line)]


def text_of(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paragraphs)


def saved_twice(admin_client, admin_user, before: str, after: str):
    source = f"= Uzbeks in Russia =\n\nThe lead.\n\n==History==\n{before}\n"
    [result] = articles_import(sources=[("uzbeks.txt", source.encode())], user=admin_user)
    article = result.article
    data = open_form(admin_client, article)
    data[section_key(data, "History", "body")] = after
    assert admin_client.post(change_url(article), data).status_code == 302
    newest, oldest = revisions(article)[:2]
    return article, oldest, newest


def marked(html: str) -> list[str]:
    return re.findall(r"<(del|ins)>([^<]*)</\1>", html)


def test_one_word_changed_in_a_128_kb_section_is_shown_as_that_word_on_compare_and_revert(
    admin_client, admin_user
):
    paragraphs = long_body(21_000, per_line=21_000)  # one 128 KB line: the word diff alone
    before = text_of(paragraphs)
    assert len(before.encode()) > 125_000
    paragraphs[0][10_500] = "Tashkent"
    article, oldest, newest = saved_twice(admin_client, admin_user, before, text_of(paragraphs))

    compare = admin_client.get(f"{history_url(article)}compare/", {"a": oldest.pk, "b": newest.pk})
    assert compare.status_code == 200
    html = compare.content.decode()
    old_word = long_body(21_000, per_line=21_000)[0][10_500]
    assert marked(html) == [("del", old_word), ("ins", "Tashkent")]
    context = " ".join(paragraphs[0][10_495:10_500])
    assert f"{context} <del>{old_word}</del><ins>Tashkent</ins> {paragraphs[0][10_501]}" in html

    revert = admin_client.get(f"{history_url(article)}{oldest.pk}/revert/")
    assert revert.status_code == 200
    assert marked(revert.content.decode()) == [("del", "Tashkent"), ("ins", old_word)]


def test_edits_in_distant_paragraphs_of_a_long_section_are_each_marked(admin_client, admin_user):
    paragraphs = long_body(20_000, per_line=100)
    before = text_of(paragraphs)
    paragraphs[3][50] = "Samarkand"
    paragraphs[150][0:2] = []  # two words removed
    paragraphs[190].insert(99, "Bukhara")
    article, oldest, newest = saved_twice(admin_client, admin_user, before, text_of(paragraphs))

    html = admin_client.get(
        f"{history_url(article)}compare/", {"a": oldest.pk, "b": newest.pk}
    ).content.decode()
    original = long_body(20_000, per_line=100)
    assert marked(html) == [
        ("del", original[3][50]), ("ins", "Samarkand"),
        ("del", " ".join(original[150][0:2]) + " "),
        ("ins", "Bukhara "),
    ]


def test_a_rewritten_long_section_is_one_deletion_and_one_insertion_of_escaped_text():
    from articles.revision_diff import inline_diff

    before = " ".join(f"<b>old{i}</b>" for i in range(20_000))
    after = " ".join(f"new{i} & more" for i in range(20_000))
    html = inline_diff(before, after)
    assert "<b>" not in html and "&lt;b&gt;old19999&lt;/b&gt;" in html
    assert "new0 &amp; more" in html
    text = re.sub(r"</?(del|ins)>", "", html)
    assert text.count("old") == 20_000 and text.count("new") == 20_000


@settings(max_examples=200, deadline=None)
@given(
    old=st.text(st.sampled_from(list("ab <&\n.é")), max_size=40),
    new=st.text(st.sampled_from(list("ab <&\n.é")), max_size=40),
)
def test_the_diff_gives_back_both_texts(old, new):
    from articles.revision_diff import inline_diff

    html = inline_diff(old, new)
    assert unescape(re.sub(r"<ins>.*?</ins>|</?del>", "", html, flags=re.S)) == old
    assert unescape(re.sub(r"<del>.*?</del>|</?ins>", "", html, flags=re.S)) == new
