"""Demo meetings: a year of monthly meetings per project with rotas, agendas, proposals with
every outcome, minutes in every state, actions, signals with answers and successes.

Idempotent: a project that already has meetings is left alone. Rows are written with
insert_many so scale 10 stays quick.
"""

import datetime as dt
from dataclasses import replace

from models.accounts import Account
from models.clock import now, today
from models.meetings import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesItem,
    MinutesNote,
    Proposal,
    Signal,
    Stance,
    Success,
    TurnSwap,
)
from models.meetings.minutes_facts import snapshot
from models.meetings.planning import monthly_dates
from models.meetings.rota import candidates
from models.meetings.stored_rota import store_rota
from models.organisation import Project
from models.rules import consensus
from models.rules.rotation import plan_rota
from seeds.common import PROJECTS, copy_name

PAST, COMING = 12, 4
TIME = dt.time(19, 30)
START, END = dt.time(17, 30), dt.time(19, 30)  # a past meeting's own evening (naive UTC)
PLACE = "De grote tafel"

AGENDA = [
    ("Opening en mededelingen", "Even bijpraten: hoe gaat het met iedereen?", 10),
    ("Planning van de komende maand", "Wie doet wat, en wat is er nodig?", 20),
    ("Rondvraag", "", 10),
]
PROPOSALS = [
    "We kopen een nieuwe koffiemachine van de pot voor activiteiten.",
    "We gaan op vrijdag een uur langer open.",
    "Nieuwe mensen krijgen de eerste maand een maatje.",
    "We zetten onze verhalen ook op de website.",
    "We houden in de zomer een open dag.",
    "We stoppen met de folder en maken een poster.",
]
STATEMENTS = {
    "consensus": "We doen het. Iedereen kan ermee leven.",
    "provisional": "Te weinig mensen waren er. Volgende keer bevestigen.",
    "no_consensus": "Veel mensen stonden opzij. We praten er later verder over.",
    "blocked": "Iemand heeft een bezwaar. We praten eerst met elkaar.",
}
ACTIONS = [
    "Offertes opvragen en vergelijken",
    "Rooster voor vrijdag maken",
    "Maatjes vragen voor nieuwe mensen",
    "Teksten verzamelen voor de website",
]
SIGNALS = [
    ("idea", "Kunnen we samen een keer gaan lunchen?", False, "done", "Goed idee! Op 12 juni."),
    ("problem", "De printer werkt vaak niet.", True, "in_progress", "We kijken naar een nieuwe."),
    ("idea", "Een cursus voor nieuwe vrijwilligers.", False, "on_agenda", "Komt op de agenda."),
    (
        "problem",
        "Kunnen we een lift in het gebouw krijgen?",
        False,
        "not_possible",
        "Het gebouw is niet van ons en de eigenaar wil geen lift. We zoeken hulp bij de trap.",
    ),
    ("idea", "Meer planten in de werkruimte.", True, "new", ""),
]
SUCCESSES = [
    "Ons eerste boek is gedrukt!",
    "Vijf nieuwe vrijwilligers deze maand.",
    "De open dag trok veertig bezoekers.",
]
ITEM_NOTES = [
    "Iedereen vertelde kort hoe het gaat. Twee mensen zijn nieuw.",
    "We hebben gekeken wie wat doet. Er is hulp nodig op vrijdag.",
]
OUTCOME_CYCLE = ("consensus", "consensus", "provisional", "no_consensus", "blocked", "consensus")


