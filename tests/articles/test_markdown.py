"""Issue 10, item 3: Markdown is rendered by cmark-gfm (C, linear time)
with the site's rules kept: CommonMark and GFM tables and strikethrough,
typed HTML shown as text, ``[[Title]]`` links that are never Markdown.

ORDINARY holds documents of the kinds the site uses, with the HTML that
markdown-it-py 4.3.0 (the renderer before) made of them, byte for byte,
except one change: a table's column alignment is now kept (cmark writes
``align``, which the allow-list has always allowed; markdown-it wrote
``style``, which the sanitiser dropped)."""

import pytest

from articles import markdown

URLS = {"Kabul": "/wiki/kabul/", "Balkh Province": "/wiki/balkh-province/"}
KABUL = '<a href="/wiki/kabul/" rel="noopener noreferrer">Kabul</a>'

ORDINARY = [
    (
        'paragraphs and emphasis',
        (
            'The *Russians* of **Kabul** came in _waves_; some __stayed__.\nA second line\n'
            'of the same paragraph.\n\nA new paragraph with ***both***.'
        ),
        (
            '<p>The <em>Russians</em> of <strong>Kabul</strong> came in <em>waves</em>; '
            'some <strong>stayed</strong>.\nA second line\nof the same paragraph.</p>\n'
            '<p>A new paragraph with <em><strong>both</strong></em>.</p>\n'
        ),
    ),
    (
        'lists',
        (
            '- one\n- two\n  - nested\n- three\n\n1. first\n2. second\n\n3) third start\n'
            '4) fourth\n\n* loose\n\n* list'
        ),
        (
            '<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>nested</li>\n</ul>\n</li>\n<li>three</li>\n'
            '</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n<ol start="3">\n'
            '<li>third start</li>\n<li>fourth</li>\n</ol>\n<ul>\n<li>\n<p>loose</p>\n</li>\n<li>\n'
            '<p>list</p>\n</li>\n</ul>\n'
        ),
    ),
    (
        'links',
        (
            'See [the census](https://example.org/census "Census 1979") and '
            '<https://example.org/auto>,\n'
            '[a reference][ref], [[Kabul]], [[Balkh Province|Balkh]] and [[Nowhere]].\n\n'
            '[ref]: https://example.org/ref'
        ),
        (
            '<p>See <a href="https://example.org/census" title="Census 1979" rel="noopener '
            'noreferrer">the census</a> and <a href="https://example.org/auto" '
            'rel="noopener noreferrer">https://example.org/auto</a>,\n'
            '<a href="https://example.org/ref" rel="noopener noreferrer">a reference</a>, '
            '<a href="/wiki/kabul/" rel="noopener noreferrer">Kabul</a>, <a '
            'href="/wiki/balkh-province/" rel="noopener noreferrer">Balkh</a> and <span '
            'class="missing" title="Nowhere: no article yet">Nowhere</span>.</p>\n'
        ),
    ),
    (
        'code',
        (
            'Inline `code [[Kabul]]` here.\n\n```\nfenced [[Kabul]] <b>\n```\n\n'
            '    indented code\n    block'
        ),
        (
            '<p>Inline <code>code [[Kabul]]</code> here.</p>\n'
            '<pre><code>fenced [[Kabul]] &lt;b&gt;\n</code></pre>\n<pre><code>indented code\n'
            'block\n</code></pre>\n'
        ),
    ),
    (
        'table',
        (
            '| Year | People | Note |\n|:-----|-------:|:----:|\n| 1979 | 5,000 | [[Kabul]] |\n'
            '| 1989 | *few* | `n/a` |'
        ),
        (
            '<table>\n<thead>\n<tr>\n<th align="left">Year</th>\n<th align="right">People</th>\n'
            '<th align="center">Note</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
            '<td align="left">1979</td>\n<td align="right">5,000</td>\n'
            '<td align="center"><a href="/wiki/kabul/" rel="noopener noreferrer">Kabul</a></td>\n'
            '</tr>\n<tr>\n<td align="left">1989</td>\n<td align="right"><em>few</em></td>\n'
            '<td align="center"><code>n/a</code></td>\n</tr>\n</tbody>\n</table>\n'
        ),
    ),
    (
        'headings',
        (
            '#### Fourth\n\n##### Fifth\n\n###### Sixth\n\nSetext\n------\n\n# First'
        ),
        (
            '<h4>Fourth</h4>\n<h5>Fifth</h5>\n<h6>Sixth</h6>\nSetext\nFirst\n'
        ),
    ),
    (
        'quotes and rules',
        (
            '> A quoted\n> paragraph with [[Kabul]].\n\n---\n\nAfter the rule.  \n'
            'Hard break, and a\\\nbackslash break.'
        ),
        (
            '<blockquote>\n<p>A quoted\n'
            'paragraph with <a href="/wiki/kabul/" rel="noopener noreferrer">Kabul</a>.</p>\n'
            '</blockquote>\n<hr>\n<p>After the rule.<br>\nHard break, and a<br>\n'
            'backslash break.</p>\n'
        ),
    ),
    (
        'escapes and entities',
        (
            '1\\. not a list, \\*not emphasis\\*, &amp; &copy; &#35; 5 < 6 > 4, AT&T.'
        ),
        (
            '<p>1. not a list, *not emphasis*, &amp; © # 5 &lt; 6 &gt; 4, AT&amp;T.</p>\n'
        ),
    ),
    (
        'typed html',
        (
            'An editor types <b>bold</b> and <script>alert(1)</script>.\n\n<div>\n*still* text\n'
            '</div>\n\n<!-- a comment -->'
        ),
        (
            '<p>An editor types &lt;b&gt;bold&lt;/b&gt; and '
            '&lt;script&gt;alert(1)&lt;/script&gt;.</p>\n<p>&lt;div&gt;\n<em>still</em> text\n'
            '&lt;/div&gt;</p>\n<p>&lt;!-- a comment --&gt;</p>\n'
        ),
    ),
]


