"""The article admin: editors change articles through its own forms and
inlines, and readers see the result on the public pages."""

import json
import re
from html import unescape
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils.html import escape
from taggit.utils import edit_string_for_tags, parse_tags

from people.models import Person, Place

from articles.admin import ArticleAdmin
from articles.models import Article, InfoboxRow, SeeAlso, Section
from tests.admin_forms import add_inline_form, change_form_data, inline_forms
from tests.factories import ArticleFactory, SectionFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

ARTICLE_URL = "/wiki/russians-in-afghanistan/"
CHANGELIST_URL = "/admin/articles/article/"
ADD_URL = "/admin/articles/article/add/"
SEE_ALSO_TITLES = [
    "Afghans in Russia",
    "Armenians in Afghanistan",
    "Demographics of Afghanistan",
    "Russians in Pakistan",
]


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def article_state(pk: int) -> dict:
    """Everything an article holds in the database, in document order
    (all but the timestamps)."""
    article = Article.objects.get(pk=pk)
    return {
        "fields": {
            name: getattr(article, name)
            for name in [
                "title", "slug", "lead", "status", "group_name", "population", "population_note"
            ]
        },
        "sections": list(article.sections.values_list("heading", "level", "body", "position")),
        "see_also": list(article.see_also.values_list("target_title", "target_id", "position")),
        "places": list(article.place_rows.values_list("place__name", "position")),
        "languages": list(article.language_rows.values_list("language__name", "position")),
        "religions": list(article.religion_rows.values_list("religion__name", "position")),
        "extra_rows": list(article.extra_rows.values_list("key", "value", "position")),
        "people": sorted(article.mentioned_people().values_list("name", flat=True)),
        "mentioned_places": sorted(article.mentioned_places().values_list("name", flat=True)),
        "mention_rows": sorted(
            [*article.person_mentions.values_list("person__name", "state"),
             *article.place_mentions.values_list("place__name", "state")]
        ),
        "population_figures": list(
            article.population_figures.values_list("year", "period", "count", "note")
        ),
        "community": (article.origin_group, article.origin_country_id, article.host_country_id),
        "tags": sorted(article.tags.names()),
    }


