"""Deployment: `manage.py check --deploy` is clean with production settings, a
misconfigured WSGI server says why in one line, and the `make serve` stack
(migrate, collectstatic, gunicorn with whitenoise) serves pages and static
files with the production headers.

The missing-key message of `manage.py check` is in tests/test_settings.py."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.servers import GUNICORN, ROOT, Browser, Site, free_port, manage, production_env

SEED_URL = "/wiki/russians-in-afghanistan/"

pytestmark = pytest.mark.slow


def test_check_deploy_is_clean_with_production_settings():
    result = manage(production_env(DJANGO_ALLOWED_HOSTS="example.org"), "check", "--deploy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
    assert "security." not in result.stdout + result.stderr


def test_wsgi_import_without_a_key_fails_in_one_line():
    result = subprocess.run(
        [sys.executable, "-c", "import encyclopedia.wsgi"],
        capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin"}, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: DJANGO_SECRET_KEY is not set.")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_gunicorn_without_a_key_stops_instead_of_restarting_workers(tmp_path):
    """Exit status 4 from a worker is gunicorn's "App failed to load": the
    master shuts down rather than booting workers again and again."""
    result = subprocess.run(
        [str(GUNICORN), "encyclopedia.wsgi", "--bind", f"127.0.0.1:{free_port()}",
         "--workers", "1", "--no-control-socket"],
        capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin"}, timeout=60,
    )
    assert result.returncode == 4
    assert "Configuration error: DJANGO_SECRET_KEY is not set." in result.stderr
    assert "App failed to load" in result.stderr
    assert "Traceback" not in result.stderr


def get(url: str):
    """(status, headers, body) without following redirects."""
    response = Browser("").get(url)
    return response.status, response.headers, response.body


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn as `make serve` runs it, on a free port, over a migrated and
    seeded SQLite file with collected static files; stopped afterwards."""
    site = Site.create(tmp_path_factory.mktemp("serve"))
    assert (site.folder / "static" / "staticfiles.json").exists()
    with site.serve(workers=2) as server:
        yield server.base


def test_gunicorn_serves_pages_and_static_files(served):
    status, headers, body = get(served + "/")
    assert status == 200
    html = body.decode()
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    # Plain http: HSTS is only ever sent over https.
    assert "Strict-Transport-Security" not in headers

    status, headers, body = get(served + SEED_URL)
    assert status == 200
    assert b"Russians in Afghanistan" in body
    assert "Content-Security-Policy" in headers

    # The page links the hashed name, cached for long; the plain name works too.
    hashed = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert hashed, "the page should link the hashed stylesheet"
    status, headers, body = get(served + hashed.group(1))
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]

    status, headers, plain = get(served + "/static/css/site.css")
    assert status == 200
    assert plain == body
    assert "immutable" not in headers.get("Cache-Control", "")


def test_gunicorn_unknown_url_is_the_sites_404(served):
    status, headers, body = get(served + "/no-such-page/")
    assert status == 404
    assert b"<h1>Page not found</h1>" in body
    assert b'class="site-header"' in body


def test_gunicorn_refuses_other_hosts(served):
    assert Browser(served).get("/", headers={"Host": "evil.example"}).status == 400


def test_gunicorn_redirects_to_https_by_default(tmp_path):
    """Without DJANGO_SECURE_SSL_REDIRECT=0 production sends http to https
    (checked with the settings, not a second server: see above for serving)."""
    result = subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from django.test import Client; "
         "r = Client().get('/', HTTP_HOST='127.0.0.1'); print(r.status_code, r['Location'])"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env=production_env(DJANGO_ALLOWED_HOSTS="127.0.0.1",
                           DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "301 https://127.0.0.1/"