@pytest.mark.parametrize(("kind", "text", "html"), ORDINARY, ids=[c[0] for c in ORDINARY])
def test_ordinary_documents_render_as_markdown_it_rendered_them(kind, text, html):
    assert markdown.render(text, URLS) == html


def test_a_wikilink_inside_a_code_span_or_block_stays_literal():
    assert markdown.render("`[[Kabul]]` and [[Kabul]]", URLS) == (
        f"<p><code>[[Kabul]]</code> and {KABUL}</p>\n"
    )
    assert markdown.render("```[[Kabul]]\n[[Kabul|x]]\n```", URLS) == (
        "<pre><code>[[Kabul|x]]\n</code></pre>\n"
    )
    assert markdown.render("    [[Kabul]]", URLS) == "<pre><code>[[Kabul]]\n</code></pre>\n"


def test_a_wikilink_inside_a_link_destination_or_autolink_stays_part_of_the_url():
    assert markdown.render("[x](/a/[[Kabul]])", URLS) == (
        '<p><a href="/a/%5B%5BKabul%5D%5D" rel="noopener noreferrer">x</a></p>\n'
    )
    assert markdown.render("<https://x.org/[[Kabul]]>", URLS) == (
        '<p><a href="https://x.org/%5B%5BKabul%5D%5D" rel="noopener noreferrer">'
        "https://x.org/[[Kabul]]</a></p>\n"
    )


def test_a_wikilink_label_with_markdown_and_html_characters_is_escaped_not_parsed():
    html = markdown.render("[[Kabul|*not* <b>bold</b> & `code` (/y)]]", URLS)
    assert html == (
        '<p><a href="/wiki/kabul/" rel="noopener noreferrer">'
        "*not* &lt;b&gt;bold&lt;/b&gt; &amp; `code` (/y)</a></p>\n"
    )
    # A missing title is escaped in the tooltip too; a backslash is kept as typed.
    assert markdown.render('[[A "quoted" <title>\\_x]]', {}) == (
        '<p><span class="missing" title="A &quot;quoted&quot; &lt;title&gt;\\_x: no article yet">'
        'A "quoted" &lt;title&gt;\\_x</span></p>\n'
    )


