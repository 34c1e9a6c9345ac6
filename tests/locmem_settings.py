"""Production settings with a per-process cache: a configuration that cannot
keep the page cache right, for tests/test_real_server.py."""

from encyclopedia.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
