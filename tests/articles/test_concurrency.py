"""Two editors saving one article at the same moment: real threads, real
transactions (row locks on PostgreSQL, an immediate write lock on SQLite).
Nothing accepted is lost: a save is merged, or refused with the conflict page."""

import threading

import pytest
from django.db import connection
from django.test import Client
from reversion.models import Version

from articles.models import Section
from articles.services import articles_import
from tests.admin_forms import change_form_data, inline_forms

TEXT = b"= Uzbeks in Russia =\n\nThe lead.\n\n==History==\nOld history.\n\n==Culture==\nOld culture.\n"


def body_key(data: dict, heading: str) -> str:
    for index, row in enumerate(inline_forms(data, "sections")):
        if row["heading"] == heading:
            return f"sections-{index}-body"
    raise KeyError(heading)


def post_together(user, url: str, forms: list[dict]) -> list:
    """POST each form from its own thread and client, all released at once."""
    barrier = threading.Barrier(len(forms))
    responses: list = [None] * len(forms)

    def run(index: int) -> None:
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            responses[index] = client.post(url, forms[index])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.fixture
def setup(transactional_db, admin_user):
    [result] = articles_import(sources=[("u.txt", TEXT)])
    client = Client()
    client.force_login(admin_user)
    url = f"/admin/articles/article/{result.article.pk}/change/"
    return result.article, admin_user, url, client


def test_simultaneous_saves_of_different_sections_are_both_kept(setup):
    article, user, url, client = setup
    first = change_form_data(client.get(url))
    second = change_form_data(client.get(url))
    first[body_key(first, "History")] = "History by the first editor."
    second[body_key(second, "Culture")] = "Culture by the second editor."

    responses = post_together(user, url, [first, second])

    assert [r.status_code for r in responses] == [302, 302]
    assert dict(Section.objects.filter(article=article).values_list("heading", "body")) == {
        "History": "History by the first editor.",
        "Culture": "Culture by the second editor.",
    }
    assert Version.objects.get_for_object(article).count() == 3  # import + two saves


def test_simultaneous_overlapping_saves_keep_one_and_refuse_the_other(setup):
    article, user, url, client = setup
    first = change_form_data(client.get(url))
    second = change_form_data(client.get(url))
    first[body_key(first, "History")] = "History by the first editor."
    second[body_key(second, "History")] = "History by the second editor."

    responses = post_together(user, url, [first, second])

    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 302]
    accepted = next(i for i, r in enumerate(responses) if r.status_code == 302)
    refused = 1 - accepted
    texts = ["History by the first editor.", "History by the second editor."]
    assert Section.objects.get(article=article, heading="History").body == texts[accepted]
    page = responses[refused].content.decode()
    assert "Another editor saved this article while you were editing it" in page
    assert texts[refused] in page
    assert Version.objects.get_for_object(article).count() == 2  # import + the accepted save


def test_many_editors_at_once_lose_no_accepted_change(setup):
    article, user, url, client = setup
    forms = []
    for n in range(4):
        data = change_form_data(client.get(url))
        data[body_key(data, "History" if n % 2 else "Culture")] = f"Text {n}."
        forms.append(data)

    responses = post_together(user, url, forms)

    accepted = [n for n, r in enumerate(responses) if r.status_code == 302]
    refused = [n for n, r in enumerate(responses) if r.status_code == 200]
    assert sorted(accepted + refused) == [0, 1, 2, 3]
    bodies = set(Section.objects.filter(article=article).values_list("body", flat=True))
    # Exactly one save per section can win; every accepted save is in history.
    assert len(accepted) == 2
    assert bodies == {f"Text {n}." for n in accepted}
    assert Version.objects.get_for_object(article).count() == 1 + len(accepted)
    for n in refused:
        assert f"Text {n}." in responses[n].content.decode()
