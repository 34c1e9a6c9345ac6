"""What every infobox list gets from its one ``Storage`` line: the
prefetch of ``with_document``, the import's rows, a revision, the search
document and (for terms) the admin's filter."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.infobox import ARTICLE_ROWS, ROW_STORAGE
from articles.models import Article
from articles.services import articles_import, search_document_update
from articles.services.import_rows import _BUILT_ROWS
from articles.wikitext.infobox import Kind

TEXT = """\
= Uzbeks in Afghanistan =

Infobox
- Group: Uzbek people
- Population: 1,500 (2009 est.)
- Popplace: Mazar-i-Sharif, Kabul
- Langs: Uzbek, Dari
- Rels: Sunni Islam, Sufism
- Related: Tajiks, Afghans in Russia
- Footnote: estimates vary

The lead names Balkh.
"""


def test_every_infobox_list_is_prefetched_imported_and_versioned():
    prefetched = {getattr(p, "prefetch_to", p) for p in
                  Article.objects.with_document()._prefetch_related_lookups}
    rows = [s.rows for s in ROW_STORAGE]
    assert set(rows) <= prefetched
    assert [attribute for _, attribute in _BUILT_ROWS if attribute in rows] == rows
    assert set(rows) <= set(ARTICLE_ROWS)


def test_the_admin_filters_by_every_list_of_terms():
    list_filter = admin.site._registry[Article].list_filter
    by_field = [f for f in list_filter if isinstance(f, str)]
    assert by_field == ["status", "languages", "religions", "tags", "updated"]
    terms = [s.many_to_many for s in ROW_STORAGE if s.kind is Kind.TERMS]
    assert terms == ["languages", "religions"]


@pytest.mark.django_db
def test_search_document_holds_every_infobox_list_the_same_after_import_and_refresh():
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())])
    article = Article.objects.get(pk=result.article.pk)
    imported = article.search_document
    # The columns, the extra rows, the lists in declared order, then the
    # places (the infobox's with those mentioned: the title's host country)
    # sorted by name.
    assert imported.split("\n") == [
        "Uzbeks in Afghanistan", "The lead names Balkh.",
        "Uzbek people", "2009 est.", "estimates vary",
        "Uzbek", "Dari", "Sunni Islam", "Sufism", "Tajiks", "Afghans in Russia",
        "Afghanistan", "Kabul", "Mazar-i-Sharif",
    ]
    with CaptureQueriesContext(connection) as queries:
        search_document_update(article=article)
    assert Article.objects.get(pk=article.pk).search_document == imported
    assert len(queries) == 10  # with the titles of the sources it cites
