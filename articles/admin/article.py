"""The article admin: ``ArticleAdmin`` and its inlines.

Every custom view of the article admin is routed in ``get_urls``; the
change form's hooks below say what each workflow adds, and the workflows'
code lives in their modules: ``change_form`` (the form, a revision per save,
no lost edits), ``citations`` (the references and infobox citations, and
the check of every marker against the references), ``verifiability`` (the
list's columns and filters, and the articles that most need sources),
``history_views`` (compare, revert), ``create_related`` (the add form
prefilled from a create link), ``import_views`` (wiki-text import),
``session_expiry`` (a save after the session expired: log in, saved) and
``link_picker`` (the ``[[`` suggestions). The form's layout is declared
here (title, lead and sections first, rare parts collapsed) and its scripts
are static files (``Media``: the draft kept in the browser, the sections one
open at a time, the link picker).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import IntegrityError, transaction
from django.urls import URLPattern, path
from django.utils.translation import gettext, gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from ..infobox import ROW_STORAGE, STORAGE, Storage
from ..models import (
    Article,
    InfoboxRow,
    InterlanguageLink,
    PersonMention,
    PlaceMention,
    PopulationFigure,
    SeeAlso,
    Section,
)
from ..wikitext.infobox import Kind
from ..services import article_delete
from . import change_form, citations, create_related, link_picker, session_expiry, verifiability
from .keyed import KeyedWrites
from .change_form import WIKITEXT_FIELDS, ArticleAdminForm, InfoboxRowForm, SectionForm, SeeAlsoForm
from .citations import InfoboxCitationInline, ReferenceInline
from .actions import ACTIONS
from .history_views import HistoryViews, history_context
from .import_views import ImportViews
from .ordered import OrderedInline, OrderedMixin
from .preview import PreviewViews
from .section_edit import SectionEditViews


def infobox_list_inline(storage: Storage) -> type[OrderedInline]:
    """The inline of one declared infobox list (places, languages,
    religions, related groups): its rows in order, terms by autocomplete."""
    attrs = {
        "__module__": __name__,
        "model": storage.model,
        "fields": [storage.value, "position"],
        "autocomplete_fields": [storage.value] if storage.is_foreign_key else [],
    }
    return type(f"{storage.model.__name__}Inline", (OrderedInline,), attrs)


INFOBOX_LIST_INLINES = [infobox_list_inline(storage) for storage in ROW_STORAGE]
TABULAR_TEMPLATE = "admin/articles/article/edit_inline/tabular.html"


class InfoboxRowInline(OrderedInline):
    model = InfoboxRow
    form = InfoboxRowForm
    fields = ["key", "value", "position"]


class SectionInline(OrderedMixin, admin.StackedInline):
    model = Section
    form = SectionForm
    formfield_overrides = WIKITEXT_FIELDS
    fields = [("heading", "level", "position"), "body"]


class SeeAlsoInline(OrderedInline):
    model = SeeAlso
    form = SeeAlsoForm
    fk_name = "article"
    fields = ["target_title", "target_link", "position"]
    readonly_fields = ["target_link"]

    @admin.display(description=_("Article"))
    def target_link(self, obj: SeeAlso) -> str:
        return gettext("exists") if obj.target_id else gettext("not written yet")


class PersonMentionInline(admin.TabularInline):
    model = PersonMention
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "state"]
    ordering = ["person__name"]
    # Mentions are found by the refresh; editors rarely correct them.
    classes = ["collapse"]


class PlaceMentionInline(PersonMentionInline):
    model = PlaceMention
    autocomplete_fields = ["place"]
    fields = ["place", "state"]
    ordering = ["place__name"]


class PopulationFigureInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0
    fields = ["year", "period", "count", "low", "high", "method", "source", "locator", "note"]
    autocomplete_fields = ["source"]
    classes = ["collapse"]


class ContentLanguageFilter(admin.AllValuesFieldListFilter):
    """The languages articles are written in, as stored (``fa-AF``): only
    those in use are listed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not the field's name: "By language" beside the infobox's "By
        # languages" (those the community speaks) would read as the same.
        self.title = _("content language")


class InterlanguageLinkInline(admin.TabularInline):
    """The article in other languages (``[[ru:…]]`` on a MediaWiki wiki)."""

    model = InterlanguageLink
    extra = 0
    fields = ["language", "title"]
    verbose_name = _("link to this article in another language")
    verbose_name_plural = _("in other languages")
    classes = ["collapse"]


