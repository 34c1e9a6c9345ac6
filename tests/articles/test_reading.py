"""What readers see around the text: Markdown and [[links]], mentions,
related communities, population history, renames and the browsing pages."""

import re

import pytest

from articles.models import Article, Mention, PersonMention, SeeAlso, Source
from articles.services import (
    article_refresh,
    articles_import,
    person_refresh,
    place_refresh,
)
from people.models import Alias, Place
from tests.factories import ArticleFactory, PersonFactory, PlaceFactory, SectionFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

ARTICLE_URL = "/wiki/russians-in-afghanistan/"


def import_text(text: str) -> Article:
    [result] = articles_import(sources=[("doc.txt", text.encode())])
    return result.article


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- Markdown and [[links]] ---


def test_plain_paragraphs_render_unchanged(client, seed_fixture, seed_text):
    html = html_of(client, ARTICLE_URL)
    lead = html[html.index('<div class="lead">'):html.index("</div>", html.index('<div class="lead">'))]
    paragraphs = re.findall(r"<p>(.*?)</p>", lead, re.S)
    expected = seed_text.split("\n\n")[2:7]
    assert [visible_text(p) for p in paragraphs] == expected


def test_markdown_is_rendered_when_saved_not_per_request(client):
    article = ArticleFactory(title="Tatars in Finland", lead="Some **bold** and *emphasis*.")
    assert article.lead_html == "<p>Some <strong>bold</strong> and <em>emphasis</em>.</p>\n"
    Article.objects.filter(pk=article.pk).update(lead="changed behind the service's back")

    html = html_of(client, article.get_absolute_url())

    assert "<strong>bold</strong>" in html
    assert "changed behind" not in html


def test_wikilinks_link_existing_articles_and_mark_missing_ones(client):
    target = ArticleFactory(title="Afghans in Russia")
    article = ArticleFactory(
        title="Tajiks in Russia",
        lead="See [[Afghans in Russia]], [[Afghans in Russia|their neighbours]] and [[Uzbeks in Russia]].",
    )
    html = html_of(client, article.get_absolute_url())

    assert f'<a href="{target.get_absolute_url()}" rel="noopener noreferrer">Afghans in Russia</a>' in html
    assert f'<a href="{target.get_absolute_url()}" rel="noopener noreferrer">their neighbours</a>' in html
    assert '<span class="missing" title="Uzbeks in Russia: no article yet">Uzbeks in Russia</span>' in html


def test_a_missing_link_turns_into_a_link_when_the_article_appears_and_back_when_it_goes(client):
    article = ArticleFactory(title="Tajiks in Russia", lead="Compare [[Uzbeks in Russia]].")
    assert 'class="missing"' in Article.objects.get(pk=article.pk).lead_html

    uzbeks = import_text("= Uzbeks in Russia =\n\nA lead.\n")
    assert '<a href="/wiki/uzbeks-in-russia/"' in Article.objects.get(pk=article.pk).lead_html

    uzbeks.status = Article.Status.DRAFT
    uzbeks.save()
    article_refresh(article=uzbeks)
    assert 'class="missing"' in Article.objects.get(pk=article.pk).lead_html


def test_section_markdown_lists_and_links_render(client):
    article = ArticleFactory(title="Koreans in Uzbekistan", lead="Lead.")
    SectionFactory(article=article, heading="Work", body="They work in:\n\n- farming\n- [[Trade in Uzbekistan|trade]]")
    html = html_of(client, article.get_absolute_url())

    assert re.search(r"<li>farming</li>\s*<li><span class=\"missing\"[^>]*>trade</span></li>", html)


