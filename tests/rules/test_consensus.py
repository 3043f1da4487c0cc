"""Unit tests for proposal outcomes (models.rules.consensus)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules.consensus import STANCES, default_quorum, outcome, tally


@pytest.mark.parametrize(
    ("active", "quorum"), [(0, 1), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (10, 6), (11, 6)]
)
def test_default_quorum_is_more_than_half(active, quorum):
    assert default_quorum(active) == quorum


def test_consensus():
    assert outcome(["agree", "agree", "concern"], active_members=5) == "consensus"


def test_quorum_exactly_met_and_one_short():
    assert outcome(["agree"] * 3, active_members=5) == "consensus"
    assert outcome(["agree"] * 2, active_members=5) == "provisional"
    assert outcome(["agree"] * 2, active_members=4) == "provisional"
    assert outcome(["agree"] * 3, active_members=4) == "consensus"


def test_explicit_quorum():
    assert outcome(["agree"] * 2, active_members=10, quorum=2) == "consensus"
    assert outcome(["agree"] * 2, active_members=2, quorum=3) == "provisional"
    with pytest.raises(ValueError):
        outcome([], active_members=2, quorum=0)


def test_block_wins_even_below_quorum():
    assert outcome(["block"], active_members=10) == "blocked"
    assert outcome(["agree"] * 9 + ["block"], active_members=10) == "blocked"
    assert outcome(["stand_aside"] * 5 + ["block"], active_members=6) == "blocked"


def test_stand_aside_exactly_a_third_is_no_consensus():
    assert outcome(["agree", "agree", "stand_aside"], active_members=3) == "no_consensus"
    assert outcome(["agree"] * 4 + ["stand_aside"] * 2, active_members=6) == "no_consensus"
    assert outcome(["agree"] * 5 + ["stand_aside"] * 2, active_members=7) == "consensus"
    assert outcome(["stand_aside"] * 3, active_members=3) == "no_consensus"


def test_provisional_comes_before_no_consensus():
    assert outcome(["stand_aside"], active_members=5) == "provisional"


def test_more_time_is_not_a_stance():
    # Two stances out of five active members: below quorum whatever the requests.
    assert outcome(["agree", "agree", "more_time", "more_time"], active_members=5) == "provisional"
    # Does not count toward the third either: 1 stand-aside of 3 stances is a third.
    assert outcome(["agree", "agree", "stand_aside", "more_time"], 3) == "no_consensus"
    assert tally(["agree", "more_time"]) == {
        "agree": 1,
        "concern": 0,
        "stand_aside": 0,
        "block": 0,
    }


def test_zero_active_members():
    assert outcome([], active_members=0) == "provisional"
    assert outcome(["agree"], active_members=0) == "consensus"
    with pytest.raises(ValueError):
        default_quorum(-1)


def test_unknown_stance_is_refused():
    with pytest.raises(ValueError):
        outcome(["maybe"], active_members=1)
    with pytest.raises(ValueError):
        tally(["yes"])


def test_tally_counts_each_stance():
    assert tally(["agree", "concern", "concern", "block", "stand_aside"]) == {
        "agree": 1,
        "concern": 2,
        "stand_aside": 1,
        "block": 1,
    }


@given(st.lists(st.sampled_from([*STANCES, "more_time"])), st.integers(0, 30))
def test_outcome_follows_the_rules_in_order(stances, active):
    counts = tally(stances)
    taken = sum(counts.values())
    result = outcome(stances, active)
    if counts["block"]:
        assert result == "blocked"
    elif taken * 2 <= active:
        assert result == "provisional"
    elif counts["stand_aside"] * 3 >= taken:
        assert result == "no_consensus"
    else:
        assert result == "consensus"
