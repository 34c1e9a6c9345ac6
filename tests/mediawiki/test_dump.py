"""Reading Special:Export dumps and wikitext files (articles.mediawiki.dump)."""

from __future__ import annotations

import bz2
import collections
import datetime
import gzip
import io
import pathlib
import subprocess
import sys
import zlib

import pytest

from articles.mediawiki.dump import DumpError, WikiPage, WikiRevision, read_pages

DATA = pathlib.Path(__file__).parent / "data"
EXPORTS = [DATA / "export-0.10.xml", DATA / "export-0.11.xml"]
UTC = datetime.timezone.utc

AFGHANS_V1 = """'''Afghans in Russia''' are citizens or residents of [[Russia]] of [[Afghanistan|Afghan]] descent.

== History ==
Many Afghans came to the [[Soviet Union]] to study in the 1980s."""

AFGHANS_V2 = AFGHANS_V1.replace("in the 1980s.", "in the 1980s; most stayed after 1992.")

AFGHANS_V3 = """{{Short description|Ethnic group}}
{{Infobox ethnic group
| group = Afghans in Russia
| native_name = Афганцы в России
| population = 150,000<ref name="census">{{cite web |url=https://example.org/census-2010 |title=2010 Census: results & figures |website=Rosstat}}</ref>
| popplace = [[Moscow]]
| langs = [[Dari]], [[Pashto language|Pashto]], [[Russian language|Russian]]
| rels = [[Islam]]
}}
'''Afghans in Russia''' are citizens or residents of [[Russia]] of [[Afghanistan|Afghan]] descent.<ref name="census" />

== History ==
Many Afghans came to the [[Soviet Union]] to study in the 1980s; most stayed after 1992.<!-- source? -->

== References ==
{{Reflist}}

[[Category:Afghan diaspora]]
[[ru:Афганцы в России]]"""

ARMENIANS_V1 = "'''Armenians in Iran''' are one of the oldest [[Christian]] communities of [[Iran]]."
ARMENIANS_V3 = (
    ARMENIANS_V1 + "\n\n== Community ==\nMost live in [[Tehran]] and [[Isfahan]] (New Julfa)."
)

AFGHANS = [
    WikiRevision(
        id=305215418,
        timestamp=datetime.datetime(2009, 8, 1, 10, 15, 0, tzinfo=UTC),
        contributor="Kabulnik",
        comment="Created page with \"'''Afghans in Russia''' are citizens\"",
        text=AFGHANS_V1,
        minor=False,
    ),
    WikiRevision(
        id=349921377,
        timestamp=datetime.datetime(2010, 3, 14, 18, 2, 41, tzinfo=UTC),
        contributor="85.140.12.7",
        comment="",
        text=AFGHANS_V2,
        minor=True,
    ),
    WikiRevision(
        id=521526012,
        timestamp=datetime.datetime(2012, 11, 5, 7, 45, 9, tzinfo=UTC),
        contributor="Ghazni88",
        comment="Add infobox & references (see [[Talk:Afghans in Russia]])",
        text=AFGHANS_V3,
        minor=False,
    ),
]
REDIRECT = WikiRevision(
    id=305215990,
    timestamp=datetime.datetime(2009, 8, 1, 10, 20, 0, tzinfo=UTC),
    contributor="Kabulnik",
    comment="Redirected page to [[Afghans in Russia]]",
    text="#REDIRECT [[Afghans in Russia]]",
    minor=False,
)
# The file lists these newest first; they must come back oldest first.
ARMENIANS = [
    WikiRevision(
        id=550001001,
        timestamp=datetime.datetime(2013, 5, 6, 12, 0, 0, tzinfo=UTC),
        contributor="Ararat",
        comment="Stub",
        text=ARMENIANS_V1,
        minor=False,
    ),
    # Contributor, summary and text suppressed.
    WikiRevision(
        id=600001002,
        timestamp=datetime.datetime(2014, 6, 7, 8, 9, 10, tzinfo=UTC),
        contributor="",
        comment="",
        text="",
        minor=False,
    ),
    WikiRevision(
        id=640001003,
        timestamp=datetime.datetime(2015, 1, 2, 3, 4, 5, tzinfo=UTC),
        contributor="Hayk",
        comment="Expand",
        text=ARMENIANS_V3,
        minor=False,
    ),
]


