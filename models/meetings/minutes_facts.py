"""What the minutes show besides the minute-taker's words: who was present, who sent
apologies and who was absent without word (a closed meeting's expected members who did
neither), each agenda item with its decisions (outcome and statement) and its notes, the
decisions of earlier meetings confirmed here, and the actions with their owners and due dates.

The facts are never copied into the text: they are read from the records each time, so
attendance recorded after the minutes were first opened shows up without retyping.

Approved minutes do not change afterwards (PRODUCT.md "Minutes"): at approval the facts and
the notes per agenda item are stored as one copy (`Minutes.approved_facts`, JSON), and
approved minutes are shown from that copy, whatever happens to the records later (a
provisional decision confirmed afterwards, an action added later). The copy holds person
ids, not names: names follow the display-name rule when shown (`Person.shown_name`), so a
person who was erased shows as "former member" there too and no name outlives its erasure.
Minutes approved before the copy existed have none and show the records as they are (their
text already held what was typed at the time). A copy made before "absent without word" was
kept (issue 22) has no such list and shows none: approved minutes are not worked out again.

Whether someone has a client background is never read here: people are loaded by id and
display name only.
"""

import datetime as dt
import json

from models.meetings.minutes_tables import Minutes, MinutesItem
from models.meetings.project_tables import Action
from models.meetings.tables import AgendaItem, Attendance, Meeting, Proposal
from models.people import Membership
from models.person import Person
from models.words import FORMER_MEMBER

# The most agenda items, decisions and actions one set of minutes shows (a meeting has a
# handful; the bound keeps every page's size fixed whatever is stored).
MAX_ROWS = 200
# The most people the attendance lists (a project's members).
MAX_PEOPLE = 1000


def notes_by_item(minutes_id: int | None) -> dict[int, str]:
    """The minute-taker's notes per agenda item (agenda item id → text), one query."""
    if not minutes_id:
        return {}
    return {
        row.agenda_item_id: row.text
        for row in MinutesItem.select(MinutesItem.agenda_item, MinutesItem.text)
        .where(MinutesItem.minutes == minutes_id)
        .limit(MAX_ROWS)
    }


def recorded_facts(meeting_id: int, minutes_id: int | None) -> dict:
    """The facts as the records hold them now, with person ids (JSON-ready), in seven
    queries: attendance, who was absent without word, the decisions, the notes per item, the
    agenda, the decisions confirmed at this meeting and the actions."""
    attendance: dict[str, list[int]] = {"present": [], "apologies": []}
    for row in (
        Attendance.select(Attendance.person, Attendance.status)
        .where((Attendance.meeting == meeting_id) & Attendance.status.in_(tuple(attendance)))
        .limit(MAX_PEOPLE)
    ):
        attendance[row.status].append(row.person_id)
    decisions: dict[int, list[dict]] = {}
    for p in (
        Proposal.select(
            Proposal.id, Proposal.agenda_item, Proposal.text, Proposal.outcome, Proposal.statement
        )
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .where((AgendaItem.meeting == meeting_id) & (Proposal.state == "closed"))
        .order_by(Proposal.id)
        .limit(MAX_ROWS)
    ):
        decisions.setdefault(p.agenda_item_id, []).append(_decision(p))
    notes = notes_by_item(minutes_id)
    items = [
        {
            "id": item.id,
            "title": item.title,
            "decisions": decisions.get(item.id, []),
            "note": notes.get(item.id, ""),
        }
        for item in AgendaItem.select(AgendaItem.id, AgendaItem.title)
        .where(AgendaItem.meeting == meeting_id)
        .order_by(AgendaItem.position, AgendaItem.id)
        .limit(MAX_ROWS)
    ]
    confirmed = [
        _decision(p)
        for p in Proposal.select(Proposal.id, Proposal.text, Proposal.outcome, Proposal.statement)
        .where(Proposal.confirmed_in == meeting_id)
        .order_by(Proposal.id)
        .limit(MAX_ROWS)
    ]
    actions = [
        {
            "description": a.description,
            "owner": a.owner_id,
            "duo_owner": a.duo_owner_id,
            "due": a.due.isoformat() if a.due else None,
        }
        for a in Action.select(Action.description, Action.owner, Action.duo_owner, Action.due)
        .where(Action.meeting == meeting_id)
        .order_by(Action.id)
        .limit(MAX_ROWS)
    ]
    return {
        **attendance,
        "absent": absent_without_word(meeting_id),
        "items": items,
        "confirmed": confirmed,
        "actions": actions,
    }