HOSTILE = [
    ("<script>alert(1)</script>", "<script>"),
    ('<img src=x onerror="alert(1)">', "<img"),
    ("[click](javascript:alert(1))", 'href="javascript:'),
    ("[click](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:'),
    ("![x](javascript:alert(1))", "<img"),
    ("[[<script>alert(1)</script>]]", "<script>"),
    ('[[A" onmouseover="alert(1)|x]]', 'title="A" onmouseover'),
    ("<svg/onload=alert(1)>", "<svg"),
]


@pytest.mark.parametrize(("text", "forbidden"), HOSTILE)
def test_hostile_markdown_is_sanitised(client, text, forbidden):
    article = ArticleFactory(title="Hostile in Text", lead=text)
    SectionFactory(article=article, heading="Body", body=text)

    html = html_of(client, article.get_absolute_url())
    body = html[html.index("<article"):html.index("</article>")]

    assert forbidden not in body
    assert "alert(1)" in visible_text(body) or "PHNjcmlwdD4" in body or "x" in visible_text(body)


# --- Table of contents and anchors ---


def test_toc_appears_with_three_sections_and_links_to_anchors(client):
    article = import_text(
        "= Uzbeks in Russia =\n\nLead.\n\n==History==\nA.\n\n===Early years===\nB.\n\n==Today==\nC.\n"
    )
    html = html_of(client, article.get_absolute_url())
    toc = html[html.index('<nav class="toc"'):html.index("</nav>", html.index('<nav class="toc"'))]

    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc) == [
        ("history", "History"), ("early-years", "Early years"), ("today", "Today"),
    ]
    assert '<a class="anchor" href="#early-years"' in html


def test_no_toc_with_fewer_than_three_sections(client):
    article = import_text("= Uzbeks in Russia =\n\nLead.\n\n==History==\nA.\n\n==Today==\nC.\n")
    assert '<nav class="toc"' not in html_of(client, article.get_absolute_url())


# --- Mentions ---


def test_mentions_are_found_by_name_or_alias_and_listed_on_both_pages(client, seed_fixture):
    html = html_of(client, ARTICLE_URL)
    block = html[html.index('<section class="mentions"'):]
    block = block[:block.index("</section>")]

    people = re.findall(r'<a href="/people/[^"]+/">([^<]+)</a>', block)
    assert people == [
        "Ahmad Shah Massoud", "Alexander Levenets", "Gennady Tsevma",
        "Khakim Bakhretdinov", "Nikolai Bistrov", "Noor Mohammad",
    ]
    places = re.findall(r'<a href="/places/[^"]+/">([^<]+)</a>', block)
    assert "Chaghcharan" in places and "Israel" in places and "Kabul" not in places
    person_page = html_of(client, "/people/gennady-tsevma/")
    assert '<a href="/wiki/russians-in-afghanistan/" dir="auto">Russians in Afghanistan</a>' in person_page


def test_longest_name_wins_so_an_alias_inside_a_longer_name_is_not_a_mention():
    levenets = PersonFactory(name="Alexander Levenets")
    Alias.objects.create(person=levenets, name="Ahmad")
    PersonFactory(name="Ahmad Shah Massoud")
    article = ArticleFactory(title="Text in A", lead="He guarded Ahmad Shah Massoud.")

    assert list(article.mentioned_people().values_list("name", flat=True)) == ["Ahmad Shah Massoud"]


def test_hand_choices_win_over_detection():
    noor = PersonFactory(name="Noor Mohammad")
    bistrov = PersonFactory(name="Nikolai Bistrov")
    article = ArticleFactory(title="Text in B", lead="Noor Mohammad lives here.")
    PersonMention.objects.filter(article=article, person=noor).update(state=Mention.State.REMOVED)
    PersonMention.objects.create(article=article, person=bistrov, state=Mention.State.ADDED)

    article.lead = "Noor Mohammad still lives here. Nobody else is named."
    article.save()
    article_refresh(article=article)

    states = dict(article.person_mentions.values_list("person__name", "state"))
    assert states == {"Noor Mohammad": "removed", "Nikolai Bistrov": "added"}
    assert list(article.mentioned_people().values_list("name", flat=True)) == ["Nikolai Bistrov"]


def test_mentions_follow_text_edits():
    noor = PersonFactory(name="Noor Mohammad")
    article = ArticleFactory(title="Text in C", lead="Noor Mohammad lives here.")
    assert list(article.mentioned_people()) == [noor]

    article.lead = "Nobody is named."
    article.save()
    article_refresh(article=article)

    assert not article.person_mentions.exists()


def test_a_new_alias_finds_articles_and_a_removed_one_drops_them():
    article = ArticleFactory(title="Text in D", lead="Noormomad lives in Chaghcharan.")
    noor = PersonFactory(name="Noor Mohammad")
    assert not article.person_mentions.exists()

    alias = Alias.objects.create(person=noor, name="Noormomad")
    person_refresh(person=noor)
    assert list(article.mentioned_people()) == [noor]
    assert "Noor Mohammad" in Article.objects.get(pk=article.pk).search_document

    alias.delete()
    person_refresh(person=noor)
    assert not article.person_mentions.exists()