def page_lines(path: pathlib.Path) -> list[int]:
    """The line of each <page> in the file, counted independently of the reader."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if line.strip() == "<page>"]


def expected_pages(path: pathlib.Path) -> list[WikiPage]:
    # Pages 1, 3 and 4 of the file are articles; 2 (Talk:) and 5 (User:) are not.
    lines = page_lines(path)
    assert len(lines) == 5
    return [
        WikiPage(title="Afghans in Russia", namespace=0, revisions=AFGHANS, line=lines[0]),
        WikiPage(
            title="Afghan Russians",
            namespace=0,
            revisions=[REDIRECT],
            line=lines[2],
            redirect="Afghans in Russia",
        ),
        WikiPage(title="Armenians in Iran", namespace=0, revisions=ARMENIANS, line=lines[3]),
    ]


def message(exc_info: pytest.ExceptionInfo[DumpError]) -> str:
    return str(exc_info.value)


def errors(path: pathlib.Path | io.BytesIO, **kwargs: object) -> str:
    with pytest.raises(DumpError) as exc_info:
        list(read_pages(path, **kwargs))  # type: ignore[arg-type]
    return message(exc_info)


# --- Special:Export files -------------------------------------------------------------


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_export_pages_revisions_and_lines(path: pathlib.Path) -> None:
    skipped: collections.Counter[str] = collections.Counter()
    pages = list(read_pages(path, skipped=skipped))
    assert pages == expected_pages(path)
    assert skipped == {"Talk": 1, "User": 1}


def test_both_schemas_declare_their_namespace() -> None:
    # The two files really are the two schemas, not one file twice.
    assert 'xmlns="http://www.mediawiki.org/xml/export-0.10/"' in EXPORTS[0].read_text(encoding="utf-8")
    assert 'xmlns="http://www.mediawiki.org/xml/export-0.11/"' in EXPORTS[1].read_text(encoding="utf-8")
    assert 'sha1="' in EXPORTS[1].read_text(encoding="utf-8")  # 0.11's <text sha1=...>


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_latest_only_keeps_the_newest_revision(path: pathlib.Path) -> None:
    pages = list(read_pages(path, latest_only=True))
    assert [(p.title, p.line, p.revisions) for p in pages] == [
        (p.title, p.line, p.revisions[-1:]) for p in expected_pages(path)
    ]
    # The newest of the Armenians page is listed first in the file: picked by date, not place.
    assert pages[2].revisions[0].id == 640001003


def test_skipped_is_optional_and_timestamps_are_utc() -> None:
    pages = list(read_pages(EXPORTS[1]))
    assert [p.title for p in pages] == ["Afghans in Russia", "Afghan Russians", "Armenians in Iran"]
    stamps = [r.timestamp for p in pages for r in p.revisions]
    assert stamps and all(s is not None and s.utcoffset() == datetime.timedelta(0) for s in stamps)


@pytest.mark.parametrize("suffix, compress", [(".xml.gz", gzip.compress), (".xml.bz2", bz2.compress)])
def test_compressed_dumps(tmp_path: pathlib.Path, suffix: str, compress) -> None:
    source = EXPORTS[1]
    target = tmp_path / f"enwiki-export{suffix}"
    target.write_bytes(compress(source.read_bytes()))
    skipped: collections.Counter[str] = collections.Counter()
    assert list(read_pages(target, skipped=skipped)) == expected_pages(source)
    assert skipped == {"Talk": 1, "User": 1}


def test_multistream_bz2(tmp_path: pathlib.Path) -> None:
    # Wikipedia's "multistream" dumps are several bz2 streams end to end.
    data = EXPORTS[1].read_bytes()
    half = data.index(b"  <page>\n    <title>Afghan Russians")
    target = tmp_path / "enwiki-multistream.xml.bz2"
    target.write_bytes(bz2.compress(data[:half]) + bz2.compress(data[half:]))
    assert list(read_pages(target)) == expected_pages(EXPORTS[1])


@pytest.mark.parametrize("suffix, compress", [(".xml", bytes), (".xml.gz", gzip.compress), (".xml.bz2", bz2.compress)])
def test_stream_with_name(suffix: str, compress) -> None:
    upload = io.BytesIO(compress(EXPORTS[0].read_bytes()))
    pages = list(read_pages(upload, name=f"upload{suffix}"))
    assert pages == expected_pages(EXPORTS[0])
    assert not upload.closed  # the caller's stream is the caller's to close


def test_django_upload(tmp_path: pathlib.Path) -> None:
    # What the admin's upload form hands over: a Django File, with no read1().
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("export.xml.gz", gzip.compress(EXPORTS[1].read_bytes()))
    assert list(read_pages(upload, name=upload.name)) == expected_pages(EXPORTS[1])
    upload = SimpleUploadedFile("export.xml.bz2", b"not bz2")
    with pytest.raises(DumpError) as exc_info:
        list(read_pages(upload, name=upload.name))
    assert message(exc_info) == "export.xml.bz2:1: not a bz2 file"


def test_name_overrides_the_path_in_errors(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "upload-1234.tmp"
    path.write_bytes(b"<mediawiki>")
    with pytest.raises(DumpError) as exc_info:
        list(read_pages(path, name="enwiki.xml"))
    assert message(exc_info) == "enwiki.xml:1: malformed XML: no element found"


def test_stream_without_name_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="name="):
        read_pages(io.BytesIO(b""))


def test_pages_come_one_at_a_time(tmp_path: pathlib.Path) -> None:
    # The pages before a broken one are yielded before the reader gets to it: it
    # does not read the whole file first. 1,000 pages make it well over one read.
    text = EXPORTS[1].read_text(encoding="utf-8")
    start = text.index("  <page>\n    <title>Armenians in Iran")
    armenians = text[start : text.index("  </page>\n", start) + len("  </page>\n")]
    body = text.removesuffix("</mediawiki>\n")
    broken = body + armenians * 1_000 + armenians.replace("</title>", "</titel>") + "</mediawiki>\n"
    path = tmp_path / "dump.xml"
    path.write_text(broken, encoding="utf-8")
    bad_line = broken.splitlines().index("    <title>Armenians in Iran</titel>") + 1
    seen = []
    with pytest.raises(DumpError) as exc_info:
        for page in read_pages(path):
            seen.append((page.title, page.revisions))
    assert message(exc_info) == f"{path}:{bad_line}: malformed XML: mismatched tag"
    every = [("Afghans in Russia", AFGHANS), ("Afghan Russians", [REDIRECT])]
    every += [("Armenians in Iran", ARMENIANS)] * 1_001
    # Those in the last read before the error are not yielded; all others are, in order.
    assert 100 < len(seen) < len(every)
    assert seen == every[: len(seen)]


def test_xml_without_namespace_and_with_a_declaration(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "old.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<mediawiki>\n<siteinfo><sitename>Old wiki</sitename></siteinfo>\n"
        "<page>\n<title>Kurds_in_Armenia</title><ns>0</ns><id>7</id>\n"
        "<revision><id>70</id><timestamp>2006-02-03T04:05:06Z</timestamp>"
        "<contributor><username /></contributor>"
        "<text>Text &amp; more</text></revision>\n</page>\n</mediawiki>\n",
        encoding="utf-8",
    )
    (page,) = read_pages(path, name="old.xml")
    assert page == WikiPage(
        title="Kurds in Armenia",  # mwxml turns underscores into spaces
        namespace=0,
        revisions=[
            WikiRevision(
                id=70,
                timestamp=datetime.datetime(2006, 2, 3, 4, 5, 6, tzinfo=UTC),
                contributor="",
                comment="",
                text="Text & more",
                minor=False,
            )
        ],
        line=4,
    )


# --- wikitext files --------------------------------------------------------------------


def test_wikitext_file_title_from_name(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "Afghans_in_Russia.wiki"
    path.write_text(AFGHANS_V3, encoding="utf-8")
    assert list(read_pages(path)) == [
        WikiPage(
            title="Afghans in Russia",
            namespace=0,
            revisions=[WikiRevision(id=None, timestamp=None, contributor="", comment="", text=AFGHANS_V3, minor=False)],
            line=1,
        )
    ]


def test_wikitext_file_given_title_bom_and_crlf(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "draft.MediaWiki"
    path.write_bytes(b"\xef\xbb\xbf" + AFGHANS_V1.replace("\n", "\r\n").encode("utf-8"))
    (page,) = read_pages(path, title="Afghans in Russia")
    assert page.title == "Afghans in Russia"
    assert page.revisions[0].text == AFGHANS_V1


def test_wikitext_stream() -> None:
    (page,) = read_pages(io.BytesIO(ARMENIANS_V3.encode()), name="Armenians_in_Iran.mediawiki")
    assert (page.title, page.revisions[0].text) == ("Armenians in Iran", ARMENIANS_V3)


# --- errors: every one names the file and the line -----------------------------------------


def write(tmp_path: pathlib.Path, name: str, text: str) -> pathlib.Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEAD = '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">\n<siteinfo><sitename>W</sitename></siteinfo>\n'


def test_error_malformed_xml(tmp_path: pathlib.Path) -> None:
    text = EXPORTS[1].read_text(encoding="utf-8")
    line = text.splitlines().index("      <timestamp>2010-03-14T18:02:41Z</timestamp>") + 1
    path = write(tmp_path, "dump.xml", text.replace("<timestamp>2010-03-14T18:02:41Z</timestamp>", "<timestamp>2010-03-14T18:02:41Z"))
    # What follows nests well inside the open <timestamp> up to </revision>, where expat stops.
    revision_end = text.splitlines().index("    </revision>", line) + 1
    assert errors(path) == f"{path}:{revision_end}: malformed XML: mismatched tag"


def test_error_cut_short_xml(tmp_path: pathlib.Path) -> None:
    text = EXPORTS[1].read_text(encoding="utf-8")
    cut = text[: text.index("  <page>\n    <title>Armenians")]
    path = write(tmp_path, "dump.xml", cut)
    assert errors(path) == f"{path}:{cut.count(chr(10)) + 1}: malformed XML: no element found"


def test_error_not_utf8_xml(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "dump.xml"
    path.write_bytes((HEAD + "<page>\n<title>Caf\xe9</title>").encode("latin-1"))
    assert errors(path) == f"{path}:4: malformed XML: not well-formed (invalid token)"


def test_error_not_a_mediawiki_export(tmp_path: pathlib.Path) -> None:
    html = write(tmp_path, "page.xml", "<!DOCTYPE html>\n<html><body>Not an export</body></html>\n")
    assert errors(html) == f"{html}:2: not a MediaWiki export: the root element is <html>, not <mediawiki>"
    other = write(tmp_path, "other.xml", '<mediawiki xmlns="http://example.org/wiki/"></mediawiki>')
    assert errors(other) == (
        f"{other}:1: not a MediaWiki export: the root element <mediawiki> is in namespace "
        "http://example.org/wiki/, not http://www.mediawiki.org/xml/export-..."
    )
    empty = write(tmp_path, "empty.xml", "")
    assert errors(empty) == f"{empty}:1: malformed XML: no element found"


def test_error_structure_mwxml_refuses(tmp_path: pathlib.Path) -> None:
    no_siteinfo = write(tmp_path, "a.xml", HEAD.split("\n")[0] + "\n\n<page><title>X</title></page></mediawiki>")
    assert errors(no_siteinfo) == (
        f"{no_siteinfo}:3: not a valid MediaWiki export: <siteinfo> tag not found when processing a <mediawiki>"
    )
    odd_tag = write(
        tmp_path,
        "b.xml",
        HEAD + "<page><title>X</title><ns>0</ns>\n<revision><id>1</id>\n<colour>red</colour></revision></page></mediawiki>",
    )
    assert errors(odd_tag) == (
        f"{odd_tag}:5: not a valid MediaWiki export: unexpected tag found when processing a <revision>: 'colour'"
    )
    no_title = write(tmp_path, "c.xml", HEAD + "<page><ns>0</ns>\n<revision><id>1</id></revision></page></mediawiki>")
    assert errors(no_title).startswith(f"{no_title}:4: not a valid MediaWiki export: a required element is missing (")


def test_error_bad_values(tmp_path: pathlib.Path) -> None:
    bad_ns = write(tmp_path, "a.xml", HEAD + "<page><title>X</title>\n<ns>zero</ns></page></mediawiki>")
    assert errors(bad_ns) == f"{bad_ns}:4: invalid value: invalid literal for int() with base 10: 'zero'"
    bad_time = write(
        tmp_path,
        "b.xml",
        HEAD + "<page><title>X</title><ns>0</ns>\n<revision>\n<timestamp>2020-13-45</timestamp></revision></page></mediawiki>",
    )
    assert errors(bad_time) == f"{bad_time}:5: invalid value: '2020-13-45' is not a valid Wikipedia date format"


def test_error_page_without_title_or_revision(tmp_path: pathlib.Path) -> None:
    no_revision = write(tmp_path, "a.xml", HEAD + "<page>\n<title>Lonely</title><ns>0</ns></page></mediawiki>")
    assert errors(no_revision) == f"{no_revision}:3: page 'Lonely' has no revision"
    empty_title = write(
        tmp_path, "b.xml", HEAD + "\n<page><title></title><ns>0</ns><revision><id>1</id></revision></page></mediawiki>"
    )
    assert errors(empty_title) == f"{empty_title}:4: page without a title"


def test_error_entities_refused(tmp_path: pathlib.Path) -> None:
    path = write(
        tmp_path,
        "lol.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE mediawiki [\n <!ENTITY lol "lol">\n]>\n' + HEAD + "</mediawiki>",
    )
    assert errors(path) == f"{path}:3: entity declarations are not allowed (entity 'lol')"


def test_error_compression(tmp_path: pathlib.Path) -> None:
    plain = EXPORTS[1].read_bytes()
    fake_gz = tmp_path / "dump.xml.gz"
    fake_gz.write_bytes(plain)
    assert errors(fake_gz) == f"{fake_gz}:1: not a gzip file"
    fake_bz2 = tmp_path / "dump.xml.bz2"
    fake_bz2.write_bytes(gzip.compress(plain))
    assert errors(fake_bz2) == f"{fake_bz2}:1: not a bz2 file"

    # Cut short: the line is where the readable data stops.
    compressed = gzip.compress(plain)
    cut = compressed[: len(compressed) // 2]
    readable = zlib.decompressobj(wbits=31).decompress(cut)
    assert 0 < len(readable) < len(plain)
    cut_gz = tmp_path / "cut.xml.gz"
    cut_gz.write_bytes(cut)
    stop = readable.count(b"\n") + 1
    assert errors(cut_gz) == (
        f"{cut_gz}:{stop}: the gzip data is corrupt or cut short "
        "(Compressed file ended before the end-of-stream marker was reached)"
    )
    cut_bz2 = tmp_path / "cut.xml.bz2"
    cut_bz2.write_bytes(bz2.compress(plain)[:200])
    assert errors(cut_bz2) == (
        f"{cut_bz2}:1: the bz2 data is corrupt or cut short "
        "(Compressed file ended before the end-of-stream marker was reached)"
    )


def test_error_file_type_and_missing_file(tmp_path: pathlib.Path) -> None:
    with pytest.raises(DumpError) as exc_info:
        read_pages(tmp_path / "notes.txt")
    assert message(exc_info) == (
        f"{tmp_path / 'notes.txt'}:1: unknown file type .txt: expected one of "
        ".xml, .xml.bz2, .xml.gz, .wiki, .mediawiki"
    )
    with pytest.raises(DumpError) as exc_info:
        read_pages(io.BytesIO(b""), name="dump.bz2")
    assert message(exc_info).startswith("dump.bz2:1: unknown file type .bz2: ")
    with pytest.raises(DumpError) as exc_info:
        read_pages(tmp_path / "missing.xml")
    assert message(exc_info) == f"{tmp_path / 'missing.xml'}:1: cannot open the file: No such file or directory"


def test_error_title_for_a_dump() -> None:
    with pytest.raises(DumpError) as exc_info:
        read_pages(EXPORTS[1], name="export.xml", title="X")
    assert message(exc_info) == "export.xml:1: a title can only be given for a wikitext file (.wiki, .mediawiki)"


def test_error_wikitext_not_utf8(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "Kurds_in_Armenia.wiki"
    path.write_bytes("'''Kurds''' in Armenia\n\n== Caf\xe9 ==\n".encode("latin-1"))
    with pytest.raises(DumpError) as exc_info:
        read_pages(path)
    assert message(exc_info) == f"{path}:3: not UTF-8 (byte 0xe9); save the file as UTF-8"
    with pytest.raises(DumpError) as exc_info:
        read_pages(io.BytesIO(b"\xef\xbb\xbf\xff"), name="x.wiki")
    assert message(exc_info) == "x.wiki:1: not UTF-8 (byte 0xff); save the file as UTF-8"
    with pytest.raises(DumpError) as exc_info:
        read_pages(io.BytesIO(b"text"), name="x.wiki", title="  ")
    assert message(exc_info) == "x.wiki:1: the page has no title: give one"


def test_dump_error_parts() -> None:
    error = DumpError("dump.xml", 120, "page 'X': bad")
    assert (str(error), error.file, error.line, error.message) == ("dump.xml:120: page 'X': bad", "dump.xml", 120, "page 'X': bad")


# --- a large dump, in flat memory --------------------------------------------------------------

# Run in a fresh interpreter so that nothing else of the test run is in tracemalloc's peak.
MEMORY_PROBE = r"""
import bz2, collections, pathlib, sys, tracemalloc
from articles.mediawiki.dump import read_pages

