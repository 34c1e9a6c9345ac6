"""Data for the machine-facing views, built by importing the seed file (the
JSON fixture may be mid-regeneration, and the import is what production
does anyway)."""

import pytest

from articles.models import Article
from tests.factories import PersonFactory, PlaceFactory

SEED_SLUG = "russians-in-afghanistan"


@pytest.fixture
def seed_article(db, seed_bytes) -> Article:
    from articles.services import articles_import

    # Named in the lead, so the import records them as mentioned.
    PersonFactory(name="Noor Mohammad", slug="noor-mohammad")
    PlaceFactory(name="Chaghcharan", slug="chaghcharan")
    [result] = articles_import(sources=[("seed.txt", seed_bytes)])
    article = result.article
    article.tags.add("Russia", "Afghanistan")
    article.population_figures.create(year=1979, count=15000, note="est.")
    article.population_figures.create(year=2009, count=1500)
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def draft_article(db) -> Article:
    from tests.factories import ArticleFactory

    return ArticleFactory(
        title="Secret drafts in Nowhere", slug="secret-drafts-in-nowhere",
        status=Article.Status.DRAFT,
    )


HOSTILE_TITLE = "<script>alert(1)</script> in X"


@pytest.fixture
def hostile_article(db) -> Article:
    """Editor text that tries to break out of every context it lands in."""
    from articles.services import article_render
    from tests.factories import ArticleFactory

    article = ArticleFactory(
        title=HOSTILE_TITLE,
        slug="script-in-x",
        group_name='</script><script>alert("group")</script>',
        lead='Text with </script><!-- and "quotes" & <b>tags</b> and \u2028 separators.',
    )
    article_render(article=article)
    article.tags.add("</script>tag")
    return Article.objects.get(pk=article.pk)
