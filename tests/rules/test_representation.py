"""Unit and property tests for the 51% check in models.rules.representation."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules.representation import (
    LAYERS,
    ROLE_CATEGORIES,
    GroupResult,
    passes,
    report_order,
    share,
    what_if,
)
from tests.people.reference import Seat, brute_force_report


@pytest.mark.parametrize(
    ("yes", "people", "expected"),
    [
        (1, 2, False),
        (51, 100, True),
        (50, 100, False),
        (50, 99, False),
        (50, 98, True),
        (2, 3, True),
        (1, 1, True),
        (0, 1, False),
        (3, 5, True),
        (2, 4, False),
    ],
)
def test_passes_examples(yes, people, expected):
    assert passes(yes, people) is expected


def test_empty_group_has_no_result():
    with pytest.raises(ValueError):
        passes(0, 0)
    with pytest.raises(ValueError):
        share(0, 0)


@pytest.mark.parametrize(("yes", "people"), [(-1, 3), (4, 3)])
def test_impossible_counts_are_refused(yes, people):
    with pytest.raises(ValueError):
        passes(yes, people)


@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_passes_matches_exact_fraction(counts):
    yes, people = counts
    assert passes(yes, people) == (Fraction(yes, people) >= Fraction(51, 100))


@pytest.mark.parametrize(
    ("yes", "people", "expected"),
    [
        (1, 2, "50.0"),
        (2, 3, "66.7"),
        (1, 3, "33.3"),
        (1, 8, "12.5"),
        (1, 16, "6.3"),  # 6.25 rounds half up
        (1, 1, "100.0"),
        (0, 7, "0.0"),
        (51, 100, "51.0"),
    ],
)
def test_share_rounds_half_up_to_one_decimal(yes, people, expected):
    assert share(yes, people) == Decimal(expected)
    assert str(share(yes, people)) == expected


def test_share_is_display_only_and_does_not_decide():
    # 50.5% displays as 50.5 but fails; 101 of 198 = 51.0101...% passes.
    assert not passes(101, 200)
    assert passes(101, 198)


def test_group_result_properties():
    small = GroupResult("organisation", "layer", "execution", people=4, yes=3, not_said=1)
    assert small.small and small.passes and small.share == Decimal("75.0")
    big = GroupResult("organisation", "layer", "execution", people=5, yes=2, not_said=0)
    assert not big.small and not big.passes


def test_report_counts_a_person_once_per_group_organisation_wide():
    seats = [
        Seat(1, "Tuin", "execution", "volunteer", "active", "yes"),
        Seat(1, "Atelier", "execution", "participant", "active", "yes"),
        Seat(2, "Tuin", "execution", "paid_staff", "active", "no"),
        Seat(3, "Tuin", "coordination", "paid_staff", "paused", "yes"),
        (4, "Atelier", "management", "volunteer", "active", "not_said"),  # a plain tuple
    ]
    rows = [
        (r.scope, r.dimension, r.group, r.people, r.yes, r.not_said)
        for r in brute_force_report(seats)
    ]
    assert rows == [
        ("organisation", "layer", "execution", 2, 1, 0),
        ("organisation", "layer", "management", 1, 0, 1),
        ("organisation", "role", "participant", 1, 1, 0),
        ("organisation", "role", "volunteer", 2, 1, 1),
        ("organisation", "role", "paid_staff", 1, 0, 0),
        ("Atelier", "layer", "execution", 1, 1, 0),
        ("Atelier", "layer", "management", 1, 0, 1),
        ("Atelier", "role", "participant", 1, 1, 0),
        ("Atelier", "role", "volunteer", 1, 0, 1),
        ("Tuin", "layer", "execution", 2, 1, 0),
        ("Tuin", "role", "volunteer", 1, 1, 0),
        ("Tuin", "role", "paid_staff", 1, 0, 0),
    ]


def test_report_refuses_two_backgrounds_for_one_person():
    with pytest.raises(ValueError):
        brute_force_report(
            [
                (1, "A", "execution", "participant", "active", "yes"),
                (1, "B", "execution", "participant", "active", "no"),
            ]
        )


def test_report_refuses_unknown_values():
    with pytest.raises(ValueError):
        brute_force_report([(1, "A", "top", "participant", "active", "yes")])


seats = st.lists(
    st.builds(
        Seat,
        person_id=st.integers(1, 12),
        project=st.sampled_from(["Tuin", "Atelier", "Keuken"]),
        layer=st.sampled_from(LAYERS),
        category=st.sampled_from(ROLE_CATEGORIES),
        status=st.sampled_from(["active", "active", "paused", "ended"]),
        background=st.just("no"),
    ),
    max_size=30,
)


def _consistent(seat_list, backgrounds):
    return [s._replace(background=backgrounds[s.person_id % 3]) for s in seat_list]


@given(seats, st.permutations(["yes", "no", "not_said"]))
def test_report_invariants(seat_list, backgrounds):
    seat_list = _consistent(seat_list, backgrounds)
    report = brute_force_report(seat_list)
    keys = [r.key for r in report]
    assert keys == sorted(keys, key=lambda k: report_order(*k))
    assert len(set(keys)) == len(keys)
    for r in report:
        assert r.people > 0 and 0 <= r.yes + r.not_said <= r.people
    active = [s for s in seat_list if s.status == "active"]
    org_people = {s.person_id for s in active}
    # Each active person is in at least one layer group and one role group of the organisation.
    for dimension in ("layer", "role"):
        groups = [r for r in report if r.scope == "organisation" and r.dimension == dimension]
        assert sum(r.people for r in groups) >= len(org_people)
        assert all(r.people <= len(org_people) for r in groups)
    # Order of the input does not matter.
    assert brute_force_report(list(reversed(seat_list))) == report


def _result(group, people, yes, scope="Tuin", dimension="layer"):
    return GroupResult(scope, dimension, group, people=people, yes=yes, not_said=0)


def test_what_if_shows_changed_groups_in_report_order():
    before = [
        _result("execution", 3, 2, scope="organisation"),
        _result("execution", 3, 2),
        _result("coordination", 2, 1),
        _result("participant", 2, 2, dimension="role"),
    ]
    after = [
        _result("execution", 4, 2, scope="organisation"),  # 2/3 -> 2/4: falls below
        _result("execution", 3, 2),  # unchanged: not shown
        _result("coordination", 3, 2),  # fail -> pass
        _result("management", 1, 0),  # new and failing
        # participant group emptied
    ]
    changes = what_if(before, after)
    assert [(c.scope, c.dimension, c.group) for c in changes] == [
        ("organisation", "layer", "execution"),
        ("Tuin", "layer", "coordination"),
        ("Tuin", "layer", "management"),
        ("Tuin", "role", "participant"),
    ]
    assert [c.falls_below for c in changes] == [True, False, True, False]
    assert [c.result_changes for c in changes] == [True, True, True, True]
    assert changes[3].after is None and changes[2].before is None


def test_what_if_shows_count_changes_that_keep_the_result():
    changes = what_if([_result("execution", 3, 3)], [_result("execution", 4, 4)])
    assert len(changes) == 1
    assert not changes[0].result_changes and not changes[0].falls_below


def test_what_if_failing_group_getting_worse_does_not_fall_below():
    (change,) = what_if([_result("execution", 3, 1)], [_result("execution", 4, 1)])
    assert not change.falls_below


def test_what_if_without_change_is_empty():
    report = [_result("execution", 3, 2)]
    assert what_if(report, list(report)) == []


@given(seats, seats, st.permutations(["yes", "no", "not_said"]))
def test_what_if_matches_both_reports(first, second, backgrounds):
    before = brute_force_report(_consistent(first, backgrounds))
    after = brute_force_report(_consistent(second, backgrounds))
    changes = what_if(before, after)
    old = {r.key: r for r in before}
    new = {r.key: r for r in after}
    changed = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    assert {(c.scope, c.dimension, c.group) for c in changes} == changed
    for c in changes:
        expected = (
            c.after is not None and not c.after.passes and (c.before is None or c.before.passes)
        )
        assert c.falls_below == expected