def absent_without_word(meeting_id: int) -> list[int]:
    """Who was expected but neither came nor sent apologies (issue 22): the members active in
    the project on the meeting's date (a membership begun by then, active now) without a
    "present" or "apologies" line, once the meeting is closed (before that, nobody is absent
    yet). One query; person ids, by id."""
    answered = Attendance.select(Attendance.person).where(
        (Attendance.meeting == meeting_id) & Attendance.status.in_(("present", "apologies"))
    )
    return [
        row.person_id
        for row in Membership.select(Membership.person)
        .join(Meeting, on=(Meeting.project == Membership.project))
        .join_from(Membership, Person, on=(Membership.person == Person.id))
        .where(
            (Meeting.id == meeting_id)
            & (Meeting.state == "closed")
            & (Membership.status == "active")
            & (Membership.since <= Meeting.date)
            & Person.erased_at.is_null()
            & Membership.person.not_in(answered)
        )
        .order_by(Membership.person)
        .distinct()
        .limit(MAX_PEOPLE)
    ]


def _decision(p: Proposal) -> dict:
    return {"id": p.id, "text": p.text, "outcome": p.outcome, "statement": p.statement}


def snapshot(meeting_id: int, minutes_id: int) -> str:
    """The facts to store at approval (JSON text)."""
    return json.dumps(recorded_facts(meeting_id, minutes_id), ensure_ascii=False)


def minutes_facts(meeting_id: int, minutes: Minutes | None) -> dict:
    """What the minutes show, with names: from the copy made at approval when there is
    one, else from the records (one more query, for the names).

    `frozen` says which: True for the copy made at approval.
    """
    stored = minutes.approved_facts if minutes is not None else ""
    raw = _load(stored) if stored else None
    frozen = raw is not None
    if raw is None:
        raw = recorded_facts(meeting_id, minutes.id if minutes else None)
    return {**_with_names(raw), "frozen": frozen}


def _load(stored: str) -> dict | None:
    try:
        raw = json.loads(stored)
    except ValueError:
        return None
    return raw if isinstance(raw, dict) else None


def _with_names(raw: dict) -> dict:
    """The facts with people's shown names (by name for attendance) and dates, one query."""
    ids = {*raw.get("present", []), *raw.get("apologies", []), *raw.get("absent", [])}
    for a in raw.get("actions", []):
        ids.update(i for i in (a.get("owner"), a.get("duo_owner")) if i)
    names = (
        {
            p.id: p.shown_name
            for p in Person.select(Person.id, Person.display_name).where(Person.id.in_(list(ids)))
        }
        if ids
        else {}
    )

    def named(person_id):
        return names.get(person_id, FORMER_MEMBER) if person_id else None

    def by_name(person_ids) -> list:
        return sorted((named(i) for i in person_ids), key=lambda name: str(name).casefold())

    return {
        "present": by_name(raw.get("present", [])),
        "apologies": by_name(raw.get("apologies", [])),
        # A copy approved before "absent" was kept has none: None, and the minutes stay as
        # they were approved (nothing is worked out afresh for them).
        "absent": by_name(raw["absent"]) if "absent" in raw else None,
        "items": raw.get("items", []),
        "confirmed": raw.get("confirmed", []),
        "actions": [
            {
                "description": a.get("description", ""),
                "owner": named(a.get("owner")),
                "duo_owner": named(a.get("duo_owner")),
                "due": dt.date.fromisoformat(a["due"]) if a.get("due") else None,
            }
            for a in raw.get("actions", [])
        ],
    }