def write(path, n):
    with bz2.open(path, "wb") as out:
        out.write(b'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">\n'
                  b'<siteinfo><sitename>W</sitename><namespaces>'
                  b'<namespace key="0" /><namespace key="1">Talk</namespace></namespaces></siteinfo>\n')
        for i in range(n):
            ns = 1 if i % 10 == 9 else 0
            title = b"Talk:Group %d" % i if ns else b"Group %d in Country %d" % (i, i % 97)
            out.write(
                b"<page>\n<title>%s</title><ns>%d</ns><id>%d</id>\n"
                b"<revision><id>%d</id><timestamp>2020-01-01T00:00:00Z</timestamp>"
                b"<contributor><username>Editor %d</username><id>%d</id></contributor>"
                b"<comment>import</comment><model>wikitext</model><format>text/x-wiki</format>"
                b'<text bytes="60" sha1="x" xml:space="preserve">%s</text><sha1>x</sha1></revision>\n'
                b"</page>\n" % (title, ns, i, i, i % 50, i % 50, b"'''Group''' text of page %d. [[Link]] " % i * 4))
        out.write(b"</mediawiki>\n")

n = int(sys.argv[1])
path = pathlib.Path(sys.argv[2])
write(path, n)
tracemalloc.start()
skipped = collections.Counter()
count = 0
last = None
for page in read_pages(path, skipped=skipped):
    count += 1
    last = page
