"""See also rows keep their title read as a community (issue 14): every
path that writes a row fills target_group and target_host with
communities.community_from_title's reading, and the related communities of
a page are found through indexes, not by reading every row. Runs on SQLite
and on PostgreSQL (DATABASE_URL)."""

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from reversion.models import Version

from articles.communities import community_from_title
from articles.models import Article, SeeAlso
from articles.selectors import related_articles
from articles.services import article_revert, articles_import
from tests.admin_forms import add_inline_form, change_form_data
from tests.html import visible_text

TEXT = """\
= Uzbeks in Afghanistan =

The lead.

== See also ==
- Tajiks in Afghanistan
- Uzbeks in the United States
- Demographics of Afghanistan
"""

ADD_URL = "/admin/articles/article/add/"


def parsed(article: Article) -> list[tuple[str, str, str]]:
    return list(
        SeeAlso.objects.filter(article=article).order_by("position")
        .values_list("target_title", "target_group", "target_host")
    )


def import_text(text: str, user=None) -> Article:
    [result] = articles_import(sources=[("doc.txt", text.encode())], user=user)
    return result.article


@pytest.mark.parametrize("title, expected", [
    ("Russians in Afghanistan", ("Russians", "Afghanistan")),
    ("Uzbeks in the United States", ("Uzbeks", "United States")),
    ("Jews in Bukhara in Exile", ("Jews", "Bukhara in Exile")),
    ("Demographics of Afghanistan", ("", "")),
    ("Life in ", ("", "")),
])
def test_a_row_reads_its_title_by_the_one_rule(title, expected):
    assert SeeAlso.community_of(title) == expected
    assert (community_from_title(title) or ("", "")) == expected
    row = SeeAlso(target_title=title)
    row.parse_target()
    assert (row.target_group, row.target_host) == expected


@pytest.mark.django_db
def test_an_import_fills_them_and_a_new_import_reads_the_new_titles():
    article = import_text(TEXT)
    assert parsed(article) == [
        ("Tajiks in Afghanistan", "Tajiks", "Afghanistan"),
        ("Uzbeks in the United States", "Uzbeks", "United States"),
        ("Demographics of Afghanistan", "", ""),
    ]
    import_text(TEXT.replace("- Tajiks in Afghanistan", "- Hazaras in Iran"))
    assert parsed(article)[0] == ("Hazaras in Iran", "Hazaras", "Iran")


@pytest.mark.django_db
def test_the_admin_form_fills_them_when_a_row_is_added_and_when_its_title_changes(admin_client):
    response = admin_client.get(ADD_URL)
    data = change_form_data(response)
    data.update(title="Tajiks in Afghanistan", lead="Lead.", status="published",
                slug="tajiks-in-afghanistan")
    add_inline_form(response, data, "see_also", target_title="Uzbeks in Afghanistan")
    add_inline_form(response, data, "see_also", target_title="Languages of Afghanistan")
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(title="Tajiks in Afghanistan")
    assert parsed(article) == [
        ("Uzbeks in Afghanistan", "Uzbeks", "Afghanistan"),
        ("Languages of Afghanistan", "", ""),
    ]

    url = f"/admin/articles/article/{article.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["see_also-0-target_title"] = "Hazaras in the United States"
    data["see_also-1-target_title"] = "Pashtuns in Pakistan"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert parsed(article) == [
        ("Hazaras in the United States", "Hazaras", "United States"),
        ("Pashtuns in Pakistan", "Pashtuns", "Pakistan"),
    ]


@pytest.mark.django_db
def test_a_save_of_the_title_alone_writes_its_reading_too():
    article = import_text(TEXT)
    row = SeeAlso.objects.get(article=article, position=0)
    row.target_title = "Hazaras in Iran"
    row.save(update_fields=["target_title"])
    assert parsed(article)[0] == ("Hazaras in Iran", "Hazaras", "Iran")


@pytest.mark.django_db
def test_loaddata_fills_them(seed_fixture):
    # fixtures/seed.json has no such columns: its raw saves are read too.
    assert parsed(seed_fixture) == [
        ("Afghans in Russia", "Afghans", "Russia"),
        ("Armenians in Afghanistan", "Armenians", "Afghanistan"),
        ("Demographics of Afghanistan", "", ""),
        ("Russians in Pakistan", "Russians", "Pakistan"),
    ]


