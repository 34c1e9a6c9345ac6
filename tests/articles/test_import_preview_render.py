"""The import preview renders each new article as its page will (infobox,
lead, sections), writing nothing; "import as drafts" unpublishes every
imported article, through the admin's form and through the command line."""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from reversion.models import Version

from articles.models import Article, SeeAlso
from articles.services import articles_import
from tests.articles.test_admin_import import (
    IMPORT_URL, confirm, db_state, page_text, preview, upload,
)
from tests.html import visible_text

# Transactional: a confirmed import runs in a thread with its own connection.
pytestmark = pytest.mark.django_db(transaction=True)

NEW = """\
= Армяне в Афганистане =

Infobox
- Group: Armenians in Afghanistan
- Population: 300
- Langs: Armenian, Dari

Armenians have lived in Afghanistan since the 19th century.

==History==
The community was small but **well known**.

==Culture==
They kept a church in Kabul.
""".encode()

HOSTILE = b"""\
= Hostile title <script>alert(1)</script> =

Infobox
- Group: <img src=x onerror=alert(2)>

A lead <script>alert(3)</script> with <a href="javascript:alert(4)">a link</a>.

==Heading <b onmouseover=alert(5)>x</b>==
<iframe src="https://evil.example/"></iframe>Body.
"""

EXISTING = b"""\
= Tajiks in Russia =

About Tajiks in Russia.

==History==
Some history.
"""


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.names += [name for name, _ in attrs]


def attribute_names(html: str) -> list[str]:
    """The names of every attribute of every tag of ``html``."""
    parser = _Attributes()
    parser.feed(html)
    return parser.names


def rendered_section(html: str, name: str) -> str:
    match = re.search(
        rf'<section class="import-rendered" data-file="{re.escape(name)}".*?</section>\s*(?=<section class="import-rendered"|<form)',
        html, re.S,
    )
    assert match, f"no rendered preview of {name}"
    return match.group(0)


def test_a_new_articles_preview_shows_its_infobox_and_sections_rendered_and_writes_nothing(
    admin_client,
):
    before = db_state()
    response = preview(admin_client, ("armenians.txt", NEW))
    html = response.content.decode()
    body = rendered_section(html, "armenians.txt")
    text = visible_text(body)
    # The infobox as the page shows it: labelled rows.
    assert re.search(r"<th scope=\"row\">Languages</th>\s*<td>.*Armenian.*Dari", body, re.S) or (
        "Armenian" in text and "Dari" in text
    )
    assert 'class="infobox"' in body and "300" in text
    assert "Armenians have lived in Afghanistan since the 19th century." in text
    assert "History" in text and "Culture" in text
    assert "<strong>well known</strong>" in body  # the section's Markdown, rendered
    assert "They kept a church in Kabul." in text
    assert "Армяне в Афганистане" in text
    # Ids are prefixed so that several previews can share the page.
    assert 'id="preview-1-infobox"' in body
    assert db_state() == before
    assert not Article.objects.exists()


def test_hostile_text_in_a_new_article_is_escaped_in_its_preview(admin_client):
    html = preview(admin_client, ("hostile.txt", HOSTILE)).content.decode()
    body = rendered_section(html, "hostile.txt")
    for raw in ("<script>alert(1)", "<script>alert(3)", "<img src=x", '<a href="javascript:',
                "<iframe", "<b onmouseover"):
        assert raw not in body, raw
    assert not [name for name in attribute_names(body) if name.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # the title, shown as text
    assert "Body." in visible_text(body)
    assert not Article.objects.exists()


def test_an_updated_article_has_no_rendered_preview(admin_client, admin_user):
    articles_import(sources=[("tajiks.txt", EXISTING)], user=admin_user)
    html = preview(admin_client, ("tajiks.txt", EXISTING.replace(b"Some", b"More")),
                   ("armenians.txt", NEW)).content.decode()
    assert html.count('class="import-rendered"') == 1
    rendered_section(html, "armenians.txt")


def test_new_articles_past_the_preview_budget_are_listed_not_rendered(admin_client):
    from articles.admin.import_render import RENDERED_MAX_BYTES

    parts = b"".join(b"\n==Part %d==\n" % n + b"Words. " * 10_000 for n in range(5))
    large = NEW.replace("Армяне".encode(), "Греки".encode()) + parts
    assert len(large) > RENDERED_MAX_BYTES
    html = preview(admin_client, ("armenians.txt", NEW), ("greeks.txt", large)).content.decode()
    assert html.count('class="import-rendered"') == 1
    rendered_section(html, "armenians.txt")
    assert "greeks.txt" in html  # still in the plan's table
    assert not Article.objects.exists()


def test_import_as_drafts_through_the_admin_form_unpublishes_every_imported_article(
    admin_client, admin_user
):
    articles_import(sources=[("tajiks.txt", EXISTING)], user=admin_user)
    tajiks = Article.objects.get(title="Tajiks in Russia")
    reader = Client()
    assert reader.get(tajiks.get_absolute_url()).status_code == 200

    form = admin_client.get(IMPORT_URL).content.decode()
    assert 'name="drafts"' in form and "Import as drafts" in visible_text(form)
    response = admin_client.post(IMPORT_URL, {
        **upload(("tajiks.txt", EXISTING.replace(b"Some", b"More")), ("armenians.txt", NEW)),
        "status": "published", "drafts": "on",
    })
    assert "Every imported article will be a draft: the existing ones are unpublished." in page_text(response)
    confirm(admin_client, response.context["token"])

    assert set(Article.objects.values_list("title", "status")) == {
        ("Tajiks in Russia", "draft"), ("Армяне в Афганистане", "draft"),
    }
    assert reader.get(tajiks.get_absolute_url()).status_code == 404


def test_import_as_drafts_from_the_command_line(tmp_path, admin_user):
    articles_import(sources=[("tajiks.txt", EXISTING)], user=admin_user)
    linking = b"= Uzbeks in Russia =\n\nSee [[Tajiks in Russia]].\n\n==See also==\n- Tajiks in Russia\n"
    articles_import(sources=[("uzbeks.txt", linking)], user=admin_user)
    uzbeks = Article.objects.get(title="Uzbeks in Russia")
    assert "/wiki/tajiks-in-russia/" in uzbeks.lead_html
    (tmp_path / "tajiks.txt").write_bytes(EXISTING.replace(b"Some", b"More"))
    (tmp_path / "armenians.txt").write_bytes(NEW)
    out = StringIO()

    call_command("import_articles", str(tmp_path), "--drafts", stdout=out)

    assert "Imported 2 article(s): 1 created, 1 updated, all of them drafts." in out.getvalue()
    assert set(Article.objects.exclude(pk=uzbeks.pk).values_list("status", flat=True)) == {"draft"}
    tajiks = Article.objects.get(title="Tajiks in Russia")
    assert Version.objects.get_for_object(tajiks).count() == 2
    # Links to the unpublished article go, as when an editor unpublishes it.
    uzbeks.refresh_from_db()
    assert "/wiki/tajiks-in-russia/" not in uzbeks.lead_html
    assert SeeAlso.objects.get(article=uzbeks).target is None
    assert Client().get(tajiks.get_absolute_url()).status_code == 404


def test_without_drafts_an_updated_article_keeps_its_status(tmp_path, admin_user):
    articles_import(sources=[("tajiks.txt", EXISTING)], user=admin_user)
    (tmp_path / "tajiks.txt").write_bytes(EXISTING.replace(b"Some", b"More"))
    call_command("import_articles", str(tmp_path), stdout=StringIO())
    assert Article.objects.get(title="Tajiks in Russia").status == "published"
