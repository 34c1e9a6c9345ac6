"""The admin in the interface's language: the models' names, their fields'
labels and choices, and our admin's columns and fieldsets come from the
catalogues (locale/), so /fa-af/admin/ says them in Dari as far as
locale/fa_AF translates them, while /admin/ keeps the English it had."""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext

from articles.admin import ArticleAdmin
from articles.models import Article
from tests.factories import ArticleFactory

CHANGELIST = "admin/articles/article/"
# The changelist's own columns (the verifiability ones are their module's).
COLUMNS = {
    "title": "title", "status": "status", "group_name": "group",
    "population": "population", "updated": "updated",
}
HEADER_RE = re.compile(
    r'<th scope="col" class="[^"]*\bcolumn-(\w+)\b[^"]*">.*?<div class="text">(.*?)</div>',
    re.DOTALL,
)


def headers(html: str) -> dict[str, str]:
    """Column name -> the header's text, as the changelist's table shows it."""
    return {
        column: unescape(re.sub(r"<[^>]+>", "", text)).strip()
        for column, text in HEADER_RE.findall(html)
    }


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return capfirst(gettext(message))


@pytest.fixture
def published(db) -> Article:
    return ArticleFactory(title="Tatars in Finland", status=Article.Status.PUBLISHED,
                          group_name="Finnish Tatars", population=700)


@pytest.mark.django_db
def test_the_dari_changelist_says_what_the_catalogue_says(admin_client, published):
    response = admin_client.get(f"/fa-af/{CHANGELIST}")
    assert response.status_code == 200
    html = response.content.decode()
    shown = headers(html)
    for column, message in COLUMNS.items():
        assert shown[column] == in_language("fa-af", message), column
    # The model's name in the breadcrumbs and the page's title, a choice's
    # label in its row, the filter named by the field.
    with translation.override("fa-af"):
        plural = capfirst(gettext("articles"))
        draft, published_label = gettext("Draft"), gettext("Published")
        # Django's admin/filter.html, spaces included.
        by_status = gettext(" By %(filter_title)s ") % {"filter_title": gettext("status")}
    assert f"&rsaquo; {plural}" in html or f"› {plural}" in unescape(html)
    row = re.search(r'<td class="field-status">(.*?)</td>', html).group(1)
    assert row == published_label
    assert unescape(html).count(draft) >= 1  # the status filter's choices
    assert by_status in unescape(html)
    # Django's own words (Persian, from its fa catalogue) around ours.
    assert 'dir="rtl"' in html
    with translation.override("fa-af"):
        heading = gettext("Select %s to change") % gettext("article")
        assert heading != "Select article to change"
    assert f"<h1>{heading}</h1>" in html


@pytest.mark.django_db
def test_the_english_changelist_is_as_it_was(admin_client, published):
    response = admin_client.get(f"/{CHANGELIST}")
    html = response.content.decode()
    assert {column: headers(html)[column] for column in COLUMNS} == {
        "title": "Title", "status": "Status", "group_name": "Group",
        "population": "Population", "updated": "Updated",
    }
    assert "&rsaquo; Articles" in html
    assert re.search(r'<td class="field-status">(.*?)</td>', html).group(1) == "Published"
    assert " By status " in html


@pytest.mark.django_db
def test_the_english_change_form_labels_are_as_they_were(admin_client, published):
    html = admin_client.get(f"/{CHANGELIST}{published.pk}/change/").content.decode()
    for field, label in [("title", "Title"), ("status", "Status"), ("group_name", "Group"),
                         ("population_note", "Population note"),
                         ("origin_country", "Origin country"),
                         ("translated_from", "Translated from")]:
        assert re.search(rf'<label[^>]*for="id_{field}"[^>]*>{label}:</label>', html), field
    for fieldset in ("Infobox", "Community", "Translation"):
        assert f">{fieldset}</" in html, fieldset


def admin_models() -> list[type[models.Model]]:
    """Our models the admin shows: registered, or in a registered admin's inlines."""
    found = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"articles", "people"}:
            continue
        found.append(model)
        found.extend(inline.model for inline in model_admin.inlines)
    return list(dict.fromkeys(found))


def test_every_name_the_admin_shows_of_our_models_is_marked():
    """A name that is no lazy translation would stay English in every
    interface language: models' names, editable fields' labels and help
    texts, choices' labels, and the article admin's fieldsets."""
    unmarked = []
    chosen = admin_models()
    assert Article in chosen and len(chosen) > 10
    for model in chosen:
        opts = model._meta
        for name in ("verbose_name", "verbose_name_plural"):
            if not isinstance(getattr(opts, name), Promise):
                unmarked.append(f"{opts.label}.Meta.{name}")
        for field in opts.get_fields():
            if field.auto_created or not getattr(field, "editable", False):
                continue
            if not isinstance(field.verbose_name, Promise):
                unmarked.append(f"{opts.label}.{field.name}")
            if field.help_text and not isinstance(field.help_text, Promise):
                unmarked.append(f"{opts.label}.{field.name}.help_text")
            for _value, label in field.flatchoices if field.choices else ():
                if not isinstance(label, Promise):
                    unmarked.append(f"{opts.label}.{field.name} choice {label!r}")
    for name, _options in ArticleAdmin.fieldsets:
        if name is not None and not isinstance(name, Promise):
            unmarked.append(f"ArticleAdmin fieldset {name!r}")
    assert unmarked == []


@pytest.mark.django_db
def test_the_dari_change_form_labels_follow_the_catalogue(admin_client, published):
    response = admin_client.get(f"/fa-af/{CHANGELIST}{published.pk}/change/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    for field, message in [("title", "title"), ("status", "status"), ("group_name", "group"),
                           ("translated_from", "translated from")]:
        label = re.escape(in_language("fa-af", message))
        assert re.search(rf'<label[^>]*for="id_{field}"[^>]*>{label}:</label>', html), field
    with translation.override("fa-af"):
        for fieldset in ("Infobox", "Community", "Translation"):
            assert f">{gettext(fieldset)}</" in html, fieldset
        # A choice of the status select, in the catalogue's words.
        assert f'<option value="published" selected>{gettext("Published")}</option>' in html
