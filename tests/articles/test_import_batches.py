"""Large imports run in batches, rendered by worker processes while the
previous batch is written: the result is the same as one batch in-process."""

import pytest

from articles import services
from articles.models import Article, PlaceMention, SeeAlso
from articles.services import importing
from people.models import Person, Place

pytestmark = pytest.mark.django_db


def files():
    """Six articles; each links to and lists the next one (imported in a
    later batch), names a person, and the last names a place that only the
    first article's infobox creates."""
    out = []
    for n in range(6):
        nxt = f"Group{(n + 1) % 6}s in Testland"
        extra = " They trade with Nowhereville." if n == 5 else ""
        popplace = "- Popplace: Nowhereville\n" if n == 0 else ""
        out.append((f"{n}.txt", (
            f"= Group{n}s in Testland =\n\nInfobox\n- Group: Group{n}\n{popplace}\n"
            f"Led by Ivan Petrov; see [[{nxt}]].{extra}\n\n"
            f"==History==\nArrived in 19{n}0. See [[{nxt}|the next ones]] and [[Missing title]].\n\n"
            f"==See also==\n- {nxt}\n"
        ).encode()))
    return out


def snapshot():
    return {
        a.title: (
            a.lead_html,
            [s.body_html for s in a.sections.all()],
            sorted(a.person_mentions.values_list("person__name", flat=True)),
            sorted(a.place_mentions.values_list("place__name", flat=True)),
            [(r.target_title, r.target.title if r.target else None) for r in a.see_also.all()],
            a.search_document,
        )
        for a in Article.objects.prefetch_related("sections", "see_also__target")
    }


@pytest.mark.parametrize("batch", [2, 100])
def test_batches_and_workers_give_the_same_articles(monkeypatch, batch):
    Person.objects.create(name="Ivan Petrov", slug="ivan-petrov")
    monkeypatch.setattr(importing, "IMPORT_BATCH", batch)
    progress = []
    results = services.articles_import(sources=files(), on_progress=progress.append)
    assert [r.name for r in results] == [f"{n}.txt" for n in range(6)] == [
        r.name for r in progress
    ]
    pages = snapshot()
    assert len(pages) == 6
    for n in range(6):
        nxt = Article.objects.get(title=f"Group{(n + 1) % 6}s in Testland")
        lead_html, bodies, people, places, see_also, document = pages[f"Group{n}s in Testland"]
        assert f'<a href="/wiki/{nxt.slug}/" rel="noopener noreferrer">Group{(n + 1) % 6}s in Testland</a>' in lead_html
        assert f'<a href="/wiki/{nxt.slug}/" rel="noopener noreferrer">the next ones</a>' in bodies[0]
        assert '<span class="missing" title="Missing title: no article yet">' in bodies[0]
        assert people == ["Ivan Petrov"]
        assert "Testland" in places
        assert see_also == [(nxt.title, nxt.title)]
        assert "Ivan Petrov" in document
    # A place made by the first batch is found in the text of the last.
    assert "Nowhereville" in pages["Group5s in Testland"][3]
    assert PlaceMention.objects.filter(place=Place.objects.get(name="Nowhereville")).count() == 1
    assert SeeAlso.objects.filter(target__isnull=True).count() == 0


def test_pool_is_used_for_several_batches(monkeypatch):
    """The pipeline really forks workers when there is more than one batch."""
    monkeypatch.setattr(importing, "IMPORT_BATCH", 2)
    pools = []
    real = importing._render_pool

    def spy(names, *, batches):
        cm = real(names, batches=batches)
        pool = cm.__enter__()
        pools.append(pool)
        return _Closing(cm, pool)

    monkeypatch.setattr(importing, "_render_pool", spy)
    services.articles_import(sources=files())
    assert pools and pools[0] is not None
    assert type(pools[0]).__name__ == "ProcessPoolExecutor"


class _Closing:
    def __init__(self, cm, pool):
        self.cm, self.pool = cm, pool

    def __enter__(self):
        return self.pool

    def __exit__(self, *exc):
        return self.cm.__exit__(*exc)


def test_a_bad_file_in_a_later_batch_writes_nothing(monkeypatch):
    monkeypatch.setattr(importing, "IMPORT_BATCH", 2)
    bad = files()
    bad[4] = ("4.txt", b"= Group4s in Testland =\n\nInfobox\n- Population: lots\n- Population: 3\n")
    with pytest.raises(services.ImportFailed, match=r"^4\.txt:5: "):
        services.articles_import(sources=bad)
    assert not Article.objects.exists()


def test_repeated_title_across_batches_is_refused_before_writing(monkeypatch):
    monkeypatch.setattr(importing, "IMPORT_BATCH", 2)
    repeated = files()
    repeated[5] = ("again.txt", repeated[1][1])
    with pytest.raises(services.ImportFailed) as failed:
        services.articles_import(sources=repeated)
    assert str(failed.value) == (
        "again.txt:1: the title 'Group1s in Testland' is also the title of 1.txt"
    )
    assert not Article.objects.exists()
