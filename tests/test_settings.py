"""Settings come from the environment; production refuses to start without a key."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        capture_output=True, text=True, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "encyclopedia.settings", **env},
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({}, "print(settings.DEBUG)")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_settings_read_the_environment():
    result = run_settings(
        {
            "DJANGO_SECRET_KEY": "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "example.org, www.example.org",
            "DATABASE_URL": "postgres://u:p@db.internal:5433/wiki",
            "REDIS_URL": "redis://127.0.0.1:6379/1",
        },
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'],"
        " settings.DATABASES['default']['PORT'], settings.CACHES['default']['BACKEND'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 1) == [
        "False",
        "['example.org', 'www.example.org'] django.db.backends.postgresql 5433 "
        "django.core.cache.backends.redis.RedisCache\n",
    ]


def test_debug_defaults_to_a_local_sqlite_database():
    result = run_settings(
        {"DJANGO_DEBUG": "1"},
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"True django.db.backends.sqlite3 {ROOT / 'db.sqlite3'}"


def test_manage_py_reports_a_missing_key_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: DJANGO_SECRET_KEY is not set.")
    assert "Traceback" not in result.stderr


def test_models_and_migrations_agree():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        capture_output=True, text=True, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