def test_a_new_place_is_found_in_existing_articles():
    article = ArticleFactory(title="Text in E", lead="They trade in Herat.")
    herat = PlaceFactory(name="Herat")
    place_refresh(place=herat)
    assert list(article.mentioned_places()) == [herat]


# --- Related diaspora articles ---


def test_related_communities_for_the_seed(client, seed_fixture):
    # The seed's See also names Afghans in Russia, Armenians in Afghanistan
    # and Russians in Pakistan: the related block shows only what it lacks
    # (issue 15, "No repeats"; tests/articles/test_related_no_repeats.py).
    import_text("= Armenians in Afghanistan =\n\nLead.\n")
    import_text("= Tajiks in Afghanistan =\n\nLead.\n\n== See also ==\n- Russians in Iran\n")
    html = html_of(client, ARTICLE_URL)
    block = html[html.index('<section class="related"'):]
    block = block[:block.index("</section>")]
    text = visible_text(block)

    assert text == (
        "Related communities Russians in other countries Russians in Iran (not written yet) "
        "Other communities in Afghanistan Tajiks in Afghanistan"
    )
    assert '<a href="/wiki/tajiks-in-afghanistan/">Tajiks in Afghanistan</a>' in block
    assert '<span class="missing" title="Russians in Iran: no article yet">Russians in Iran</span>' in block
    see_also = html[html.index('<section class="see-also"'):]
    see_also = see_also[:see_also.index("</section>")]
    assert '<a href="/wiki/armenians-in-afghanistan/">Armenians in Afghanistan</a>' in see_also
    assert '<span class="missing" title="Afghans in Russia: no article yet">Afghans in Russia</span>' in see_also


def test_related_communities_become_links_when_written(client, seed_fixture):
    import_text("= Afghans in Russia =\n\nLead.\n")
    import_text("= Russians in Pakistan =\n\nLead.\n")
    html = html_of(client, ARTICLE_URL)
    # Both are in the seed's See also, so they are links there and not
    # repeated in the related block.
    block = html[html.index('<section class="see-also"'):]

    assert '<a href="/wiki/afghans-in-russia/">Afghans in Russia</a>' in block
    assert '<a href="/wiki/russians-in-pakistan/">Russians in Pakistan</a>' in block
    assert html.count(">Russians in Pakistan</a>") == 1
    reverse = html_of(client, "/wiki/afghans-in-russia/")
    assert '<a href="/wiki/russians-in-afghanistan/">Russians in Afghanistan</a>' in reverse


def test_import_fills_community_fields_from_the_title(seed_fixture):
    article = import_text("= Uzbeks in the Russia =\n\nLead.\n")
    assert article.origin_group == "Uzbeks"
    assert article.host_country == Place.objects.get(name="Russia")
    assert article.origin_country == Place.objects.get(name="Uzbekistan")


# --- Population history ---


def test_population_history_chart_with_a_text_equivalent(client, seed_fixture):
    html = html_of(client, ARTICLE_URL)
    figure = html[html.index('<figure class="population-chart"'):html.index("</figure>")]

    assert 'role="img"' in figure
    desc = re.search(r'<desc id="population-chart-desc">(.*?)</desc>', figure).group(1)
    assert desc == (
        "1960s–1970s: 10,000 (roughly); 1979: 15,000 (by the eve of the Soviet–Afghan War); "
        "2009: 1,500 (est.)"
    )
    assert len(re.findall(r"<rect ", figure)) == 3
    assert [v for v in re.findall(r'class="value">([^<]+)<', figure)] == ["10,000", "15,000", "1,500"]
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', figure)]
    assert heights[1] == max(heights) and heights[2] < heights[0]
    assert "<script" not in figure


