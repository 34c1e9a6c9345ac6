"""Issue 12, what readers see of citations: markers rendered as Wikipedia's
numbered superscripts (articles.citations through articles.markdown), the
infobox's and the text's numbered alike, the References list with its
back-links, and the article page in a fixed number of queries."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from articles import markdown
from articles.api import plain_text
from articles.citations import (
    CitationRenderer,
    backlink_label,
    citation_html,
    cited_source,
    doi_href,
    format_date,
    language_name,
    web_href,
)
from articles.models import Article, ArticleReference, ArticleRender, Citation, Source
from articles.services import articles_import
from articles.wikitext import Marker, references
from tests.examples import SOURCES_EXAMPLE
from tests.html import visible_text

# The example of issue 12, with a general reference (no marker uses it), a
# [^?] and a DOI added.
EXAMPLE = (
    SOURCES_EXAMPLE.replace(
        "Text.[^smith|pp. 50–52][^rferl]\n",
        "Text.[^smith|pp. 50–52][^rferl] Many left in the 1990s.[^?] See `[^smith]` in code.\n",
    ).replace("  - Author: John Smith\n", "  - Author: John Smith\n  - Author: Jane Doe\n")
    + "  - Language: ru\n- [^survey]\n  - Type: journal\n  - Title: Migration from Central Asia\n"
    "  - Work: Journal of Examples\n  - Date: 2005-03\n  - Doi: 10.1000/xyz#1?a<b>\n"
)


def sup(key: str, index: int, number: int, locator: str = "", rel: bool = True) -> str:
    """A superscript as the renderer writes it (``rel``: as nh3 leaves it)."""
    rel_attr = ' rel="noopener noreferrer"' if rel else ""
    shown = f'<span class="reference-locator">:\u200a{locator}</span>' if locator else ""
    return (
        f'<sup class="reference" id="cite-ref-{key}-{index}"><a href="#cite-note-{key}"{rel_attr}>'
        f"[{number}]</a>{shown}</sup>"
    )


NEEDED = '<sup class="citation-needed">[<em>citation needed</em>]</sup>'


# --- the renderer -------------------------------------------------------------------


def test_numbers_follow_first_use_and_a_reused_source_keeps_its_number():
    renderer = CitationRenderer(["census", "smith", "rferl"])
    assert renderer.infobox([Marker("census")]) == sup("census", 0, 1, rel=False)
    html = renderer.render("Dushanbe.[^census] Railway.[^smith|p. 42]\n\nText.[^smith][^rferl]")
    assert html == (
        f"<p>Dushanbe.{sup('census', 1, 1)} Railway.{sup('smith', 0, 2, 'p. 42')}</p>\n"
        f"<p>Text.{sup('smith', 1, 2)}{sup('rferl', 0, 3)}</p>\n"
    )
    # The uses go on counting across calls (the next section's body).
    assert renderer.render("Again.[^census]") == f"<p>Again.{sup('census', 2, 1)}</p>\n"
    assert (renderer.number("smith"), renderer.uses("smith"), renderer.number("nowhere")) == (2, 2, None)


def test_citation_needed_links_nowhere_and_counts_no_use():
    renderer = CitationRenderer(["a"])
    assert renderer.render("Claim.[^?] Other.[^a]") == f"<p>Claim.{NEEDED} Other.{sup('a', 0, 1)}</p>\n"
    assert renderer.infobox([Marker("?"), Marker("a", "p. 3")]) == NEEDED + sup("a", 1, 1, "p. 3", rel=False)


def test_markers_in_code_stay_literal_but_count_as_the_texts_citations_do():
    renderer = CitationRenderer(["a"])
    html = renderer.render("`[^a]` and\n\n```\n[^a|p. 1]\n```\n\nthen[^a]")
    assert html == (
        "<p><code>[^a]</code> and</p>\n<pre><code>[^a|p. 1]\n</code></pre>\n"
        f"<p>then{sup('a', 2, 1)}</p>\n"
    )


def test_a_marker_is_opaque_to_markdown():
    renderer = CitationRenderer(["a", "b"])
    # A "|" in a locator splits no table cell; "*" and "`" in it start no markup.
    table = renderer.render("| x | y |\n|---|---|\n| one[^a|pp. 1|2] | two[^b|p. *3* `x` _y_] |")
    assert "<td>one[^a</td>" in table  # two "|": no marker (the parser refuses it)
    renderer = CitationRenderer(["a", "b"])
    table = renderer.render("| x | y |\n|---|---|\n| one[^a|§ 1] | two[^b|p. *3* `x`] |")
    assert f"<td>one{sup('a', 0, 1, '§ 1')}</td>" in table
    assert f"<td>two{sup('b', 0, 2, 'p. *3* `x`')}</td>" in table
    # Not a link either, whatever follows it.
    assert renderer.render("[^a](https://x.org)") == f"<p>{sup('a', 1, 1)}(https://x.org)</p>\n"
    # Emphasis around it works as around a wiki-link.
    assert renderer.render("*claim[^b]*") == f"<p><em>claim{sup('b', 1, 2)}</em></p>\n"


def test_inside_a_link_a_marker_is_a_superscript_without_a_second_link():
    renderer = CitationRenderer(["a"])
    html = renderer.render("[the census[^a]](https://example.org/c)")
    assert html == (
        '<p><a href="https://example.org/c" rel="noopener noreferrer">the census'
        '<sup class="reference" id="cite-ref-a-0">[1]</sup></a></p>\n'
    )


def test_markers_in_urls_and_titles_are_part_of_them():
    renderer = CitationRenderer(["a"])
    html = renderer.render('[x](/p[^a] "t[^a]") <https://x.org/[^a]>')
    assert html == (
        '<p><a href="/p%5B%5Ea%5D" title="t[^a]" rel="noopener noreferrer">x</a> '
        '<a href="https://x.org/%5B%5Ea%5D" rel="noopener noreferrer">https://x.org/[^a]</a></p>\n'
    )


def test_markers_and_wikilinks_together():
    renderer = CitationRenderer(["a"], {"Kabul": "/wiki/kabul/"})
    html = renderer.render("In [[Kabul]].[^a] [^a|[[Kabul]]]")
    # The second marker's locator is "[[Kabul" (a marker ends at its first
    # "]"), as wikitext.find_markers reads it: the marker wins over the link.
    assert html == (
        f'<p>In <a href="/wiki/kabul/" rel="noopener noreferrer">Kabul</a>.{sup("a", 0, 1)} '
        f'{sup("a", 1, 1, "[[Kabul")}]]</p>\n'
    )


def test_hostile_locators_and_unknown_keys_are_text():
    renderer = CitationRenderer(["a"])
    html = renderer.render('x[^a|<script>alert(1)</script>] y[^a|"><img src=x onerror=alert(1)>] [^zz]')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' in html or "&lt;img src=x" in html
    assert html.endswith(" [^zz]</p>\n")  # no entry (the parser refuses it): shown as written
    assert renderer.uses("zz") == 0


def test_typed_placeholder_characters_never_pass_for_a_marker_or_link():
    renderer = CitationRenderer(["a"], {"K": "/k/"})
    typed = "\u2045\ue0000\u2046 \u2045\ue0001\u2046"
    html = renderer.render(f"{typed} [[K]][^a]")
    assert html.count("<sup") == 1 and html.count('href="/k/"') == 1
    assert typed in html


def test_without_a_renderer_markers_are_text_as_before():
    assert markdown.render("Claim.[^a|p. 1]", {}) == "<p>Claim.[^a|p. 1]</p>\n"


def test_many_markers_render_in_one_pass(monkeypatch):
    parses = []
    real_parse = markdown._parse
    monkeypatch.setattr(markdown, "_parse", lambda source: parses.append(1) or real_parse(source))
    renderer = CitationRenderer(["a", "b"])
    html = renderer.render("Claim.[^a] More.[^b|p. 2] " * 10_000)
    assert html.count('<sup class="reference"') == 20_000
    assert f'id="cite-ref-b-9999"' in html and renderer.uses("a") == 10_000
    assert len(parses) == 1
    # Malformed "[^" (no closing bracket near) stays text, whatever their number.
    assert renderer.render("[^" * 50_000) == f"<p>{'[^' * 50_000}</p>\n"


def test_backlink_labels_are_letters_as_on_wikipedia():
    assert [backlink_label(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "a", "b", "z", "aa", "ab", "az", "ba", "zz", "aaa"
    ]


# --- an entry of the References list ------------------------------------------------


def source(**fields) -> SimpleNamespace:
    values = dict(type="web", title="A title", authors=[], work="", publisher="", date="",
                  url="", isbn="", doi="", language="", archive_url="", archive_date="", slug="a-title")
    values.update(fields)
    return SimpleNamespace(get_absolute_url=lambda: f"/sources/{values['slug']}/", **values)


def test_a_web_citation_as_cite_web_prints_it():
    cite = cited_source(source(
        title="Tajikistan's Russians", authors=["John Smith", "Jane Doe"], work="RFE/RL",
        publisher="RFE/RL Inc.", date="2019-06-12", url="https://www.rferl.org/a/1.html",
        archive_url="https://web.archive.org/web/2020/https://www.rferl.org/a/1.html",
        archive_date="2020-01-01", language="ru", type="news",
    ))
    html = citation_html(cite, accessed="2023-05-01", quote="They stayed.")
    ext = 'class="external" href="{}" rel="nofollow noopener noreferrer"'
    assert html == (
        '<cite class="citation citation-news">John Smith; Jane Doe (12 June 2019). '
        f'"<a {ext.format("https://www.rferl.org/a/1.html")}>Tajikistan&#x27;s Russians</a>" '
        "(in Russian). <i>RFE/RL</i>. RFE/RL Inc. "
        f'<a {ext.format("https://web.archive.org/web/2020/https://www.rferl.org/a/1.html")}>Archived</a>'
        " from the original on 1 January 2020. Retrieved 1 May 2023. "
        '<q class="citation-quote">They stayed.</q></cite>'
    )


def test_a_book_citation_links_its_isbn_to_the_source_page_and_its_doi_to_doi_org():
    cite = cited_source(source(type="book", title="The Railway", publisher="Example Press",
                               date="1998", isbn="978-0-00-000000-2", doi="10.1000/xyz#1?a<b>",
                               slug="the-railway"))
    html = citation_html(cite)
    assert html.startswith('<cite class="citation citation-book"><i><a href="/sources/the-railway/">'
                           "The Railway</a></i>. Example Press. 1998. ")
    assert '<a href="/sources/the-railway/">978-0-00-000000-2</a>' in html
    assert ('<a class="external" href="https://doi.org/10.1000/xyz%231%3Fa%3Cb%3E" '
            'rel="nofollow noopener noreferrer">10.1000/xyz#1?a&lt;b&gt;</a>') in html


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "/relative", "//x.org/a",
    'https://x.org/"onmouseover="alert(1)', "ftp://x.org/", "mailto:a@b.c",
])
def test_only_web_addresses_become_links(url):
    assert web_href(url) == ""
    html = citation_html(cited_source(source(url=url, archive_url=url, slug="")))
    assert "href" not in html
    assert "Archived" not in html  # an archive link only with an archive to link to


def test_values_are_escaped_everywhere():
    payload = '<script>alert(1)</script>"\'><img src=x onerror=alert(1)>'
    cite = cited_source(source(title=payload, authors=[payload], work=payload, publisher=payload,
                               date=payload, isbn=payload, doi=payload, language=payload,
                               url="https://x.org/", type=payload))
    html = str(citation_html(cite, accessed=payload, quote=payload))
    assert "<script" not in html and "<img" not in html and "onerror=alert(1)>" not in html
    # Each of the ten values, and the type in the class (always a choice).
    assert html.count("&lt;script&gt;") == 11


def test_dates_languages_and_dois():
    assert [format_date(d) for d in ("2019-06-12", "2019-06", "2019", "2019-13", "")] == [
        "12 June 2019", "June 2019", "2019", "2019-13", ""
    ]
    assert [language_name(c) for c in ("ru", "fa-AF", "en-GB", "xx-yy")] == [
        "Russian", "Dari", "British English", "xx-yy"
    ]
    with translation.override("ru"):  # dates and names in the reader's language
        assert [format_date(d) for d in ("2019-06-12", "2019-06", "2019")] == [
            "12 июня 2019\u202fг.", "июнь 2019\u202fг.", "2019"]  # a narrow no-break space
        assert [language_name(c) for c in ("ru", "en-GB")] == ["Русский", "Британский английский"]
    assert doi_href("10.1234/abc") == "https://doi.org/10.1234/abc"
    assert doi_href("javascript:alert(1)") == doi_href("abc") == ""


def test_plain_text_summaries_leave_the_superscripts_out():
    renderer = CitationRenderer(["a"])
    html = renderer.render("Dushanbe.[^a|p. 4] Claim.[^?] Typed <sup class=\"reference\">x</sup>.")
    assert plain_text(html) == 'Dushanbe. Claim. Typed <sup class="reference">x</sup>.'


# --- the article page ---------------------------------------------------------------


class Structure(HTMLParser):
    """Every id on the page and every in-page link."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.fragments: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.fragments.append(attrs["href"][1:])


