"""A save whose session expired keeps its text.

The admin answers a POST without a valid staff session with a redirect to
its login page, and the browser drops the posted form: an editor whose
session ran out while writing lost what they wrote. Here such a POST of the
article's add or change form is answered by a login form that carries the
posted fields along (hidden, escaped by the template, size-limited), posted
back to the same address. When the credentials are good the editor is
logged in and the very same request goes on to the change form's view, so
the save takes the normal path: its base still travels with it, and what
another editor saved meanwhile is merged (``change_form.rebase_post``).

Wagtail keeps the page editor's text the same way in spirit (its issues
#995 and #2199): the form is never replaced by a bare login page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

LOGIN_PREFIX = "_login"
# Above this the posted fields are not carried: the login page would be as
# large as the form, and Django's own DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
# bounds the POST anyway. The editor's draft in the browser still has them.
CARRIED_MAX_CHARS = 2_000_000
TEMPLATE = "admin/articles/article/session_expired.html"


def carried_fields(request: HttpRequest) -> list[tuple[str, str]] | None:
    """The posted fields to carry through the login, in order; None when
    they are too many characters to carry."""
    skipped = {"csrfmiddlewaretoken", f"{LOGIN_PREFIX}-username", f"{LOGIN_PREFIX}-password"}
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in skipped
        for value in values
    ]
    if sum(len(name) + len(value) for name, value in fields) > CARRIED_MAX_CHARS:
        return None
    return fields


def keeping_post(admin_site, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` (already wrapped by ``admin_site.admin_view``), except that a
    POST without a staff session gets the login form with its fields."""

    @never_cache
    @csrf_protect
    def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST" or admin_site.has_permission(request):
            return view(request, *args, **kwargs)
        fields = carried_fields(request)
        if fields is None:
            return view(request, *args, **kwargs)  # the admin's redirect to its login
        form = AuthenticationForm(
            request, data=request.POST if f"{LOGIN_PREFIX}-username" in request.POST else None,
            prefix=LOGIN_PREFIX,
        )
        if form.is_bound and form.is_valid():
            auth_login(request, form.get_user())
            if admin_site.has_permission(request):
                # The CSRF check of this request is done (csrf_protect above):
                # the view's own check is skipped, and login() rotated the
                # token, which the answer's cookie carries.
                return view(request, *args, **kwargs)
        context = {
            **admin_site.each_context(request),
            "title": gettext("Log in to save"),
            "form": form,
            "carried": fields,
            "app_path": request.get_full_path(),
            "not_staff": request.user.is_authenticated,
        }
        return TemplateResponse(request, TEMPLATE, context)

    return inner
