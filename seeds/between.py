"""The demo between meetings (issue 21): what happens in a month, done through the real
capabilities so the notice board, the news page, "Voor jou" and the next meeting show it as
they would after real use:

- a coming meeting moved a week later by the coordinator (its notice on the board, news for
  the people with a turn in it);
- a proposal between meetings, open for a week, with a few answers (one of them recorded by
  the coordinator for someone who told her in person); Anouk has not answered yet;
- an idea of Anouk's, answered by the coordinator (her news "got an answer").

Idempotent: a project whose coordinator already moved a meeting is left alone.
"""

import datetime as dt

from models.accounts import Account
from models.actor import Actor
from models.clock import AMSTERDAM
from models.meetings import Meeting
from models.meetings.between import default_closing, propose_between
from models.meetings.changes import move_meeting
from models.meetings.proposals import take_stance
from models.meetings.rota import candidates
from models.meetings.signals import add_signal, answer_signal
from models.organisation import Announcement, Project
from models.person import Person
from seeds.common import PROJECTS, copy_name
from webapp.access import viewer_of

COORDINATOR = "coordinator"  # the demo account that moves meetings and records a stance
PROPOSAL = (
    "Nieuwe printer",
    "We kopen een nieuwe printer voor de werkruimte, van ongeveer € 180 uit Papier en inkt.",
)
# who answers the proposal (index among the project's active members, by id), and how
ANSWERS = [(1, "agree", ""), (2, "concern", "Let op de prijs van de inkt.")]
SIGNAL = (
    "problem",
    "De printer in de werkruimte is weer stuk.",
    "in_progress",
    "Dank je! Er is nu een voorstel voor een nieuwe printer. Geef je mening voor de sluiting.",
)


def _actor(person_id: int) -> Actor:
    """A member acting in the demo: their account's viewer when they have one."""
    account = Account.get_or_none(Account.person == person_id)
    return viewer_of(account) if account is not None else Actor(person_id=person_id)


def _in_a_week_at_eight() -> dt.datetime:
    """A week from today at 20.00 in the Netherlands, as naive UTC (the proposal's moment)."""
    day = default_closing().replace(tzinfo=dt.UTC).astimezone(AMSTERDAM).date()
    local = dt.datetime.combine(day, dt.time(20, 0), tzinfo=AMSTERDAM)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _seed_project(project: Project, coordinator: Actor, anouk: Person | None) -> None:
    planned = list(
        Meeting.select()
        .where((Meeting.project == project.id) & (Meeting.state == "planned"))
        .order_by(Meeting.date, Meeting.id)
    )
    members = sorted(c.person_id for c in candidates(project.id))
    if len(planned) < 2 or len(members) < 4:
        return
    # The meeting after the next one is a week later ("Vergadering verplaatst").
    later = planned[1]
    move_meeting(later.id, later.date + dt.timedelta(days=7), later.time, actor=coordinator)

    # A proposal between meetings, open for a week, by the coordinator when she is a member
    # (else the next meeting's chair or minute-taker): not by Anouk, who has yet to answer.
    by = [coordinator.person_id, planned[0].chair_id, planned[0].minute_taker_id, *members]
    opener = _actor(next(p for p in by if p in members and (anouk is None or p != anouk.id)))
    proposal = propose_between(project.id, *PROPOSAL, _in_a_week_at_eight(), opener)
    answering = [m for m in members if m not in (opener.person_id, coordinator.person_id)]
    if anouk is not None:
        answering = [m for m in answering if m != anouk.id]
    for index, kind, reason in ANSWERS:
        take_stance(proposal, answering[index], kind, reason, actor=_actor(answering[index]))
    # Told in person, written down by the coordinator ("opgetekend door …").
    take_stance(proposal, answering[0], "agree", "", actor=coordinator)

    # An idea or problem of Anouk's (or the first member's), answered by the coordinator.
    author = anouk.id if anouk is not None and anouk.id in members else members[0]
    kind, text, status, answer = SIGNAL
    signal = add_signal(project.id, kind, text, _actor(author))
    answer_signal(signal, status, answer, actor=coordinator)


def seed_between(scale: int) -> None:
    """A month between meetings for every demo project (idempotent)."""
    account = Account.get_or_none(Account.username == COORDINATOR)
    if account is None:
        return
    coordinator = viewer_of(account)
    names = [copy_name(name, copy) for copy in range(1, scale + 1) for name, *_ in PROJECTS]
    done = {
        a.project_id
        for a in Announcement.select(Announcement.project).where(
            Announcement.kind == "meeting_moved"
        )
    }
    anouk = Person.get_or_none(Person.display_name == "Anouk B.")
    for project in Project.select().where(Project.name.in_(names)).order_by(Project.id):
        if project.id not in done:
            _seed_project(project, coordinator, anouk)