@pytest.fixture
def example(db) -> Article:
    [result] = articles_import(sources=[("tajikistan.txt", EXAMPLE.encode())])
    return result.article


def references_section(html: str) -> str:
    return html[html.index('<section class="references"'):].split("</section>", 1)[0]


def test_the_page_numbers_every_use_in_order_of_first_use(client, example):
    html = client.get(example.get_absolute_url()).content.decode()
    infobox = html[html.index('<aside class="infobox"'):html.index("</aside>")]
    assert f"34,000 (2010 census){sup('census2010', 0, 1, rel=False)}</td>" in infobox
    assert (
        f"Russians live mostly in Dushanbe.{sup('census2010', 1, 1)} The first settlers came "
        f"with the railway.{sup('smith', 0, 2, 'p. 42')}</p>"
    ) in html
    assert (
        f"<p>Text.{sup('smith', 1, 2, 'pp. 50–52')}{sup('rferl', 0, 3)} Many left in the 1990s."
        f"{NEEDED} See <code>[^smith]</code> in code.</p>"
    ) in html
    text = visible_text(html)
    assert "Dushanbe.[1] The first settlers came with the railway.[2]: p. 42" in text
    assert "Text.[2]: pp. 50–52[3] Many left in the 1990s.[citation needed]" in text


