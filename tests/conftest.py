import os
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parent.parent
# A byte-for-byte copy of ../shared/seeds/000_dc703e22645647a0.txt, so the
# suite runs wherever the checkout is; tests/test_seed_copy.py keeps them equal.
SEED_PATH = ROOT / "fixtures" / "russians-in-afghanistan.txt"
SHARED_SEED_PATH = ROOT.parent / "shared" / "seeds" / "000_dc703e22645647a0.txt"
FIXTURE_PATH = ROOT / "fixtures" / "seed.json"


# Examples are timed by the machine's load (two test processes, browsers,
# servers), not by the code: no deadline, as most of the suite's tests say.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


def pytest_configure(config):
    # One folder of screenshots per run: set before pytest-xdist starts its
    # workers, which inherit it (each would otherwise stamp its own).
    os.environ.setdefault("SCREENSHOT_STAMP", datetime.now().strftime("%Y%m%d-%H%M%S"))


def screenshot_folder() -> Path:
    """Where the browser tests put this run's screenshots."""
    return Path(os.environ.get("SCREENSHOT_DIR")
                or ROOT / "test-artifacts" / "screenshots" / os.environ["SCREENSHOT_STAMP"])


def pytest_terminal_summary(terminalreporter):
    folder = screenshot_folder()
    if folder.is_dir():
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(str(folder))


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED_PATH.read_bytes()


@pytest.fixture(scope="session")
def seed_text(seed_bytes) -> str:
    return seed_bytes.decode("utf-8")


@pytest.fixture
def seed_fixture(db):
    """The seed article with its people, places and tags, from fixtures/."""
    call_command("loaddata", FIXTURE_PATH, verbosity=0)
    from articles.models import Article

    return Article.objects.get(slug="russians-in-afghanistan")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Database rollbacks don't reach the cache: each test starts with none,
    and with a fast path that has not yet learnt a stored page's headers."""
    from django.core.cache import cache

    from encyclopedia import fastpath

    cache.clear()
    fastpath._headers.clear()
    yield
    cache.clear()
    fastpath._headers.clear()


@pytest.fixture(autouse=True)
def _editors_group(request):
    """Tests with real transactions end by flushing the database, which also
    removes what data migrations made; give later tests the Editors group
    back (the migration's own function, idempotent)."""
    names = set(request.fixturenames)
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
    elif "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.db import connection

    if not Group.objects.filter(name="Editors").exists():
        made = importlib.import_module("articles.migrations.0003_editors_group")
        later = [
            importlib.import_module(f"articles.migrations.{name}")
            for name in ("0012_editors_sources", "0013_mediawiki")
        ]
        # The functions read only the schema editor's connection; a real one
        # cannot be opened on SQLite inside a test's transaction, which is
        # where this runs when a transactional test ran before a plain one.
        schema_editor = SimpleNamespace(connection=connection)
        made.create_editors_group(apps, schema_editor)
        for migration in later:
            migration.grant(apps, schema_editor)
