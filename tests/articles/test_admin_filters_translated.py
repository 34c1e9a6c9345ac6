"""The article list's sources and citation-needed filters in the Russian
admin: their titles and choices are translated (articles/admin/verifiability.py)."""

from __future__ import annotations

import re

import pytest

from tests.test_translations import compiled  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_russian_article_list_translates_the_verifiability_filters(
    admin_client, compiled  # noqa: F811
):
    html = admin_client.get("/ru/admin/articles/article/").content.decode()

    filters = re.search(r'<nav id="changelist-filter".*?</nav>', html, re.S).group(0)
    assert '<details data-filter-title="источники" open>' in filters
    assert '<details data-filter-title="нужен источник" open>' in filters
    for words in ("Без источников", "С источниками", "Нужен источник", "Не нужен"):
        assert f">{words}</a>" in filters, words
    for english in ("No sources", "With sources", "None needed"):
        assert english not in filters