def test_the_references_list_links_back_to_every_use(client, example):
    html = client.get(example.get_absolute_url()).content.decode()
    section = references_section(html)
    entries = re.findall(r'<li id="(cite-note-[a-z0-9-]+)">(.*?)</li>', section, re.DOTALL)
    assert [key for key, _ in entries] == [
        "cite-note-census2010", "cite-note-smith", "cite-note-rferl", "cite-note-survey"
    ]
    census, smith, rferl, survey = (body for _, body in entries)
    # Two uses: "^ a b"; three uses of smith (one in code, shown as written): a b c.
    assert ('<span aria-hidden="true">^</span> <a href="#cite-ref-census2010-0" '
            'title="Jump up to use a">a</a> <a href="#cite-ref-census2010-1"') in census
    assert re.findall(r'href="#(cite-ref-smith-\d)"', smith) == [
        "cite-ref-smith-0", "cite-ref-smith-1", "cite-ref-smith-2"
    ]
    assert '<a href="#cite-ref-rferl-0" aria-label="Jump up" title="Jump up">^</a>' in rferl
    assert "cite-ref" not in survey  # a general reference: no number, no back-link
    assert section.index("<ol") < section.index("cite-note-rferl") < section.index(
        "General references") < section.index("cite-note-survey")
    assert visible_text(census) == (
        "^ a b \"Population census of the Republic of Tajikistan 2010\". Agency on Statistics "
        "under the President of the Republic of Tajikistan. 2010. Retrieved 1 May 2023."
    )
    assert visible_text(smith) == (
        "^ a b c John Smith; Jane Doe (1998). The Railway and the Steppe. Example Press. "
        "ISBN 978-0-00-000000-2."
    )
    assert visible_text(rferl) == (
        "^ \"Tajikistan's Russians\" (in Russian). Radio Free Europe/Radio Liberty. 12 June 2019. "
        "Archived from the original on 1 January 2020."
    )
    smith_page = Source.objects.get(title="The Railway and the Steppe").get_absolute_url()
    assert f'<a href="{smith_page}">978-0-00-000000-2</a>' in smith
    assert ('href="https://web.archive.org/web/20200101000000/https://www.rferl.org/a/example/1.html"'
            ' rel="nofollow noopener noreferrer">Archived</a>') in rferl
    assert 'href="https://doi.org/10.1000/xyz%231%3Fa%3Cb%3E"' in survey
    # Every external link of the list opens safely.
    for link in re.findall(r'<a [^>]*href="https?://[^>]*>', section):
        assert 'rel="nofollow noopener noreferrer"' in link


