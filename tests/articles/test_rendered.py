"""The article page stored when written (articles.rendered): one query a
request, editors included but for their own few; emptied exactly when
something it shows changes; never kept when rendered from rows a write was
changing."""

from __future__ import annotations

import pytest

from articles import rendered
from articles.models import Article, ArticleRender
from articles.services import article_delete
from tests.admin_forms import change_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE = False  # the stored page itself, not the page cache in front


def stored(article: Article) -> str:
    row = ArticleRender.objects.filter(pk=article.pk).first()
    return ArticleRender.unpack(row.page) if row is not None else ""


def admin_save(admin_client, article: Article, **changes) -> None:
    url = f"/admin/articles/article/{article.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data.update(changes)
    assert admin_client.post(url, data).status_code == 302


def test_a_save_renders_the_page_and_readers_read_it_in_one_query(
    admin_client, client, django_assert_num_queries
):
    article = ArticleFactory(title="Kazakhs in Russia", lead="Before.")
    admin_save(admin_client, article, lead="Written by the save.")

    assert "Written by the save." in stored(article)
    with django_assert_num_queries(1):
        html = client.get(article.get_absolute_url()).content.decode()
    assert "Written by the save." in html
    assert "<h1>Kazakhs in Russia</h1>" in html


def test_an_editor_gets_the_stored_page_with_create_links(
    admin_client, client, django_assert_num_queries
):
    article = ArticleFactory(title="Kazakhs in Russia", lead="See [[Tatars in Russia]].")
    client.get(article.get_absolute_url())  # stored
    reader = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="missing" title="Tatars in Russia: no article yet">' in reader

    admin_client.get(article.get_absolute_url())  # the session, read once into the cache
    # The user, the article with its stored page, the drafts among its
    # missing titles (by title, by former title); no session row (cached_db),
    # nothing of the page built again.
    with django_assert_num_queries(4):
        editor = admin_client.get(article.get_absolute_url()).content.decode()
    assert ('<a class="missing create-link" href="/admin/articles/article/add/?title=Tatars%20in%20Russia'
            in editor)
    assert f"/admin/articles/article/{article.pk}/change/" in editor  # the Edit link
    assert "create-link" not in reader


def test_a_rename_empties_the_pages_that_show_it_and_no_other(admin_client, client):
    target = ArticleFactory(title="Kazakhs in Russia", lead="Target.")
    linking = ArticleFactory(title="Uzbeks in Georgia", lead="See [[Kazakhs in Russia]].")
    unrelated = ArticleFactory(title="Poles in Brazil", lead="Unrelated.")
    for article in (target, linking, unrelated):
        client.get(article.get_absolute_url())
    assert stored(linking) and stored(unrelated)

    admin_save(admin_client, target, title="Tatars in Russia", slug="tatars-in-russia")

    assert stored(linking) == ""  # its next reader renders it
    assert "Poles in Brazil" in stored(unrelated)  # untouched
    assert "Tatars in Russia" in stored(Article.objects.get(pk=target.pk))  # rendered by the save
    html = client.get(linking.get_absolute_url()).content.decode()
    lead = html[html.index('<div class="lead">'):]
    assert '<a href="/wiki/tatars-in-russia/" rel="noopener noreferrer">Kazakhs in Russia</a>' in (
        lead[:lead.index("</div>")]
    )


def test_deleting_empties_the_linking_pages(client):
    target = ArticleFactory(title="Kazakhs in Russia", lead="Target.")
    linking = ArticleFactory(title="Uzbeks in Georgia", lead="See [[Kazakhs in Russia]].")
    client.get(linking.get_absolute_url())

    article_delete(article=target)

    assert stored(linking) == ""
    html = client.get(linking.get_absolute_url()).content.decode()
    assert '<span class="missing" title="Kazakhs in Russia: no article yet">' in html


def test_a_page_rendered_from_rows_a_write_was_changing_is_not_kept(client):
    article = ArticleFactory(title="Kazakhs in Russia", lead="Old text.")
    client.get(article.get_absolute_url())
    row = ArticleRender.objects.get(pk=article.pk)
    rendered.render(article.pk)  # a reader, before the write commits

    rendered.stale(pks=[article.pk])  # the write
    rendered.store(article.pk, row.seq, row.generation, "<p>Old page</p>")

    assert stored(article) == ""
    assert "Old page" not in client.get(article.get_absolute_url()).content.decode()


def test_a_reader_storing_a_first_rendering_after_a_write_keeps_nothing(client):
    article = ArticleFactory(title="Kazakhs in Russia", lead="Text.")
    ArticleRender.objects.filter(pk=article.pk).delete()  # never rendered

    rendered.stale(pks=[article.pk])  # a write makes the row, empty
    rendered.store(article.pk, None, None, "<p>Read before the write</p>")

    assert stored(article) == ""


def test_a_write_no_service_accounts_for_makes_every_stored_page_render_again(client):
    article = ArticleFactory(title="Kazakhs in Russia", lead="Text.")
    client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title="Kazakhs of Russia")  # no service

    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h1>Kazakhs of Russia</h1>" in html


def test_a_save_keeping_title_slug_and_status_renders_no_linking_article(
    admin_client, monkeypatch
):
    from articles.services import refresh

    target = ArticleFactory(title="Kazakhs in Russia", lead="Target.")
    linking = ArticleFactory(title="Uzbeks in Georgia", lead="See [[Kazakhs in Russia]].")
    rendered_texts = []
    real = refresh.article_render
    monkeypatch.setattr(refresh, "article_render",
                        lambda *, article: rendered_texts.append(article.pk) or real(article=article))

    admin_save(admin_client, target, lead="Edited.")
    assert rendered_texts == [target.pk]

    rendered_texts.clear()
    admin_save(admin_client, target, title="Tatars in Russia", slug="tatars-in-russia")
    assert sorted(rendered_texts) == sorted([target.pk, linking.pk])


def test_a_deploy_that_changes_the_templates_renders_every_stored_page_again(
    client, monkeypatch, django_assert_num_queries
):
    article = ArticleFactory(title="Kazakhs in Russia", lead="Text.", origin_group="Kazakhs")
    client.get(article.get_absolute_url())
    with django_assert_num_queries(1):
        client.get(article.get_absolute_url())
    old = rendered.render_version()
    assert len(old) == 16

    monkeypatch.setattr(rendered, "render_version", lambda: "another-version")

    # Built again (with the page information's revision count), and stored
    # under the new version.
    with django_assert_num_queries(15):
        client.get(article.get_absolute_url())
    assert ArticleRender.objects.get(pk=article.pk).version == "another-version"
    with django_assert_num_queries(1):
        client.get(article.get_absolute_url())