def test_a_wikilink_is_one_link_where_markdown_would_see_brackets():
    # "[[a]](/url)" is the wiki-link and text, never a Markdown link; emphasis
    # around it works; in a table cell its "|" does not split the cell.
    assert markdown.render("[[Kabul]](/url)", URLS) == f"<p>{KABUL}(/url)</p>\n"
    assert markdown.render("*[[Kabul]]*", URLS) == f"<p><em>{KABUL}</em></p>\n"
    table = markdown.render("| a |\n|---|\n| [[Kabul|the city]] |", URLS)
    assert '<td><a href="/wiki/kabul/" rel="noopener noreferrer">the city</a></td>' in table


def test_wikilinks_are_the_titles_link_titles_finds():
    text = "[[Kabul]], `[[Herat]]`, [[Balkh Province|Balkh]], [[ Kabul ]]"
    assert markdown.link_titles(text) == ["Kabul", "Herat", "Balkh Province"]
    html = markdown.render(text, URLS)
    assert html.count(KABUL) == 2
    assert '<a href="/wiki/balkh-province/" rel="noopener noreferrer">Balkh</a>' in html


@pytest.mark.parametrize(("text", "html"), [
    ("a <b>b</b> c", "<p>a &lt;b&gt;b&lt;/b&gt; c</p>\n"),
    ("<div>x</div>", "<p>&lt;div&gt;x&lt;/div&gt;</p>\n"),
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
    ("<!-- note -->", "<p>&lt;!-- note --&gt;</p>\n"),
    ("text\n<div>x</div>", "<p>text\n&lt;div&gt;x&lt;/div&gt;</p>\n"),
    ("<div>\n*x*\n</div>\nmore", "<p>&lt;div&gt;\n<em>x</em>\n&lt;/div&gt;\nmore</p>\n"),
    ("- <div>a</div>\n- b", "<ul>\n<li>&lt;div&gt;a&lt;/div&gt;</li>\n<li>b</li>\n</ul>\n"),
    ("<pre>\n\n- <p>x</p>\n\n</pre>",
     "<p>&lt;pre&gt;</p>\n<ul>\n<li>&lt;p&gt;x&lt;/p&gt;</li>\n</ul>\n<p>&lt;/pre&gt;</p>\n"),
    ("[[a<b>c]] <i>[[Kabul]]</i>",
     '<p><span class="missing" title="a&lt;b&gt;c: no article yet">a&lt;b&gt;c</span> '
     f"&lt;i&gt;{KABUL}&lt;/i&gt;</p>\n"),
])
def test_typed_raw_html_is_literal_text(text, html):
    # As markdown-it with html=False made them: text, never "raw HTML omitted".
    assert markdown.render(text, URLS) == html


def test_a_nul_in_a_wikilink_is_a_replacement_character_not_the_end_of_it():
    assert markdown.render("[[A\x00B]] x\x00", {}) == (
        '<p><span class="missing" title="A\ufffdB: no article yet">A\ufffdB</span> x\ufffd</p>\n'
    )


def test_strikethrough_needs_two_tildes_and_shows():
    assert markdown.render("~~gone~~ ~kept~", {}) == "<p><del>gone</del> ~kept~</p>\n"


def test_a_javascript_link_loses_its_url():
    assert markdown.render("[x](javascript:alert(1))", {}) == (
        '<p><a rel="noopener noreferrer">x</a></p>\n'
    )


def test_rendering_frees_what_cmark_allocates(monkeypatch):
    # Every document and parser made is freed, and so is the rendered string.
    made, freed = [], []
    lib = markdown._lib

    class Counting:
        def __getattr__(self, name):
            return getattr(lib, name)

        def cmark_parser_new(self, options):
            made.append("parser")
            return lib.cmark_parser_new(options)

        def cmark_parser_free(self, parser):
            freed.append("parser")
            lib.cmark_parser_free(parser)

        def cmark_node_free(self, node):
            if lib.cmark_node_parent(node) == markdown._ffi.NULL:
                freed.append("root")
            lib.cmark_node_free(node)

    monkeypatch.setattr(markdown, "_lib", Counting())
    markdown.render("<div>a</div>\n\n[[Kabul]] <b>", URLS)
    # Two parses (the text, then its HTML block as Markdown): two parsers
    # and their two documents, plus the HTML block and nodes replaced.
    assert made == ["parser", "parser"]
    assert freed.count("parser") == 2
    assert freed.count("root") >= 2
