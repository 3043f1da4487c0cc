"""Ask for a 51% check (issue 22; docs/rules.md "Asking for a 51% check"): a coordinator who
may not count every answer sends a pending membership change to the holders of the privacy
right; one of them looks at the full what-if and answers for the whole change, at group level:
the groups it covers stay at 51% or more after the change ("stays") or one comes below
("falls"), with an optional note. The coordinator sees that answer and may go on: the change is
then saved with the check recorded.

What guards one person's answer (nothing told beyond a group's pass or fail):
- the check covers only the groups that may fall below 51% as the coordinator sees the change
  (`whatif.can_fall`) and that hold SMALL_GROUP people or more after it; a smaller group is
  never answered (the report shows such a group as "small group" too);
- the answer is one bit for all those groups together, about the state after the change;
- it holds only on the day it was given and only while the coordinator's own what-if is the
  same (the fingerprint of what they may count: group sizes and the answers shared with them);
  an answer changed by someone else does not end it, as that would tell the coordinator that
  somebody changed their answer;
- a holder of the privacy right who counts as the asking coordinator
  (`models.accounts.trust.counts_as`) cannot answer it; the holder sees who asks and that
  account's edge-watch alerts before answering.
The ask and the answer are audit lines: which change, never an answer of a person; the answer
line holds the group-level answer, shown only to the privacy right and the asker.
"""

import datetime as dt
import hashlib
import json

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.accounts import audit
from models.accounts.trust import counts_as
from models.actor import Actor
from models.clock import now, today
from models.db import BaseModel, database, lock_for_update
from models.organisation import Project
from models.people.edge_watch import ALERT_DAYS, EdgeEvent
from models.people.growth import add_member, change_with_duo
from models.people.tables import Membership, RoleStep
from models.people.vacancies import fill
from models.people.vacancy_tables import Vacancy
from models.people.whatif import can_fall
from models.person import Person
from models.rules.errors import RuleError
from models.rules.representation import SMALL_GROUP, passes
from models.words import Text

ANSWERS = ("stays", "falls")
KINDS = ("new", "change", "fill")
# How long an unanswered ask waits in the privacy right's "Voor jou".
OPEN_DAYS = 7

NOT_YOURS = Text("Someone else asked for this check: only they can go on with it.")
OWN_CHECK = Text(
    "You count as the coordinator who asked for this check, so someone else with the "
    "privacy right answers it."
)
ANSWERED = Text("This check has an answer already.")
NO_GROUPS = Text(
    "No group of 5 people or more may fall below 51% through this change, so there is "
    "nothing to check."
)
NAMED = Text("Write about the groups, not about a person: leave names out of the note.")
GONE = Text(
    "This check was asked more than a week ago or has been used already, so it needs no "
    "answer any more."
)
EXPIRED = Text(
    "This answer no longer holds: it was given on another day, or the groups of the change "
    "changed since. Ask for a new check."
)


class CheckRequest(BaseModel):
    """One asked 51% check of one pending membership change."""

    asked_by_account = IntegerField(index=True)
    asked_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    project = ForeignKeyField(Project, on_delete="CASCADE", backref="+")
    kind = CharField(max_length=8)
    target = IntegerField()  # the project (new), the membership (change) or the vacancy (fill)
    asked = TextField()  # the change asked for, as JSON: ids and choices, never answers
    groups = TextField()  # the groups covered, as JSON [[scope, dimension, group], ...]
    fingerprint = CharField(max_length=64)
    asked_at = DateTimeField(default=now, index=True)
    answer = CharField(max_length=8, null=True)
    note = TextField(default="")
    answered_by_account = IntegerField(null=True)
    answered_on = DateField(null=True)
    used_at = DateTimeField(null=True)

    @property
    def asked_change(self) -> dict:
        """The change for the model (`change_of`)."""
        return json.loads(self.asked)["change"]

    @property
    def form(self) -> dict:
        """The confirming screen's fields and where they post (to go on with the check)."""
        stored = json.loads(self.asked)
        return {"action": stored["action"], "fields": stored["fields"]}

    @property
    def covered(self) -> list[tuple]:
        return [tuple(key) for key in json.loads(self.groups)]

    @classmethod
    def waiting_count(cls) -> int:
        """Unanswered asks of the last OPEN_DAYS (one query; for the privacy right)."""
        since = now() - dt.timedelta(days=OPEN_DAYS)
        return (
            cls.select()
            .where(cls.answer.is_null() & cls.used_at.is_null() & (cls.asked_at >= since))
            .count()
        )

    @classmethod
    def waiting(cls, limit: int = 50) -> list:
        since = now() - dt.timedelta(days=OPEN_DAYS)
        return list(
            cls.select(cls, Project)
            .join(Project)
            .where(cls.answer.is_null() & cls.used_at.is_null() & (cls.asked_at >= since))
            .order_by(cls.asked_at, cls.id)
            .limit(limit)
        )

    @classmethod
    def asked_by_me(cls, account_id: int, limit: int = 50) -> list:
        """The checks an account asked in the last OPEN_DAYS, newest first (one query)."""
        since = now() - dt.timedelta(days=OPEN_DAYS)
        return list(
            cls.select(cls, Project)
            .join(Project)
            .where((cls.asked_by_account == account_id) & (cls.asked_at >= since))
            .order_by(cls.asked_at.desc(), cls.id.desc())
            .limit(limit)
        )