def _stances_for(outcome: str, people: list[int]) -> list[tuple[int, str, str]]:
    """Stances that lead to `outcome` for these active members (person, kind, reason)."""
    n = len(people)
    quorum = consensus.default_quorum(n)
    if outcome == "provisional":
        return [(people[0], "agree", "")]
    if outcome == "blocked":
        return [(people[0], "block", "Dit kost te veel geld.")] + [
            (p, "agree", "") for p in people[1:quorum]
        ]
    if outcome == "no_consensus":
        voters = people[:quorum]
        asides = -(-len(voters) // 3)  # a third or more
        return [(p, "stand_aside", "") for p in voters[:asides]] + [
            (p, "agree", "") for p in voters[asides:]
        ]
    return [(people[0], "concern", "Let op de kosten.")] + [(p, "agree", "") for p in people[1:]]


def _story_dates(day: dt.date) -> list[dt.date]:
    """Monthly Tuesdays around `day`: exactly PAST before it and COMING from it on.

    The demo has the same story on any date (a test walks it on several dates).
    """
    first = day - dt.timedelta(days=31 * (PAST + 1))
    first = first - dt.timedelta(days=(first.weekday() - 1) % 7)  # a Tuesday
    dates = monthly_dates(first, PAST + COMING + 3)
    coming = next(i for i, date in enumerate(dates) if date >= day)
    return dates[coming - PAST : coming + COMING]


def _seed_project(project: Project, index: int) -> None:
    people = candidates(project.id)
    if not people:
        return
    member_ids = sorted(c.person_id for c in people)
    dates = _story_dates(today())
    series = MeetingSeries.create(project=project, weekday=1, time=TIME, place=PLACE)
    # In the demo story everyone already took part a year ago, so every past meeting has a
    # chair and a minute-taker (the foundation's demo memberships start later).
    story = [replace(c, active_from=min(c.active_from, dates[0])) for c in people]
    turns = plan_rota([(i, d) for i, d in enumerate(dates)], story)
    moment = now()
    Meeting.insert_many(
        [
            {
                "project": project.id,
                "series": series.id,
                "date": t.date,
                "time": TIME,
                "place": PLACE,
                "state": "closed" if t.date < today() else "planned",
                "chair": t.chair,
                "minute_taker": t.minute_taker,
                "started_at": dt.datetime.combine(t.date, START) if t.date < today() else None,
                "closed_at": dt.datetime.combine(t.date, END) if t.date < today() else None,
            }
            for t in turns
        ]
    ).execute()
    meetings = list(
        Meeting.select().where(Meeting.project == project.id).order_by(Meeting.date, Meeting.id)
    )
    closed = [m for m in meetings if m.state == "closed"]
    planned = [m for m in meetings if m.state == "planned"]

    attendance = []
    for number, m in enumerate(closed):
        free = [p for p in member_ids if p not in (m.chair_id, m.minute_taker_id)]
        away = free[number % len(free)] if free else None
        for pid in member_ids:
            attendance.append(
                {
                    "meeting": m.id,
                    "person": pid,
                    "status": "apologies" if pid == away else "present",
                }
            )
    if attendance:
        Attendance.insert_many(attendance).execute()

    items = []
    for m in meetings:
        for position, (title, explanation, minutes) in enumerate(AGENDA, 1):
            items.append(
                {
                    "meeting": m.id,
                    "title": title,
                    "explanation": explanation,
                    "time_box": minutes,
                    "position": position,
                    "added_by": member_ids[(m.id + position) % len(member_ids)],
                }
            )
    AgendaItem.insert_many(items).execute()
    planning_item = {
        i.meeting_id: i.id
        for i in AgendaItem.select(AgendaItem.id, AgendaItem.meeting).where(
            AgendaItem.meeting.in_([m.id for m in meetings]) & (AgendaItem.position == 2)
        )
    }

    proposals, outcomes = [], []
    for number, m in enumerate(closed):
        outcome = OUTCOME_CYCLE[(number + index) % len(OUTCOME_CYCLE)]
        stances = _stances_for(outcome, member_ids)
        kinds = [k for _, k, _ in stances]
        result = consensus.outcome(kinds, len(member_ids))
        counts = consensus.tally(kinds)
        proposals.append(
            {
                "project": project.id,
                "agenda_item": planning_item[m.id],
                "text": PROPOSALS[number % len(PROPOSALS)],
                "state": "closed",
                "outcome": result,
                "statement": STATEMENTS[result],
                "opened_by": m.chair_id,
                "closed_at": dt.datetime.combine(m.date, END),
                "decided_on": m.date,
                **counts,
            }
        )
        outcomes.append(stances)
    Proposal.insert_many(proposals).execute()
    by_item = {
        p.agenda_item_id: p
        for p in Proposal.select().where(Proposal.project == project.id).order_by(Proposal.id)
    }
    stance_rows = []
    for m, stances in zip(closed, outcomes, strict=True):
        proposal = by_item[planning_item[m.id]]
        for pid, kind, reason in stances:
            stance_rows.append(
                {"proposal": proposal.id, "person": pid, "kind": kind, "reason": reason}
            )
    # An open proposal at the next meeting, for people to answer in advance.
    if planned:
        Proposal.insert(
            project=project.id,
            agenda_item=planning_item[planned[0].id],
            text="We maken een uitje met de hele groep.",
            opened_by=planned[0].chair_id,
        ).execute()
    if stance_rows:
        Stance.insert_many(stance_rows).execute()
    store_rota(project.id)

    minutes = []
    for number, m in enumerate(closed):
        state = "approved"
        if number == len(closed) - 1:
            state = "draft"
        elif number == len(closed) - 2:
            state = "shared"
        minutes.append(
            {
                "meeting": m.id,
                "text": "Volgende keer nemen we de nieuwe mensen mee in de rondvraag.",
                "version": 3,
                "state": state,
                "updated_by": m.minute_taker_id,
                "shared_at": moment if state != "draft" else None,
                "approved_at": moment if state == "approved" else None,
                "approved_how": "no_objections" if state == "approved" else "",
            }
        )
    if minutes:
        Minutes.insert_many(minutes).execute()
        rows = list(
            Minutes.select(Minutes.id, Minutes.state)
            .where(Minutes.meeting.in_([m.id for m in closed]))
            .order_by(Minutes.id)
        )
        notes = []
        approved = [r for r in rows if r.state == "approved"]
        shared = [r for r in rows if r.state == "shared"]
        if approved:
            notes.append(
                {
                    "minutes": approved[-1].id,
                    "kind": "correction",
                    "text": "Correctie: de open dag is op zaterdag, niet op vrijdag.",
                    "author": member_ids[0],
                }
            )
        if shared:
            notes.append(
                {
                    "minutes": shared[0].id,
                    "kind": "comment",
                    "text": "Fijn verslag, dank je!",
                    "author": member_ids[-1],
                }
            )
        if notes:
            MinutesNote.insert_many(notes).execute()

    actions = []
    for number, m in enumerate(closed):
        recent = number >= len(closed) - 3
        status = ("open", "doing", "dropped")[number % 3] if recent else "done"
        proposal = by_item[planning_item[m.id]]
        actions.append(
            {
                "project": project.id,
                "meeting": m.id,
                "proposal": proposal.id,
                "description": ACTIONS[number % len(ACTIONS)],
                "owner": member_ids[(number + 1) % len(member_ids)],
                "duo_owner": member_ids[(number + 2) % len(member_ids)]
                if number % 4 == 0
                else None,
                "due": m.date + dt.timedelta(days=21),
                "status": status,
                "reason": "Is niet meer nodig." if status == "dropped" else "",
            }
        )
    if actions:
        Action.insert_many(actions).execute()
    _minutes_notes(closed)

    signals = []
    for number, (kind, text, anonymous, status, answer) in enumerate(SIGNALS):
        created = moment - dt.timedelta(days=5 + 9 * number)
        signals.append(
            {
                "project": project.id,
                "kind": kind,
                "text": text,
                "author": member_ids[number % len(member_ids)],
                "anonymous": anonymous,
                "status": status,
                "answer": answer,
                "answered_at": created + dt.timedelta(days=2) if answer else None,
                "created_at": created,
            }
        )
    Signal.insert_many(signals).execute()
    Success.insert_many(
        [
            {"project": project.id, "text": text, "date": today() - dt.timedelta(days=20 * n)}
            for n, text in enumerate(SUCCESSES)
        ]
    ).execute()

    # A swap request waiting for an answer: the chair of the next meeting asks someone
    # (someone without a demo account, so the demo accounts keep their plain rights).
    with_account = {a.person_id for a in Account.select(Account.person)}
    if planned and planned[0].chair_id:
        others = [
            p
            for p in member_ids
            if p not in (planned[0].chair_id, planned[0].minute_taker_id)
            and p not in with_account
            and any(c.person_id == p and c.opted_in_chair for c in people)
        ]
        if others:
            TurnSwap.create(
                meeting=planned[0].id,
                role="chair",
                asked_by=planned[0].chair_id,
                asked_to=others[-1],
            )


def seed_meetings(scale: int) -> None:
    """A year of meetings for every demo project (idempotent)."""
    names = [copy_name(name, copy) for copy in range(1, scale + 1) for name, *_ in PROJECTS]
    projects = list(Project.select().where(Project.name.in_(names)).order_by(Project.id))
    done = {
        m.project_id
        for m in Meeting.select(Meeting.project)
        .where(Meeting.project.in_([p.id for p in projects]))
        .distinct()
    }
    for index, project in enumerate(projects):
        if project.id not in done:
            _seed_project(project, index)


def _minutes_notes(closed) -> None:
    """The minute-taker's notes on the first two agenda items of each closed meeting, and for
    approved minutes the copy of the facts that approval keeps."""
    rows = list(
        Minutes.select(Minutes.id, Minutes.meeting, Minutes.state).where(
            Minutes.meeting.in_([m.id for m in closed])
        )
    )
    if not rows:
        return
    items = {}
    for item in AgendaItem.select(AgendaItem.id, AgendaItem.meeting, AgendaItem.position).where(
        AgendaItem.meeting.in_([r.meeting_id for r in rows]) & (AgendaItem.position <= 2)
    ):
        items.setdefault(item.meeting_id, []).append(item)
    MinutesItem.insert_many(
        [
            {"minutes": r.id, "agenda_item": item.id, "text": ITEM_NOTES[item.position - 1]}
            for r in rows
            for item in items.get(r.meeting_id, [])
        ]
    ).execute()
    for r in rows:
        if r.state == "approved":
            Minutes.update(approved_facts=snapshot(r.meeting_id, r.id)).where(
                Minutes.id == r.id
            ).execute()