@admin.register(Article)
class ArticleAdmin(KeyedWrites, admin.ModelAdmin):
    form = ArticleAdminForm
    formfield_overrides = WIKITEXT_FIELDS
    object_history_template = "admin/articles/article/object_history.html"
    list_display = [
        "title", "status", "group_name", "population",
        *verifiability.LIST_DISPLAY, "updated",
    ]
    list_filter = [
        "status",
        ("language", ContentLanguageFilter),
        *verifiability.LIST_FILTER,
        # Each list of terms; places are too many for a filter's list.
        *(storage.many_to_many for storage in ROW_STORAGE if storage.kind is Kind.TERMS),
        "tags",
        "updated",
    ]
    search_fields = ["title", "lead", "group_name", "sections__heading", "sections__body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["origin_country", "host_country", "translated_from"]
    date_hierarchy = "updated"
    save_on_top = True

    class Media:
        # On the change list too (the page after a save), where the draft
        # of the form just saved is dropped.
        js = ["js/editor-draft.js", "js/editor-sections.js", "js/link-picker.js"]
        css = {"all": ["css/editor.css"]}
    actions = ACTIONS  # publish, unpublish (articles/admin/actions.py), beside delete
    # Title and lead first, then the sections (placed right after this
    # fieldset by templates/admin/articles/article/change_form.html); what
    # editors rarely touch is collapsed (open again when it has an error).
    fieldsets = [
        (None, {"fields": [
            "title", "lead", ("slug", "status", "language"), "description", "tags",
        ]}),
        (_("Infobox"), {"fields": [
            storage.columns[0] if len(storage.columns) == 1 else storage.columns
            for storage in STORAGE if storage.columns
        ]}),
        (_("Community"), {
            "fields": ["origin_group", ("origin_country", "host_country")],
            "classes": ["collapse"],
        }),
        # Saving joins the article to the translation group of the one it
        # was translated from (services.article_saved).
        (_("Translation"), {"fields": ["translated_from"], "classes": ["collapse"]}),
    ]
    inlines = [
        *INFOBOX_LIST_INLINES,
        InfoboxRowInline,
        InfoboxCitationInline,
        PopulationFigureInline,
        SectionInline,
        SeeAlsoInline,
        ReferenceInline,
        PersonMentionInline,
        PlaceMentionInline,
        InterlanguageLinkInline,
    ]


    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.import_views = ImportViews(self)
        self.history_views = HistoryViews(self)
        self.needs_sources = verifiability.NeedsSourcesView(self)

    # --- the custom views, all of them ---

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        imports, history = self.import_views, self.history_views
        sections = SectionEditViews(self)
        return [
            # csrf_exempt only so that the view can refuse an oversized upload
            # before anything reads the body; its steps are csrf_protect'ed.
            path("import/", view(csrf_exempt(imports.upload_view)), name=f"{name}_import"),
            path("import/<int:job_id>/", view(imports.job_view), name=f"{name}_import_job"),
            path("needs-sources/", view(self.needs_sources.view), name=f"{name}_needs_sources"),
            path("link-picker/", view(link_picker.suggestions_view), name=f"{name}_link_picker"),
            # One section at a time (articles/admin/section_edit.py).
            path("<path:object_id>/section/<str:anchor>/", view(sections.view),
                 name=f"{name}_section"),
            # Show preview and Show changes (articles/admin/preview.py).
            path("<path:object_id>/section/<str:anchor>/preview/", view(sections.preview_view),
                 name=f"{name}_section_preview"),
            path("<path:object_id>/preview/", view(PreviewViews(self).change_view),
                 name=f"{name}_preview"),
            path("<path:object_id>/history/compare/", view(history.compare_view),
                 name=f"{name}_compare"),
            path("<path:object_id>/history/<int:revision_id>/revert/", view(history.revert_view),
                 name=f"{name}_revert"),
            *self._keeping_posts(super().get_urls(), {f"{name}_add", f"{name}_change"}),
        ]

    def _keeping_posts(self, urls, names):
        # The add and change forms' saves survive an expired session
        # (session_expiry): the login form carries the posted fields.
        return [
            URLPattern(url.pattern, session_expiry.keeping_post(self.admin_site, url.callback),
                       url.default_args, url.name)
            if isinstance(url, URLPattern) and url.name in names else url
            for url in urls
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        # The "Import" and "Articles that most need sources" object tools
        # (templates/admin/articles/article/change_list.html).
        extra_context = {
            "has_import_permission": self.has_import_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # The admin's history page, listing the revisions to compare and revert.
        article = self.get_object(request, unquote(object_id))
        history = history_context(request, article) if article else {}
        return super().history_view(request, object_id, {**(extra_context or {}), **history})

    def get_queryset(self, request):
        return verifiability.with_cited_share(super().get_queryset(request))

    # --- the change form ---

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """What a POST of the add or change form does, in order:

        1. an add is tried once more if it lost a race for its title;
        2. a change takes the article's row lock, and if another editor saved
           since the form was shown, the POST is merged onto what they saved
           (``change_form.rebase_post``): their changes are kept, and parts
           both changed make the form invalid with the conflict shown;
        3. the admin validates (the references' formset checks every
           marker of the form against the references as posted:
           ``citations``) and saves: ``save_model`` (skipped when the
           article's own fields are unchanged), ``save_related`` (its rows;
           then refresh and a revision, or nothing when nothing changed),
           ``log_change`` and ``message_user``.
        """
        changeform_view = super().changeform_view
        if request.method == "POST" and object_id is None:
            try:
                return changeform_view(request, object_id, form_url, extra_context)
            except IntegrityError:
                # Adds of one title at once (PostgreSQL): each form found the
                # title free, and this INSERT failed once another committed.
                # Validated again, the form says the title is taken.
                return changeform_view(request, object_id, form_url, extra_context)
        if request.method != "POST" or object_id is None or "_saveasnew" in request.POST:
            return changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            # The row lock makes concurrent saves of one article take turns,
            # so each compares against what the previous one wrote.
            article = (
                self.get_queryset(request).select_for_update().filter(pk=unquote(object_id)).first()
            )
            if article is not None and self.has_change_permission(request, article):
                extra_context = change_form.rebase_post(self, request, article, extra_context)
            return changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return change_form.form_with_conflicts(form, request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else change_form.fieldsets_with_base(fieldsets)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and self.has_add_permission(request):
            context["create_related_url"] = create_related.create_related_url(self, obj)
        if change:
            change_form.sign_base(context)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def watch(self, change, pks):
        change.articles(pks)
        change.render(pks)

    def watch_created(self, change, pks):
        change.created(pks)
        change.render(pks)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            # None of the article's own fields changed: no write, so its
            # "updated" time stays unless one of its rows changed (save_related).
            return
        super().save_model(request, obj, form, change)

    def _create_formsets(self, request, obj, change):
        # The references' formset checks the markers of the whole form
        # (articles/admin/citations.py), so it is given the others.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        citations.link_formsets(formsets)
        return formsets, inline_instances

    def save_related(self, request, form, formsets, change):
        # References first: an infobox citation of a new reference needs it.
        super().save_related(request, form, citations.in_saving_order(formsets), change)
        changes = self.construct_change_message(request, form, formsets, not change)
        change_form.article_saved(request=request, form=form, changes=changes, change=change)

    def log_change(self, request, obj, message):
        if change_form.nothing_changed(request) is not None:
            return None
        return super().log_change(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        title = change_form.nothing_changed(request)
        if title is not None and level == messages.SUCCESS:
            message = gettext(
                "Nothing was changed in “%(title)s”: nothing was saved and no revision was made."
            ) % {"title": title}
            level = messages.INFO
        return super().message_user(request, message, level, *args, **kwargs)

    def delete_model(self, request, obj):
        article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article_delete(article=article)

    # --- the add form, prefilled from a "create" link ---

    def add_view(self, request, form_url="", extra_context=None):
        existing = create_related.existing_article_redirect(self, request)
        if existing is not None:
            return existing
        return super().add_view(request, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return create_related.without_prefill_parameters(response)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        return create_related.initial_fields(self, request, initial)

    def get_inline_instances(self, request, obj=None):
        # Django's tabular inline leaves its inputs without labels; ours
        # gives each one (templates/admin/articles/article/edit_inline/).
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if inline.template == admin.TabularInline.template:
                inline.template = TABULAR_TEMPLATE
        return inlines

    def get_formsets_with_inlines(self, request, obj=None):
        rows = create_related.initial_rows(self, request, obj)
        formsets = super().get_formsets_with_inlines(request, obj)
        return create_related.with_room_for_rows(formsets, rows, request, obj)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        initial = create_related.initial_rows(self, request, obj).get(inline.model)
        if initial:
            kwargs["initial"] = initial
        return kwargs
