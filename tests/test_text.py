"""encyclopedia.text: the one slug rule that imports, the seed builder and
the named rows share."""

from encyclopedia.text import SLUG_BASE_LENGTH, next_free_slug, slug_base


def test_slug_base_keeps_unicode_and_cuts_to_leave_room_for_a_suffix():
    assert slug_base("Русские в Афганистане", fallback="article") == "русские-в-афганистане"
    assert slug_base("ab " * 200, fallback="article") == ("ab-" * 80)[: SLUG_BASE_LENGTH].strip("-")
    assert slug_base("?!", fallback="article") == "article"


def test_next_free_slug_counts_from_two():
    assert next_free_slug("tatars", set()) == "tatars"
    assert next_free_slug("tatars", {"tatars"}) == "tatars-2"
    assert next_free_slug("tatars", {"tatars", "tatars-2", "tatars-3"}) == "tatars-4"