def test_every_in_page_link_has_its_target_and_ids_are_unique(client, example):
    structure = Structure()
    structure.feed(client.get(example.get_absolute_url()).content.decode())
    assert len(structure.ids) == len(set(structure.ids))
    # The use inside code has no superscript: its back-link is the one
    # in-page link without a target (as on Wikipedia, a use inside
    # <code> is not one).
    assert set(structure.fragments) - set(structure.ids) == {"cite-ref-smith-2"}
    assert {"cite-note-census2010", "cite-note-smith", "cite-note-rferl", "references"} <= set(
        structure.ids
    )


def test_the_page_loads_the_preview_script_only_with_references(client, seed_fixture, example):
    html = client.get(example.get_absolute_url()).content.decode()
    assert ('<script src="/static/js/reference-preview.js" defer data-label-reference="Reference"'
            ' data-label-jump="Go to the reference"></script>') in html
    assert '<li class="toc-level-2"><a href="#references">References</a></li>' not in html  # 1 section
    seed = client.get(seed_fixture.get_absolute_url()).content.decode()
    assert "reference-preview.js" not in seed and 'class="references"' not in seed
    assert client.get("/static/js/reference-preview.js").status_code == 200


def test_the_description_has_no_reference_numbers(client, example):
    html = client.get(example.get_absolute_url()).content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    assert description.startswith("Russians live mostly in Dushanbe. The first settlers came")


