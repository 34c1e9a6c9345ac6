"""The "X in Y" rule (articles.communities): pure, no database."""

from types import SimpleNamespace as Place

import pytest

from articles.communities import community_from_title, reverse_community_title


@pytest.mark.parametrize(
    ("title", "community"),
    [
        ("Russians in Afghanistan", ("Russians", "Afghanistan")),
        ("Americans in the United Kingdom", ("Americans", "United Kingdom")),
        ("Demographics of Afghanistan", None),
        (" in Afghanistan", None),
        ("Russians in ", None),
    ],
)
def test_community_from_title_reads_group_and_country(title, community):
    assert community_from_title(title) == community


def test_reverse_community_title_swaps_host_people_and_origin_country():
    afghanistan = Place(name="Afghanistan", demonym="Afghans")
    russia = Place(name="Russia", demonym="Russians")

    assert reverse_community_title(host=afghanistan, origin=russia) == "Afghans in Russia"
    assert community_from_title("Afghans in Russia") == ("Afghans", "Russia")


def test_reverse_community_title_is_empty_when_the_data_does_not_say():
    russia = Place(name="Russia", demonym="Russians")

    assert reverse_community_title(host=None, origin=russia) == ""
    assert reverse_community_title(host=russia, origin=None) == ""
    assert reverse_community_title(host=Place(name="Somewhere", demonym=""), origin=russia) == ""
