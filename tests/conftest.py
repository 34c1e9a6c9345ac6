from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
# A byte-for-byte copy of ../shared/seeds/000_dc703e22645647a0.txt, so the
# suite runs wherever the checkout is; tests/test_seed_copy.py keeps them equal.
SEED_PATH = ROOT / "fixtures" / "russians-in-afghanistan.txt"
SHARED_SEED_PATH = ROOT.parent / "shared" / "seeds" / "000_dc703e22645647a0.txt"
FIXTURE_PATH = ROOT / "fixtures" / "seed.json"


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

