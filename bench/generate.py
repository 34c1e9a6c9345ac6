"""Synthetic diaspora articles of realistic shape, for the benchmarks.

Each article: an "X in Y" title, an infobox of 6 rows (group, population,
3 places, languages, religions, one extra row), a lead, 8 sections of about
200 words that name 3 people and 3 places and link other articles with
[[...]], 5 See also rows, 5 references cited from the infobox, the lead and
the sections (a census shared by the articles of one host country and
year, a book and a journal article from a pool that many articles share, a
news article and a web page of the article's own), and (added after the
import, as editors do) a population history of 4 figures.

The same seed gives the same bytes. Names are made from syllables, so any N
up to millions has distinct titles, people and places.

    python bench/generate.py --articles 1000 --out DIR   # files only
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

SYLLABLES = ["ka", "la", "mo", "ri", "sa", "ven", "tor", "bel", "an", "ur", "dim", "os", "tra", "gal", "mir", "ne", "zo", "pa", "ek", "il", "vor", "sha", "nu", "ket", "ba", "lin", "dor", "ma", "gre", "hal"]
FIRST = ["Sergei", "Nikolai", "Ahmad", "Gennady", "Alexander", "Olga", "Fatima", "Ivan", "Yusuf", "Maria", "Anna", "Karim", "Leila", "Dmitri", "Farid", "Nadia", "Omar", "Pavel", "Zarina", "Mikhail"]
WORDS = ["community", "families", "arrived", "during", "century", "war", "trade", "engineers", "workers", "teachers", "merchants", "students", "refugees", "settled", "capital", "province", "border", "language", "religion", "church", "mosque", "school", "newspaper", "market", "festival", "music", "food", "tradition", "census", "estimate", "population", "government", "embassy", "migration", "returned", "stayed", "married", "converted", "citizens", "passports", "businesses", "villages", "cities", "region", "society", "culture", "history", "schools", "union", "cooperation", "period", "decade", "independence", "minority", "majority", "ethnic", "origin", "descendants", "elders", "generation", "association", "club", "theatre", "library", "cemetery", "monastery", "harvest", "railway", "factory", "mine", "port", "river", "mountain", "valley", "winter", "summer"]
GLUE = ["the", "a", "of", "in", "and", "to", "with", "from", "by", "after", "before", "since", "which", "who", "their"]
RELIGIONS = ["Orthodoxy", "Sunni Islam", "Shia Islam", "Catholicism", "Judaism",
             "Buddhism", "Protestantism", "Hinduism"]
HEADINGS = ["History", "Early settlement", "Soviet period", "Demographics",
            "Culture", "Religion", "Language", "Economy", "Notable people",
            "Education", "Media", "Relations"]

SECTIONS = 8
SECTION_WORDS = 200
SEE_ALSO = 5
REFERENCES = 5
POPULATION_YEARS = (1960, 1980, 2000, 2020)


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


@dataclass(frozen=True)
class Country:
    name: str
    demonym: str


class World:
    """Countries with demonyms, cities, people (some with an alias) and
    languages, enough for ``articles`` distinct "X in Y" titles."""

    def __init__(self, articles: int, seed: int = 1):
        rng = random.Random(seed)
        # k countries give k*(k-1) titles; 2x headroom for a spread-out pick.
        count = 2
        while count * (count - 1) < 2 * articles:
            count += 1
        count = max(count, 12)
        names: set[str] = set()
        self.countries: list[Country] = []
        while len(self.countries) < count:
            name = _name(rng, 3)
            if name not in names:
                names.add(name)
                self.countries.append(Country(name + "ia", name + "ians"))
        self.cities: list[str] = []
        while len(self.cities) < max(30, articles // 5):
            name = _name(rng, 3) + rng.choice(["grad", "abad", "ovo", "burg", "stan", "pol"])
            if name not in names:
                names.add(name)
                self.cities.append(name)
        self.people: list[tuple[str, str]] = []  # (name, alias or "")
        seen: set[str] = set()
        while len(self.people) < max(30, articles // 3):
            name = f"{rng.choice(FIRST)} {_name(rng, 3)}"
            if name in seen:
                continue
            seen.add(name)
            alias = f"{rng.choice(FIRST)} {_name(rng, 2)}" if rng.random() < 0.3 else ""
            if alias and alias not in seen:
                seen.add(alias)
            else:
                alias = ""
            self.people.append((name, alias))
        self.languages = [c.name[:-2] + "ian" for c in self.countries[:40]] + ["Russian"]
        # Books and journal articles that many articles cite: one of each
        # per about ten articles. Drawn last, so the rest stays as it was.
        self.books: list[str] = []
        self.journals: list[str] = []
        for index in range(max(5, articles // 10)):
            self.books.append(_book(rng, index))
            self.journals.append(_journal(rng, index))
        self.titles: list[tuple[str, Country, Country]] = []
        pairs = rng.sample(range(count * (count - 1)), articles)
        for pair in pairs:
            origin = self.countries[pair // (count - 1)]
            host_index = pair % (count - 1)
            if host_index >= pair // (count - 1):
                host_index += 1
            host = self.countries[host_index]
            self.titles.append((f"{origin.demonym} in {host.name}", origin, host))


def _isbn13(first12: str) -> str:
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12)) % 10) % 10
    return f"{first12[:3]}-{first12[3]}-{first12[4:7]}-{first12[7:12]}-{check}"


def _book(rng: random.Random, index: int) -> str:
    """The rows of a shared book's entry (after ``- [^book]``)."""
    return "\n".join([
        "  - Type: book",
        f"  - Title: The {_name(rng, 2)} and the {rng.choice(WORDS).capitalize()}, volume {index + 1}",
        f"  - Author: {rng.choice(FIRST)} {_name(rng, 3)}",
        f"  - Author: {rng.choice(FIRST)} {_name(rng, 2)}",
        f"  - Publisher: {_name(rng, 2)} Press",
        f"  - Date: {rng.randint(1950, 2020)}",
        f"  - Isbn: {_isbn13(f'978{index:09}')}",
    ])


def _journal(rng: random.Random, index: int) -> str:
    return "\n".join([
        "  - Type: journal",
        f"  - Title: {rng.choice(WORDS).capitalize()} and {rng.choice(WORDS)} among the "
        f"{_name(rng, 3)}ians",
        f"  - Author: {rng.choice(FIRST)} {_name(rng, 3)}",
        f"  - Work: Journal of {_name(rng, 2)} Studies",
        f"  - Date: {rng.randint(1990, 2023)}-{rng.randint(1, 12):02}",
        f"  - Doi: 10.5555/bench.{index}",
    ])


def references(world: World, index: int, host: Country, year: int, seed: int = 1) -> list[str]:
    """The References section of article ``index`` (its own random stream:
    the rest of the article is as it was before references)."""
    rng = random.Random(seed * 3_000_017 + index)
    slug = host.name.lower()
    lines = [
        "==References==",
        "- [^census]",
        "  - Type: report",
        f"  - Title: Population census of {host.name} {year}",
        f"  - Publisher: Statistics agency of {host.name}",
        f"  - Date: {year}",
        f"  - Url: https://stat.{slug}.example/census/{year}",
        f"  - Accessed: 20{rng.randint(10, 23)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "- [^book]",
        rng.choice(world.books),
        "- [^journal]",
        rng.choice(world.journals),
        "- [^news]",
        "  - Type: news",
        f"  - Title: {rng.choice(WORDS).capitalize()} of the {host.demonym} {rng.choice(WORDS)}",
        f"  - Work: The {rng.choice(world.cities)} Times",
        f"  - Date: 20{rng.randint(10, 23)}-0{rng.randint(1, 9)}-2{rng.randint(0, 8)}",
        f"  - Url: https://news.example/{index}/{rng.randint(1000, 9999)}.html",
        f"  - Archive-url: https://web.archive.org/web/2024/https://news.example/{index}",
        "  - Archive-date: 2024-01-01",
        "- [^web]",
        f"  - Title: {host.demonym} {rng.choice(WORDS)} {index}",
        f"  - Url: https://{slug}.example/pages/{index}",
        "  - Accessed: 2024-03-01",
        "  - Language: ru",
    ]
    return lines


# The markers after each section's first paragraph, in turn.
_SECTION_MARKERS = ["[^book|p. {}]", "[^news]", "[^journal]", "[^web][^census]", "[^book|pp. {}–{}]"]


def _sentence(rng: random.Random, words: int, names: list[str]) -> str:
    out = []
    for _ in range(words):
        out.append(rng.choice(WORDS) if rng.random() < 0.6 else rng.choice(GLUE))
    if names:
        out.insert(rng.randrange(1, len(out)), rng.choice(names))
    return out[0].capitalize() + " " + " ".join(out[1:]) + "."


def _paragraph(rng: random.Random, words: int, names: list[str]) -> str:
    sentences = []
    count = 0
    while count < words:
        length = rng.randint(10, 22)
        sentences.append(_sentence(rng, length, names if rng.random() < 0.3 else []))
        count += length
    return " ".join(sentences)