def test_infobox_rows_of_any_kind_carry_their_markers(client, db):
    text = EXAMPLE.replace(
        "- Population: 34,000 (2010 census) [^census2010]\n",
        "- Population: 34,000 (2010 census) [^census2010]\n- Motto: Onward [^?][^smith|p. 1]\n"
        "- Langs: Russian [^rferl]\n",
    )
    [result] = articles_import(sources=[("t.txt", text.encode())])
    html = client.get(result.article.get_absolute_url()).content.decode()
    infobox = html[html.index('<aside class="infobox"'):html.index("</aside>")]
    # Numbers in the order the rows are written: census 1, smith 2, rferl 3.
    assert f"Onward{NEEDED}{sup('smith', 0, 2, 'p. 1', rel=False)}</td>" in infobox
    assert f"Russian</a>{sup('rferl', 0, 3, rel=False)}</td>" in infobox
    assert f"with the railway.{sup('smith', 1, 2, 'p. 42')}" in html


def test_article_page_query_count_is_fixed_whatever_the_number_of_references(
    client, db, settings, django_assert_num_queries
):
    [small] = articles_import(sources=[("small.txt", b"= Poles in A =\n\nA lead.\n")])
    lines = ["= Poles in B =", "", "Infobox", "- Group: Poles", "- Population: 5 [^r0][^r1|p. 1]", ""]
    lines += [" ".join(f"Claim {n}.[^r{n}][^r{(n + 1) % 60}|p. {n}]" for n in range(60)), ""]
    for n in range(20):
        lines += [f"==Part {n}==", f"Text.[^r{n}][^?] More.[^r{n + 20}|§ {n}]", ""]
    lines.append("==References==")
    for n in range(60):
        lines += [f"- [^r{n}]", f"  - Title: Source {n}", f"  - Url: https://example.org/{n}",
                  f"  - Doi: 10.1000/{n}", f"  - Isbn: 978-0-00-000000-{n % 10}", "  - Author: A. Writer"]
    [big] = articles_import(sources=[("big.txt", ("\n".join(lines) + "\n").encode())])
    assert Citation.objects.filter(article=big.article).count() == 2 + 120 + 60
    assert ArticleReference.objects.filter(article=big.article).count() == 60

    # Built from the rows (no page stored, no page cache): the article with
    # its stored page, the article for the rendering, sections, population
    # figures, infobox lists, extra rows, see also, mentions, tags, related
    # articles, then the citations (with their references' keys) and the
    # references (with their sources), the interlanguage links, and the
    # page stored. Then read as stored, in one query.
    small_url, big_url = small.article.get_absolute_url(), big.article.get_absolute_url()
    settings.PAGE_CACHE = False
    ArticleRender.objects.all().delete()
    # 15: the revision count too, for the page information block.
    with django_assert_num_queries(15):
        small_html = client.get(small_url).content.decode()
    with django_assert_num_queries(15):
        big_html = client.get(big_url).content.decode()
    with django_assert_num_queries(1):
        assert client.get(big_url).content.decode() == big_html
    assert "A lead." in small_html and 'class="references"' not in small_html
    assert big_html.count('<sup class="reference"') == 182 - 20
    assert big_html.count('<li id="cite-note-') == 60
    assert "Source 59" in big_html