def test_a_figure_with_a_range_a_method_and_a_source_shows_them_under_the_chart(client):
    article = ArticleFactory(title="Greeks in Ukraine")
    source = Source.objects.create(
        title="<b>All-Ukrainian census</b> 2001", slug="census-2001", identity="t:census-2001"
    )
    article.population_figures.create(year=1989, count=98000)
    article.population_figures.create(
        year=2001, count=91500, low=85000, high=120000, method="census", source=source,
        locator="table 3",
    )

    html = html_of(client, article.get_absolute_url())
    figure = html[html.index('<figure class="population-chart"'):html.index("</figure>")]

    # The range is a whisker from the low end to the high end, above the
    # bar's top, and the value sits above the whisker.
    [path] = re.findall(r'<path d="([^"]+)" class="range"/>', figure)
    tops = [float(y) for y in re.findall(r'<rect [^>]*y="([\d.]+)"', figure)]
    high_y, low_y = (float(v) for v in re.match(r"M[\d.]+ ([\d.]+)V([\d.]+)", path).groups())
    assert high_y < tops[1] < low_y
    values = re.findall(r'<text [^>]*y="([\d.]+)"[^>]*class="value">([^<]+)<', figure)
    assert values[1] == (str(round(high_y - 5, 1)), "91,500")
    desc = re.search(r'<desc id="population-chart-desc">(.*?)</desc>', figure).group(1)
    assert desc == (
        "1989: 98,000; 2001: 91,500, 85,000–120,000, census, source: "
        "&lt;b&gt;All-Ukrainian census&lt;/b&gt; 2001"
    )
    notes = figure[figure.index('<dl class="population-notes">'):]
    assert visible_text(notes) == (
        "2001 85,000–120,000, census; source: <b>All-Ukrainian census</b> 2001, table 3"
    )
    assert '<a href="/sources/census-2001/">&lt;b&gt;All-Ukrainian census&lt;/b&gt; 2001</a>' in notes
    # The source's page lists the article that cites it for a figure.
    source_page = html_of(client, "/sources/census-2001/")
    assert f'href="{article.get_absolute_url()}"' in source_page


def test_infobox_shows_the_latest_figure_when_there_is_no_population_row(client):
    article = ArticleFactory(title="Greeks in Ukraine")
    article.population_figures.create(year=1989, count=98000)
    article.population_figures.create(year=2001, count=91500, note="census")

    html = html_of(client, article.get_absolute_url())

    assert re.search(r'<th scope="row">Population</th>\s*<td>91,500 \(2001, census\)</td>', html)


# --- Renames ---


def test_renaming_redirects_old_urls_and_keeps_links(client, seed_fixture):
    linker = ArticleFactory(title="Tajiks in Afghanistan", lead="See [[Russians in Afghanistan]].")
    SeeAlso.objects.create(article=linker, target_title="Russians in Afghanistan", position=0)
    article_refresh(article=linker)

    article = Article.objects.get(pk=seed_fixture.pk)
    article.title, article.slug = "Russian community in Afghanistan", "russian-community-in-afghanistan"
    article.save()
    article_refresh(article=article, former=("Russians in Afghanistan", "russians-in-afghanistan"))

    response = client.get(ARTICLE_URL)
    assert response.status_code == 301
    assert response["Location"] == "/wiki/russian-community-in-afghanistan/"
    linker_html = html_of(client, linker.get_absolute_url())
    assert '<a href="/wiki/russian-community-in-afghanistan/" rel="noopener noreferrer">Russians in Afghanistan</a>' in linker_html
    assert '<a href="/wiki/russian-community-in-afghanistan/">Russian community in Afghanistan</a>' in linker_html


def test_renaming_twice_keeps_every_old_url(client, seed_fixture):
    article = Article.objects.get(pk=seed_fixture.pk)
    for title, slug in [("Second title", "second"), ("Third title", "third")]:
        former = (article.title, article.slug)
        article.title, article.slug = title, slug
        article.save()
        article_refresh(article=article, former=former)

    assert client.get(ARTICLE_URL)["Location"] == "/wiki/third/"
    assert client.get("/wiki/second/")["Location"] == "/wiki/third/"
    assert client.get("/wiki/third/").status_code == 200


def test_rename_through_the_admin_records_the_former_name(admin_client, seed_fixture):
    from tests.admin_forms import change_form_data

    url = f"/admin/articles/article/{seed_fixture.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data.update(title="Russians of Afghanistan", slug="russians-of-afghanistan")
    assert admin_client.post(url, data).status_code == 302

    assert admin_client.get(ARTICLE_URL)["Location"] == "/wiki/russians-of-afghanistan/"


# --- Browsing pages ---


