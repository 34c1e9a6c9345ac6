"""Creating an article from another one, in the article admin.

The add form opened as ``/admin/articles/article/add/?title=<title>&from=<pk>``
(the "create" links editors see on public pages, and the "Create related
article" object tool of the change page) comes prefilled:

* title, and slug = ``slugify(title, allow_unicode=True)`` (the admin's
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
published): ``ArticleAdmin.save_related`` calls ``services.article_refresh``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import slugify

from people.models import Place

from .models import Article, InfoboxRow, SeeAlso
from .services import community_from_title

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
        prefill.fields["slug"] = slugify(title, allow_unicode=True)
        community = community_from_title(title)
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
    host, origin = article.host_country, article.origin_country
    if host is None or origin is None or not host.demonym:
        return ""
    title = f"{host.demonym} in {origin.name}"
    if title == article.title or Article.objects.filter(title=title).exists():
        return ""
    return title


def add_form_url(add_url: str, *, title: str = "", source_pk: int | None = None) -> str:
    params = {}
    if title:
        params["title"] = title
    if source_pk is not None:
        params["from"] = source_pk
    return f"{add_url}?{urlencode(params, quote_via=quote)}" if params else add_url


class CreateRelatedMixin:
    """For ``ArticleAdmin``: the prefilled add form and the change page's
    "Create related article" link (templates/admin/articles/article/change_form.html)."""

    def _related_prefill(self, request) -> Prefill | None:
        """The prefill asked for by the add form's query string, once per request."""
        if not hasattr(request, _PREFILL_ATTRIBUTE):
            prefill = None
            title = request.GET.get("title", "")
            source = self._related_source(request)
            if title.strip() or source is not None:
                prefill = related_prefill(title, source)
            setattr(request, _PREFILL_ATTRIBUTE, prefill)
        return getattr(request, _PREFILL_ATTRIBUTE)

    def _related_source(self, request) -> Article | None:
        try:
            pk = int(request.GET.get("from", ""))
        except ValueError:
            return None
        source = Article.objects.filter(pk=pk).first()
        if source is None or not self.has_view_or_change_permission(request, source):
            return None
        return source

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.pop("from", None)
        prefill = self._related_prefill(request)
        if prefill is not None:
            initial.update(prefill.fields)
        return initial

    def _inline_initial(self, request, obj) -> dict[type, list[dict]]:
        """Initial inline rows: on the add form as first shown (GET) only."""
        if request.method != "GET" or (obj is not None and obj.pk is not None):
            return {}
        prefill = self._related_prefill(request)
        return prefill.rows if prefill is not None else {}

    def get_formsets_with_inlines(self, request, obj=None):
        rows = self._inline_initial(request, obj)
        for formset_class, inline in super().get_formsets_with_inlines(request, obj):
            initial = rows.get(inline.model)
            if initial:
                # One extra form per suggested row, on top of the inline's own.
                extra = inline.get_extra(request, obj) + len(initial)
                formset_class = inline.get_formset(request, obj, extra=extra)
            yield formset_class, inline

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        initial = self._inline_initial(request, obj).get(inline.model)
        if initial:
            kwargs["initial"] = initial
        return kwargs

    def add_view(self, request, form_url="", extra_context=None):
        # A create link for a title that has an article (a draft, or one
        # written since the page was seen) opens that article: an add form
        # could only fail with "Article with this Title already exists".
        title = request.GET.get("title", "").strip()
        if request.method == "GET" and title:
            existing = Article.objects.filter(title=title).first()
            if existing is not None and self.has_view_or_change_permission(request, existing):
                messages.info(
                    request,
                    f"“{existing}” exists already ({existing.get_status_display().lower()}): "
                    "here it is.",
                )
                opts = existing._meta
                return HttpResponseRedirect(reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=[existing.pk],
                ))
        return super().add_view(request, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if isinstance(response, HttpResponseRedirect):
            # The admin keeps the add form's query string on "Save and
            # continue editing" and "Save and add another".
            url = urlsplit(response["Location"])
            query = [(k, v) for k, v in parse_qsl(url.query, keep_blank_values=True)
                     if k not in PREFILL_PARAMETERS]
            response["Location"] = url._replace(query=urlencode(query)).geturl()
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and self.has_add_permission(request):
            add_url = reverse(
                f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_add"
            )
            context["create_related_url"] = add_form_url(
                add_url, title=reverse_community_title(obj), source_pk=obj.pk
            )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )
