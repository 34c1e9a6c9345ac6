"""MediaWiki import at scale (issue 13): a generated Special:Export dump of N
pages, imported with `manage.py import_mediawiki --latest-only` as a user
runs it, timed from start to exit, with the command's peak resident memory.

Each page is bench/generate.py's article written as Wikipedia writes it: an
{{Infobox ethnic group}} with legacy and current parameters, '''bold''',
[[links]], <ref>s with {{cite web}}, {{cite book}} (with page=) and
{{cite news}}, a named ref reused, {{cn}}, 8 sections, a small wikitable,
See also, {{Reflist}}, a navbox, two categories and an interlanguage link;
and an older revision before it (which --latest-only skips).

    python bench/mediawiki_bench.py --pages 1000 [--pages 10000] [--json OUT]
"""

from __future__ import annotations

import argparse
import bz2
import json
import random
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, log, production_env  # noqa: E402
from bench.generate import HEADINGS, RELIGIONS, World, _paragraph  # noqa: E402

TARGET = 100  # pages per second, --latest-only, SQLite, 10,000 pages


def page_text(world: World, index: int, seed: int = 1) -> str:
    rng = random.Random(seed * 5_000_011 + index)
    title, origin, host = world.titles[index]
    people = [p[0] for p in rng.sample(world.people, 3)]
    places = rng.sample(world.cities, 3)
    others = [t for t, _, _ in rng.sample(world.titles, min(len(world.titles), 8)) if t != title][:7]
    names = people + places
    year = rng.choice([2009, 2010, 2015, 2020])
    slug = host.name.lower()
    census = (
        f'<ref name="census">{{{{cite web |title=Population census of {host.name} {year} '
        f"|url=https://stat.{slug}.example/census/{year} |publisher=Statistics agency of {host.name} "
        f"|date={year} |access-date=12 May 2023}}}}</ref>"
    )
    lines = [
        "{{Short description|Ethnic group}}",
        "{{Use dmy dates|date=May 2023}}",
        "{{Infobox ethnic group",
        f"| group = {title}",
        f"| poptime = {rng.randint(200, 3_000_000):,} ({year} est.){census}",
        f"| popplace = [[{places[0]}]], [[{places[1]}]]",
        f"| region1 = {{{{flagcountry|{host.name}}}}}",
        f"| pop1 = {rng.randint(100, 100_000):,}",
        f"| langs = [[{origin.name[:-2]}ian language|{origin.name[:-2]}ian]]<br />[[{host.name[:-2]}ian]]",
        "| rels = {{plainlist|\n* " + "\n* ".join(rng.sample(RELIGIONS, 2)) + "\n}}",
        f"| related = [[{origin.demonym}]]",
        "}}",
        f"'''{title}''' are people of {origin.name} descent living in [[{host.name}]]. "
        + _paragraph(rng, 60, names).replace(places[0], f"[[{places[0]}]]", 1)
        + f' See also [[{others[0]}]].<ref name="census" />',
        "",
    ]
    for number, heading in enumerate(rng.sample(HEADINGS, 8)):
        lines.append(f"== {heading} ==")
        body = _paragraph(rng, 100, names)
        if number % 3 == 0:
            body += (
                f"<ref>{{{{cite book |last={_surname(rng)} |first={rng.choice(['John', 'Olga'])} "
                f"|title=The {host.demonym} and the railway |publisher=Example Press |year=1998 "
                f"|isbn=978-0-00-000000-2 |page={10 + number}}}}}</ref>"
            )
        elif number % 3 == 1:
            body += (
                f"<ref>{{{{cite news |title={heading} of the {host.demonym} |work=The Times "
                f"|date=2019-06-12 |url=https://news.example/{index}/{number}.html}}}}</ref>"
            )
        else:
            body += "{{cn|date=May 2023}}"
        lines += [f"The [[{others[1 + number % 2]}]] community is related. " + body, "",
                  _paragraph(rng, 100, names), ""]
        if number == 2:
            lines += ['{| class="wikitable"', "! Year !! Count", "|-",
                      f"| {year} || {rng.randint(100, 9999):,}", "|}", ""]
    lines.append("== See also ==")
    lines += [f"* [[{t}]]" for t in others[2:7]]
    lines += ["", "== References ==", "{{Reflist}}", "", "{{Diaspora navbox}}",
              f"[[Category:{origin.name} diaspora]]", f"[[Category:Ethnic groups in {host.name}]]",
              f"[[ru:{title} (ru)]]"]
    return "\n".join(lines) + "\n"


def _surname(rng: random.Random) -> str:
    return rng.choice(["Smith", "Ivanov", "Karimi", "Petrova", "Rahimi"])


def write_dump(world: World, path: Path, seed: int = 1) -> None:
    """A Special:Export 0.11 dump, bz2-compressed: each page with an older
    stub revision and the full one."""
    with bz2.open(path, "wt", encoding="utf-8") as out:
        out.write('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">\n'
                  "<siteinfo><sitename>Bench</sitename><dbname>bench</dbname>"
                  "<base>https://bench.example/wiki/Main</base><generator>MediaWiki 1.43</generator>"
                  '<case>first-letter</case><namespaces><namespace key="0" case="first-letter" />'
                  "</namespaces></siteinfo>\n")
        for index, (title, _, _) in enumerate(world.titles):
            text = page_text(world, index, seed)
            out.write(f"<page><title>{escape(title)}</title><ns>0</ns><id>{index + 1}</id>")
            for n, (stamp, body) in enumerate([
                ("2010-01-01T00:00:00Z", f"'''{escape(title)}''' is a stub."),
                ("2020-01-01T00:00:00Z", escape(text)),
            ]):
                out.write(
                    f"<revision><id>{2 * index + n + 1}</id><timestamp>{stamp}</timestamp>"
                    f"<contributor><username>Editor{index % 50}</username><id>{index % 50 + 1}</id>"
                    f"</contributor><comment>edit {n}</comment><model>wikitext</model>"
                    f'<format>text/x-wiki</format><text xml:space="preserve">{body}</text></revision>'
                )
            out.write("</page>\n")
        out.write("</mediawiki>\n")


def measure(pages: int, tmp: Path) -> dict:
    from bench.run import django_script, manage, run_with_rss

    env = production_env(f"sqlite:///{tmp / f'mediawiki-{pages}.sqlite3'}")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "setup_site")
    dump = tmp / f"dump-{pages}.xml.bz2"
    log(f"writing a dump of {pages:,} pages")
    world = World(pages)
    write_dump(world, dump)
    django_script(env, (
        "from bench.generate import World, populate_names\n"
        f"populate_names(World({pages}))\n"
    ))
    log(f"import_mediawiki --latest-only, {pages:,} pages")
    seconds, rss, out = run_with_rss(
        [str(PYTHON), "manage.py", "import_mediawiki", "--latest-only", "-v", "0", str(dump)], env
    )
    result = {
        "pages": pages, "seconds": seconds, "rate": pages / seconds, "peak_rss_mib": rss,
        "dump_mib": dump.stat().st_size / 2**20,
    }
    log(f"  {pages / seconds:,.0f} pages/s, peak RSS {rss:.0f} MiB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, action="append")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="encyclopedia-mediawiki-"))
    results = [measure(n, tmp) for n in (args.pages or [1000, 10_000])]
    text = json.dumps(results, indent=2)
    if args.json:
        args.json.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
