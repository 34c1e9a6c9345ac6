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
