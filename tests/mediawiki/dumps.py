"""Small Special:Export dumps written for a test, and the import command
run on them, as the MediaWiki language tests use them."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

HEADER = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="{lang}">
  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>{lang}wiki</dbname>
    <base>https://{lang}.wikipedia.org/wiki/Main_Page</base>
    <generator>MediaWiki 1.43.0-wmf.2</generator>
    <case>first-letter</case>
    <namespaces><namespace key="0" case="first-letter" /></namespaces>
  </siteinfo>
"""
PAGE = """  <page>
    <title>{title}</title>
    <ns>0</ns>
    <id>{id}</id>
    <revision>
      <id>{id}0</id>
      <timestamp>2020-05-01T10:00:00Z</timestamp>
      <contributor><username>Kabulnik</username><id>7</id></contributor>
      <comment>Created</comment>
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text xml:space="preserve">{text}</text>
    </revision>
  </page>
"""


def dump(tmp_path: Path, lang: str, *pages: tuple[str, str], name: str = "") -> str:
    """A Special:Export file of ``pages`` ((title, wikitext)) whose root
    names the wiki's language ``lang``."""
    body = "".join(PAGE.format(title=title, id=n + 100, text=text)
                   for n, (title, text) in enumerate(pages))
    path = tmp_path / f"{name or lang}.xml"
    path.write_text(HEADER.format(lang=lang) + body + "</mediawiki>\n", encoding="utf-8")
    return str(path)


def run(*args: str) -> str:
    """``manage.py import_mediawiki`` with ``args``: what it printed."""
    out = StringIO()
    call_command("import_mediawiki", *args, stdout=out)
    return out.getvalue()
