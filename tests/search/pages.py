"""Reading the search page in tests."""

import html
import re

SEARCH_URL = "/search/"


def result_titles(response) -> list[str]:
    """Titles of the article results, in the order shown."""
    block = response.content.decode().split('class="search-results"', 1)
    if len(block) < 2:
        return []
    block = block[1].split("</ol>", 1)[0]
    return [html.unescape(t) for t in re.findall(r'<a href="/wiki/[^"]+/">([^<]*)</a>', block)]


def get(client, query, **params):
    response = client.get(SEARCH_URL, {"q": query, **params})
    assert response.status_code == 200
    return response