peak = tracemalloc.get_traced_memory()[1]
print(count, skipped["Talk"], last.title, last.line, peak)
"""


def probe(tmp_path: pathlib.Path, n: int) -> tuple[int, int, str, int, int]:
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(n), str(tmp_path / f"big-{n}.xml.bz2")],
        capture_output=True,
        text=True,
        check=True,
        cwd=pathlib.Path(__file__).resolve().parents[2],
    )
    count, talk, *title, line, peak = result.stdout.split()
    return int(count), int(talk), " ".join(title), int(line), int(peak)


@pytest.mark.slow  # about 10 s: tracemalloc slows the reading down five times
def test_large_dump_streams_in_flat_memory(tmp_path: pathlib.Path) -> None:
    small = probe(tmp_path, 1_000)
    large = probe(tmp_path, 10_000)
    # Every tenth page is a Talk: page; the last article is page 9,998 (0-based),
    # four lines a page after a two-line header.
    assert large[:4] == (9_000, 1_000, f"Group 9998 in Country {9998 % 97}", 3 + 9_998 * 4)
    assert small[:2] == (900, 100)
    # Ten times the pages, the same memory: anything kept per page would show
    # here (mwxml's own reader keeps about 80 bytes a page: 700 kB).
    assert large[4] < small[4] + 256 * 1024, (small[4], large[4])
    assert large[4] < 4 * 1024 * 1024, large[4]
