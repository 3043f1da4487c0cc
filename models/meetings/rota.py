"""The rota: who chairs and who takes minutes at each meeting not started, planned again when
people join, pause, opt in or out, send apologies or swap turns (PRODUCT.md "Rotation").

`replan_rota` is what the people area calls when a membership changes. The rule itself (who
is next) is the pure function models.rules.rotation.plan_rota; this wires it to the rows.
"""

from peewee import fn

from models.accounts import audit
from models.actor import Actor
from models.clock import now, today
from models.db import database, lock_for_update
from models.meetings.errors import Locked, SwapClash, SwapGone, account_of
from models.meetings.news_told import tell_swap_answer
from models.meetings.stored_rota import store_rota
from models.meetings.tables import Attendance, Meeting, TurnSwap, members_of
from models.meetings.turn_news import tell_new_turns
from models.meetings.vocabulary import ENDED_STATES
from models.organisation import Project
from models.people import Membership
from models.person import Person
from models.rules.rotation import Candidate, plan_rota
from models.sql_once import Shaped, Slot, in_size, in_slots, in_values


def candidates(project_id: int) -> list[Candidate]:
    """Active members of the project as the rota sees them."""
    rows = (
        Membership.select(Membership, Person)
        .join(Person, on=(Membership.person == Person.id))
        .where(
            (Membership.project == project_id)
            & (Membership.status == "active")
            & Person.erased_at.is_null()
        )
    )
    return [
        Candidate(
            person_id=m.person_id,
            name=m.person.display_name or "",
            opted_in_chair=m.chair_since,
            opted_in_minutes=m.minutes_since,
            active_from=m.since,
        )
        for m in rows
    ]


def replan_rota(project_id: int, actor: Actor | int | None = None, untold=()) -> int:
    """Choose chair and minute-taker again for every meeting that has not started, and store
    the coming turns (models/meetings/stored_rota.py), in one transaction (a savepoint of the
    caller's: a membership change, a removal).

    Meetings whose rota was fixed by a swap or an override keep it (and count as turns).
    Whoever gets a turn they did not have hears it (news `new_turn`), except at the meetings
    in `untold` (just planned: the rota page shows them). Returns how many meetings changed.
    `actor` names who the audit lines are by (an Actor, or the account id other areas hand
    over).
    """
    with database.atomic():
        new_turns: list[tuple] = []
        changed = _replan(project_id, account_of(actor), new_turns)
        tell_new_turns(project_id, [t for t in new_turns if t[0].id not in set(untold)])
        store_rota(project_id)
    return changed


def _replan(project_id: int, actor, new_turns: list) -> int:
    planned = list(
        Meeting.select()
        .where((Meeting.project == project_id) & (Meeting.state == "planned"))
        .order_by(Meeting.date, Meeting.id)
    )
    if not planned:
        return 0
    first = planned[0].date
    history = list(
        Meeting.select(Meeting.date, Meeting.chair, Meeting.minute_taker)
        .where(
            (Meeting.project == project_id)
            & Meeting.state.in_(("started", "closed"))  # a cancelled meeting was no turn
            & (Meeting.date <= first)
        )
        .order_by(Meeting.date, Meeting.id)
    )
    last_chair, last_minutes, previous_chair = {}, {}, None
    for m in history:
        if m.chair_id:
            last_chair[m.chair_id] = m.date
        if m.minute_taker_id:
            last_minutes[m.minute_taker_id] = m.date
        previous_chair = m.chair_id
    away: dict[int, set[int]] = {}
    for a in Attendance.select(Attendance.meeting, Attendance.person).where(
        Attendance.meeting.in_([m.id for m in planned]) & (Attendance.status == "apologies")
    ):
        away.setdefault(a.meeting_id, set()).add(a.person_id)
    people = candidates(project_id)
    # A fixed turn of someone no longer active (paused, ended) is planned again: the meeting
    # is no longer fixed (a moved meeting's turns, a swap, an override hold for active people).
    active = {c.person_id for c in people}
    for meeting in planned:
        if meeting.rota_fixed and {meeting.chair_id, meeting.minute_taker_id} - active - {None}:
            meeting.rota_fixed = False
    # A fixed turn (a swap, an override, a moved meeting) is a turn its person has already:
    # the meetings before it do not give them another one first (whoever had the turn of a
    # meeting that moves keeps it, and the turn they would get before it goes to someone else).
    for meeting in planned:
        if meeting.rota_fixed:
            _mark(last_chair, meeting.chair_id, meeting.date)
            _mark(last_minutes, meeting.minute_taker_id, meeting.date)
    changed = 0
    for meeting in planned:
        if meeting.rota_fixed:
            chair, minute_taker = meeting.chair_id, meeting.minute_taker_id
        else:
            turn = plan_rota(
                [(meeting.id, meeting.date)],
                people,
                history_chair=last_chair,
                history_minutes=last_minutes,
                previous_chair=previous_chair,
                apologies=away,
            )[0]
            chair, minute_taker = turn.chair, turn.minute_taker
            if (chair, minute_taker) != (meeting.chair_id, meeting.minute_taker_id):
                before = {"chair": meeting.chair_id, "minute_taker": meeting.minute_taker_id}
                if chair != meeting.chair_id or meeting.chair_duo_id == minute_taker:
                    meeting.chair_duo = None  # the duo belonged to the previous chair
                if chair != meeting.chair_id:
                    new_turns.append((meeting, "chair", chair))
                if minute_taker != meeting.minute_taker_id:
                    new_turns.append((meeting, "minutes", minute_taker))
                meeting.chair, meeting.minute_taker = chair, minute_taker
                meeting.save()
                audit.record(
                    actor,
                    "rota.plan",
                    meeting,
                    project=project_id,
                    before=before,
                    after={"chair": chair, "minute_taker": minute_taker},
                )
                changed += 1
        _mark(last_chair, chair, meeting.date)
        _mark(last_minutes, minute_taker, meeting.date)
        previous_chair = chair
    return changed


def _mark(last: dict, person_id: int | None, day) -> None:
    """The person's last turn is on `day`, unless they have a later one already (fixed)."""
    if person_id and (person_id not in last or last[person_id] < day):
        last[person_id] = day


# --- attendance ---------------------------------------------------------------------------


def lock_and_refresh(meeting: Meeting) -> Meeting:
    """The meeting's row as it is now, locked until the transaction ends, copied into the
    object the caller holds (so a refusal shows the state as it is)."""
    fresh = lock_for_update(Meeting.select().where(Meeting.id == meeting.id)).get()
    meeting.__data__.update(fresh.__data__)
    return meeting


def set_attendance(meeting: Meeting, person_id: int, status: str, actor=None) -> None:
    """Record attendance; apologies (or taking them back) re-plan the meetings not started
    (one transaction)."""
    with database.atomic():
        row = Attendance.get_or_none(
            (Attendance.meeting == meeting.id) & (Attendance.person == person_id)
        )
        old = row.status if row else None
        if old == status:
            return
        if row is None:
            Attendance.create(meeting=meeting.id, person=person_id, status=status)
        else:
            row.status, row.updated_at = status, now()
            row.save()
        if meeting.state == "planned" and "apologies" in (old, status):
            if status == "apologies" and person_id in (meeting.chair_id, meeting.minute_taker_id):
                meeting.rota_fixed = False
                meeting.save()
            replan_rota(meeting.project_id, actor=actor)


def send_apologies(meeting: Meeting, actor: Actor, take_back: bool = False) -> None:
    """The actor sends apologies for a planned meeting, or takes them back; the rota is
    planned again. One transaction; Locked once the meeting started."""
    with database.atomic():
        if lock_and_refresh(meeting).state != "planned":
            raise Locked(meeting.state)
        person_id = actor.person_id
        set_attendance(meeting, person_id, "absent" if take_back else "apologies", actor=actor)
        if take_back:
            Attendance.delete().where(
                (Attendance.meeting == meeting.id) & (Attendance.person == person_id)
            ).execute()
            replan_rota(meeting.project_id, actor=actor)


def record_attendance(meeting: Meeting, present: set[int], actor: Actor | None = None) -> None:
    """Who is present: the members ticked; the others are not there, except those who sent
    apologies. One transaction; Locked once the meeting is closed."""
    with database.atomic():
        if lock_and_refresh(meeting).state in ENDED_STATES:
            raise Locked(meeting.state)
        members = {p.id for p in members_of(meeting.project_id)}
        existing = {
            a.person_id: a for a in Attendance.select().where(Attendance.meeting == meeting.id)
        }
        for person_id in members:
            row = existing.get(person_id)
            if person_id in present:
                status = "present"
            elif row is not None and row.status == "apologies":
                continue
            else:
                status = "absent"
            if row is None:
                Attendance.create(meeting=meeting.id, person=person_id, status=status)
            elif row.status != status:
                row.status, row.updated_at = status, now()
                row.save()
        if meeting.state == "planned":
            replan_rota(meeting.project_id, actor=actor)


def swaps_waiting(person_id: int | None, meeting_ids) -> list[TurnSwap]:
    """The swaps a person is asked to answer at these meetings, with who asks. Its SQL is
    built once per number of meetings (models/sql_once.py): building it was a sixth of a
    meeting page's CPU, for a query that mostly finds nothing (issue 23)."""
    ids = list(meeting_ids or ())
    if not person_id or not ids:
        return []
    size = in_size(len(ids))
    return _SWAPS_WAITING(meetings=size).rows(person=person_id, **in_values("m", ids, size))