def open_form(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response, change_form_data(response)


def post_form(client, url: str, data: dict):
    return client.post(url, data)


def page(client, url: str = ARTICLE_URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section_headings(html: str) -> list[str]:
    """Headings of the article's own sections (they carry an anchor link)."""
    return [unescape(h) for h in re.findall(r'<h[23] id="[^"]*">(.*?) <a class="anchor"', html)]


def see_also_items(html: str) -> list[str]:
    block = html[html.index('<section class="see-also"'):]
    block = block[:block.index("</section>")]
    return re.findall(r"<li>(.*?)</li>", block, re.S)


def row_index(data: dict, prefix: str, field: str, value: str) -> int:
    rows = inline_forms(data, prefix)
    matches = [i for i, row in enumerate(rows) if row.get(field) == value]
    assert len(matches) == 1, (value, rows)
    return matches[0]


# --- The helper builds what the browser would send ------------------------------------


def test_change_form_data_holds_every_field_of_the_unchanged_seed_form(
    admin_client, seed_fixture
):
    response, data = open_form(admin_client, change_url(seed_fixture))

    assert data["title"] == "Russians in Afghanistan"
    assert data["slug"] == "russians-in-afghanistan"
    assert data["status"] == "published"
    assert data["group_name"] == "Russians in Afghanistan"
    assert data["population"] == "1500"
    assert data["population_note"] == "2009 est."
    assert "500 Russian derserters or POWs" in data["lead"]
    # The tags widget shows the editable text, which parses back to the same tags.
    assert data["tags"] == edit_string_for_tags(seed_fixture.tags.all())
    assert data["tags"] == '"Russian diaspora", Afghanistan'
    assert sorted(parse_tags(data["tags"])) == ["Afghanistan", "Russian diaspora"]
    # Autocomplete foreign keys: the selected option's primary key.
    assert data["host_country"] == str(Place.objects.get(name="Afghanistan").pk)
    assert data["origin_country"] == str(Place.objects.get(name="Russia").pk)
    assert data["origin_group"] == "Russians"

    # Every inline: its management form and every row, hidden id and fk included.
    for prefix, total in [
        ("place_rows", 2), ("language_rows", 3), ("religion_rows", 2),
        ("extra_rows", 0), ("sections", 0), ("see_also", 4),
        ("person_mentions", 6), ("place_mentions", 9), ("population_figures", 3),
    ]:
        assert data[f"{prefix}-TOTAL_FORMS"] == str(total), prefix
        assert data[f"{prefix}-INITIAL_FORMS"] == str(total), prefix
        assert data[f"{prefix}-MIN_NUM_FORMS"] == "0", prefix
        assert data[f"{prefix}-MAX_NUM_FORMS"] == "1000", prefix
    see_also = inline_forms(data, "see_also")
    assert [row["target_title"] for row in see_also] == SEE_ALSO_TITLES
    assert [row["position"] for row in see_also] == ["0", "1", "2", "3"]
    assert [row["id"] for row in see_also] == [
        str(pk) for pk in seed_fixture.see_also.values_list("pk", flat=True)
    ]
    assert {row["article"] for row in see_also} == {str(seed_fixture.pk)}
    assert all("DELETE" not in row for row in see_also)  # unticked checkboxes are not sent
    places = inline_forms(data, "place_rows")
    assert [row["place"] for row in places] == [
        str(pk) for pk in seed_fixture.place_rows.values_list("place_id", flat=True)
    ]


# --- The key test: fixing the typo through the admin ---------------------------------


def test_editor_fixes_typo_in_lead_and_nothing_else_changes(
    admin_client, client, seed_fixture, seed_text
):
    before = article_state(seed_fixture.pk)
    assert "derserters" in page(client)

    response, data = open_form(admin_client, change_url(seed_fixture))
    assert data["lead"].count("derserters") == 1
    data["lead"] = data["lead"].replace("derserters", "deserters")
    response = post_form(admin_client, change_url(seed_fixture), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert response["Location"] == CHANGELIST_URL

    # The public page shows the fix.
    text = visible_text(page(client))
    assert "about 500 Russian deserters or POWs now living in Afghanistan" in text
    assert "derserters" not in text

    # The database lost nothing on the round trip through the form.
    after = article_state(seed_fixture.pk)
    expected = dict(before, fields=dict(
        before["fields"], lead=before["fields"]["lead"].replace("derserters", "deserters")
    ))
    assert after == expected
    assert after["sections"] == []
    assert after["see_also"] == [(title, None, i) for i, title in enumerate(SEE_ALSO_TITLES)]
    assert after["places"] == [("Balkh Province", 0), ("Kabul", 1)]
    assert after["languages"] == [("Russian", 0), ("Pashto", 1), ("Dari", 2)]
    assert after["religions"] == [("Russian Orthodoxy", 0), ("Sunni Islam", 1)]
    assert after["people"] == [
        "Ahmad Shah Massoud", "Alexander Levenets", "Gennady Tsevma",
        "Khakim Bakhretdinov", "Nikolai Bistrov", "Noor Mohammad",
    ]
    assert after["tags"] == ["Afghanistan", "Russian diaspora"]
    assert after["fields"]["population"] == 1500
    assert after["fields"]["population_note"] == "2009 est."
    assert "\r" not in after["fields"]["lead"]  # the browser's CRLF was normalised

    # Exported, it is the seed with that one word changed.
    out = StringIO()
    call_command("export_articles", "russians-in-afghanistan", stdout=out)
    assert out.getvalue() == seed_text.replace("derserters", "deserters")


def test_saving_the_unchanged_form_changes_nothing(admin_client, seed_fixture, seed_text):
    before = article_state(seed_fixture.pk)
    _, data = open_form(admin_client, change_url(seed_fixture))

    response = post_form(admin_client, change_url(seed_fixture), data)

    assert response.status_code == 302
    assert article_state(seed_fixture.pk) == before
    out = StringIO()
    call_command("export_articles", "russians-in-afghanistan", stdout=out)
    assert out.getvalue() == seed_text


# --- Inlines ---------------------------------------------------------------------------


def test_editing_section_body_and_position_reorders_sections_on_the_page(
    admin_client, client, seed_fixture
):
    SectionFactory(article=seed_fixture, heading="History", body="Soviet advisers came.", position=0)
    SectionFactory(article=seed_fixture, heading="Culture", body="Few churches remain.", position=1)
    assert section_headings(page(client)) == ["History", "Culture"]

    response, data = open_form(admin_client, change_url(seed_fixture))
    history = row_index(data, "sections", "heading", "History")
    data[f"sections-{history}-position"] = "2"
    data[f"sections-{history}-body"] = "Soviet advisers came in the 1950s.\r\n\r\n- engineers\r\n- interpreters"
    response = post_form(admin_client, change_url(seed_fixture), data)

    assert response.status_code == 302
    assert list(seed_fixture.sections.values_list("heading", "position")) == [
        ("Culture", 1), ("History", 2)
    ]
    assert Section.objects.get(heading="History").body == (
        "Soviet advisers came in the 1950s.\n\n- engineers\n- interpreters"
    )
    html = page(client)
    assert section_headings(html) == ["Culture", "History"]
    assert "<p>Soviet advisers came in the 1950s.</p>" in html
    assert re.search(r"<li>engineers</li>\s*<li>interpreters</li>", html)
    assert "Soviet advisers came." not in html


def test_see_also_rows_added_in_the_inline_link_to_existing_articles_only(
    admin_client, client, seed_fixture
):
    tajiks = ArticleFactory(title="Tajiks in Russia", slug="tajiks-in-russia")

    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "see_also", target_title="Tajiks in Russia", position=4)
    add_inline_form(response, data, "see_also", target_title="Uzbeks in Afghanistan", position=5)
    assert data["see_also-TOTAL_FORMS"] == "6"
    response = post_form(admin_client, change_url(seed_fixture), data)

    assert response.status_code == 302
    assert list(seed_fixture.see_also.values_list("target_title", "target", "position")) == [
        *[(title, None, i) for i, title in enumerate(SEE_ALSO_TITLES)],
        ("Tajiks in Russia", tajiks.pk, 4),
        ("Uzbeks in Afghanistan", None, 5),
    ]
    items = see_also_items(page(client))
    assert len(items) == 6
    assert items[4] == '<a href="/wiki/tajiks-in-russia/">Tajiks in Russia</a>'
    assert '<span class="missing" title="Uzbeks in Afghanistan: no article yet">Uzbeks in Afghanistan</span>' in items[5]
    assert all('class="missing"' in item for item in items[:4])


def test_ticking_delete_on_inline_rows_removes_them(admin_client, client, seed_fixture):
    SectionFactory(article=seed_fixture, heading="History", body="Soviet advisers came.", position=0)
    response, data = open_form(admin_client, change_url(seed_fixture))
    data[f"see_also-{row_index(data, 'see_also', 'target_title', 'Russians in Pakistan')}-DELETE"] = "on"
    data[f"sections-{row_index(data, 'sections', 'heading', 'History')}-DELETE"] = "on"
    data[f"language_rows-{row_index(data, 'language_rows', 'position', '1')}-DELETE"] = "on"

    response = post_form(admin_client, change_url(seed_fixture), data)

    assert response.status_code == 302
    assert list(seed_fixture.see_also.values_list("target_title", flat=True)) == SEE_ALSO_TITLES[:3]
    assert not seed_fixture.sections.exists()
    assert list(seed_fixture.language_rows.values_list("language__name", flat=True)) == [
        "Russian", "Dari"
    ]
    html = page(client)
    assert "Russians in Pakistan" not in html
    assert "History" not in section_headings(html)
    assert "Pashto" not in visible_text(html[html.index('<aside class="infobox"'):])


# --- Validation: refused edits redisplay the form and save nothing ---------------------


def assert_refused(response, message: str, before: dict, pk: int) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the error" in html or "Please correct the errors" in html
    assert escape(message) in html, message
    assert article_state(pk) == before


def test_section_body_with_heading_line_is_refused(admin_client, seed_fixture):
    before = article_state(seed_fixture.pk)
    response, data = open_form(admin_client, change_url(seed_fixture))
    data["lead"] = data["lead"].replace("derserters", "deserters")  # not saved either
    add_inline_form(
        response, data, "sections",
        heading="History", level="2", position="0", body="Soviet advisers came.\r\n== Fake ==",
    )

    response = post_form(admin_client, change_url(seed_fixture), data)

    assert_refused(
        response, "Line 2: a line may not start with '=' (that makes a heading)",
        before, seed_fixture.pk,
    )
    assert not Section.objects.exists()
    # The form comes back with what the editor typed.
    assert "== Fake ==" in response.content.decode()


def test_lead_starting_with_infobox_line_is_refused(admin_client, seed_fixture):
    before = article_state(seed_fixture.pk)
    response, data = open_form(admin_client, change_url(seed_fixture))
    data["lead"] = "Infobox\r\n\r\n" + data["lead"]

    response = post_form(admin_client, change_url(seed_fixture), data)

    assert_refused(
        response, "Line 1: the lead may not start with the line 'Infobox'", before, seed_fixture.pk
    )


def test_extra_infobox_row_with_a_typed_key_is_refused(admin_client, seed_fixture):
    before = article_state(seed_fixture.pk)
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "extra_rows", key="Population", value="2,000", position="1")

    response = post_form(admin_client, change_url(seed_fixture), data)

    assert_refused(
        response, "Use the article's own field for 'Population'.", before, seed_fixture.pk
    )
    assert not InfoboxRow.objects.exists()


def test_population_note_that_is_a_number_needs_the_population_field(
    admin_client, seed_fixture
):
    before = article_state(seed_fixture.pk)
    response, data = open_form(admin_client, change_url(seed_fixture))
    data["population"] = ""
    data["population_note"] = "1,500"

    response = post_form(admin_client, change_url(seed_fixture), data)

    assert_refused(
        response, "The note starts with a number: enter it as the population.",
        before, seed_fixture.pk,
    )


def test_population_note_as_whole_figure_is_accepted_without_a_count(
    admin_client, client, seed_fixture
):
    response, data = open_form(admin_client, change_url(seed_fixture))
    data["population"] = ""
    data["population_note"] = "several thousand"

    response = post_form(admin_client, change_url(seed_fixture), data)

    assert response.status_code == 302
    seed_fixture.refresh_from_db()
    assert (seed_fixture.population, seed_fixture.population_note) == (None, "several thousand")
    assert "several thousand" in page(client)


# --- Admin configuration ---------------------------------------------------------------


def changelist_titles(response) -> list[str]:
    assert response.status_code == 200
    return [article.title for article in response.context["cl"].result_list]


def test_changelist_search_finds_article_by_a_word_in_a_section_body(
    admin_client, seed_fixture
):
    ArticleFactory(title="Armenians in Afghanistan", lead="Armenian merchants.")
    SectionFactory(article=seed_fixture, heading="Trade", body="Traders sold samovars in Mazar.")

    assert changelist_titles(admin_client.get(CHANGELIST_URL, {"q": "samovars"})) == [
        "Russians in Afghanistan"
    ]
    assert changelist_titles(admin_client.get(CHANGELIST_URL, {"q": "merchants"})) == [
        "Armenians in Afghanistan"
    ]
    assert changelist_titles(admin_client.get(CHANGELIST_URL, {"q": "zeppelin"})) == []


def test_changelist_filters_by_status(admin_client, seed_fixture):
    ArticleFactory(title="Greeks in Afghanistan", status=Article.Status.DRAFT)

    drafts = admin_client.get(CHANGELIST_URL, {"status__exact": "draft"})
    published = admin_client.get(CHANGELIST_URL, {"status__exact": "published"})

    assert changelist_titles(drafts) == ["Greeks in Afghanistan"]
    assert changelist_titles(published) == ["Russians in Afghanistan"]
    assert sorted(changelist_titles(admin_client.get(CHANGELIST_URL))) == [
        "Greeks in Afghanistan", "Russians in Afghanistan"
    ]


def test_add_form_prepopulates_slug_from_title(admin_client):
    assert ArticleAdmin.prepopulated_fields == {"slug": ["title"]}
    assert isinstance(admin.site._registry[Article], ArticleAdmin)

    html = admin_client.get(ADD_URL).content.decode()

    match = re.search(r'data-prepopulated-fields="([^"]*)"', html)
    assert match, "the add page has no prepopulate data"
    fields = json.loads(unescape(match.group(1)))
    slug = next(f for f in fields if f["name"] == "slug")
    assert slug["id"] == "#id_slug"
    assert slug["dependency_ids"] == ["#id_title"]
    assert slug["allowUnicode"] is True
    assert "prepopulate" in html  # the admin's prepopulate script is loaded


def autocomplete(client, model_name: str, field_name: str, term: str) -> list[str]:
    response = client.get("/admin/autocomplete/", {
        "app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term,
    })
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_people_autocomplete_finds_noor_mohammad(admin_client, seed_fixture):
    assert autocomplete(admin_client, "personmention", "person", "Noor") == ["Noor Mohammad"]
    # Aliases are searched too.
    assert autocomplete(admin_client, "personmention", "person", "Krasnoperov") == [
        "Noor Mohammad"
    ]


def test_mentioned_places_autocomplete_finds_balkh_province(admin_client, seed_fixture):
    assert autocomplete(admin_client, "placemention", "place", "Bal") == ["Balkh Province"]


def test_country_autocomplete_finds_afghanistan(admin_client, seed_fixture):
    # Places are also found by their parent's name; the country itself comes first.
    assert autocomplete(admin_client, "article", "host_country", "Afgh")[0] == "Afghanistan"


def test_view_on_site_link_leads_to_the_public_page(admin_client, seed_fixture):
    html = admin_client.get(change_url(seed_fixture)).content.decode()
    ct = ContentType.objects.get_for_model(Article)
    link = f"/admin/r/{ct.pk}/{seed_fixture.pk}/"

    assert re.search(rf'<a href="{re.escape(link)}" class="viewsitelink">View on site</a>', html)
    response = admin_client.get(link)
    assert response.status_code == 302
    assert response["Location"].endswith(ARTICLE_URL)
    assert "Russians in Afghanistan" in admin_client.get(response["Location"]).content.decode()


# --- Creating articles through the add form --------------------------------------------


def test_article_added_through_admin_is_published_with_a_link_to_the_seed(
    admin_client, client, seed_fixture
):
    response, data = open_form(admin_client, ADD_URL)
    data.update(
        title="Russians in Tajikistan",
        slug="russians-in-tajikistan",
        status="published",
        lead="Russians in Tajikistan number about 30,000.",
        tags='"Russian diaspora", Tajikistan',
        group_name="Russians in Tajikistan",
        population="30000",
    )
    add_inline_form(response, data, "sections", heading="History", level="2", position="0",
                    body="Many came in the Soviet era.")
    add_inline_form(response, data, "see_also", target_title="Russians in Afghanistan",
                    position="0")

    response = post_form(admin_client, ADD_URL, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(slug="russians-in-tajikistan")
    assert list(article.see_also.values_list("target_title", "target")) == [
        ("Russians in Afghanistan", seed_fixture.pk)
    ]
    assert sorted(article.tags.names()) == ["Russian diaspora", "Tajikistan"]
    html = page(client, "/wiki/russians-in-tajikistan/")
    assert "<p>Russians in Tajikistan number about 30,000.</p>" in html
    assert section_headings(html) == ["History"]
    assert "<p>Many came in the Soviet era.</p>" in html
    assert see_also_items(html) == [
        '<a href="/wiki/russians-in-afghanistan/">Russians in Afghanistan</a>'
    ]


def test_adding_afghans_in_russia_links_the_seed_see_also_row(
    admin_client, client, seed_fixture
):
    assert '<span class="missing" title="Afghans in Russia: no article yet">Afghans in Russia</span>' in page(client)

    response, data = open_form(admin_client, ADD_URL)
    data.update(title="Afghans in Russia", slug="afghans-in-russia", status="published",
                lead="Afghans in Russia live mostly in Moscow.")
    response = post_form(admin_client, ADD_URL, data)

    assert response.status_code == 302
    afghans = Article.objects.get(title="Afghans in Russia")
    row = SeeAlso.objects.get(article=seed_fixture, target_title="Afghans in Russia")
    assert row.target == afghans
    items = see_also_items(page(client))
    assert items[0] == '<a href="/wiki/afghans-in-russia/">Afghans in Russia</a>'
    assert all('class="missing"' in item for item in items[1:])


def test_draft_added_through_admin_is_not_public(admin_client, client):
    response, data = open_form(admin_client, ADD_URL)
    assert data["status"] == "draft"
    data.update(title="Greeks in Afghanistan", slug="greeks-in-afghanistan",
                lead="A few Greek traders.")

    response = post_form(admin_client, ADD_URL, data)

    assert response.status_code == 302
    assert Article.objects.get(slug="greeks-in-afghanistan").status == "draft"
    assert client.get("/wiki/greeks-in-afghanistan/").status_code == 404


def test_editor_removes_a_found_mention_and_adds_one_by_hand(admin_client, client, seed_fixture):
    from articles.models import PersonMention
    from tests.factories import PersonFactory

    stranger = PersonFactory(name="Jane Roe", slug="jane-roe")
    response, data = open_form(admin_client, change_url(seed_fixture))
    for index, row in enumerate(inline_forms(data, "person_mentions")):
        if row["person"] == str(Person.objects.get(name="Nikolai Bistrov").pk):
            data[f"person_mentions-{index}-state"] = "removed"
    add_inline_form(response, data, "person_mentions", person=str(stranger.pk), state="added")

    assert post_form(admin_client, change_url(seed_fixture), data).status_code == 302

    states = dict(PersonMention.objects.filter(article=seed_fixture).values_list("person__name", "state"))
    assert states["Nikolai Bistrov"] == "removed" and states["Jane Roe"] == "added"
    html = client.get(ARTICLE_URL).content.decode()
    assert '<a href="/people/jane-roe/">Jane Roe</a>' in html
    assert '<a href="/people/nikolai-bistrov/">' not in html
    # Saving again (detection runs on every save) keeps the hand choices.
    response, data = open_form(admin_client, change_url(seed_fixture))
    assert post_form(admin_client, change_url(seed_fixture), data).status_code == 302
    assert dict(PersonMention.objects.filter(article=seed_fixture).values_list(
        "person__name", "state"))["Nikolai Bistrov"] == "removed"


def test_editing_population_history_in_the_admin_redraws_the_chart(admin_client, client, seed_fixture):
    response, data = open_form(admin_client, change_url(seed_fixture))
    add_inline_form(response, data, "population_figures", year="2021", count="1200", note="est.")

    assert post_form(admin_client, change_url(seed_fixture), data).status_code == 302

    html = client.get(ARTICLE_URL).content.decode()
    assert "2009: 1,500 (est.); 2021: 1,200 (est.)</desc>" in html


def test_a_tag_without_letters_or_digits_is_refused(admin_client, seed_fixture):
    response, data = open_form(admin_client, change_url(seed_fixture))
    data["tags"] = "Afghanistan, >"

    response = post_form(admin_client, change_url(seed_fixture), data)

    assert response.status_code == 200
    assert "A tag needs at least one letter or digit: &#x27;&gt;&#x27;" in response.content.decode()
    assert sorted(seed_fixture.tags.names()) == ["Afghanistan", "Russian diaspora"]


def test_an_existing_tag_without_a_slug_is_shown_unlinked(client, seed_fixture):
    from taggit.models import Tag

    seed_fixture.tags.add(Tag.objects.create(name="!!!", slug=""))
    html = client.get(ARTICLE_URL).content.decode()
    assert "Tags: " in html and "!!!" in html and 'href="/tags//"' not in html


def test_the_admin_index_heads_the_tags_section_tags_not_taggit(admin_client):
    html = admin_client.get("/admin/").content.decode()

    captions = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', html)
    assert "Tags" in captions
    assert "Taggit" not in visible_text(html)
