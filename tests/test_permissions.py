"""Who may open what: a matrix of every admin and public URL against three
roles — an anonymous visitor, an editor (staff, in the "Editors" group made by
articles/migrations/0003_editors_group.py, not a superuser) and a superuser.

Admin URLs are read from the admin site itself (``admin.site.get_urls()`` and
every registered ``ModelAdmin.get_urls()``), so an admin view added later is
checked too; ``test_every_*_url_is_covered`` fail when a URL appears that the
matrix does not know how to request.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.admin_forms import change_form_data

ANONYMOUS, EDITOR, SUPERUSER = "anonymous", "editor", "superuser"
ROLES = (ANONYMOUS, EDITOR, SUPERUSER)

SEED_ARTICLE = "russians-in-afghanistan"

# -- The Editors group -------------------------------------------------------

# Exactly what the migration grants, as (app label, codename). Editors add,
# change and view the encyclopedia's content and delete only the rows inside an
# article (and a person's aliases): articles, people, places, languages,
# religions and tags are deleted by superusers only.
_ROWS = (
    "section", "seealso", "infoboxrow", "populationplace", "articlelanguage",
    "articlereligion", "populationfigure", "personmention", "placemention",
    "relatedgroup", "articlereference", "citation", "interlanguagelink",
)
EDITOR_PERMISSIONS = frozenset(
    {("articles", f"{action}_{model}")
     for model in ("article", "language", "religion", "source")
     for action in ("add", "change", "view")}
    | {("articles", f"{action}_{model}") for model in _ROWS
       for action in ("add", "change", "delete", "view")}
    | {("people", f"{action}_{model}") for model in ("person", "place")
       for action in ("add", "change", "view")}
    | {("people", f"{action}_alias") for action in ("add", "change", "delete", "view")}
    | {("taggit", f"{action}_tag") for action in ("add", "change", "view")}
    | {("reversion", "view_version"), ("reversion", "view_revision")}
)


def test_editors_group_has_exactly_the_expected_permissions(db):
    group = Group.objects.get(name="Editors")
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert granted == EDITOR_PERMISSIONS
    assert len(granted) == len(EDITOR_PERMISSIONS) == 79


def test_editors_group_has_no_auth_permissions(db):
    group = Group.objects.get(name="Editors")
    assert not group.permissions.filter(content_type__app_label="auth").exists()
    assert not group.permissions.filter(codename__startswith="delete_", content_type__model__in=[
        "article", "person", "place", "language", "religion", "tag",
    ]).exists()


def test_editors_group_migration_is_idempotent(db):
    """Running the migration's function again (on a database that already has
    the group and every permission) changes nothing."""
    import importlib
    from types import SimpleNamespace

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("articles.migrations.0003_editors_group")
    state_apps = MigrationLoader(connection).project_state(
        ("articles", "0003_editors_group"), at_end=True
    ).apps
    before = set(Group.objects.get(name="Editors").permissions.values_list("pk", flat=True))
    permissions = Permission.objects.count()

    migration.create_editors_group(state_apps, SimpleNamespace(connection=connection))

    assert Group.objects.filter(name="Editors").count() == 1
    after = set(Group.objects.get(name="Editors").permissions.values_list("pk", flat=True))
    assert after == before
    assert Permission.objects.count() == permissions


# -- Users and clients -------------------------------------------------------


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", "editor@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw")


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def client_as(client, editor, superuser):
    def login(role: str):
        if role == EDITOR:
            client.force_login(editor)
        elif role == SUPERUSER:
            client.force_login(superuser)
        return client

    return login


def test_editor_is_staff_but_not_superuser(editor):
    assert editor.is_staff and not editor.is_superuser
    assert editor.has_perm("articles.change_article")
    assert not editor.has_perm("articles.delete_article")
    assert not editor.has_perm("auth.view_user")


# -- Expectations --------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """What a GET gives: a status and, for redirects, where to."""

    status: int
    location: str | None = None  # the Location, or "login" / "change" (see below)


OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = Expect(200), Expect(403), Expect(404), Expect(405)
TO_LOGIN = Expect(302, "login")  # the admin login page, ?next= the URL asked for
TO_ADMIN_INDEX = Expect(302, "/admin/")
TO_CHANGE_PAGE = Expect(302, "change")  # the object's change page


def assert_response(response, expected: Expect, url: str) -> None:
    assert response.status_code == expected.status, (
        f"GET {url}: expected {expected.status}, got {response.status_code}"
    )
    if expected.location is None:
        return
    location = response["Location"]
    if expected == TO_LOGIN:
        parts = urlsplit(location)
        assert parts.path == reverse("admin:login"), location
        assert parse_qs(parts.query) == {"next": [url]}, location
    else:
        assert location == expected.location, f"GET {url}: redirected to {location}"


def _editor_may(model, action: str) -> bool:
    codename = f"{action}_{model._meta.model_name}"
    return (model._meta.app_label, codename) in EDITOR_PERMISSIONS


# -- Admin: site-wide views -----------------------------------------------------


@dataclass(frozen=True)
class AdminCase:
    id: str
    expected: dict  # role -> Expect
    url_name: str | None = None  # admin:<name>, reversed with kwargs
    kwargs: tuple = ()
    path: str | None = None  # a literal path instead of a URL name
    route: str | None = None  # an unnamed ModelAdmin route, under the model's admin root
    query: str = ""
    model: str | None = None  # "app_label.model_name": needs an object's pk
    object_kwarg: str | None = None
    arguments: object = None  # f(object) -> (more kwargs, query string)


def _app_labels() -> list[str]:
    return sorted({model._meta.app_label for model in admin.site._registry})


def _editor_sees_app(app_label: str) -> bool:
    return any(
        _editor_may(model, "view") or _editor_may(model, "change")
        for model in admin.site._registry
        if model._meta.app_label == app_label
    )


SITE_VIEW_NAMES = {
    "index", "login", "logout", "password_change", "password_change_done",
    "autocomplete", "jsi18n", "view_on_site", "app_list",
}


def site_cases() -> list[AdminCase]:
    everyone_staff = {ANONYMOUS: TO_LOGIN, EDITOR: OK, SUPERUSER: OK}
    cases = [
        AdminCase("index", everyone_staff, "index"),
        # The login page itself; logged-in staff are sent on to the index.
        AdminCase("login", {ANONYMOUS: OK, EDITOR: TO_ADMIN_INDEX, SUPERUSER: TO_ADMIN_INDEX},
                  "login"),
        # Logging out takes a POST; a GET changes nothing.
        AdminCase("logout", {ANONYMOUS: TO_ADMIN_INDEX, EDITOR: NOT_ALLOWED,
                             SUPERUSER: NOT_ALLOWED}, "logout"),
        AdminCase("password_change", everyone_staff, "password_change"),
        AdminCase("password_change_done", everyone_staff, "password_change_done"),
        AdminCase("jsi18n", everyone_staff, "jsi18n"),
        # The host country field's autocomplete asks for places.
        AdminCase("autocomplete", everyone_staff, "autocomplete",
                  query="app_label=articles&model_name=article&field_name=host_country&term=Afg"),
        # "View on site": the admin's redirect to the seed article's page.
        AdminCase("view_on_site",
                  {ANONYMOUS: TO_LOGIN,
                   EDITOR: Expect(302, f"http://testserver/wiki/{SEED_ARTICLE}/"),
                   SUPERUSER: Expect(302, f"http://testserver/wiki/{SEED_ARTICLE}/")},
                  "view_on_site", model="articles.article", object_kwarg="object_id"),
        # The catch-all: unknown admin addresses are 404 once logged in.
        AdminCase("unknown-page", {ANONYMOUS: TO_LOGIN, EDITOR: NOT_FOUND, SUPERUSER: NOT_FOUND},
                  path="/admin/no-such-page/"),
    ]
    for app_label in _app_labels():
        # An app none of whose models the user may see is "not found".
        editor = OK if _editor_sees_app(app_label) else NOT_FOUND
        cases.append(AdminCase(f"app_list-{app_label}",
                               {ANONYMOUS: TO_LOGIN, EDITOR: editor, SUPERUSER: OK},
                               "app_list", kwargs=(("app_label", app_label),)))
    return cases


# -- Admin: each registered model's views ---------------------------------------

STANDARD_VIEWS = ("changelist", "add", "history", "delete", "change")
OBJECT_KWARGS = {"object_id", "id", "pk"}

# Patterns of a ModelAdmin.get_urls() that take arguments other than one
# object id (or need a query string) are requested only when
# EXTRA_URL_ARGUMENTS says how to fill them in; the others are left out and
# listed in SKIPPED_MODEL_ADMIN_URLS, as "app_label.model_name:route". A pattern
# in neither fails test_every_model_admin_url_is_covered.
#
# The extra URLs requested are:
#   taggit.tag:merge-tags/                                     no arguments
#   auth.user:<id>/password/                                   an object id
#   articles.article:import/                                   no arguments
#   articles.article:<path:object_id>/history/compare/         + ?a=&b= revisions
#   articles.article:<path:object_id>/history/<int:revision_id>/revert/
#                                                              + a revision id
#   articles.article:<path:object_id>/section/<str:anchor>/    + a section's anchor
#   articles.article:<path:object_id>/section/<str:anchor>/preview/
#                                                              + a section's anchor
#
# Skipped: an import job's page (a job id, not an object id): who may see
# which job is tested in tests/articles/test_admin_import_jobs.py.
SKIPPED_MODEL_ADMIN_URLS: frozenset[str] = frozenset({"articles.article:import/<int:job_id>/"})


def _two_revisions(article) -> tuple[int, int]:
    """Two revisions of the article, as the admin records them on each save."""
    import reversion
    from reversion.models import Version

    for comment in ("First", "Second"):
        with reversion.create_revision(manage_manually=True):
            reversion.add_to_revision(article)
            reversion.set_comment(comment)
    newest, older = Version.objects.get_for_object(article)[:2]
    return older.revision_id, newest.revision_id


def _compare_arguments(article) -> tuple[dict, str]:
    old, new = _two_revisions(article)
    return {}, f"a={old}&b={new}"


def _revert_arguments(article) -> tuple[dict, str]:
    old, _ = _two_revisions(article)
    return {"revision_id": old}, ""


def _section_arguments(article) -> tuple[dict, str]:
    from articles.models import Section
    from articles.selectors import anchored_sections

    Section.objects.create(article=article, heading="History", body="Since 1920.", position=1)
    first = anchored_sections(list(article.sections.all()))[0]
    return {"anchor": first.anchor}, ""


# "label:route" -> f(object) giving (URL kwargs besides the object id, query).
EXTRA_URL_ARGUMENTS = {
    "articles.article:<path:object_id>/history/compare/": _compare_arguments,
    "articles.article:<path:object_id>/history/<int:revision_id>/revert/": _revert_arguments,
    "articles.article:<path:object_id>/section/<str:anchor>/": _section_arguments,
    "articles.article:<path:object_id>/section/<str:anchor>/preview/": _section_arguments,
}

# What staff get from an extra (non-standard) admin URL, where it is not simply
# "200 if they may view the model, else 403" for an editor and 200 for a
# superuser. Keyed "label:route".
EXTRA_URL_EDITOR_EXPECTATIONS: dict[str, Expect] = {}
# The previews take a POST of the form: a GET goes back to the form.
EXTRA_URL_STAFF_EXPECTATIONS: dict[str, Expect] = {
    "articles.article:<path:object_id>/preview/": TO_CHANGE_PAGE,
    "articles.article:<path:object_id>/section/<str:anchor>/preview/": Expect(302, "section"),
}


def _params(pattern: URLPattern) -> set[str]:
    return set(getattr(pattern.pattern, "converters", {}) or {})


def model_admin_patterns():
    """(model, model_admin, pattern) for every URL every ModelAdmin serves."""
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.get_urls():
            yield model, model_admin, pattern


def _route_key(model, pattern) -> str:
    return f"{model._meta.label_lower}:{pattern.pattern}"


def _classify(model, pattern) -> str:
    """"standard-<view>", "redirect", "extra" or "skip"."""
    info = f"{model._meta.app_label}_{model._meta.model_name}"
    for view in STANDARD_VIEWS:
        if pattern.name == f"{info}_{view}":
            return f"standard-{view}"
    params = _params(pattern)
    if pattern.name is None and str(pattern.pattern) == "<path:object_id>/":
        return "redirect"  # The old change URL, kept as a redirect.
    if not isinstance(pattern, URLPattern) or not hasattr(pattern.pattern, "converters"):
        return "skip"  # A regex or an include: nothing to request.
    if not params or (len(params) == 1 and params <= OBJECT_KWARGS):
        return "extra"
    if _route_key(model, pattern) in EXTRA_URL_ARGUMENTS and params & OBJECT_KWARGS:
        return "extra"
    return "skip"


def model_cases() -> list[AdminCase]:
    cases = []
    for model, model_admin, pattern in model_admin_patterns():
        kind = _classify(model, pattern)
        if kind == "skip":
            continue
        label = model._meta.label_lower
        params = _params(pattern)
        object_kwarg = next(iter(sorted(params & OBJECT_KWARGS)), None)
        if kind == "redirect":
            expected = {ANONYMOUS: TO_LOGIN, EDITOR: TO_CHANGE_PAGE, SUPERUSER: TO_CHANGE_PAGE}
            case_id, name = f"{label}-redirect-to-change", None
        elif kind.startswith("standard-"):
            view = kind.removeprefix("standard-")
            if view == "add":
                allowed = _editor_may(model, "add")
            elif view == "delete":
                allowed = _editor_may(model, "delete")
            else:  # changelist, change, history: viewing is enough.
                allowed = _editor_may(model, "view") or _editor_may(model, "change")
            expected = {ANONYMOUS: TO_LOGIN, EDITOR: OK if allowed else FORBIDDEN,
                        SUPERUSER: OK}
            case_id, name = f"{label}-{view}", pattern.name
        else:
            key = _route_key(model, pattern)
            editor = EXTRA_URL_EDITOR_EXPECTATIONS.get(key)
            if editor is None:
                editor = OK if _editor_may(model, "view") else FORBIDDEN
            superuser = OK
            if key in EXTRA_URL_STAFF_EXPECTATIONS:
                editor = superuser = EXTRA_URL_STAFF_EXPECTATIONS[key]
            expected = {ANONYMOUS: TO_LOGIN, EDITOR: editor, SUPERUSER: superuser}
            prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
            short = (pattern.name or str(pattern.pattern)).removeprefix(prefix)
            case_id, name = f"{label}-{short}", pattern.name
        cases.append(AdminCase(
            case_id, expected,
            url_name=name,
            route=None if name else str(pattern.pattern),
            model=label if object_kwarg or not name else None,
            object_kwarg=object_kwarg,
            arguments=EXTRA_URL_ARGUMENTS.get(_route_key(model, pattern)),
        ))
    return cases


ADMIN_CASES = site_cases() + model_cases()
ADMIN_PARAMS = [
    pytest.param(case, role, id=f"{case.id}-{role}") for case in ADMIN_CASES for role in ROLES
]


def test_every_admin_site_url_is_covered():
    names = {p.name for p in admin.site.get_urls() if isinstance(p, URLPattern) and p.name}
    unknown = names - SITE_VIEW_NAMES
    assert not unknown, f"admin site URLs the permission matrix does not request: {unknown}"


def test_every_model_admin_url_is_covered():
    skipped = {
        _route_key(model, pattern)
        for model, _, pattern in model_admin_patterns()
        if _classify(model, pattern) == "skip"
    }
    assert skipped == set(SKIPPED_MODEL_ADMIN_URLS), (
        "ModelAdmin URLs with arguments other than an object id: list them in "
        f"SKIPPED_MODEL_ADMIN_URLS (or teach the matrix to request them): {skipped}"
    )
    covered = {case.id for case in ADMIN_CASES}
    for model in admin.site._registry:
        for view in (*STANDARD_VIEWS, "redirect-to-change"):
            assert f"{model._meta.label_lower}-{view}" in covered


def test_matrix_expects_what_editors_are_for():
    """The expectations derived from EDITOR_PERMISSIONS, spelt out: editors
    work on content but delete none of it, and never reach users or groups."""
    cases = {case.id: case.expected[EDITOR] for case in ADMIN_CASES}
    for label in ("articles.article", "articles.language", "articles.religion",
                  "people.person", "people.place", "taggit.tag"):
        for view in ("changelist", "add", "change", "history"):
            assert cases[f"{label}-{view}"] == OK, (label, view)
        assert cases[f"{label}-delete"] == FORBIDDEN, label
    for label in ("auth.user", "auth.group"):
        for view in STANDARD_VIEWS:
            assert cases[f"{label}-{view}"] == FORBIDDEN, (label, view)
    assert cases["auth.user-password_change"] == FORBIDDEN
    assert cases["app_list-auth"] == NOT_FOUND


def _admin_object(label: str, editor: User):
    """A real object for the change, history and delete pages."""
    if label == "articles.article":
        return apps.get_model(label).objects.get(slug=SEED_ARTICLE)
    if label == "auth.user":
        return editor
    if label == "auth.group":
        return Group.objects.get(name="Editors")
    if label == "articles.source":
        return _seed_source()
    model = apps.get_model(label)
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        pytest.fail(f"no {label} in fixtures/seed.json: give _admin_object a factory for it")
    return obj


def admin_url(case: AdminCase, editor: User) -> tuple[str, object]:
    obj = _admin_object(case.model, editor) if case.object_kwarg else None
    kwargs = dict(case.kwargs)
    if case.url_name == "view_on_site":
        kwargs = {"content_type_id": ContentType.objects.get_for_model(obj).pk,
                  "object_id": obj.pk}
    elif obj is not None:
        kwargs[case.object_kwarg] = quote(obj.pk)
    query = case.query
    if case.arguments is not None:
        more, query = case.arguments(obj)
        kwargs.update(more)
    if case.url_name:
        url = reverse(f"admin:{case.url_name}", kwargs=kwargs)
    elif case.route is not None:
        # An unnamed ModelAdmin pattern: the model's admin root plus its route.
        app_label, model_name = case.model.split(".")
        root, route = reverse(f"admin:{app_label}_{model_name}_changelist"), case.route
        for key, value in kwargs.items():
            route = route.replace(f"<path:{key}>", str(value)).replace(f"<{key}>", str(value))
        url = root + route
    else:
        url = case.path
    if query:
        url = f"{url}?{query}"
    return url, obj


@pytest.mark.parametrize(("case", "role"), ADMIN_PARAMS)
def test_admin_url(case, role, seed_fixture, client_as, editor):
    client = client_as(role)
    url, obj = admin_url(case, editor)
    expected = case.expected[role]
    if expected == TO_CHANGE_PAGE:
        info = obj._meta.app_label, obj._meta.model_name
        expected = Expect(302, reverse("admin:%s_%s_change" % info, args=[quote(obj.pk)]))
    elif expected == Expect(302, "section"):  # the section form the preview belongs to
        expected = Expect(302, url.removesuffix("preview/"))
    response = client.get(url)
    assert_response(response, expected, url)


# -- Public pages ---------------------------------------------------------------

PUBLIC_URLS = [
    # (id, path, URL name it exercises)
    ("home", "/", "home"),
    ("article-index", "/articles/", "article-index"),
    ("article-detail", f"/wiki/{SEED_ARTICLE}/", "article-detail"),
    ("person-detail", "/people/noor-mohammad/", "person-detail"),
    ("place-detail", "/places/kabul/", "place-detail"),
    ("tag-detail", "/tags/russian-diaspora/", "tag-detail"),
    ("language-detail", "/languages/russian/", "language-detail"),
    ("religion-detail", "/religions/sunni-islam/", "religion-detail"),
    ("search", "/search/?q=Kabul", "search"),
    ("source-index", "/sources/", "source-index"),
    ("source-detail", "/sources/russians-today/", "source-detail"),
    ("sitemap", "/sitemap.xml", "sitemap"),
    ("sitemap-pages", "/sitemap-pages.xml", "sitemap-section"),
    ("sitemap-articles", "/sitemap-articles.xml", "sitemap-section"),
    ("sitemap-people", "/sitemap-people.xml", "sitemap-section"),
    ("sitemap-places", "/sitemap-places.xml", "sitemap-section"),
    ("feed", "/feed/", "article-feed"),
    ("article-json", f"/api/articles/{SEED_ARTICLE}/", "article-json"),
    ("robots", "/robots.txt", "robots"),
    ("person-index", "/people/", "person-index"),
    ("place-index", "/places/", "place-index"),
    ("tag-index", "/tags/", "tag-index"),
    ("languages-index", "/languages/", "languages-index"),
    ("religions-index", "/religions/", "religions-index"),
    ("article-links", f"/wiki/{SEED_ARTICLE}/links/", "article-links"),
]
# Addresses that send the reader on (the Location is tested where each is built).
PUBLIC_REDIRECTS = [
    ("wiki-address", "/wiki/Russians_in_Afghanistan/", "wiki-address", 301),
    ("wiki-address-bare", "/wiki/Russians_in_Afghanistan", "wiki-address-bare", 301),
    ("random-article", "/random/", "random-article", 302),
    ("favicon", "/favicon.ico", "favicon", 302),
]
PUBLIC_NOT_FOUND = [
    ("wiki-unknown", "/wiki/nope/"),
    ("person-unknown", "/people/nope/"),
    ("place-unknown", "/places/nope/"),
    ("tag-unknown", "/tags/nope/"),
    ("language-unknown", "/languages/nope/"),
    ("religion-unknown", "/religions/nope/"),
    ("article-json-unknown", "/api/articles/nope/"),
    ("source-unknown", "/sources/nope/"),
    ("sitemap-unknown-section", "/sitemap-nope.xml"),
]


def _seed_source():
    """A source the seed article cites (fixtures/seed.json has none)."""
    from tests.factories import ArticleReferenceFactory, SourceFactory

    source = SourceFactory(title="Russians in Afghanistan today", slug="russians-today")
    article = apps.get_model("articles.article").objects.get(slug=SEED_ARTICLE)
    ArticleReferenceFactory(article=article, source=source, key="today")
    return source


def _public_url_names(patterns=None, namespace=None) -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            names |= _public_url_names(pattern.url_patterns, pattern.namespace)
        elif pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_public_url_is_covered():
    covered = {name for _, _, name in PUBLIC_URLS} | {name for _, _, name, _ in PUBLIC_REDIRECTS}
    missing = _public_url_names() - covered
    assert not missing, f"public URLs the permission matrix does not request: {missing}"


def test_public_sitemap_sections_are_covered():
    from articles.sitemaps import SITEMAPS

    covered = {path for _, path, _ in PUBLIC_URLS}
    for section in SITEMAPS:
        assert f"/sitemap-{section}.xml" in covered


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "name"), [
    pytest.param(path, name, id=case_id) for case_id, path, name in PUBLIC_URLS
])
def test_public_url(path, name, role, seed_fixture, client_as):
    if name == "source-detail":
        _seed_source()
    response = client_as(role).get(path)
    assert response.status_code == 200, f"GET {path} as {role}: {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "status"), [
    pytest.param(path, status, id=case_id) for case_id, path, _, status in PUBLIC_REDIRECTS
])
def test_public_redirect(path, status, role, seed_fixture, client_as):
    response = client_as(role).get(path)
    assert response.status_code == status, f"GET {path} as {role}: {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", [
    pytest.param(path, id=case_id) for case_id, path in PUBLIC_NOT_FOUND
])
def test_public_unknown_url(path, role, seed_fixture, client_as):
    response = client_as(role).get(path)
    assert response.status_code == 404, f"GET {path} as {role}: {response.status_code}"


# Drafts: editors (articles.view_article, from the Editors group) and
# superusers preview them on the public page; readers get 404.
@pytest.mark.parametrize(("role", "status"), [
    pytest.param(ANONYMOUS, 404, id="anonymous"),
    pytest.param(EDITOR, 200, id="editor"),
    pytest.param(SUPERUSER, 200, id="superuser"),
])
def test_draft_article_page(role, status, client_as):
    from articles.models import Article
    from tests.factories import ArticleFactory

    draft = ArticleFactory(title="Greeks in Afghanistan", status=Article.Status.DRAFT)
    response = client_as(role).get(f"/wiki/{draft.slug}/")
    assert response.status_code == status


# -- Writing through the admin --------------------------------------------------


def test_editor_saves_the_seed_article(seed_fixture, editor_client):
    url = reverse("admin:articles_article_change", args=[seed_fixture.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    data = change_form_data(page)
    data["group_name"] = "Russian Afghans"

    response = editor_client.post(url, data)

    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    assert response["Location"] == reverse("admin:articles_article_changelist")
    seed_fixture.refresh_from_db()
    assert seed_fixture.group_name == "Russian Afghans"


def test_editor_deletes_an_alias_inline(seed_fixture, editor_client):
    """Deleting a row inside a page is editing: the inline's delete box works."""
    from people.models import Person

    person = Person.objects.filter(aliases__isnull=False).order_by("pk").first()
    aliases = person.aliases.count()
    url = reverse("admin:people_person_change", args=[person.pk])
    page = editor_client.get(url)
    data = change_form_data(page)
    assert "aliases-0-DELETE" not in data  # a box, unticked
    data["aliases-0-DELETE"] = "on"

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert person.aliases.count() == aliases - 1


def test_editor_cannot_delete_the_seed_article(seed_fixture, editor_client):
    url = reverse("admin:articles_article_delete", args=[seed_fixture.pk])
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 403
    assert type(seed_fixture).objects.filter(pk=seed_fixture.pk).exists()


def test_editor_cannot_add_a_user(editor_client):
    users = User.objects.count()
    response = editor_client.post(
        reverse("admin:auth_user_add"),
        {"username": "intruder", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!",
         "usable_password": "true"},
    )
    assert response.status_code == 403
    assert User.objects.count() == users


def test_editor_cannot_change_a_group(editor_client):
    group = Group.objects.get(name="Editors")
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = editor_client.post(url, {"name": "Editors", "permissions": []})
    assert response.status_code == 403
    assert group.permissions.count() == len(EDITOR_PERMISSIONS)
