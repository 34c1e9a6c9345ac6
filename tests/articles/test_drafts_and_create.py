"""The editorial workflow: drafts previewed by editors only, "create" links
for missing titles (editors only), the admin add form prefilled from the
article the editor came from, and links that appear once the new article is
published."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from articles.models import Article, InfoboxRow, SeeAlso, Section
from articles.services import article_refresh, articles_import
from people.models import Place
from tests.admin_forms import change_form_data, inline_formset, inline_forms
from tests.factories import ArticleFactory, PlaceFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

ARTICLE_URL = "/wiki/russians-in-afghanistan/"
ADD_URL = "/admin/articles/article/add/"
SEE_ALSO_TITLES = [
    "Afghans in Russia",
    "Armenians in Afghanistan",
    "Demographics of Afghanistan",
    "Russians in Pakistan",
]
RELATED_MISSING = ["Afghans in Russia", "Armenians in Afghanistan", "Russians in Pakistan"]
BANNER = "Draft — not visible to readers."


# --- Helpers -------------------------------------------------------------------------


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}
            self.anchors.append(self._open)

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


def anchors(html: str) -> list[dict]:
    """Every <a> of ``html``: its attributes (unescaped) and its text."""
    parser = _Anchors()
    parser.feed(html)
    return parser.anchors


def create_links(html: str) -> dict[str, dict]:
    """Create links by their text: {text: {"path": ..., "title": ..., "from": ...}}."""
    found = {}
    for a in anchors(html):
        if "create-link" not in a.get("class", "").split():
            continue
        url = urlsplit(a["href"])
        query = parse_qs(url.query, strict_parsing=True)
        assert set(query) == {"title", "from"}, a["href"]
        found[a["text"]] = {
            "path": url.path, "title": query["title"][0], "from": int(query["from"][0])
        }
    return found


def block(html: str, start: str) -> str:
    """The <section> of the page that begins with ``start``."""
    rest = html[html.index(start):]
    return rest[:rest.index("</section>")]


def get_html(client, url: str = ARTICLE_URL) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def remove_inline_row(data: dict, prefix: str, index: int) -> None:
    """Remove a new row as the admin's inline script does when its delete
    link is clicked (a row not yet saved has no DELETE box): its fields go,
    the rows after it move up one, TOTAL_FORMS counts one less."""
    rows = inline_forms(data, prefix)
    for key in [k for k in data if k.startswith(f"{prefix}-") and k.split("-")[1].isdigit()]:
        del data[key]
    del rows[index]
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))


def remove_suggested_infobox_rows(data: dict) -> None:
    for _ in inline_forms(data, "extra_rows"):
        remove_inline_row(data, "extra_rows", 0)


def staff_user(django_user_model, username: str, *codenames: str):
    user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    return user


@pytest.fixture
def viewer_client(client, django_user_model):
    """A staff editor who may view articles in the admin but not add them."""
    client.force_login(staff_user(django_user_model, "viewer", "view_article"))
    return client


@pytest.fixture
def reader():
    """An anonymous client beside the signed-in one (``client`` is the editor's)."""
    return Client()


@pytest.fixture
def draft():
    return ArticleFactory(
        title="Tatars in Finland", lead="Work in progress.", status=Article.Status.DRAFT
    )


@pytest.fixture
def seed_with_extras(seed_fixture):
    """The seed with two more infobox rows and a section linking to a missing article."""
    InfoboxRow.objects.create(article=seed_fixture, key="Related groups", value="Slavs", position=2)
    InfoboxRow.objects.create(article=seed_fixture, key="Diaspora", value="Russian diaspora",
                              position=6)
    Section.objects.create(
        article=seed_fixture, heading="Neighbours", position=0,
        body="Compare [[Uzbeks in Afghanistan]] and [[Jews in Bukhara & Samarkand|the Jews]].",
    )
    article_refresh(article=seed_fixture)
    return seed_fixture


# --- Drafts --------------------------------------------------------------------------


def test_a_draft_is_404_for_readers_and_for_signed_in_non_editors(
    client, django_user_model, draft
):
    assert client.get(draft.get_absolute_url()).status_code == 404

    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.get(draft.get_absolute_url()).status_code == 404

    # Staff without the permission to view articles cannot preview either.
    client.force_login(staff_user(django_user_model, "other-staff"))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_editor_previews_a_draft_at_its_public_url_with_a_banner_and_edit_link(
    viewer_client, draft
):
    response = viewer_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Work in progress." in html
    assert f"{BANNER} Edit" in visible_text(html)
    [edit] = [a for a in anchors(html) if a["text"] == "Edit"]
    assert edit["href"] == f"/admin/articles/article/{draft.pk}/change/"
    assert '<meta name="robots" content="noindex">' in html
    assert "private" in response["Cache-Control"]


def test_a_superuser_previews_drafts_too(admin_client, draft):
    html = get_html(admin_client, draft.get_absolute_url())
    assert BANNER in visible_text(html)


def test_published_pages_show_editors_an_edit_link_and_no_banner(viewer_client, seed_fixture):
    html = get_html(viewer_client)

    assert BANNER not in visible_text(html)
    assert "draft-banner" not in html
    assert "noindex" not in html
    [edit] = [a for a in anchors(html) if a["text"] == "Edit"]
    assert edit["href"] == f"/admin/articles/article/{seed_fixture.pk}/change/"


# --- Readers see the page as before ---------------------------------------------------


def test_readers_see_no_admin_links_and_plain_missing_titles(client, seed_with_extras):
    html = get_html(client)

    assert "/admin/" not in html
    assert "create-link" not in html
    assert BANNER not in visible_text(html) and "Edit" not in visible_text(html)
    see_also = block(html, '<section class="see-also"')
    for title in SEE_ALSO_TITLES:
        assert f'<span class="missing" title="{title}: no article yet">{title}</span>' in see_also
    # See also holds every related community: no block repeats them (issue 15).
    assert '<section class="related"' not in html
    for title in RELATED_MISSING:
        assert html.count(f'<span class="missing" title="{title}: no article yet">{title}</span>') == 1
    # The stored HTML of the missing [[links]], untouched.
    assert (
        '<span class="missing" title="Uzbeks in Afghanistan: no article yet">'
        "Uzbeks in Afghanistan</span>" in html
    )
    assert (
        '<span class="missing" title="Jews in Bukhara &amp; Samarkand: no article yet">'
        "the Jews</span>" in html
    )


def test_the_readers_page_keeps_its_query_count(
    client, settings, seed_with_extras, django_assert_num_queries
):
    settings.PAGE_CACHE = False  # the page's own queries, not the page cache's
    # The page built once (see test_views), then read as stored: no query
    # for the user either way. 15: with the revision count of the page
    # information block; 16: with the places and people named by the
    # missing titles (selectors._link_names, issue 15).
    with django_assert_num_queries(16):
        response = client.get(ARTICLE_URL)
    with django_assert_num_queries(1):
        again = client.get(ARTICLE_URL)
    assert response.status_code == again.status_code == 200
    assert again.content == response.content
    assert "private" not in response["Cache-Control"]


def test_editors_who_may_not_add_articles_see_no_create_links(viewer_client, seed_with_extras):
    html = get_html(viewer_client)

    assert create_links(html) == {}
    assert ADD_URL not in html
    assert 'title="Uzbeks in Afghanistan: no article yet">Uzbeks in Afghanistan</span>' in html


# --- Create links for editors ---------------------------------------------------------


def test_editors_see_create_links_for_every_missing_see_also_title(admin_client, seed_fixture):
    html = get_html(admin_client)

    links = create_links(block(html, '<section class="see-also"'))
    assert links == {
        title: {"path": ADD_URL, "title": title, "from": seed_fixture.pk}
        for title in SEE_ALSO_TITLES
    }
    # The raw attribute, as the issue spells it (& escaped in HTML).
    assert (
        f'href="{ADD_URL}?title=Afghans%20in%20Russia&amp;from={seed_fixture.pk}"' in html
    )


@pytest.mark.parametrize("prefix", ["/ru", "/fa-af", "/ps"])
def test_editors_see_the_create_links_in_every_interface_language(
    admin_client, seed_fixture, prefix
):
    html = get_html(admin_client, prefix + ARTICLE_URL)

    links = create_links(block(html, '<section class="see-also"'))
    assert links == {
        title: {"path": prefix + ADD_URL, "title": title, "from": seed_fixture.pk}
        for title in SEE_ALSO_TITLES
    }


def test_editors_see_create_links_for_missing_related_communities(admin_client, seed_fixture):
    # The seed's own See also titles are not repeated under Related
    # communities (issue 15): a missing one it lacks comes from another
    # published article's See also.
    articles_import(sources=[("tajiks.txt", (
        "= Tajiks in Afghanistan =\n\nLead.\n\n==See also==\n- Russians in Iran\n").encode())])
    Article.objects.filter(title="Tajiks in Afghanistan").update(status=Article.Status.PUBLISHED)
    html = get_html(admin_client)

    related = block(html, '<section class="related"')
    assert create_links(related) == {
        "Russians in Iran": {"path": ADD_URL, "title": "Russians in Iran", "from": seed_fixture.pk}
    }
    assert "Russians in other countries" in visible_text(related)


def test_editors_see_create_links_for_missing_wikilinks_in_sections(
    admin_client, seed_with_extras
):
    html = get_html(admin_client)

    section = block(html, '<section aria-labelledby="neighbours"')
    assert create_links(section) == {
        "Uzbeks in Afghanistan": {
            "path": ADD_URL, "title": "Uzbeks in Afghanistan", "from": seed_with_extras.pk
        },
        # The label stays; the title (with its &) is the one encoded in the URL.
        "the Jews": {
            "path": ADD_URL, "title": "Jews in Bukhara & Samarkand", "from": seed_with_extras.pk
        },
    }
    assert "Jews%20in%20Bukhara%20%26%20Samarkand" in section
    assert 'class="missing"' not in section.replace('class="missing create-link"', "")
    # Only the page was rewritten: the stored HTML still marks them missing.
    stored = Section.objects.get(article=seed_with_extras, heading="Neighbours").body_html
    assert '<span class="missing" title="Uzbeks in Afghanistan: no article yet">' in stored


def test_existing_wikilinks_stay_plain_links_for_editors(admin_client, seed_fixture):
    target = ArticleFactory(title="Tajiks in Afghanistan", lead="A lead.")
    Section.objects.create(article=seed_fixture, heading="Neighbours", position=0,
                           body="See [[Tajiks in Afghanistan]].")
    article_refresh(article=seed_fixture)

    section = block(get_html(admin_client), '<section aria-labelledby="neighbours"')

    assert create_links(section) == {}
    assert [a["href"] for a in anchors(section) if a["text"] == "Tajiks in Afghanistan"] == [
        target.get_absolute_url()
    ]


# --- The prefilled add form -----------------------------------------------------------


def open_create_link(client, source: Article, title: str):
    html = get_html(client, source.get_absolute_url())
    # A title can be both a See also row and a related community: one URL.
    [href] = {a["href"] for a in anchors(html) if a.get("class") == "missing create-link"
              and a["text"] == title}
    response = client.get(href)
    assert response.status_code == 200
    return href, response


def test_the_add_form_opened_from_a_create_link_is_prefilled(admin_client, seed_with_extras):
    _href, response = open_create_link(admin_client, seed_with_extras, "Afghans in Russia")

    initial = response.context["adminform"].form.initial
    assert initial["title"] == "Afghans in Russia"
    assert initial["slug"] == "afghans-in-russia"
    assert initial["status"] == Article.Status.DRAFT
    assert initial["origin_group"] == "Afghans"
    assert initial["group_name"] == "Afghans"
    assert initial["host_country"] == Place.objects.get(name="Russia").pk
    assert initial["origin_country"] == Place.objects.get(name="Afghanistan").pk
    assert "from" not in initial

    extra_rows = inline_formset(response, "extra_rows")
    assert [form.initial for form in extra_rows.forms] == [
        {"key": "Related groups", "value": "", "position": 2},
        {"key": "Diaspora", "value": "", "position": 6},
    ]
    see_also = inline_formset(response, "see_also")
    assert [form.initial for form in see_also.forms] == [
        {"target_title": "Russians in Afghanistan", "position": 0}
    ]
    # Other inlines start empty, as on a plain add form.
    assert inline_formset(response, "sections").forms == []

    # What the browser shows and would send.
    data = change_form_data(response)
    assert data["title"] == "Afghans in Russia" and data["status"] == "draft"
    assert [(row["key"], row["value"]) for row in inline_forms(data, "extra_rows")] == [
        ("Related groups", ""), ("Diaspora", "")
    ]
    assert [row["target_title"] for row in inline_forms(data, "see_also")] == [
        "Russians in Afghanistan"
    ]


def test_the_plain_add_form_has_no_prefilled_rows(admin_client, seed_fixture):
    response = admin_client.get(ADD_URL)

    assert response.status_code == 200
    initial = response.context["adminform"].form.initial
    assert "title" not in initial and "origin_group" not in initial
    assert inline_formset(response, "extra_rows").forms == []
    assert inline_formset(response, "see_also").forms == []


def test_a_title_naming_no_known_place_prefills_only_the_group(admin_client, seed_fixture):
    response = admin_client.get(ADD_URL, {"title": "Russians in Atlantis"})

    initial = response.context["adminform"].form.initial
    assert initial["origin_group"] == "Russians"
    assert initial["origin_country"] == Place.objects.get(name="Russia").pk
    assert "host_country" not in initial
    assert not Place.objects.filter(name="Atlantis").exists()  # looked up, never created


def test_posting_the_prefilled_form_as_published_creates_the_article_and_links_the_seed_to_it(
    admin_client, reader, seed_with_extras
):
    seed = seed_with_extras
    href, response = open_create_link(admin_client, seed, "Afghans in Russia")
    assert "Afghans in Russia" not in [a["text"] for a in anchors(get_html(reader))]

    data = change_form_data(response)
    data["status"] = "published"
    data["lead"] = "Afghans have lived in Russia since the 1980s."
    rows = inline_forms(data, "extra_rows")
    assert [row["key"] for row in rows] == ["Related groups", "Diaspora"]
    remove_inline_row(data, "extra_rows", 0)  # "Related groups": not wanted
    assert inline_forms(data, "extra_rows")[0]["key"] == "Diaspora"
    data["extra_rows-0-value"] = "Afghan diaspora"  # filled in
    response = admin_client.post(href, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(title="Afghans in Russia")
    assert article.slug == "afghans-in-russia"
    assert article.status == Article.Status.PUBLISHED
    assert (article.origin_group, article.group_name) == ("Afghans", "Afghans")
    assert article.host_country.name == "Russia"
    assert article.origin_country.name == "Afghanistan"
    assert list(article.extra_rows.values_list("key", "value", "position")) == [
        ("Diaspora", "Afghan diaspora", 6)
    ]
    assert list(article.see_also.values_list("target_title", "target_id")) == [
        ("Russians in Afghanistan", seed.pk)
    ]

    # Saved, the seed's See also row and related communities now link to it.
    assert SeeAlso.objects.get(article=seed, target_title="Afghans in Russia").target == article
    html = get_html(reader)
    link = f'<a href="{article.get_absolute_url()}">Afghans in Russia</a>'
    assert link in block(html, '<section class="see-also"')
    assert html.count(link) == 1  # not repeated under Related communities (issue 15)
    # And the new page links back.
    back = get_html(reader, article.get_absolute_url())
    assert f'<a href="{seed.get_absolute_url()}">Russians in Afghanistan</a>' in back
    # The editor's create link for it is gone.
    assert "Afghans in Russia" not in create_links(get_html(admin_client))


def test_a_missing_wikilink_becomes_a_link_when_its_article_is_created(
    admin_client, reader, seed_with_extras
):
    href, response = open_create_link(admin_client, seed_with_extras, "Uzbeks in Afghanistan")
    data = change_form_data(response)
    data["status"] = "published"
    remove_suggested_infobox_rows(data)
    response = admin_client.post(href, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(title="Uzbeks in Afghanistan")
    assert article.host_country.name == "Afghanistan"
    assert article.origin_country.name == "Uzbekistan"
    section = block(get_html(reader), '<section aria-labelledby="neighbours"')
    assert f'<a href="{article.get_absolute_url()}" rel="noopener noreferrer">' in section


def test_a_suggested_infobox_row_must_be_filled_in_or_deleted(admin_client, seed_with_extras):
    href, response = open_create_link(admin_client, seed_with_extras, "Afghans in Russia")
    data = change_form_data(response)
    data["extra_rows-0-value"] = "Tajiks"  # the second row is left as suggested

    response = admin_client.post(href, data)

    assert response.status_code == 200
    formset = inline_formset(response, "extra_rows")
    assert formset.errors == [{}, {"value": ["This field is required."]}]
    assert not Article.objects.filter(title="Afghans in Russia").exists()


def test_a_new_article_saved_as_draft_does_not_turn_links_into_links(
    admin_client, reader, seed_with_extras
):
    href, response = open_create_link(admin_client, seed_with_extras, "Russians in Pakistan")
    data = change_form_data(response)
    remove_suggested_infobox_rows(data)
    assert data["status"] == "draft"

    response = admin_client.post(href, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Article.objects.get(title="Russians in Pakistan").status == Article.Status.DRAFT
    see_also = block(get_html(reader), '<section class="see-also"')
    assert '<span class="missing" title="Russians in Pakistan: no article yet">Russians in Pakistan</span>' in see_also
    assert SeeAlso.objects.get(target_title="Russians in Pakistan").target is None


# --- "Create related article" on the change page --------------------------------------


def object_tools(html: str) -> list[dict]:
    start = html.index('<ul class="object-tools">')
    return anchors(html[start:html.index("</ul>", start)])


def test_the_change_page_offers_to_create_the_reverse_community(admin_client, seed_fixture):
    html = get_html(admin_client, f"/admin/articles/article/{seed_fixture.pk}/change/")

    tools = {a["text"].strip(): a["href"] for a in object_tools(html)}
    assert set(tools) == {"Create related article", "History", "View on site"}
    url = urlsplit(tools["Create related article"])
    assert url.path == ADD_URL
    assert parse_qs(url.query) == {"title": ["Afghans in Russia"], "from": [str(seed_fixture.pk)]}

    response = admin_client.get(tools["Create related article"])
    initial = response.context["adminform"].form.initial
    assert initial["title"] == "Afghans in Russia"
    assert initial["host_country"] == Place.objects.get(name="Russia").pk


def test_create_related_article_without_a_reverse_community_suggests_no_title(admin_client):
    article = ArticleFactory(
        title="Tatars in Finland", origin_group="Tatars",
        host_country=PlaceFactory(name="Finland", kind="country"),  # no demonym, no origin
    )
    html = get_html(admin_client, f"/admin/articles/article/{article.pk}/change/")

    [tool] = [a for a in object_tools(html) if a["text"] == "Create related article"]
    assert tool["href"] == f"{ADD_URL}?from={article.pk}"

    response = admin_client.get(tool["href"])
    assert "title" not in response.context["adminform"].form.initial
    assert [form.initial for form in inline_formset(response, "see_also").forms] == [
        {"target_title": "Tatars in Finland", "position": 0}
    ]


def test_create_related_article_suggests_no_title_that_exists_already(
    admin_client, seed_fixture
):
    ArticleFactory(title="Afghans in Russia", status=Article.Status.DRAFT)
    html = get_html(admin_client, f"/admin/articles/article/{seed_fixture.pk}/change/")

    [tool] = [a for a in object_tools(html) if a["text"] == "Create related article"]
    assert tool["href"] == f"{ADD_URL}?from={seed_fixture.pk}"


# --- Titles that exist as drafts ------------------------------------------------------


def draft_links(html: str) -> dict[str, str]:
    """Links to drafts by their text: {text: href}."""
    return {a["text"]: a["href"] for a in anchors(html)
            if "draft-link" in a.get("class", "").split()}


@pytest.fixture
def seed_naming_drafts(seed_fixture):
    """The seed, whose See also and related communities name "Afghans in
    Russia" and whose new section links [[Tatars in Finland]]: both drafts."""
    afghans = ArticleFactory(title="Afghans in Russia", lead="Draft lead.",
                             status=Article.Status.DRAFT)
    tatars = ArticleFactory(title="Tatars in Finland", lead="Draft lead.",
                            status=Article.Status.DRAFT)
    Section.objects.create(article=seed_fixture, heading="Neighbours", position=0,
                           body="Compare [[Tatars in Finland|the Tatars]].")
    article_refresh(article=seed_fixture)
    return seed_fixture, afghans, tatars


def test_editors_are_linked_to_a_draft_instead_of_creating_it_again(
    admin_client, reader, seed_naming_drafts
):
    seed, afghans, tatars = seed_naming_drafts
    html = get_html(admin_client)

    assert "Afghans in Russia" not in create_links(html)
    assert "the Tatars" not in create_links(html)
    see_also = block(html, '<section class="see-also"')
    assert draft_links(see_also) == {"Afghans in Russia": afghans.get_absolute_url()}
    assert "Afghans in Russia (draft)" in visible_text(see_also)
    # Not repeated under Related communities (issue 15).
    assert '<section class="related"' not in html
    section = block(html, '<section aria-labelledby="neighbours"')
    assert draft_links(section) == {"the Tatars": tatars.get_absolute_url()}
    # The other missing titles still get create links.
    assert set(create_links(html)) == {
        "Armenians in Afghanistan", "Demographics of Afghanistan", "Russians in Pakistan",
    }
    # Followed, the link opens the draft's preview.
    preview = get_html(admin_client, draft_links(see_also)["Afghans in Russia"])
    assert BANNER in visible_text(preview) and "Draft lead." in preview

    # Readers still see plain missing titles: drafts are not theirs to see.
    public = get_html(reader)
    assert draft_links(public) == {} and afghans.get_absolute_url() not in public
    assert '<span class="missing" title="Afghans in Russia: no article yet">Afghans in Russia</span>' in public


def test_editors_who_may_not_add_articles_are_linked_to_drafts_too(
    viewer_client, seed_naming_drafts
):
    _seed, afghans, tatars = seed_naming_drafts
    html = get_html(viewer_client)
    assert create_links(html) == {}
    assert draft_links(html) == {
        "Afghans in Russia": afghans.get_absolute_url(), "the Tatars": tatars.get_absolute_url(),
    }


def test_an_add_form_link_for_a_title_that_exists_opens_that_article(
    admin_client, seed_fixture
):
    draft = ArticleFactory(title="Afghans in Russia", status=Article.Status.DRAFT)
    # A create link seen before the draft was saved (an open tab, say).
    href = f"{ADD_URL}?title=Afghans%20in%20Russia&from={seed_fixture.pk}"

    response = admin_client.get(href, follow=True)

    assert response.redirect_chain == [(f"/admin/articles/article/{draft.pk}/change/", 302)]
    assert "“Afghans in Russia” exists already (draft): here it is." in visible_text(
        response.content.decode()
    )
    assert Article.objects.filter(title="Afghans in Russia").count() == 1


@pytest.mark.parametrize("button, path", [
    ("_save", "/admin/articles/article/"),
    ("_continue", "/admin/articles/article/{pk}/change/"),
    ("_addanother", ADD_URL),
])
def test_saving_an_article_from_a_create_link_leaves_the_create_parameters_behind(
    admin_client, seed_fixture, button, path
):
    href, response = open_create_link(admin_client, seed_fixture, "Afghans in Russia")
    data = change_form_data(response)
    data["lead"] = "Afghans have lived in Russia since the 1980s."
    data[button] = "1"

    response = admin_client.post(href, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(title="Afghans in Russia")
    assert response["Location"] == path.format(pk=article.pk)


def test_a_dari_titles_prefilled_slug_keeps_its_zero_width_non_joiner(admin_client):
    # The one slug rule (encyclopedia.text.slug_base): Django's slugify
    # would drop the joiner, making "روسها", another word.
    title = "روس‌ها در کابل"
    response = admin_client.get("/admin/articles/article/add/?" + urlencode({"title": title}))

    assert response.status_code == 200
    assert response.context["adminform"].form.initial["slug"] == "روس\u200cها-در-کابل"
