"""Settings for every environment, read from the environment.

DJANGO_SECRET_KEY   required unless DJANGO_DEBUG is on
DJANGO_DEBUG        "1"/"true"/"yes" turns debug on (off by default)
DJANGO_ALLOWED_HOSTS comma-separated host names (default: localhost names)
DATABASE_URL        e.g. postgres://user@127.0.0.1:5432/encyclopedia
                    (default: SQLite file db.sqlite3 in the project)
REDIS_URL           e.g. redis://127.0.0.1:6379/0 selects the Redis cache
DJANGO_CACHE_DIR    the file cache's folder without Redis (default: var/cache/)
DJANGO_PAGE_CACHE   "0" turns the page cache of public pages off (default on)
DJANGO_PAGE_CACHE_LOCAL_MB  MiB of pages each process also keeps in memory (64)
DJANGO_SHARED_MAX_AGE seconds a shared cache (Varnish, a CDN) may keep a public
                    page: its s-maxage (default 86400; edits purge it sooner)
DJANGO_PURGE_URLS   comma-separated Varnish addresses that each write purges by
                    key, e.g. http://127.0.0.1:6081 (default: none, no purging)
DJANGO_STATIC_ROOT  where collectstatic writes (default: staticfiles/ in the project)

Production security (all on when DJANGO_DEBUG is off; see the end of this file):
DJANGO_SECURE_SSL_REDIRECT   "0" stops redirecting http to https (default on)
DJANGO_BEHIND_TLS_PROXY      "1" trusts X-Forwarded-Proto: https from the proxy
DJANGO_SECURE_HSTS_SECONDS   HSTS max-age (default one year; "0" turns HSTS off)
DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS, DJANGO_SECURE_HSTS_PRELOAD  (default on)
DJANGO_SECURE_COOKIES        "0" allows the session/CSRF cookies over http
DJANGO_AXES_FAILURE_LIMIT    failed admin logins before a lockout (default 5)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "encyclopedia.apps.TagsConfig",  # django-taggit, headed "Tags" in the admin
    "reversion",
    "articles",
    "people",
    # Site-wide infrastructure (the page cache); after the content apps,
    # whose tables it watches.
    "encyclopedia.apps.EncyclopediaConfig",
    "csp",
    "axes",
]

MIDDLEWARE = [
    # First: a cached page is answered before anything else runs, and a page
    # is stored as the whole stack below finished it (see encyclopedia.pagecache).
    "encyclopedia.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language is the address's prefix (/ru/, /fa-af/, /ps/;
    # none for English), never a cookie or Accept-Language: every address
    # is one page in one language, so it can be cached (encyclopedia.locale).
    "encyclopedia.locale.PathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a lockout into its 429 response.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks for a lockout before any other backend authenticates.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the permissions in one query instead of two.
    "encyclopedia.auth.PermissionsBackend",
]

# Sessions read from the cache (Redis in production), written through to
# the database: a signed-in editor's request reads no session row.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

ROOT_URLCONF = "encyclopedia.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "encyclopedia.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins, so two saves of
    # one article run one after the other (PostgreSQL uses row locks).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

# The cache holds the page cache's pages and its generation (encyclopedia.pagecache),
# which every process that writes content or serves pages must share: Redis
# when REDIS_URL is set (several app servers), otherwise files in
# DJANGO_CACHE_DIR, shared by all processes of one machine (gunicorn's
# workers, manage.py commands). A per-process cache would serve stale pages.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = os.environ.get("DJANGO_CACHE_DIR") or str(BASE_DIR / "var" / "cache")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            # Every set lists the folder to decide whether to cull: room for
            # the pages of a small site without making a store slow.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# The whole-page cache of public pages for anonymous readers (encyclopedia.pagecache).
# DJANGO_PAGE_CACHE=0 turns it off: every request renders the page (for
# measuring the uncached site, or ruling the cache out while debugging).
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)
# Each process keeps its most read pages in memory as well (served while
# their keys' versions are current, without asking Redis): this many bytes
# of page bodies per process (gunicorn worker).
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("DJANGO_PAGE_CACHE_LOCAL_MB", "64")) * 1024 * 1024
# The keys of a public page, from its address: what a write purges it by
# (articles.dependencies).
PAGE_KEYS = "articles.dependencies.page_keys"
# The reader's page at an address, from what was stored when it was written,
# answered before Django's middleware when the page cache misses
# (encyclopedia.fastpath).
STORED_PAGES = "articles.rendered.reader_page"

# The shared cache in front of the app servers (deploy/varnish.vcl). Anonymous
# pages say how long Varnish may keep them (s-maxage): long, because every
# write purges the pages it touched by key on each address in PURGE_URLS
# (encyclopedia.purge). The lifetime matters only when a purge is lost (a
# Varnish unreachable while an editor saves): then it bounds the staleness.
PAGE_SHARED_MAX_AGE = int(os.environ.get("DJANGO_SHARED_MAX_AGE") or 24 * 60 * 60)
PURGE_URLS = env_list("DJANGO_PURGE_URLS", [])

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface languages, each named in itself (the switcher shows these).
# Dari is fa-AF (BCP 47; Django's code is lower case, its locale fa_AF
# falls back to Django's own fa for the admin's strings); Pashto is ps,
# which Django has no locale for: encyclopedia.locale adds its details.
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("fa-af", "دری"),
    ("ps", "پښتو"),
]
LANGUAGES_BIDI = [*global_settings.LANGUAGES_BIDI, "ps"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TAGGIT_CASE_INSENSITIVE = True

# Imports read whole files into memory; larger uploads are refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 200

# --- Security -----------------------------------------------------------------
# Production (DEBUG off) gets https-only cookies, HSTS and a redirect to https;
# each can be turned off from the environment where a deployment needs it
# (e.g. DJANGO_SECURE_SSL_REDIRECT=0 when the proxy already redirects).
PRODUCTION = not DEBUG

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
if env_bool("DJANGO_BEHIND_TLS_PROXY"):
    # Only behind a proxy that sets (and strips from clients) this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS") or (365 * 24 * 60 * 60 if PRODUCTION else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
# No page script reads the CSRF cookie (forms carry the token in a field).
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): no inline or foreign script anywhere.
# Styles allow 'unsafe-inline' because the admin's own templates
# (templates/admin/, and Django's) use <style> blocks and style attributes and
# django-csp has no per-path policy; public pages have no inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# django-axes: after 5 failed admin logins for one username from one address,
# that pair is locked out for an hour (429); a success clears the count.
# Attempts are recorded in the database, so several app servers share them.
# Behind a proxy every client has the proxy's REMOTE_ADDR: the username half
# of the key still throttles guessing one account's password.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The 429 page: the admin's look, how long the lockout lasts, how to lift it.
AXES_LOCKOUT_CALLABLE = "encyclopedia.lockout.lockout_response"
# Lockouts are managed from the command line, not the admin:
#   manage.py axes_list_attempts / axes_reset_username NAME / axes_reset
# (registering axes' models in the admin would also need cases for them in
# the admin permission matrix, tests/test_permissions.py).
AXES_ENABLE_ADMIN = False
