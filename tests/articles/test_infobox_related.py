"""Related (Wikipedia's related/related_groups) as a typed infobox field,
added through the one declaration: wiki-text, import/export, the page, the
JSON view, history and the admin."""

import re

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from reversion.models import Version

from articles import wikitext
from articles.infobox import STORAGE
from articles.models import Article, InfoboxRow, RelatedGroup
from articles.services import article_export, articles_import
from articles.wikitext.infobox import RELATED, field_for_parameter
from tests.admin_forms import add_inline_form, change_form_data, inline_forms

TEXT = """\
= Uzbeks in Afghanistan =

Infobox
- Native_name: Afghan Uzbeks
- Group: Uzbeks in Afghanistan
- Langs: Uzbek, Dari
- Rels: Sunni Islam
- Related: Afghans in Russia, Tajiks
- Footnote: estimates vary

The lead.
"""


def test_related_parses_as_a_list_of_titles_and_dumps_back():
    doc = wikitext.parse(TEXT)
    assert doc.infobox.related == ["Afghans in Russia", "Tajiks"]
    assert [row.key for row in doc.infobox.extras] == ["Native_name", "Footnote"]
    assert wikitext.dump(doc) == TEXT


def test_related_in_any_case_and_place_is_read_and_written_in_canonical_order():
    doc = wikitext.parse("= T =\n\nInfobox\n- related: Tajiks\n- Group: Uzbeks\n")
    assert doc.infobox.related == ["Tajiks"] and not doc.infobox.extras
    assert wikitext.dump(doc) == "= T =\n\nInfobox\n- Group: Uzbeks\n- Related: Tajiks\n"


def test_related_listed_twice_or_empty_is_refused_with_its_line():
    with pytest.raises(wikitext.WikitextError) as error:
        wikitext.parse("= T =\n\nInfobox\n- Group: U\n- Related: Tajiks, tajiks\n")
    assert error.value.line == 5 and "listed twice" in error.value.message
    with pytest.raises(wikitext.WikitextError):
        wikitext.parse("= T =\n\nInfobox\n- Related: Tajiks, , Uzbeks\n")


def test_declaration_names_the_mediawiki_parameters_and_every_field_is_stored():
    assert field_for_parameter("related_groups") is RELATED
    assert field_for_parameter("religions").key == "Rels"
    assert field_for_parameter("poptime").key == "Population"
    assert [s.field for s in STORAGE] == list(wikitext.FIELDS)
    assert wikitext.KNOWN_KEYS[-1] == "Related"


@pytest.mark.django_db
def test_related_imports_as_ordered_rows_and_exports_byte_for_byte():
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())])
    article = result.article
    assert list(article.related_rows.values_list("title", "position")) == [
        ("Afghans in Russia", 0), ("Tajiks", 1),
    ]
    assert list(article.extra_rows.values_list("key", "position")) == [
        ("Native_name", 0), ("Footnote", 5),
    ]
    assert article_export(article=Article.objects.with_document().get(pk=article.pk)) == TEXT


def _infobox_html(client) -> str:
    html = client.get(Article.objects.get(title="Uzbeks in Afghanistan").get_absolute_url())
    html = html.content.decode()
    return html[html.index('<aside class="infobox"'):html.index("</aside>")]


def _import_published() -> None:
    """TEXT and the article of one of its related groups, both published."""
    articles_import(sources=[
        ("uzbeks.txt", TEXT.encode()),
        ("afghans.txt", b"= Afghans in Russia =\n\nLead.\n"),
    ])
    Article.objects.update(status=Article.Status.PUBLISHED)


@pytest.mark.django_db
def test_page_links_published_related_articles_and_shows_the_others_missing(client):
    _import_published()
    afghans = Article.objects.get(title="Afghans in Russia")
    infobox = _infobox_html(client)
    assert "<th scope=\"row\">Related ethnic groups</th>" in infobox
    assert f'<a href="{afghans.get_absolute_url()}">Afghans in Russia</a>' in infobox
    assert '<span class="missing" title="Tajiks: no article yet">Tajiks</span>' in infobox
    # Rows in the wiki-text's order: Related after Religions, before Footnote.
    labels = re.findall(r'<th scope="row">([^<]+)</th>', infobox)
    assert labels == [
        "Native_name", "Group", "Languages", "Religions", "Related ethnic groups", "Footnote",
    ]


@pytest.mark.django_db
def test_a_draft_related_article_is_shown_missing_to_readers(client):
    _import_published()
    Article.objects.filter(title="Afghans in Russia").update(status=Article.Status.DRAFT)
    infobox = _infobox_html(client)
    assert '<span class="missing" title="Afghans in Russia: no article yet">Afghans in Russia</span>' in infobox, infobox


@pytest.mark.django_db
def test_json_lists_related_groups_with_the_url_of_published_ones(client):
    _import_published()
    uzbeks = Article.objects.get(title="Uzbeks in Afghanistan")
    afghans = Article.objects.get(title="Afghans in Russia")
    data = client.get(f"/api/articles/{uzbeks.slug}/").json()
    assert data["infobox"]["related"] == [
        {"title": "Afghans in Russia", "url": f"http://testserver{afghans.get_absolute_url()}"},
        {"title": "Tajiks", "url": None},
    ]
    assert data["infobox"]["religions"] == ["Sunni Islam"]