def fingerprint(changes) -> str:
    """What the coordinator may count of a what-if (group sizes, shared answers), hashed."""
    seen = [
        [[c.scope, c.dimension, c.group]]
        + [
            None if side is None else [side.people, side.yes, side.not_said, side.private]
            for side in (c.before, c.after)
        ]
        for c in changes
    ]
    return hashlib.sha256(json.dumps(seen).encode()).hexdigest()


def checkable(changes) -> list[tuple]:
    """The groups a check answers: those that may fall below 51% as the coordinator sees the
    change, with SMALL_GROUP people or more after it."""
    return [
        (c.scope, c.dimension, c.group)
        for c in changes
        if can_fall(c) and c.after is not None and c.after.people >= SMALL_GROUP
    ]


def change_of(check: CheckRequest):
    """The pending change of a check, to simulate (`whatif.simulate`)."""
    data = check.asked_change
    if check.kind == "fill":
        vacancy = Vacancy.get_by_id(check.target)
        person = Person.get_by_id(data.pop("person"))
        return lambda: fill(vacancy, person, **data)
    data["step"] = RoleStep.get_by_id(data["step"])
    if check.kind == "new":
        data["since"] = dt.date.fromisoformat(data["since"])
        project = Project.get_by_id(check.target)
        return lambda: add_member(project, **data)
    return lambda: change_with_duo(check.target, **data)


def plain(asked: dict) -> dict:
    """The change asked for as JSON values (a step by its id, a date as ISO)."""
    out = dict(asked)
    if "step" in asked:
        out["step"] = asked["step"].id
    if isinstance(out.get("since"), dt.date):
        out["since"] = out["since"].isoformat()
    return out


def ask_check(
    actor: Actor, *, kind: str, target, project_id: int, asked: dict, changes, form: dict
):
    """Send a pending change to the privacy right; with its audit line (which change, never
    answers). `form`: the confirming screen's {"action", "fields"}, to go on with later.
    Refused (RuleError) when no group of SMALL_GROUP or more may fall."""
    groups = checkable(changes)
    if not groups:
        raise RuleError(NO_GROUPS)
    with database.atomic():
        check = CheckRequest.create(
            asked_by_account=actor.account_id,
            asked_by=actor.person_id,
            project=project_id,
            kind=kind,
            target=getattr(target, "id", target),
            asked=json.dumps({"change": plain(asked), **form}),
            groups=json.dumps([list(key) for key in groups]),
            fingerprint=fingerprint(changes),
        )
        audit.record(
            actor.account_id,
            "people.check_ask",
            check,
            project=project_id,
            after={"kind": kind, "target": check.target},
        )
    return check


def names_someone(note: str) -> bool:
    """Whether a note holds the name of someone in the organisation (a name of three letters
    or more, in any case): the answer is group-level, so its note may name nobody (one
    query)."""
    text = note.casefold()
    if not text.strip():
        return False
    return any(
        len(name) >= 3 and name.casefold() in text
        for (name,) in Person.select(Person.display_name).tuples()
    )


def may_answer(actor: Actor, check: CheckRequest) -> bool:
    return actor.has_privacy_right and not counts_as(actor, check.asked_by_id)


def answer_check(actor: Actor, check_id: int, *, answer: str, note: str) -> CheckRequest:
    """A holder of the privacy right answers for the whole change: "stays" or "falls"; with
    the audit line (the group-level answer). Refused when they count as the asker, it was
    answered already, or it is no longer open (used, or asked more than OPEN_DAYS ago)."""
    if answer not in ANSWERS:
        raise ValueError(answer)
    with database.atomic():
        check = lock_for_update(CheckRequest.select().where(CheckRequest.id == check_id)).get()
        if counts_as(actor, check.asked_by_id):
            raise RuleError(OWN_CHECK)
        if check.answer is not None:
            raise RuleError(ANSWERED)
        if check.used_at is not None or check.asked_at < now() - dt.timedelta(days=OPEN_DAYS):
            raise RuleError(GONE)
        if names_someone(note):
            raise RuleError(NAMED)
        check.answer = answer
        check.note = note.strip()
        check.answered_by_account = actor.account_id
        check.answered_on = today()
        check.save()
        audit.record(
            actor.account_id,
            "people.check_answer",
            check,
            project=check.project_id,
            after={"check": check.id, "answer": answer},
        )
    return check