@pytest.mark.django_db
def test_a_revert_fills_them_though_revisions_do_not_keep_them(admin_client, admin_user):
    article = import_text(TEXT, user=admin_user)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["see_also-0-target_title"] = "Hazaras in Iran"
    assert admin_client.post(url, data).status_code == 302
    assert parsed(article)[0] == ("Hazaras in Iran", "Hazaras", "Iran")

    versions = Version.objects.get_for_model(SeeAlso)
    assert versions.exists()
    assert not any("target_group" in v.serialized_data for v in versions)

    imported = [v.revision for v in Version.objects.get_for_object(article)][-1]
    article_revert(article=article, revision=imported, user=admin_user)
    assert parsed(article) == [
        ("Tajiks in Afghanistan", "Tajiks", "Afghanistan"),
        ("Uzbeks in the United States", "Uzbeks", "United States"),
        ("Demographics of Afghanistan", "", ""),
    ]


@pytest.mark.django_db
def test_related_communities_match_the_parsed_host_with_or_without_the(client):
    """An unwritten "X in the United States" is one of the country's
    communities, as a written one is (its host_country is United States)."""
    import_text("= Russians in the United States =\n\nLead.\n")
    # The unwritten titles come from another article's See also: the
    # page's own See also titles are not repeated in its related block.
    import_text(
        "= Armenians in the United States =\n\nLead.\n\n== See also ==\n"
        "- Afghans in the United States\n- Russians in Canada\n- russians in Mexico\n"
        "- Americans in Russia\n"
    )
    article = Article.objects.get(title="Russians in the United States")
    assert article.host_country.name == "United States"
    assert article.origin_group == "Russians"
    Article.objects.update(status=Article.Status.PUBLISHED)

    html = client.get(article.get_absolute_url()).content.decode()
    block = html[html.index('<section class="related"'):]
    text = visible_text(block[:block.index("</section>")])
    assert "Russians in other countries Russians in Canada (not written yet)" in text
    assert (
        "Other communities in United States Afghans in the United States (not written yet) "
        "Armenians in the United States" in text
    )
    assert "Mexico" not in text  # another group, whatever the case


def _related_query(article: Article) -> tuple[str, tuple]:
    """The SQL and parameters of related_articles' one query."""
    seen = []

    def capture(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        related_articles(article)
    [query] = [q for q in seen if "UNION" in q[0]]
    return query


INDEXES = [
    "seealso_group_unlinked", "seealso_host_unlinked", "seealso_title_unlinked",
    "article_group_status", "article_host_status",
]


@pytest.mark.django_db
def test_the_related_communities_query_reads_indexes_not_tables(seed_fixture):
    article = Article.objects.select_related("host_country", "origin_country").get(
        pk=seed_fixture.pk
    )
    # Group, host country and the reverse community: six SELECTs.
    assert (article.origin_group, article.host_country.name, article.origin_country.name) == (
        "Russians", "Afghanistan", "Russia"
    )
    sql, params = _related_query(article)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = [row[3] for row in cursor.fetchall()]
            assert not [line for line in plan if line.startswith("SCAN")], plan
        else:
            # The test's tables are tiny, where a sequential scan is cheapest:
            # forbid it, and the plan shows whether an index can serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
            assert not [line for line in plan if "Seq Scan" in line], plan
    text = "\n".join(plan)
    for name in INDEXES:
        assert name in text, (name, plan)
    if connection.vendor == "sqlite":
        # No statistics: the planner takes a composite index over status's own.
        assert "USING INDEX seealso_group_unlinked (target_group=? AND target_id=?)" in text
        assert "USING INDEX article_host_status (host_country_id=? AND status=?)" in text


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_existing_rows_in_batches_and_reverses():
    executor = MigrationExecutor(connection)
    before = [("articles", "0013_mediawiki")]
    after = [("articles", "0014_see_also_community")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        article = old.get_model("articles", "Article").objects.create(
            title="Uzbeks in Afghanistan", slug="uzbeks-in-afghanistan"
        )
        titles = [f"Group{i} in the Land{i % 7}" for i in range(1200)] + ["Index of peoples"]
        old.get_model("articles", "SeeAlso").objects.bulk_create(
            old.get_model("articles", "SeeAlso")(article=article, target_title=t, position=i)
            for i, t in enumerate(titles)
        )

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        rows = new.get_model("articles", "SeeAlso").objects.order_by("position")
        assert [(r.target_group, r.target_host) for r in rows] == [
            *((f"Group{i}", f"Land{i % 7}") for i in range(1200)), ("", ""),
        ]

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        columns = [c.name for c in connection.introspection.get_table_description(
            connection.cursor(), "articles_seealso")]
        assert "target_group" not in columns and "target_host" not in columns
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert django_apps.get_model("articles", "SeeAlso") is SeeAlso
