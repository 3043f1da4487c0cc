"""A quiet concern (issue 21.5, docs/rules.md "A quiet concern"): someone who does not dare to
speak passes a concern on to the trusted persons; a trusted person puts it on a project's
agenda or answers it as a signal, without naming who raised it.

Sending takes no actor at all: `send_concern` is not told who sends, so it cannot store it.
It writes no audit line (an audit line carries its exact moment and its actor) and tells no
news (a news line carries its exact moment). What a trusted person does with a concern is
done openly, with an audit line in their name.
"""

import secrets

from peewee import JOIN

from models.accounts import audit
from models.accounts.tables import Account, Grant
from models.actor import Actor
from models.clock import now, today
from models.db import database, lock_for_update
from models.meetings.agenda import add_agenda_item
from models.meetings.concern_tables import Concern
from models.meetings.errors import Locked, account_of
from models.meetings.project_tables import Signal
from models.meetings.tables import Meeting
from models.organisation import Project
from models.paging import Page, keyset_page
from models.person import Person
from models.rules.errors import RuleError
from models.words import Text

# The reading code: three groups of four from letters and digits that cannot be mistaken for
# one another (no 0/O, 1/I/L), about 59 bits: shown once, only its hash is kept.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS, CODE_GROUP = 3, 4

ALREADY_PASSED_ON = Text("A trusted person already passed this concern on.")
NO_MEETING = Text(
    "This project has no meeting planned yet. Answer the concern as a signal, or ask the "
    "coordinator to plan a meeting first."
)
# The statuses a trusted person may give the signal that answers a concern.
ANSWER_STATUSES = ("in_progress", "done", "not_possible")