def holds(check: CheckRequest, changes) -> bool:
    """Whether an answer still holds for the change as the coordinator sees it now."""
    return (
        check.answer is not None
        and check.used_at is None
        and check.answered_on == today()
        and check.fingerprint == fingerprint(changes)
    )


# What decides who joins which group: a check answers for exactly this, so going on with it
# must change exactly this (not another person, step, layer or status with the same counts).
DECIDING = ("person", "person_id", "new_name", "step", "layer", "status", "partner", "since")


def _deciding(change: dict) -> dict:
    return {key: change.get(key) for key in DECIDING}


def usable_check(
    actor: Actor, check_id: int | None, *, kind: str, target, changes, asked: dict | None = None
):
    """The answered check the coordinator goes on with, or None (no check posted). Refused
    (RuleError) when it is someone else's, of another change (`asked`: the change about to
    be saved, compared on who joins which group), or no longer holds."""
    if not check_id:
        return None
    check = CheckRequest.get_or_none(CheckRequest.id == check_id)
    if check is None or check.asked_by_account != actor.account_id:
        raise RuleError(NOT_YOURS)
    if check.kind != kind or check.target != getattr(target, "id", target):
        raise RuleError(NOT_YOURS)
    if asked is None or _deciding(check.asked_change) != _deciding(plain(asked)):
        raise RuleError(EXPIRED)
    if not holds(check, changes):
        raise RuleError(EXPIRED)
    return check


def ticks_left(check: CheckRequest | None, changes) -> bool:
    """Whether saving still needs the tick with this check: a group it did not cover may
    fall (a small one), or its answer is that a group comes below 51%."""
    covered = set(check.covered) if check else set()
    if check is not None and check.answer == "falls":
        return True
    return any(can_fall(c) and (c.scope, c.dimension, c.group) not in covered for c in changes)


def save_with_check(actor: Actor, check: CheckRequest | None, save):
    """Save the change (`save()`, a capability with its own transaction, nested here) and
    record that it went on with the check, in one transaction."""
    if check is None:
        return save()
    with database.atomic():
        result = save()
        CheckRequest.update(used_at=now()).where(CheckRequest.id == check.id).execute()
        audit.record(
            actor.account_id,
            "people.check_use",
            check,
            project=check.project_id,
            after={"check": check.id},
        )
    return result


def asker_name(check: CheckRequest) -> str:
    person = Person.get_or_none(Person.id == check.asked_by_id)
    return person.shown_name if person else ""


def membership_of(check: CheckRequest):
    return Membership.get_or_none(Membership.id == check.target) if check.kind == "change" else None


def find(check_id: int) -> CheckRequest | None:
    """A check with its project (one query), for the access rule."""
    return (
        CheckRequest.select(CheckRequest, Project)
        .join(Project)
        .where(CheckRequest.id == check_id)
        .first()
    )


def alerts_of_asker(check: CheckRequest) -> int:
    """How many edge-watch alerts the asker's changes raised in the last ALERT_DAYS (the
    privacy right reads this before answering; one query)."""
    since = now() - dt.timedelta(days=ALERT_DAYS)
    return (
        EdgeEvent.select()
        .where(EdgeEvent.alert & (EdgeEvent.account_id == check.asked_by_account))
        .where(EdgeEvent.at >= since)
        .count()
    )


def person_of(check: CheckRequest) -> Person | None:
    """The person the change is about, when they are already in Tafel (not a new name)."""
    data = check.asked_change
    if check.kind in ("new", "fill"):
        person_id = data.get("person_id", data.get("person"))
        return Person.get_or_none(Person.id == person_id) if person_id else None
    membership = membership_of(check)
    return membership.person if membership else None


def decided_by_one(check: CheckRequest, changes) -> bool:
    """Whether answering would tell the asker one person's answer (review finding): in a
    covered group the person joins, the result after the change differs between their answer
    being "yes" and not. `changes` is the full what-if (the privacy right's). The answer's
    page says so plainly, so the holder of the privacy right can leave it unanswered."""
    person = person_of(check)
    if person is None:
        return False
    covered = set(check.covered)
    answered_yes = person.client_background == "yes"
    for change in changes:
        if (change.scope, change.dimension, change.group) not in covered or change.after is None:
            continue
        joined = change.before is None or change.after.people > change.before.people
        if not joined:
            continue
        other = change.after.yes + (-1 if answered_yes else 1)
        if passes(change.after.yes, change.after.people) != passes(other, change.after.people):
            return True
    return False


def described(check: CheckRequest) -> dict:
    """Whom and where the change is about, for its page: the person's name (or the new
    name) and the project's name."""
    data = check.asked_change
    if check.kind in ("new", "fill"):
        person = Person.get_or_none(Person.id == data.get("person_id", data.get("person")))
        name = data.get("new_name") or (person.shown_name if person else "")
    else:
        membership = membership_of(check)
        name = membership.person.shown_name if membership else ""
    return {"name": name, "project": check.project.name}