def test_language_religion_and_tag_pages_list_their_communities(client, seed_fixture):
    import_text("= Tajiks in Russia =\n\nInfobox\n- Langs: Tajik, Russian\n- Rels: Sunni Islam\n\nLead.\n")

    dari = visible_text(html_of(client, "/languages/dari/"))
    russian = visible_text(html_of(client, "/languages/russian/"))
    sunni = visible_text(html_of(client, "/religions/sunni-islam/"))
    tag = visible_text(html_of(client, "/tags/russian-diaspora/"))

    assert "Communities that speak Dari Russians in Afghanistan" in dari
    assert "Tajiks in Russia" not in dari
    assert "Russians in Afghanistan" in russian and "Tajiks in Russia" in russian
    assert "Communities that follow Sunni Islam" in sunni and "Tajiks in Russia" in sunni
    assert "Articles tagged “Russian diaspora” Russians in Afghanistan" in tag
    assert client.get("/languages/klingon/").status_code == 404


def test_infobox_links_languages_and_religions(client, seed_fixture):
    html = html_of(client, ARTICLE_URL)
    assert '<a href="/languages/dari/">Dari</a>' in html
    assert '<a href="/religions/sunni-islam/">Sunni Islam</a>' in html
    assert '<a href="/tags/russian-diaspora/" rel="tag">Russian diaspora</a>' in html


def test_a_to_z_index_filters_by_letter_and_paginates(client, seed_fixture):
    for n in range(60):
        ArticleFactory(title=f"Armenians {n:02d} in Place")
    ArticleFactory(title="1st Group in Place")

    first = html_of(client, "/articles/?letter=A")
    second = html_of(client, "/articles/?letter=A&page=2")
    r_page = visible_text(html_of(client, "/articles/?letter=R"))
    other = visible_text(html_of(client, "/articles/?letter=%23"))

    assert first.count('<li><a href="/wiki/armenians-') == 50
    assert second.count('<li><a href="/wiki/armenians-') == 10
    assert "Page 2 of 2" in visible_text(second)
    assert "Russians in Afghanistan" in r_page and "Armenians" not in r_page
    assert "1st Group in Place" in other and "Russians" not in other
    assert client.get("/articles/?letter=A&page=99").status_code == 200


def test_place_page_lists_communities_hosted_there(client, seed_fixture):
    html = html_of(client, "/places/afghanistan/")
    assert "Communities in Afghanistan Russians in Afghanistan" in visible_text(html)


# --- Fixed query counts on the listing pages ---


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/", 2),  # count, page
        ("/articles/?letter=T", 3),  # the letters holding articles, count, page
        ("/tags/common/", 3),  # tag, count, page
        ("/languages/tatar/", 3),
        ("/religions/sunni-islam/", 3),
        ("/people/jane-roe/", 4),  # person, aliases, places, articles
        ("/places/kazan/", 6),  # place, children, 3 article lists, people
    ],
)
def test_listing_pages_make_a_fixed_number_of_queries(client, django_assert_num_queries, url, queries):
    kazan = PlaceFactory(name="Kazan", slug="kazan")
    PersonFactory(name="Jane Roe", slug="jane-roe").places.add(kazan)

    def make(n: int) -> None:
        text = f"= Tatars {n} in Town =\n\nInfobox\n- Popplace: Kazan\n- Langs: Tatar\n- Rels: Sunni Islam\n\nJane Roe went to Kazan.\n"
        article = import_text(text)
        article.tags.add("common")

    make(0)
    with django_assert_num_queries(queries):
        one = client.get(url)
    for n in range(1, 30):
        make(n)
    with django_assert_num_queries(queries):
        many = client.get(url)
    assert one.status_code == many.status_code == 200
    assert "Tatars 0 in Town" in one.content.decode()
    assert many.content.decode().count('<a href="/wiki/tatars-') >= 30


def test_deleting_an_article_in_the_admin_turns_links_to_it_missing(admin_client, client):
    target = ArticleFactory(title="Uzbeks in Russia")
    linker = ArticleFactory(title="Tajiks in Russia", lead="Compare [[Uzbeks in Russia]].")
    assert '<a href="/wiki/uzbeks-in-russia/"' in Article.objects.get(pk=linker.pk).lead_html

    response = admin_client.post(
        f"/admin/articles/article/{target.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Article.objects.filter(pk=target.pk).exists()
    html = html_of(client, linker.get_absolute_url())
    assert '<span class="missing" title="Uzbeks in Russia: no article yet">Uzbeks in Russia</span>' in html