def new_code() -> str:
    """A fresh reading code, like "K7QD-MX3A-9PWE"."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def clean_code(typed: str) -> str:
    """A typed reading code in its stored form: capitals, groups of four joined by "-"
    (spaces, dashes and small letters are forgiven)."""
    letters = "".join(c for c in (typed or "").upper() if c.isalnum())[: CODE_GROUPS * CODE_GROUP]
    return "-".join(letters[i : i + CODE_GROUP] for i in range(0, len(letters), CODE_GROUP))


def trusted_persons(project_ids) -> dict:
    """{project id or None (the organisation): [names of its trusted persons]} for the
    organisation and these projects, by name (one query)."""
    query = (
        Grant.select(Grant.project, Person.display_name)
        .join(Account, on=(Grant.account == Account.id))
        .join(Person, on=(Account.person == Person.id))
        .where(
            (Grant.right == "trusted")
            & (Grant.project.is_null() | Grant.project.in_(list(project_ids) or [0]))
            & Person.erased_at.is_null()
        )
        .order_by(Person.display_name)
    )
    names: dict = {}
    for project_id, name in query.tuples():
        names.setdefault(project_id, []).append(name or "")
    return names


def sender_choices(actor: Actor) -> list[tuple[int, str, list]]:
    """Whom the actor may send a concern to: (0 for the organisation or a project id, its
    name, the names of its trusted persons), only where someone holds the right: the
    organisation's trusted persons and those of the actor's own projects (two queries)."""
    names = trusted_persons(actor.member_of)
    projects = {
        p.id: p.name
        for p in Project.select(Project.id, Project.name).where(
            Project.id.in_([pid for pid in names if pid is not None] or [0])
        )
    }
    choices = [(0, "", names[None])] if None in names else []
    choices += sorted(
        ((pid, projects[pid], who) for pid, who in names.items() if pid in projects),
        key=lambda c: c[1].lower(),
    )
    return choices


def heard_choices(actor: Actor) -> list[tuple[int, str]]:
    """Whom a trusted person may pass on a concern they heard in person: the organisation
    (0) when they are its trusted person, and the projects they are one for (one query)."""
    choices = [(0, "")] if actor.trusted_for(None) else []
    projects = Project.select(Project.id, Project.name).where(
        Project.id.in_(list(actor.trusted_in) or [0])
    )
    return choices + sorted(((p.id, p.name) for p in projects), key=lambda c: c[1].lower())


def send_concern(text: str, project_id: int | None) -> str:
    """Store a concern for the trusted persons of the project (None: of the organisation)
    and return its reading code, shown once. Not told who sends it: nothing here can store
    it. No audit line, no news (both would carry the exact moment)."""
    code = new_code()
    with database.atomic():
        Concern.create(
            project=project_id,
            text=text,
            received_on=today(),
            reading_hash=Concern.hash_code(code),
        )
    return code


def _sent_to(actor: Actor):
    """The concerns sent to the actor as a trusted person (a condition)."""
    scope = Concern.project.in_(list(actor.trusted_in) or [0])
    if actor.trusted_for(None):
        scope = scope | Concern.project.is_null()
    return scope


def waiting_count(actor: Actor) -> int:
    """How many concerns wait for the actor as a trusted person ("Voor jou"); one query."""
    return Concern.select().where(_sent_to(actor) & (Concern.state == "waiting")).count()


def concerns_for(actor: Actor, **where_on) -> Page:
    """A page of the concerns for the actor as a trusted person, waiting first, newest first
    (`where_on`: after, before; models/paging.py); one query."""
    scope = _sent_to(actor)
    query = (
        Concern.select(Concern, Project)
        .join(Project, JOIN.LEFT_OUTER, on=(Concern.project == Project.id), attr="to")
        .where(scope)
    )
    keys = lambda c: [c.handled_on.is_null(), c.received_on, c.id]  # noqa: E731
    return keyset_page(query, keys, Concern, **where_on)


def may_read(actor: Actor, concern: Concern) -> bool:
    """Only the trusted persons it was sent to read a concern."""
    return actor.trusted_for(concern.project_id)


def target_projects(actor: Actor, concern: Concern) -> list[tuple[int, str]]:
    """Where the trusted person may take the concern: its own project, or any project for
    a concern to the organisation (one query)."""
    query = Project.select(Project.id, Project.name).order_by(Project.name)
    if concern.project_id is not None:
        query = query.where(Project.id == concern.project_id)
    return [(p.id, p.name) for p in query]


def _claim(concern: Concern) -> None:
    """Lock the concern (inside the caller's transaction); refused when a trusted person
    passed it on meanwhile."""
    fresh = lock_for_update(Concern.select().where(Concern.id == concern.id)).first()
    if fresh is None or fresh.state != "waiting":
        raise RuleError(ALREADY_PASSED_ON)


def put_on_agenda(
    concern: Concern, project_id: int, title: str, explanation: str, actor: Actor
) -> int:
    """The trusted person puts the concern on the project's next planned meeting, as an item
    "via a trusted person" with nobody as its adder; returns the meeting's id. One
    transaction, with the audit line in the trusted person's name."""
    with database.atomic():
        _claim(concern)
        meeting = (
            Meeting.select()
            .where((Meeting.project == project_id) & (Meeting.state == "planned"))
            .order_by(Meeting.date, Meeting.id)
            .first()
        )
        if meeting is None:
            raise RuleError(NO_MEETING)
        try:
            item = add_agenda_item(
                meeting.id, title, explanation=explanation, added_by=None, source="trusted"
            )
        except Locked as exc:  # it started this very moment
            raise RuleError(NO_MEETING) from exc
        Concern.update(state="on_agenda", agenda_item=item.id, handled_on=today()).where(
            Concern.id == concern.id
        ).execute()
        audit.record(
            account_of(actor),
            "concern.agenda",
            concern,
            project=project_id,
            after={"meeting": meeting.id, "agenda_item": item.id},
        )
        return meeting.id


def answer_as_signal(
    concern: Concern, project_id: int, text: str, status: str, answer: str, actor: Actor
) -> Signal:
    """The trusted person answers the concern as a signal of the project, answered at once
    and shown "via a trusted person" without an author. One transaction, with the audit
    line in the trusted person's name."""
    with database.atomic():
        _claim(concern)
        signal = Signal.create(
            project=project_id,
            kind="problem",
            text=text,
            author=None,
            anonymous=True,
            via_trusted=True,
            status=status,
            answer=answer,
            answered_at=now(),
            answered_by=actor.person_id,
        )
        Concern.update(state="answered", signal=signal.id, handled_on=today()).where(
            Concern.id == concern.id
        ).execute()
        audit.record(
            account_of(actor),
            "concern.answer",
            concern,
            project=project_id,
            after={"signal": signal.id, "status": status},
        )
        return signal
