"""Settings for the test suite: the real settings with a throwaway key, fast
password hashing and static files served without a collected manifest."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use")

from encyclopedia.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Tests never collect static files; whitenoise finds them in the app folders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# A file, not memory, so that tests with threads (concurrent saves, the live
# server) share one database with real locking; one per test process.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"encyclopedia-test-{os.getpid()}.sqlite3")
    }

# The test client and the live server speak plain http: no redirect to https
# and no https-only cookies here, whatever production does (set explicitly, so
# the suite does not depend on the environment it runs in).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# django-axes stays on (tests/test_security.py checks the lockout). Attempts
# live in the test database, rolled back or flushed after each test, so no test
# inherits another's failures; the caches are cleared per test as well.
AXES_ENABLED = True

# One process: local memory is correct here, and each test clears it. Tests
# that start servers in other processes get the real default (a file cache in
# a folder of their own, or Redis). The page cache's warning about a
# per-process cache is for deployments.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = ["encyclopedia.W001"]
