import os

import pytest

from tests.conftest import SEED_PATH, SHARED_SEED_PATH


def test_the_fixtures_copy_of_the_seed_is_the_shared_seed_byte_for_byte():
    if not SHARED_SEED_PATH.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI runs with shared/ beside the checkout, but {SHARED_SEED_PATH} is missing")
        pytest.skip(f"{SHARED_SEED_PATH} is not beside this checkout")
    assert SEED_PATH.read_bytes() == SHARED_SEED_PATH.read_bytes()