def _swaps_waiting(meetings: int):
    asker = Person.alias()
    return (
        TurnSwap.select(TurnSwap, Meeting, asker)
        .join(Meeting, on=(TurnSwap.meeting == Meeting.id))
        .join_from(TurnSwap, asker, on=(TurnSwap.asked_by == asker.id), attr="asked_by")
        .where(
            TurnSwap.meeting.in_(in_slots("m", meetings))
            & (TurnSwap.asked_to == Slot("person"))
            & (TurnSwap.state == "asked")
            & (Meeting.state == "planned")  # a cancelled (or started) meeting has no swap left
        )
    )


_SWAPS_WAITING = Shaped(_swaps_waiting)


def ask_swap(meeting: Meeting, role: str, asked_to: int, actor: Actor) -> TurnSwap:
    """The actor asks another member to swap turns: they take this turn, and the actor takes
    their next turn in the same role (when they have one; otherwise it is a plain hand-over).
    One transaction."""
    column = Meeting.chair if role == "chair" else Meeting.minute_taker
    with database.atomic():
        theirs = (
            Meeting.select(Meeting.id)
            .where(
                (Meeting.project == meeting.project_id)
                & (Meeting.state == "planned")
                & (Meeting.id != meeting.id)
                & (column == asked_to)
            )
            .order_by(Meeting.date)
            .first()
        )
        return TurnSwap.create(
            meeting=meeting.id,
            role=role,
            asked_by=actor.person_id,
            asked_to=asked_to,
            other_meeting=theirs.id if theirs else None,
        )


def answer_swap(swap: TurnSwap, accept: bool, actor: Actor | None = None) -> None:
    """Accept or decline a swap, in one transaction; accepting changes both turns and keeps
    them fixed.

    Raises SwapGone when the swap was answered, a meeting started or its turn moved
    meanwhile, SwapClash when the swap would make one person chair and minute-taker.
    """
    with database.atomic():
        fresh = lock_for_update(TurnSwap.select().where(TurnSwap.id == swap.id)).get()
        if fresh.state != "asked":
            raise SwapGone()
        if not accept:
            swap.state = "declined"
            swap.save()
            tell_swap_answer(swap)
            return
        project_id = _accept(swap, account_of(actor))
        swap.state = "accepted"
        swap.save()
        replan_rota(project_id, actor=actor)
        tell_swap_answer(swap)


def _accept(swap: TurnSwap, account_id) -> int:
    """Change both turns (SwapGone, SwapClash as answer_swap says); the project's id."""
    meeting = Meeting.get_by_id(swap.meeting_id)
    field = "chair" if swap.role == "chair" else "minute_taker"
    changes = [(meeting, swap.asked_by_id, swap.asked_to_id)]
    if swap.other_meeting_id:
        other = Meeting.get_by_id(swap.other_meeting_id)
        if other.state == "planned" and getattr(other, field + "_id") == swap.asked_to_id:
            changes.append((other, swap.asked_to_id, swap.asked_by_id))
    for m, old, new in changes:
        if m.state != "planned" or getattr(m, field + "_id") != old:
            raise SwapGone()
        clash = m.minute_taker_id if field == "chair" else m.chair_id
        if clash == new:
            raise SwapClash()
    for m, old, new in changes:
        setattr(m, field, new)
        m.rota_fixed = True
        m.save()
        audit.record(
            account_id,
            "rota.swap",
            m,
            project=m.project_id,
            before={field: old},
            after={field: new},
        )
    return meeting.project_id


def next_turn(person_id: int | None, project_ids) -> Meeting | None:
    """The person's next planned meeting as chair (or duo) or minute-taker in these
    projects, with its project (one query)."""
    ids = list(project_ids or ())
    if not person_id or not ids:
        return None
    size = in_size(len(ids))
    # Its SQL built once per number of projects (models/sql_once.py): building it was
    # the start page's second costliest piece of "Voor jou" (issue 23).
    return _NEXT_TURN(projects=size).first(
        person=person_id, today=today(), **in_values("p", ids, size)
    )


def _next_turn(projects: int):
    person = Slot("person")
    return (
        Meeting.select(Meeting, Project)
        .join(Project, on=(Meeting.project == Project.id))
        .where(
            (Meeting.state == "planned")
            & (Meeting.date >= Slot("today"))
            & Meeting.project.in_(in_slots("p", projects))
            & (
                (Meeting.chair == person)
                | (Meeting.chair_duo == person)
                | (Meeting.minute_taker == person)
            )
        )
        .order_by(Meeting.date, Meeting.id)
        .limit(1)
    )


_NEXT_TURN = Shaped(_next_turn)


def swaps_asked(person_id: int | None) -> tuple[int, int | None]:
    """How many swap requests wait for the person's answer at planned meetings, and the
    meeting of the first (one query)."""
    if not person_id:
        return 0, None
    count, first = (
        TurnSwap.select(fn.COUNT(TurnSwap.id), fn.MIN(TurnSwap.meeting))
        .join(Meeting, on=(TurnSwap.meeting == Meeting.id))
        .where(
            (TurnSwap.asked_to == person_id)
            & (TurnSwap.state == "asked")
            & (Meeting.state == "planned")
        )
        .tuples()
        .get()
    )
    return count or 0, first
