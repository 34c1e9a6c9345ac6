"""The cache backends the page cache tests run against: local memory, the
file cache (the default without Redis) in a folder of the test's own, and
the Redis at CACHE_TEST_REDIS_URL (default 127.0.0.1:6379/0), each test
with its own key prefix, its keys removed afterwards (never FLUSHDB: others
share that Redis). Without Redis those tests skip, or fail when CI is set.

A test module uses them with ``from tests.cache_backends import backend``
(an autouse fixture, parametrised); ``@pytest.mark.parametrize("backend",
["redis"], indirect=True)`` runs a test on Redis alone."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings

REDIS_URL = os.environ.get("CACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def _redis_unreachable() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no Redis
        return f"Redis at {REDIS_URL} is unreachable ({exc.__class__.__name__}: {exc})"
    return None


@pytest.fixture(autouse=True, params=["locmem", "file", "redis"])
def backend(request, tmp_path):
    """The default cache for one test: local memory, files or Redis, empty."""
    prefix = f"test-cache-{uuid.uuid4().hex}"
    if request.param == "file":
        config = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    elif request.param == "locmem":
        config = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": prefix,
            "KEY_PREFIX": prefix,
        }
    else:
        problem = _redis_unreachable()
        if problem:
            if IN_CI:
                pytest.fail(f"{problem}; CI is set, so the Redis cache tests must run")
            pytest.skip(f"{problem}; start it (redis-server) to test the Redis cache")
        config = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    with override_settings(CACHES={"default": config}):
        yield request.param
        if request.param == "redis":
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
        else:
            cache.clear()
