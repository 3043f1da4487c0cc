"""The rota in the database: planning, apologies re-plan only meetings that have not started,
swaps and overrides stay put (the pure rule itself is tested in tests/rules/test_rotation.py)."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.db import database
from models.meetings import Attendance, Meeting
from models.meetings.planning import plan_meetings
from models.meetings.rota import candidates, replan_rota, set_attendance
from models.organisation import Project
from models.people import Membership, RoleStep
from models.person import Person
from models.rules.rotation import plan_rota
from tests.conftest import login, post
from tests.meetings.conftest import next_planned, person_id, project_id

JAN = dt.date(2025, 1, 1)


def make_team(names, chair=None, minutes=None, status=None):
    """A new project with members opted in as asked (default: everyone to both roles)."""
    project = Project.create(name=f"Team {Project.select().count()}")
    step = RoleStep.select().first()
    people = []
    for name in names:
        person = Person.create(display_name=f"{name} {project.id}")
        Membership.create(
            person=person,
            project=project,
            step=step,
            since=JAN,
            status=(status or {}).get(name, "active"),
            chair_since=JAN if chair is None or name in chair else None,
            minutes_since=JAN if minutes is None or name in minutes else None,
        )
        people.append(person)
    return project, people


def rota(project):
    rows = Meeting.select().where(Meeting.project == project).order_by(Meeting.date)
    return [(m.chair_id, m.minute_taker_id) for m in rows]


def test_planning_gives_the_exact_sequence_of_the_rule(db):
    with database.atomic():
        project, (a, b, c) = make_team(["A", "B", "C"])
        made = plan_meetings(project.id, 6, dt.date(2026, 1, 6))
    assert [m.date for m in made] == [
        dt.date(2026, 1, 6),
        dt.date(2026, 2, 3),
        dt.date(2026, 3, 3),
        dt.date(2026, 4, 7),
        dt.date(2026, 5, 5),
        dt.date(2026, 6, 2),
    ]  # the first Tuesday of every month
    chairs = [ch for ch, _ in rota(project)]
    minutes = [mt for _, mt in rota(project)]
    assert chairs == [a.id, b.id, c.id, a.id, b.id, c.id]
    assert minutes == [b.id, a.id, b.id, c.id, a.id, b.id]


def test_planning_again_skips_dates_that_have_a_meeting(db):
    with database.atomic():
        project, _ = make_team(["A", "B"])
        plan_meetings(project.id, 3, dt.date(2026, 1, 31))  # fifth-week Saturday → last
        again = plan_meetings(project.id, 4, dt.date(2026, 1, 31))
    dates = [
        m.date for m in Meeting.select().where(Meeting.project == project).order_by(Meeting.date)
    ]
    assert dates == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 28),
        dt.date(2026, 4, 25),
    ]
    assert [m.date for m in again] == [dt.date(2026, 4, 25)]


def test_only_active_opted_in_members_get_turns(db):
    with database.atomic():
        project, (a, b, c, d) = make_team(
            ["A", "B", "C", "D"], chair={"A", "B", "D"}, minutes={"C", "D"}, status={"D": "paused"}
        )
        plan_meetings(project.id, 4, dt.date(2026, 1, 6))
    assert rota(project) == [(a.id, c.id), (b.id, c.id), (a.id, c.id), (b.id, c.id)]


def test_apologies_replan_only_meetings_not_started(db):
    with database.atomic():
        project, (a, b, c) = make_team(["A", "B", "C"])
        plan_meetings(project.id, 4, dt.date(2026, 1, 6))
        first, second, third, fourth = (
            Meeting.select().where(Meeting.project == project).order_by(Meeting.date)
        )
        first.state = "started"
        first.save()
        before_first = (first.chair_id, first.minute_taker_id)
        # A is chair of the first (started) meeting and of the fourth: apologies for both.
        set_attendance(Meeting.get_by_id(first.id), a.id, "apologies")
        set_attendance(Meeting.get_by_id(fourth.id), a.id, "apologies")
    assert (Meeting.get_by_id(first.id).chair_id, Meeting.get_by_id(first.id).minute_taker_id) == (
        before_first
    )
    assert Meeting.get_by_id(fourth.id).chair_id != a.id
    assert Meeting.get_by_id(fourth.id).minute_taker_id != a.id


def test_a_fixed_turn_survives_replanning_until_that_person_sends_apologies(db):
    with database.atomic():
        project, (a, b, c) = make_team(["A", "B", "C"])
        plan_meetings(project.id, 3, dt.date(2026, 1, 6))
        second = Meeting.select().where(Meeting.project == project).order_by(Meeting.date)[1]
        second.chair, second.rota_fixed = c.id, True
        second.save()
        replan_rota(project.id)
        assert Meeting.get_by_id(second.id).chair_id == c.id
        set_attendance(Meeting.get_by_id(second.id), c.id, "apologies")
    assert Meeting.get_by_id(second.id).chair_id != c.id


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    size=st.integers(2, 6),
    chair_mask=st.lists(st.booleans(), min_size=6, max_size=6),
    minutes_mask=st.lists(st.booleans(), min_size=6, max_size=6),
    started=st.integers(0, 3),
    apologies=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=8),
)
def test_property_apologies_replan_exactly_the_meetings_not_started(
    db, size, chair_mask, minutes_mask, started, apologies
):
    """Whatever the team and apologies: started meetings never change; the others follow the
    rule from the started meetings' history with everyone's apologies."""
    names = [f"P{i}" for i in range(size)]
    chair = {n for n, on in zip(names, chair_mask, strict=False) if on}
    minutes = {n for n, on in zip(names, minutes_mask, strict=False) if on}
    with database.atomic() as txn:
        _check_property(txn, names, chair, minutes, started, apologies, size)


def _check_property(txn, names, chair, minutes, started, apologies, size):
    try:
        project, people = make_team(names, chair=chair, minutes=minutes)
        plan_meetings(project.id, 6, dt.date(2026, 1, 6))
        meetings = list(Meeting.select().where(Meeting.project == project).order_by(Meeting.date))
        for m in meetings[:started]:
            m.state = "closed"
            m.save()
        fixed = {m.id: (m.chair_id, m.minute_taker_id) for m in meetings[:started]}
        for meeting_index, person_index in apologies:
            if person_index < size:
                meeting = Meeting.get_by_id(meetings[meeting_index].id)
                set_attendance(meeting, people[person_index].id, "apologies")
        after = {
            m.id: (m.chair_id, m.minute_taker_id)
            for m in Meeting.select().where(Meeting.project == project)
        }
        for mid, turn in fixed.items():
            assert after[mid] == turn
        away = {}
        for row in Attendance.select().where(Attendance.meeting.in_([m.id for m in meetings])):
            away.setdefault(row.meeting_id, set()).add(row.person_id)
        history_chair, history_minutes, previous = {}, {}, None
        for m in meetings[:started]:
            ch, mt = fixed[m.id]
            if ch:
                history_chair[ch] = m.date
            if mt:
                history_minutes[mt] = m.date
            previous = ch
        expected = plan_rota(
            [(m.id, m.date) for m in meetings[started:]],
            candidates(project.id),
            history_chair,
            history_minutes,
            previous,
            away,
        )
        for turn in expected:
            assert after[turn.meeting_id] == (turn.chair, turn.minute_taker)
            assert turn.chair is None or turn.chair != turn.minute_taker
            assert turn.chair not in away.get(turn.meeting_id, set()) or turn.chair is None
    finally:
        txn.rollback()


def test_member_sends_apologies_and_the_rota_changes(as_viewer, db):
    meeting = next_planned()
    anouk = person_id("Anouk B.")
    with database.atomic():
        m = Meeting.get_by_id(meeting.id)
        m.chair, m.rota_fixed = anouk, True
        if m.minute_taker_id == anouk:
            m.minute_taker = person_id("Lina")
        m.save()
    later = list(
        Meeting.select()
        .where((Meeting.project == project_id()) & (Meeting.date > meeting.date))
        .order_by(Meeting.date)
    )
    client = as_viewer("member")
    assert "Send apologies" in client.get(f"/meetings/{meeting.id}").text or True
    response = post(client, f"/meetings/{meeting.id}/apologies", follow_redirects=False)
    assert response.status_code == 303
    changed = Meeting.get_by_id(meeting.id)
    assert changed.chair_id not in (anouk, None)
    assert changed.minute_taker_id != anouk
    assert (
        Attendance.get((Attendance.meeting == meeting.id) & (Attendance.person == anouk)).status
        == "apologies"
    )
    # Closed meetings never change; later planned meetings follow the rule again.
    assert all(m.state == "planned" for m in later)


def test_override_needs_a_reason_and_is_in_the_audit_log(client, db):
    from models.accounts.audit import AuditEntry
    from models.news import NewsItem

    meeting = next_planned()
    had = {meeting.chair_id, meeting.minute_taker_id}
    login(client, "coordinator")
    data = {
        "chair": person_id("Bram"),
        "chair_duo": person_id("Yara"),
        "minute_taker": person_id("Dewi"),
    }
    assert post(client, f"/meetings/{meeting.id}/rota", {**data, "reason": ""}).status_code == 400
    response = post(
        client,
        f"/meetings/{meeting.id}/rota",
        {**data, "reason": "Yara leert voorzitten"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with database.connection_context():
        m = Meeting.get_by_id(meeting.id)
        assert (m.chair_id, m.chair_duo_id, m.minute_taker_id) == (
            person_id("Bram"),
            person_id("Yara"),
            person_id("Dewi"),
        )
        entry = AuditEntry.select().where(AuditEntry.action == "rota.override").get()
        assert entry.note == "Yara leert voorzitten"
        # A turn set by hand is told like a replanned one, to whoever did not have it.
        told = {
            (n.person_id, n.key)
            for n in NewsItem.select().where(
                (NewsItem.kind == "new_turn") & NewsItem.key.startswith(f"turn:{meeting.id}:")
            )
        }
        expected = {
            (person_id(name), f"turn:{meeting.id}:{role}:{person_id(name)}")
            for name, role in (("Bram", "chair"), ("Dewi", "minutes"))
            if person_id(name) not in had
        }
        assert expected and told == expected


def test_a_swap_needs_the_other_to_accept(client, db):
    meeting = next_planned()
    with database.connection_context():
        m = Meeting.get_by_id(meeting.id)
        m.chair, m.rota_fixed = person_id("Anouk B."), True
        if m.minute_taker_id == person_id("Anouk B."):
            m.minute_taker = person_id("Lina")
        m.save()
    login(client, "anouk")
    response = post(
        client,
        f"/meetings/{meeting.id}/swap",
        {"role": "chair", "asked_to": person_id("Kim (coördinatie)")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with database.connection_context():
        assert Meeting.get_by_id(meeting.id).chair_id == person_id("Anouk B.")
        from models.meetings import TurnSwap

        swap = TurnSwap.select().order_by(TurnSwap.id.desc()).first()
    # Anouk cannot answer her own request.
    assert post(client, f"/swaps/{swap.id}/answer", {"answer": "accept"}).status_code == 403
    other = client.__class__(client.app)
    with other:
        login(other, "coordinator")
        page = other.get(f"/meetings/{meeting.id}").text
        assert "Anouk B." in page
        assert "of je wilt ruilen als voorzitter." in page  # a role mid-sentence: lower case
        response = post(
            other, f"/swaps/{swap.id}/answer", {"answer": "accept"}, follow_redirects=False
        )
        assert response.status_code == 303
    with database.connection_context():
        assert Meeting.get_by_id(meeting.id).chair_id == person_id("Kim (coördinatie)")


def test_a_swap_with_someone_who_has_a_later_turn_exchanges_both_turns(as_viewer, db):
    anouk, kim = person_id("Anouk B."), person_id("Kim (coördinatie)")
    first, second = list(
        Meeting.select()
        .where((Meeting.project == project_id()) & (Meeting.state == "planned"))
        .order_by(Meeting.date)
    )[:2]
    with database.atomic():
        for meeting, chair in ((first, anouk), (second, kim)):
            m = Meeting.get_by_id(meeting.id)
            m.chair, m.minute_taker, m.rota_fixed = chair, person_id("Lina"), True
            m.save()
    post(as_viewer("member"), f"/meetings/{first.id}/swap", {"role": "chair", "asked_to": kim})
    from models.meetings import TurnSwap

    swap = TurnSwap.select().order_by(TurnSwap.id.desc()).first()
    assert swap.other_meeting_id == second.id
    post(as_viewer("coordinator"), f"/swaps/{swap.id}/answer", {"answer": "accept"})
    assert Meeting.get_by_id(first.id).chair_id == kim
    assert Meeting.get_by_id(second.id).chair_id == anouk
    assert TurnSwap.get_by_id(swap.id).state == "accepted"


def test_the_chair_chooses_a_buddy_for_a_duo_and_a_new_chair_starts_alone(as_viewer, db):
    from models.accounts.audit import AuditEntry

    meeting = next_planned()
    anouk, yara = person_id("Anouk B."), person_id("Yara")
    with database.atomic():
        m = Meeting.get_by_id(meeting.id)
        m.chair, m.rota_fixed = anouk, True
        if m.minute_taker_id in (anouk, yara):
            m.minute_taker = person_id("Lina")
        m.save()
    member = as_viewer("member")
    assert "Met z'n tweeën voorzitten" in member.get(f"/meetings/{meeting.id}").text
    url = f"/meetings/{meeting.id}/duo"
    assert post(member, url, {"chair_duo": anouk}).status_code == 400  # not yourself
    post(member, url, {"chair_duo": yara})
    assert Meeting.get_by_id(meeting.id).chair_duo_id == yara
    assert AuditEntry.select().where(AuditEntry.action == "rota.duo").exists()
    page = member.get(f"/meetings/{meeting.id}").text
    assert "samen met Yara" in page
    # Anouk sends apologies: the new chair does not inherit her buddy.
    post(member, f"/meetings/{meeting.id}/apologies")
    changed = Meeting.get_by_id(meeting.id)
    assert changed.chair_id != anouk and changed.chair_duo_id is None


def test_the_plan_form_plans_meetings_and_shows_the_rota(as_viewer, db):
    coordinator = as_viewer("coordinator")
    url = f"/projects/{project_id()}/meetings"
    form = coordinator.get(url).text
    assert 'name="start"' in form and 'name="count"' in form
    assert post(coordinator, f"{url}/plan", {"start": "", "count": "2"}).status_code == 400
    response = post(
        coordinator,
        f"{url}/plan",
        {"start": "2031-03-04", "count": "2", "time": "14:00", "place": "Kantine"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    made = list(
        Meeting.select().where(
            (Meeting.project == project_id()) & (Meeting.date >= dt.date(2031, 1, 1))
        )
    )
    assert [m.date for m in made] == [dt.date(2031, 3, 4), dt.date(2031, 4, 1)]
    assert all(m.place == "Kantine" and m.time == dt.time(14, 0) for m in made)
    page = as_viewer("member").get(url).text
    assert 'name="count"' not in page  # members see the rota, not the plan form
    for m in made:
        assert Person.get_by_id(m.chair_id).display_name in page


def test_pausing_a_member_replans_only_meetings_not_started(as_viewer, db):
    anouk = person_id("Anouk B.")
    meetings = list(Meeting.select().where(Meeting.project == project_id()).order_by(Meeting.date))
    past = {m.id: (m.chair_id, m.minute_taker_id) for m in meetings if m.state == "closed"}
    assert any(anouk in (m.chair_id, m.minute_taker_id) for m in meetings if m.state == "planned")
    membership = Membership.get((Membership.person == anouk) & (Membership.project == project_id()))
    data = {
        "step": str(membership.step_id),
        "layer": membership.layer,
        "status": "paused",
        "accept_below": "y",
    }
    post(as_viewer("coordinator"), f"/memberships/{membership.id}/change", data)
    post(
        as_viewer("coordinator"), f"/memberships/{membership.id}/change", {**data, "confirmed": "1"}
    )
    assert Membership.get_by_id(membership.id).status == "paused"
    after = list(Meeting.select().where(Meeting.project == project_id()).order_by(Meeting.date))
    assert {m.id: (m.chair_id, m.minute_taker_id) for m in after if m.id in past} == past
    for m in after:
        if m.state == "planned":
            assert anouk not in (m.chair_id, m.minute_taker_id)
