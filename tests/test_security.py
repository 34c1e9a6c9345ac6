"""Production security: settings, response headers, the Content-Security-Policy
(django-csp), admin login throttling (django-axes) and the 404/500 pages."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {"DJANGO_SECRET_KEY": "s" * 50, "DJANGO_ALLOWED_HOSTS": "example.org"}

SECURITY_SETTINGS = (
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_PROXY_SSL_HEADER",
)


def production_settings(env: dict[str, str]) -> dict:
    """The security settings encyclopedia.settings gives in a fresh process."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "encyclopedia.settings", **env},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- Settings -----------------------------------------------------------------


def test_production_turns_every_protection_on():
    values = production_settings(PRODUCTION_ENV)
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 60 * 60,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "SECURE_PROXY_SSL_HEADER": None,  # only trusted behind a proxy, on request
    }


def test_deployments_can_override_redirect_hsts_cookies_and_trust_a_proxy():
    values = production_settings({
        **PRODUCTION_ENV,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "3600",
        "DJANGO_SECURE_HSTS_PRELOAD": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_BEHIND_TLS_PROXY": "1",
    })
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_debug_runs_over_plain_http():
    values = production_settings({"DJANGO_DEBUG": "1"})
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is False


def test_the_test_settings_speak_plain_http():
    assert settings.DEBUG is False
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SESSION_COOKIE_SECURE is False
    assert settings.CSRF_COOKIE_SECURE is False


# -- Headers and the Content-Security-Policy ------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class _Inline(HTMLParser):
    """Script elements that would run (no src, JavaScript type) and inline styles."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[dict] = []
        self.scripts: list[dict] = []
        self.style_attributes: list[str] = []
        self.style_elements = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.style_attributes.append(tag)
        if tag == "style":
            self.style_elements += 1
        if tag == "script":
            self.scripts.append(attributes)
            script_type = (attributes.get("type") or "text/javascript").lower()
            runs = script_type in {"text/javascript", "module", "application/javascript"}
            if runs and not attributes.get("src"):
                self.inline_scripts.append(attributes)
        if any(name.startswith("on") for name in attributes):
            self.inline_scripts.append(attributes)


def inline_content(html: str) -> _Inline:
    parser = _Inline()
    parser.feed(html)
    return parser


@pytest.fixture
def public_urls(seed_fixture):
    from people.models import Person, Place

    return [
        reverse("home"),
        reverse("article-index"),
        reverse("search") + "?q=russian",
        seed_fixture.get_absolute_url(),
        Person.objects.first().get_absolute_url(),
        Place.objects.first().get_absolute_url(),
    ]


def test_public_pages_send_a_strict_content_security_policy(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = csp_directives(response)
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-eval'" not in directives["script-src"]
        assert directives["img-src"] == ["'self'", "data:"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert directives["base-uri"] == ["'self'"]
        assert "'self'" in directives["style-src"]


def test_public_pages_have_no_inline_script_or_style(client, public_urls):
    for url in public_urls:
        page = inline_content(client.get(url).content.decode())
        assert page.inline_scripts == [], url
        assert page.style_attributes == [], url
        assert page.style_elements == 0, url


def test_public_pages_send_the_other_security_headers(client, seed_fixture):
    response = client.get(seed_fixture.get_absolute_url())
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_admin_works_under_the_policy(admin_client, seed_fixture):
    """The admin's JavaScript is all external files, so script-src 'self' is
    enough; its pages (and this project's admin templates) carry small inline
    styles, which the policy allows for styles only."""
    urls = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[seed_fixture.pk]),
        reverse("admin:articles_article_add"),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert csp_directives(response)["script-src"] == ["'self'"]
        page = inline_content(response.content.decode())
        assert page.inline_scripts == [], url
        assert page.scripts, url  # the admin does use script, from files
        for script in page.scripts:  # same-origin files ('self')
            if script.get("src"):
                assert script["src"].startswith("/") and not script["src"].startswith("//"), script


def test_admin_login_page_has_no_inline_script(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert inline_content(response.content.decode()).inline_scripts == []


# -- Admin login throttling (django-axes) ------------------------------------------

LOGIN_URL = "/admin/login/?next=/admin/"


@pytest.fixture
def staff(db):
    return User.objects.create_user("staffer", "staffer@example.org", "right-password", is_staff=True)


def post_login(client: Client, password: str, username: str = "staffer", **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_axes_settings():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 3600


def test_a_correct_login_works(client, staff):
    response = post_login(client, "right-password")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert logged_in(client)


def test_a_correct_login_after_four_failures_works(client, staff):
    for _ in range(4):
        response = post_login(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
        assert not logged_in(client)
    response = post_login(client, "right-password")
    assert response.status_code == 302
    assert logged_in(client)


def test_five_failures_lock_the_account_out_even_with_the_right_password(client, staff):
    for _ in range(5):
        post_login(client, "wrong")
    response = post_login(client, "right-password")
    assert response.status_code == 429
    assert b"locked" in response.content.lower()
    assert not logged_in(client)
    # Still locked on the next try, and the admin stays closed.
    assert post_login(client, "right-password").status_code == 429
    assert client.get("/admin/").status_code == 302


def test_the_lockout_page_has_the_admin_look_and_says_how_long_and_how_to_lift_it(
    client, staff
):
    for _ in range(5):
        post_login(client, "wrong")
    response = post_login(client, "wrong")

    assert response.status_code == 429
    html = response.content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert '<link rel="stylesheet" href="/static/admin/css/base' in html  # the admin's look
    assert "Diaspora Encyclopedia" in text  # the admin's header
    assert "Too many failed logins for “staffer” from this address: logging in is locked." in text
    assert "The lockout lasts 1 hour after the last failed attempt" in text
    assert "python manage.py axes_reset_username staffer" in text


def test_the_lockout_is_for_one_username_from_one_address(client, staff):
    User.objects.create_user("other", "other@example.org", "other-password", is_staff=True)
    for _ in range(5):
        post_login(client, "wrong")
    assert post_login(client, "right-password").status_code == 429
    # Another account from the same address, and the same account from another.
    assert post_login(Client(), "other-password", username="other").status_code == 302
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert post_login(elsewhere, "right-password").status_code == 302


def test_a_success_resets_the_count(client, staff):
    for _ in range(4):
        post_login(client, "wrong")
    assert post_login(client, "right-password").status_code == 302
    client.logout()
    for _ in range(4):
        post_login(client, "wrong")
    assert post_login(client, "right-password").status_code == 302


def test_client_login_needs_a_request_under_axes(client, staff):
    """The test client's login() calls authenticate() without a request, which
    axes refuses: tests log in with force_login(), or pass a request."""
    from django.http import HttpRequest

    assert client.login(request=HttpRequest(), username="staffer", password="right-password")
    assert client.get("/admin/").status_code == 200


# -- Error pages --------------------------------------------------------------------


def test_an_unknown_url_gets_the_sites_404_page(client, db):
    response = client.get("/no-such-page/at-all/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'class="site-header"' in html and "/static/css/site.css" in html
    assert "Content-Security-Policy" in response.headers


def test_the_500_page_renders_without_a_request_or_database():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "<h1>Something went wrong</h1>" in html
    assert 'class="site-header"' in html and "/static/css/site.css" in html


def test_a_server_error_gets_the_sites_500_page(db, settings, monkeypatch):
    from articles import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.ArticleListView, "get", broken)
    client = Client(raise_request_exception=False)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()
