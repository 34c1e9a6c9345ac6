"""Creating an article from another one, in the article admin.

The add form opened as ``/admin/articles/article/add/?title=<title>&from=<pk>``
(the "create" links editors see on public pages, and the "Create related
article" object tool of the change page) comes prefilled:

* title, and slug = ``encyclopedia.text.slug_base(title)`` (the admin's
  prepopulate script keeps it following the title as the editor types);
* status draft;
* for an "X in Y" title: origin group X, infobox group X, host country the
  existing place named Y (never created here) and origin country the place
  whose demonym is X, when there are such places;
* from the source article (``from``): its other infobox rows' keys, at the
  same positions, with empty values, and a See also row back to it.

An infobox row needs a value, so the suggested key rows are extra inline
forms that the editor must fill in or delete: the rows are initial data of
the GET only, so when the form is posted a suggested row still without a
value is a changed, invalid row ("This field is required") rather than
something silently dropped or saved empty. The See also row back to the
source posts as it is and is saved.

Links elsewhere to the new title turn into links when it is saved (and
published): ``ArticleAdmin.save_related`` refreshes them
(``change_form.article_saved`` calls ``services.article_refresh``).

``ArticleAdmin`` (article.py) calls these from ``add_view``,
``response_add``, ``get_changeform_initial_data``,
``get_formsets_with_inlines``, ``get_formset_kwargs`` and
``render_change_form``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext

from encyclopedia.text import slug_base
from people.models import Place

from .. import communities
from ..editor_tools import add_form_url
from ..models import Article, InfoboxRow, SeeAlso

_PREFILL_ATTRIBUTE = "_create_related_prefill"
# The add form's own query parameters: they describe the form to prefill,
# not a filter to keep once the article is saved.
PREFILL_PARAMETERS = ("title", "from")


@dataclass
class Prefill:
    """What the add form starts with: main form fields and inline rows."""

    fields: dict = field(default_factory=dict)
    rows: dict[type, list[dict]] = field(default_factory=dict)


def related_prefill(title: str, source: Article | None) -> Prefill:
    title = title.strip()
    prefill = Prefill(fields={"status": Article.Status.DRAFT})
    if title:
        prefill.fields["title"] = title
        prefill.fields["slug"] = slug_base(title, fallback="")
        community = communities.community_from_title(title)
        if community is not None:
            group, country = community
            prefill.fields["origin_group"] = group
            prefill.fields["group_name"] = group
            host = Place.objects.filter(name=country).only("pk").first()
            if host is not None:
                prefill.fields["host_country"] = host.pk
            origin = Place.objects.filter(demonym=group).only("pk").first()
            if origin is not None:
                prefill.fields["origin_country"] = origin.pk
    if source is not None:
        prefill.rows[InfoboxRow] = [
            {"key": row.key, "value": "", "position": row.position}
            for row in source.extra_rows.order_by("position", "id")
        ]
        if source.title != title:
            prefill.rows[SeeAlso] = [{"target_title": source.title, "position": 0}]
    return prefill


def reverse_community_title(article: Article) -> str:
    """"Afghans in Russia" for "Russians in Afghanistan" (host Afghanistan,
    whose people are Afghans, and origin Russia); "" when the data does not
    say, or when that article exists already."""
    title = communities.reverse_community_title(
        host=article.host_country, origin=article.origin_country
    )
    if not title or title == article.title or Article.objects.filter(title=title).exists():
        return ""
    return title


# --- what ArticleAdmin calls ---


def create_related_url(model_admin, article: Article) -> str:
    """The change page's "Create related article" link: the add form for the
    reverse community, from this article."""
    opts = article._meta
    add_url = reverse(f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_add")
    return add_form_url(add_url, title=reverse_community_title(article), source_pk=article.pk)


def existing_article_redirect(model_admin, request) -> HttpResponseRedirect | None:
    """A create link for a title that has an article (a draft, or one written
    since the page was seen) opens that article: an add form could only fail
    with "Article with this Title already exists". None otherwise."""
    title = request.GET.get("title", "").strip()
    if request.method != "GET" or not title:
        return None
    existing = Article.objects.filter(title=title).first()
    if existing is None or not model_admin.has_view_or_change_permission(request, existing):
        return None
    messages.info(
        request,
        gettext("“%(title)s” exists already (%(status)s): here it is.")
        % {"title": existing, "status": existing.get_status_display().lower()},
    )
    opts = existing._meta
    return HttpResponseRedirect(reverse(
        f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
        args=[existing.pk],
    ))


def without_prefill_parameters(response):
    """The admin keeps the add form's query string on "Save and continue
    editing" and "Save and add another": drop the prefill's parameters."""
    if isinstance(response, HttpResponseRedirect):
        url = urlsplit(response["Location"])
        query = [(k, v) for k, v in parse_qsl(url.query, keep_blank_values=True)
                 if k not in PREFILL_PARAMETERS]
        response["Location"] = url._replace(query=urlencode(query)).geturl()
    return response


def initial_fields(model_admin, request, initial: dict) -> dict:
    """The add form's initial data with the prefill's fields."""
    initial.pop("from", None)
    prefill = _prefill(model_admin, request)
    if prefill is not None:
        initial.update(prefill.fields)
    return initial


def initial_rows(model_admin, request, obj) -> dict[type, list[dict]]:
    """Initial inline rows, by model: on the add form as first shown (GET) only."""
    if request.method != "GET" or (obj is not None and obj.pk is not None):
        return {}
    prefill = _prefill(model_admin, request)
    return prefill.rows if prefill is not None else {}


def with_room_for_rows(formsets_with_inlines, rows: dict[type, list[dict]], request, obj):
    """The (formset class, inline) pairs, each inline with suggested rows
    getting one extra form per row, on top of the inline's own."""
    for formset_class, inline in formsets_with_inlines:
        initial = rows.get(inline.model)
        if initial:
            extra = inline.get_extra(request, obj) + len(initial)
            formset_class = inline.get_formset(request, obj, extra=extra)
        yield formset_class, inline


def _prefill(model_admin, request) -> Prefill | None:
    """The prefill asked for by the add form's query string, once per request."""
    if not hasattr(request, _PREFILL_ATTRIBUTE):
        prefill = None
        title = request.GET.get("title", "")
        source = _source(model_admin, request)
        if title.strip() or source is not None:
            prefill = related_prefill(title, source)
        setattr(request, _PREFILL_ATTRIBUTE, prefill)
    return getattr(request, _PREFILL_ATTRIBUTE)


def _source(model_admin, request) -> Article | None:
    try:
        pk = int(request.GET.get("from", ""))
    except ValueError:
        return None
    source = Article.objects.filter(pk=pk).first()
    if source is None or not model_admin.has_view_or_change_permission(request, source):
        return None
    return source
