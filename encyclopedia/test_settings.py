"""Settings for the test suite: the real settings with a throwaway key, fast
password hashing and static files served without a collected manifest."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use")

from encyclopedia.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Tests never collect static files; whitenoise finds them in the app folders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
