"""Properties of the MediaWiki converter on generated and hostile markup:
it never raises, its documents read back as themselves, and no MediaWiki
markup or executable URL survives in them."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import wikitext
from articles.mediawiki import convert

_OUR_LINK_RE = re.compile(r"\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]+))?\]\]")
_PARAM_RE = re.compile(r"\|\s*[\w-]+\s*=")
_BAD_URL_RE = re.compile(r"(?i)(javascript|data|vbscript)\s*:")


def visible_texts(doc):
    """Every string of the document a reader sees, markers and our own
    links taken out of the text ones."""
    for text in (doc.lead, *(s.body for s in doc.sections)):
        yield _OUR_LINK_RE.sub("", wikitext.strip_markers(text))
    yield from (s.heading for s in doc.sections)
    yield from doc.see_also
    for key, value in wikitext.infobox_rows(doc.infobox):
        yield key
        yield value
    for reference in doc.references:
        for _, value in wikitext.reference_rows(reference):
            yield value


def assert_clean(converted):
    doc = converted.doc
    assert wikitext.parse(wikitext.dump(doc)) == doc
    for text in visible_texts(doc):
        for markup in ("{{", "}}", "[[", "'''", "<ref", "<REF", "<script"):
            assert markup not in text, (markup, text)
        assert not _PARAM_RE.search(text), text
    for reference in doc.references:
        for url in (reference.url, reference.archive_url):
            assert not url or url.startswith(("http://", "https://"))
    for text in (doc.lead, *(s.body for s in doc.sections)):
        for match in re.finditer(r"\]\(([^)\s]*)\)", text):
            assert match.group(1).startswith(("http://", "https://")), text
        for match in _OUR_LINK_RE.finditer(text):
            assert not _BAD_URL_RE.match(match.group(1).strip())


FRAGMENTS = [
    "{{", "}}", "[[", "]]", "[", "]", "'''", "''", "<ref>", "</ref>", '<ref name="a">',
    '<ref name="a" />', "<ref name=b/>", "|", "|x=", "=", "==", "\n", "\n\n", "\n* ", "\n# ",
    "\n** ", "\n:", "\n;", "{|", "\n|-\n", "\n| ", "||", "\n!", "!!", "\n|}", "{{cite web|",
    "url=", "javascript:alert(1)", "https://example.org/", "title=", "|date=12 June 2019",
    "{{Infobox ethnic group|", "|group=", "|pop=", "|region1=", "|pop1=", "|ref1=",
    "|langs=", "{{ubl|", "{{plainlist|", "{{flagcountry|", "{{lang|ru|", "{{circa|", "{{cn}}",
    "{{Reflist}}", "<references />", "[[Category:", "[[ru:", "[[File:", "<!--", "-->",
    "<br />", "<nowiki>", "</nowiki>", "<script>", "</script>", "&nbsp;", "&amp;", "&#124;",
    "__NOTOC__", "[^", "[^a]", "^", "\\", "*", "_", "`", "~~", "<", ">", "onclick=", ":",
    'style="x"', "== See also ==\n", "== References ==\n", "\u202e", "\u200b", "#", "- ",
    "Infobox", "1.", "{{{1}}}", "<gallery>", "[javascript:alert(1) x]", "[https://a.org a]",
    "Kabul", " and ", ", ", '"', "Trinidad and Tobago", "0", "1,500", " ", "\t",
]

markup = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup)
def test_generated_markup_converts_to_clean_documents(text):
    assert_clean(convert(text, title="Generated"))


XSS = """\
{{Infobox ethnic group|group=<script>alert(1)</script>X|website=[javascript:alert(1) site]
|onclick=alert(1)|pop=1<ref>{{cite web|url=data:text/html,<b>x</b>|title=<img src=x onerror=alert(1)>}}</ref>}}
[javascript:alert(1) x] [ JavaScript :alert(2) y] <span onclick="alert(3)">z</span>
<ref><script>alert(4)</script>Hostile</ref> [[javascript:alert(5)|w]]
{| style="background:url(javascript:alert(6))" onclick="alert(7)"
| onmouseover="alert(8)" | cell
|}
"""


def test_xss_corpus_leaves_nothing_executable():
    converted = convert(XSS, title="XSS")
    assert_clean(converted)
    dumped = wikitext.dump(converted.doc)
    for needle in ("javascript", "data:", "onclick", "onerror", "onmouseover", "<script", "<img",
                   "<span"):
        assert needle not in dumped.casefold(), needle
    assert converted.dropped["unsafe url"] >= 3