MARKUP = st.lists(
    st.sampled_from([
        "[", "]", "(", ")", "*", "_", "`", "<", ">", " ", "a", "\\", "\n", "\n\n", "|", "-",
        "[[a]]", "[^a]", "[^b|p. 1]", "[^?]", "[^", "^", "|---|", "| x |", "```", "    ", "<b>",
        "<script>", "](/u)", "<http://y>", "[x]: /u\n", "- ", "> ", "\u2045", "\ue000", "\x00",
    ]),
    max_size=40,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(MARKUP)
def test_any_markup_with_markers_renders_safely(text):
    renderer = CitationRenderer(["a", "b"], {"a": "/wiki/a/"})
    html = renderer.render(text)
    for tag in ("<b>", "<script", "<div"):
        assert tag not in html
    written = [m for m, _, _ in references._scan(text.replace("\0", "\ufffd"), False)
               if m.key in ("a", "b")]
    # One superscript at most per marker written, each id once; every one counted.
    ids = re.findall(r'<sup class="reference" id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) <= len(written)
    assert renderer.uses("a") + renderer.uses("b") == len(written)
    # No placeholder is left (the text cannot hold one: see markdown._hide).
    assert not re.search("\u2045[\ue000-\uf8ff][0-9]+\u2046", html)


def test_the_contents_list_the_references_and_editors_see_the_same_numbers(admin_client, client, db):
    text = EXAMPLE.replace("==See also==", "==Culture==\nSongs.[^rferl]\n\n==Today==\nFew.\n\n==See also==")
    [result] = articles_import(sources=[("t.txt", text.encode())])
    url = result.article.get_absolute_url()
    html = client.get(url).content.decode()
    toc = html[html.index('<nav class="toc"'):html.index("</nav>", html.index('<nav class="toc"'))]
    assert toc.index('href="#see-also"') < toc.index('<a href="#references">References</a>')
    editor = admin_client.get(url).content.decode()
    assert "/admin/articles/article/" in editor  # the editor's page, not the cached one
    for page in (html, editor):
        assert f"Songs.{sup('rferl', 1, 3)}" in page
        assert '<a href="#cite-ref-rferl-1" title="Jump up to use b">b</a>' in page
