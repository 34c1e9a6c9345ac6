"""The page django-axes answers a locked-out admin login with."""

from __future__ import annotations

from axes.conf import settings as axes_settings
from axes.helpers import get_client_username, get_cool_off
from django.contrib import admin
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a page in the admin's look that says how long
    the lockout lasts and how an administrator lifts it."""
    cool_off = get_cool_off(request)
    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": gettext("Too many failed logins"),
        "username": get_client_username(request, credentials) or "",
        "failure_limit": axes_settings.AXES_FAILURE_LIMIT,
        "cool_off": timesince(now - cool_off, now) if cool_off else "",
    }
    # Rendered at once: axes returns it from the middleware, past the
    # point where a TemplateResponse would be rendered.
    return render(
        request, "admin/lockout.html", context, status=axes_settings.AXES_HTTP_RESPONSE_CODE
    )