def _revisions(article) -> list:
    return [v.revision for v in Version.objects.get_for_object(article).select_related("revision")]


@pytest.mark.django_db
def test_related_group_added_in_the_admin_inline_shows_in_the_export_and_history_diff(
    admin_client, admin_user
):
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())], user=admin_user)
    article = result.article
    url = f"/admin/articles/article/{article.pk}/change/"
    response = admin_client.get(url)
    data = change_form_data(response)
    assert [row["title"] for row in inline_forms(data, "related_rows")] == [
        "Afghans in Russia", "Tajiks",
    ]
    add_inline_form(response, data, "related_rows", title="Kazakhs in Afghanistan", position="")
    assert admin_client.post(url, data).status_code == 302

    assert list(article.related_rows.values_list("title", flat=True)) == [
        "Afghans in Russia", "Tajiks", "Kazakhs in Afghanistan",
    ]
    exported = article_export(article=Article.objects.with_document().get(pk=article.pk))
    assert "- Related: Afghans in Russia, Tajiks, Kazakhs in Afghanistan\n" in exported

    newest, oldest = _revisions(article)
    compare = admin_client.get(
        f"/admin/articles/article/{article.pk}/history/compare/", {"a": oldest.pk, "b": newest.pk}
    )
    html = compare.content.decode()
    rows = dict(re.findall(r'<th scope="row">([^<]+) <small>\((\w+)\)</small>', html))
    assert rows == {"Infobox": "changed"}
    assert "Tajiks<ins>, Kazakhs in Afghanistan</ins>" in html


@pytest.mark.django_db
def test_admin_refuses_a_related_title_with_a_comma_and_an_extra_row_keyed_related(admin_client):
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())])
    url = f"/admin/articles/article/{result.article.pk}/change/"
    response = admin_client.get(url)
    data = change_form_data(response)
    add_inline_form(response, data, "related_rows", title="Russians in Korea, South", position="")
    add_inline_form(response, data, "extra_rows", key="related", value="Tajiks", position="")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "may not contain a comma" in html
    assert "Use the article&#x27;s own field for &#x27;related&#x27;." in html
    assert RelatedGroup.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_migration_turns_extra_related_rows_into_typed_rows_and_back():
    executor = MigrationExecutor(connection)
    before, after = [("articles", "0009_term_name_key_unique")], [("articles", "0010_related_group")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        article = old.get_model("articles", "Article").objects.create(
            title="Uzbeks in Afghanistan", slug="uzbeks-in-afghanistan", group_name="Uzbeks"
        )
        rows = old.get_model("articles", "InfoboxRow").objects
        rows.create(article=article, key="Native_name", value="x", position=0)
        rows.create(article=article, key="Related", value="Afghans in Russia, Tajiks", position=2)
        rows.create(article=article, key="Footnote", value="y", position=3)

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        related = new.get_model("articles", "RelatedGroup").objects
        assert list(related.order_by("position").values_list("title", "position")) == [
            ("Afghans in Russia", 0), ("Tajiks", 1),
        ]
        assert list(new.get_model("articles", "InfoboxRow").objects.order_by("position")
                    .values_list("key", "position")) == [("Native_name", 0), ("Footnote", 3)]

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        assert list(rows.order_by("position").values_list("key", "value", "position")) == [
            ("Native_name", "x", 0), ("Related", "Afghans in Russia, Tajiks", 2),
            ("Footnote", "y", 3),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert django_apps.get_model("articles", "RelatedGroup") is RelatedGroup
    assert not InfoboxRow.objects.filter(key="Related").exists()


@pytest.mark.django_db
def test_revert_restores_the_related_groups_of_the_revision(admin_client, admin_user):
    from articles.services import article_revert

    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())], user=admin_user)
    article = result.article
    url = f"/admin/articles/article/{article.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["related_rows-1-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert list(article.related_rows.values_list("title", flat=True)) == ["Afghans in Russia"]

    article_revert(article=article, revision=_revisions(article)[-1], user=admin_user)
    assert list(article.related_rows.values_list("title", flat=True)) == [
        "Afghans in Russia", "Tajiks",
    ]


@pytest.mark.django_db
def test_related_titles_are_in_the_search_document_after_import_and_admin_save(admin_client):
    [result] = articles_import(sources=[("uzbeks.txt", TEXT.encode())])
    article = Article.objects.get(pk=result.article.pk)
    assert "Tajiks" in article.search_document.split("\n")
    url = f"/admin/articles/article/{article.pk}/change/"
    response = admin_client.get(url)
    data = change_form_data(response)
    add_inline_form(response, data, "related_rows", title="Hazaras", position="")
    assert admin_client.post(url, data).status_code == 302
    assert "Hazaras" in Article.objects.get(pk=article.pk).search_document.split("\n")