def article(world: World, index: int, seed: int = 1) -> str:
    """The wiki-text of article ``index``."""
    rng = random.Random(seed * 1_000_003 + index)
    title, origin, host = world.titles[index]
    people = [p[0] for p in rng.sample(world.people, 3)]
    places = rng.sample(world.cities, 3)
    others = [t for t, _, _ in rng.sample(world.titles, min(len(world.titles), 8))]
    others = [t for t in others if t != title][:7]
    names = people + places
    year = rng.choice([2009, 2010, 2015, 2020, 2021])
    lines = [
        f"= {title} =",
        "",
        "Infobox",
        f"- Group: {title}",
        f"- Population: {rng.randint(200, 3_000_000):,} ({year} est.) [^census]",
        f"- Popplace: {places[0]}, {places[1]} and {places[2]}",
        f"- Langs: {origin.name[:-2]}ian, {host.name[:-2]}ian",
        "- Rels: " + ", ".join(rng.sample(RELIGIONS, rng.randint(1, 2))),
        f"- Related: {origin.demonym}",
        "",
        f"There are estimated to be many {origin.demonym} in {host.name}. "
        + _paragraph(rng, 60, names)
        + f" See also [[{others[0]}]].[^census]",
        "",
    ]
    headings = rng.sample(HEADINGS, SECTIONS)
    for number, heading in enumerate(headings):
        lines.append(f"=={heading}==")
        body = _paragraph(rng, SECTION_WORDS // 2, names)
        page = 10 + 7 * number
        marker = _SECTION_MARKERS[number % len(_SECTION_MARKERS)].format(page, page + 3)
        body += f" The [[{others[1 + number % 2]}]] community is related.{marker}"
        lines.append(body)
        lines.append("")
        lines.append(_paragraph(rng, SECTION_WORDS // 2, names))
        lines.append("")
    lines.append("==See also==")
    lines.extend(f"- {t}" for t in others[2 : 2 + SEE_ALSO])
    lines.append("")
    lines.extend(references(world, index, host, year, seed))
    return "\n".join(lines) + "\n"


def population_history(index: int, seed: int = 1) -> list[tuple[int, int]]:
    rng = random.Random(seed * 7_000_003 + index)
    count = rng.randint(500, 50_000)
    figures = []
    for year in POPULATION_YEARS:
        figures.append((year, count))
        count = max(100, int(count * rng.uniform(0.6, 1.6)))
    return figures


def write_files(world: World, folder: Path, seed: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(len(world.titles)):
        path = folder / f"{index:06}.txt"
        path.write_text(article(world, index, seed), encoding="utf-8")
        paths.append(path)
    return paths


def populate_names(world: World) -> None:
    """People (with aliases) and places as editors would have entered them
    before the import, so that mentions are found. Needs Django set up."""
    from django.utils.text import slugify

    from encyclopedia.text import unique_slug  # noqa: F401 - Django is set up
    from articles.wikitext.names import name_key
    from people.models import Alias, Person, Place

    def slugs(names):
        taken: set[str] = set()
        out = []
        for name in names:
            base = slugify(name, allow_unicode=True) or "x"
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            out.append(slug)
        return out

    # bulk_create sends no pre_save: the unique name key is set here, and a
    # name whose key is taken (another case of it) is not made again.
    existing = set(Place.objects.values_list("name_key", flat=True))

    def new(names):
        for name in names:
            key = name_key(name)
            if key not in existing:
                existing.add(key)
                yield name, key

    countries = {c.name: c for c in world.countries}
    rows = list(new(countries))
    Place.objects.bulk_create(
        [Place(name=name, name_key=key, slug=s, kind=Place.Kind.COUNTRY,
               demonym=countries[name].demonym)
         for (name, key), s in zip(rows, slugs(name for name, _ in rows), strict=True)],
        batch_size=1000,
    )
    rows = list(new(world.cities))
    Place.objects.bulk_create(
        [Place(name=name, name_key=key, slug=s, kind=Place.Kind.CITY)
         for (name, key), s in zip(rows, slugs(name for name, _ in rows), strict=True)],
        batch_size=1000,
    )
    people = Person.objects.bulk_create(
        [Person(name=n, slug=s) for (n, _), s in
         zip(world.people, slugs(n for n, _ in world.people), strict=True)],
        batch_size=1000,
    )
    Alias.objects.bulk_create(
        [Alias(person=p, name=a) for p, (_, a) in zip(people, world.people, strict=True) if a],
        batch_size=1000,
    )


def populate_history(world: World, seed: int = 1) -> None:
    """Four population figures per generated article."""
    from articles.models import Article, PopulationFigure

    ids = dict(Article.objects.values_list("title", "id"))
    rows = []
    for index, (title, _, _) in enumerate(world.titles):
        for year, count in population_history(index, seed):
            rows.append(PopulationFigure(article_id=ids[title], year=year, count=count,
                                         note="est."))
    PopulationFigure.objects.bulk_create(rows, batch_size=2000)


def populate_tags(world: World) -> None:
    """Every generated article tagged "Diaspora" and with its origin group:
    a tag page as long as the site, and thousands of short ones."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    from articles.models import Article

    ids = dict(Article.objects.values_list("title", "id"))
    names = ["Diaspora", *sorted({origin.demonym for _, origin, _ in world.titles})]
    Tag.objects.bulk_create(
        [Tag(name=n, slug=n.lower()) for n in names], batch_size=1000, ignore_conflicts=True
    )
    tags = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
    content_type = ContentType.objects.get_for_model(Article)
    rows = []
    for title, origin, _ in world.titles:
        for name in ("Diaspora", origin.demonym):
            rows.append(TaggedItem(tag_id=tags[name], content_type=content_type,
                                   object_id=ids[title]))
    TaggedItem.objects.bulk_create(rows, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    world = World(args.articles, args.seed)
    write_files(world, args.out, args.seed)
    print(f"{args.articles} articles written to {args.out}")


if __name__ == "__main__":
    main()
