"""Removing a person (PRODUCT.md "can be removed"): their identity is erased, their history
stays as "former member" (models/records/privacy.py `erase_person`).

Two ways in:

- **Someone with an account asks for it** (My account, `ask_removal`); an organisation
  coordinator or an administrator then removes them from the removal requests page
  (`remove_person`).
- **Someone without an account cannot ask**, so a coordinator starts it for them, and a
  second person confirms (issue 12 point 8):

  - *Who starts*: a coordinator of the whole organisation, or a coordinator of one of the
    person's current projects (active or paused membership). Only when the person is in no
    project any more (the common case: they moved away) may a coordinator of a project they
    left within the last 30 days start it (`may_remove`, the current-coordinator rule of
    models/people/visibility.py). Coordinating a project the person left long ago is not
    enough, nor one they left at once while they are active elsewhere: the coordinators
    there decide. They give a
    reason ("why"), which the confirming coordinator reads. It is refused for a person with
    an account (they ask themselves), a person already removed, or while a removal of the
    person is open.
  - *Who confirms*: a different person for whom `may_remove` holds too (checked when they
    confirm, so a right withdrawn, or a person who joined a project meanwhile, counts as it
    is then). The one who started it can never confirm it. A person who got an account
    meanwhile is refused (they can now ask themselves).
  - *Withdrawing and cancelling*: the starter can withdraw their request, and anyone else
    for whom `may_remove` holds can cancel it (for example because the person is still
    coming). Nothing about the person changes; the request stays in the history as
    cancelled, and a new removal can be started later.
  - *What the confirmation page shows*: the person's name, their projects (with their
    state), the reason, who started it and when; never the client-background answer.

**The 51% check and the rota**, both ways in: removing ends every membership, so confirming
first shows the what-if of the 51% check (models.people.whatif.simulate, for the viewer:
without the privacy right only the answers shared with them count), exactly as ending a
membership does; when a group (may) fall below 51% the box must be ticked, and that
confirmation is written in the removal's audit line (`below_note`); every preview writes its
own line (person.preview_removal). On confirmation the identity is erased and the rota of
each project the person was still in is planned again (models.meetings.rota.replan_rota,
which also keeps the stored rota in step), so they are no longer chair or minute-taker of a
meeting not started; a turn of theirs fixed by a swap or by hand is planned again too, as
with apologies, and as a duo partner they no longer chair along. All of it in the one
transaction of the removal.

Every step writes one audit line in the same transaction (webapp/accounts/audit_words.py):
started (with the reason), withdrawn, cancelled, confirmed. When the person is erased the
reasons go from the request and from these lines too: a reason may name the person.
"""

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, SQL, Select, fn

from models.accounts import audit
from models.accounts.rights import LAST_ADMIN
from models.accounts.tables import Account, Grant, RemovalRequest
from models.accounts.trust import counts_as, same_hands_of
from models.clock import now
from models.db import database, lock_for_update
from models.meetings import Meeting
from models.meetings.rota import replan_rota
from models.organisation import Project
from models.people import Membership, StepChange
from models.people.visibility import LEFT_WITHIN_DAYS, coordinates_person
from models.people.whatif import below_note, simulate, verdict
from models.person import Person
from models.records.privacy import erase_person
from models.rules.errors import RuleError
from models.sql_once import Shaped, Slot, in_size, in_slots, in_values
from models.words import Text

NOT_ASKED = Text("This person did not ask to be removed.")
HAS_ACCOUNT = Text(
    "This person has an account. They can ask to be removed themselves, on My account."
)
ALREADY_REMOVED = Text("This person has already been removed.")
ALREADY_STARTED = Text("A removal of this person has already been started. Look at it below.")
NO_OPEN_REMOVAL = Text("This removal has been confirmed or cancelled meanwhile. Look below.")
OWN_REQUEST = Text("You started this removal yourself. Another coordinator has to confirm it.")
OWN_REMOVAL = Text(
    "This account was opened or reset with a link you made. Someone else has to remove this person."
)
REASON_MAX = 1000


def may_remove(actor, person_id: int) -> bool:
    """Whether a viewer may start, confirm or cancel the removal of a person: a current
    coordinator of the person (models.people.visibility.coordinates_person with
    `for_removal`: an organisation coordinator, a coordinator of a project the person is in
    now, or, when they are in no project any more, of one they left within LEFT_WITHIN_DAYS).
    Never the person themselves."""
    if actor.person_id == person_id:
        return False
    return coordinates_person(actor, person_id, for_removal=True)


def _removable_by(actor):
    """The people whose removal a viewer who coordinates projects (not the organisation) may
    start, confirm or cancel, as a condition on RemovalRequest.person: the same rule as
    may_remove, as one condition (no query per row)."""
    since = now() - dt.timedelta(days=LEFT_WITHIN_DAYS)
    return _removable_among(list(actor.coordinates) or [0], since)


def _removable_among(mine: list, since):
    """_removable_by for the projects `mine` (ids, or Slots) and ends since `since`."""
    current_here = Membership.select(Membership.person).where(
        Membership.project.in_(mine) & (Membership.status != "ended")
    )
    elsewhere = Membership.alias()
    still_in = elsewhere.select(elsewhere.id).where(
        (elsewhere.person == Membership.person) & (elsewhere.status != "ended")
    )
    ended = StepChange.select(StepChange.id).where(
        (StepChange.membership == Membership.id) & (StepChange.kind == "end")
    )
    lately = ended.where(StepChange.created_at >= since)
    # An end the history does not hold (data from before it was kept) counts as lately.
    left_lately = Membership.select(Membership.person).where(
        Membership.project.in_(mine)
        & (Membership.status == "ended")
        & ~fn.EXISTS(still_in)
        & (fn.EXISTS(lately) | ~fn.EXISTS(ended))
    )
    return RemovalRequest.person.in_(current_here) | RemovalRequest.person.in_(left_lately)


def removal_what_if(person: Person, actor) -> list:
    """What removing the person does to the 51% check, as the viewer may know it (simulate:
    the erasure runs in a savepoint that is rolled back). Call inside the removal's
    transaction, after its checks."""
    return simulate(lambda: erase_person(person), actor)


def _erase(actor, person: Person) -> None:
    """Erase the person and plan again the rota of every project they were still in, as
    ending a membership does (models/people/growth.py save_membership_change).

    A turn fixed by a swap or by hand keeps its people when the rota is planned again, but a
    removed person can never take it: as when the chair or minute-taker sends apologies
    (models.meetings.rota.set_attendance), that meeting is planned again too, and a removed
    duo partner no longer chairs along."""
    projects = {
        m.project_id
        for m in Membership.select(Membership.project).where(
            (Membership.person == person.id) & (Membership.status != "ended")
        )
    }
    named = Meeting.select().where(
        (Meeting.state == "planned")
        & (
            (Meeting.chair == person.id)
            | (Meeting.chair_duo == person.id)
            | (Meeting.minute_taker == person.id)
        )
    )
    for meeting in named:
        if meeting.chair_duo_id == person.id:
            meeting.chair_duo = None
            audit.record(
                actor,
                "rota.duo",
                meeting,
                project=meeting.project_id,
                before={"chair_duo": person.id},
                after={"chair_duo": None},
            )
        if person.id in (meeting.chair_id, meeting.minute_taker_id):
            meeting.rota_fixed = False
        meeting.save()
        projects.add(meeting.project_id)
    erase_person(person)
    for project_id in sorted(projects):
        # PRODUCT.md "Rotation": an end re-plans the meetings not started.
        replan_rota(project_id, actor=actor)


@dataclass(frozen=True)
class RemovalStep:
    """Where a removal stands after one try: `done`, or waiting for the 51% confirmation
    (`changes`, the what-if the confirming screen shows) for `person` (`request`: the open
    request of a removal a coordinator started)."""

    person: Person
    changes: list
    done: bool
    request: RemovalRequest | None = None


# --- asked by the person -------------------------------------------------------------------


def ask_removal(account_id: int, person_id: int) -> None:
    """The person asks a coordinator to remove them."""
    with database.atomic():
        Person.update(removal_requested_at=now()).where(
            (Person.id == person_id) & Person.removal_requested_at.is_null()
        ).execute()
        audit.record(account_id, "person.ask_removal", person=person_id)


def removal_requests() -> list[Person]:
    """People who asked to be removed and are not yet, the longest waiting first."""
    return list(
        Person.select()
        .where(Person.removal_requested_at.is_null(False) & Person.erased_at.is_null())
        .order_by(Person.removal_requested_at)
    )


def check_self_removal(actor, person_id: int) -> Person:
    """The locked row of someone who asked to be removed, or a refusal (RuleError) when they
    did not ask, are removed already or hold the last administrator right, or when the one
    removing counts as the person (they asked through an account opened with a link the
    remover made: the request and the removal are the two halves of a four-eyes rule). Call
    inside a transaction."""
    person = _locked(person_id)
    if person.removal_requested_at is None or person.erased_at is not None:
        raise RuleError(NOT_ASKED)
    if counts_as(actor, person.id):
        raise RuleError(OWN_REMOVAL)
    if Grant.person_is_administrator(person.id) and Grant.administrators() <= 1:
        raise RuleError(LAST_ADMIN)
    return person


def remove_person(actor, person_id: int, *, confirmed: bool, accepted_below: bool) -> RemovalStep:
    """Remove someone who asked for it, in one transaction: the checks
    (check_self_removal), the what-if of the 51% check, and, once that is confirmed, the
    erasure and the re-planned rotas, in the audit log with the confirmation
    (models.people.whatif.below_note)."""
    with database.atomic():
        person = check_self_removal(actor, person_id)
        changes = removal_what_if(person, actor)
        if verdict(changes, confirmed=confirmed, accepted_below=accepted_below) is not None:
            return RemovalStep(person, changes, done=False)
        _erase(actor.account_id, person)
        audit.record(
            actor.account_id, "person.erase", person, person=person.id, note=below_note(changes)
        )
    return RemovalStep(person, changes, done=True)


# --- started by a coordinator, confirmed by a second ---------------------------------------


def removal_view(person: Person) -> dict:
    """What the removal page of a person shows, in three queries: their projects, whether
    they have an account, and the open request with who started it. No client background."""
    memberships = list(
        Membership.select(Membership.id, Membership.status, Project.id, Project.name)
        .join(Project)
        .where(Membership.person == person.id)
        .order_by(Project.name)
    )
    return {
        "memberships": memberships,
        "has_account": Account.select().where(Account.person == person.id).exists(),
        "removal": RemovalRequest.open_for(person.id),
    }


def open_removals(actor) -> list[RemovalRequest]:
    """The open removals a viewer may confirm or cancel (see may_remove),
    the longest waiting first, at most 200 (one query)."""
    query = RemovalRequest.with_people().where(RemovalRequest.state == "open")
    if not actor.is_org_coordinator:
        query = query.where(_removable_by(actor))
    return list(query.order_by(RemovalRequest.started_at, RemovalRequest.id).limit(200))


def removals_to_confirm(actor) -> int:
    """How many open removals wait for this viewer to confirm or cancel: those they may
    (may_remove), leaving out those they count as the starter of, or as the person to be
    removed (models/accounts/trust.py `counts_as`: their own, or one whose account and theirs
    may be in the same hands through links), as confirm_removal would refuse them ("Voor
    jou"). One query whatever the number of requests; none for a viewer without the
    coordinator right. Its SQL is built once per shape (models/sql_once.py): on every
    coordinator's start page, building it was a quarter of the page's CPU (issue 23)."""
    if not (actor.is_org_coordinator or actor.coordinates):
        return 0
    values = {}
    if actor.account_id is not None:
        values["account"] = actor.account_id
    eyes = (sorted({p for p in actor.eyes if p is not None}) or [0]) if actor.eyes else []
    if eyes:
        values.update(in_values("eye", eyes, in_size(len(eyes))))
    mine = []
    if not actor.is_org_coordinator:
        mine = sorted(actor.coordinates)
        values.update(in_values("mine", mine, in_size(len(mine))))
        since = now() - dt.timedelta(days=LEFT_WITHIN_DAYS)
        values["since"] = StepChange.created_at.db_value(since)
    query = _TO_CONFIRM(
        account=actor.account_id is not None,
        eyes=in_size(len(eyes)) if eyes else 0,
        mine=in_size(len(mine)) if mine else 0,
    )
    return query.scalar(**values)


def _to_confirm(account: bool, eyes: int, mine: int):
    """The count of removals_to_confirm, in a shape: with the viewer's account, `eyes` slots
    for the people they count as, `mine` slots for the projects they coordinate (0: the
    organisation's coordinator, any person)."""
    starter = Account.alias()
    query = (
        RemovalRequest.select()
        .join(starter, JOIN.LEFT_OUTER, on=(RemovalRequest.started_by == starter.id))
        .where(RemovalRequest.state == "open")
    )
    if account:
        query = query.where(
            RemovalRequest.started_by.is_null() | (RemovalRequest.started_by != Slot("account"))
        )
    if eyes:
        hands = in_slots("eye", eyes)
        query = query.where(
            fn.COALESCE(starter.person, 0).not_in(same_hands_of(hands))
            & RemovalRequest.person.not_in(same_hands_of(hands))
        )
    if mine:
        query = query.where(_removable_among(in_slots("mine", mine), Slot("since")))
    # As peewee's count(): the query wrapped, COUNT(1) over it.
    wrapped = query.order_by().alias("_wrapped").select(SQL("1"))
    return Select([wrapped], [fn.COUNT(SQL("1"))]).bind(database)


_TO_CONFIRM = Shaped(_to_confirm)


def _locked(person_id: int) -> Person:
    """The person's row, locked until the transaction ends (one removal at a time); without
    the key, so audit lines and re-planned meetings that point at the person do not wait."""
    return lock_for_update(Person.select().where(Person.id == person_id), no_key=True).get()


def start_removal(actor, person_id: int, reason: str) -> RemovalRequest:
    """A coordinator (`actor`, models.actor.Actor) starts the removal of someone without an
    account. Refuses (RuleError) for a person with an account, one already removed, or one
    with an open removal. The caller checked the actor's right (may_remove)."""
    with database.atomic():
        person = _locked(person_id)
        if person.erased_at is not None:
            raise RuleError(ALREADY_REMOVED)
        if Account.select().where(Account.person == person.id).exists():
            raise RuleError(HAS_ACCOUNT)
        if (
            RemovalRequest.select()
            .where((RemovalRequest.person == person.id) & (RemovalRequest.state == "open"))
            .exists()
        ):
            raise RuleError(ALREADY_STARTED)
        request = RemovalRequest.create(
            person=person.id, started_by=actor.account_id, reason=reason
        )
        audit.record(
            actor.account_id,
            "person.removal_start",
            request,
            person=person.id,
            after={"reason": reason},
        )
    return request


def _open_request(person_id: int, request_id: int | None) -> RemovalRequest:
    """The open request the page showed (its id was posted), or a refusal when it was closed
    meanwhile, or another one was started since."""
    request = RemovalRequest.get_or_none(
        (RemovalRequest.id == (request_id or 0))
        & (RemovalRequest.person == person_id)
        & (RemovalRequest.state == "open")
    )
    if request is None:
        raise RuleError(NO_OPEN_REMOVAL)
    return request


def _starter(request: RemovalRequest) -> int | None:
    """The person (of the account) who started the request."""
    if request.started_by_id is None:
        return None
    return Account.select(Account.person).where(Account.id == request.started_by_id).scalar()


def _started_by(request: RemovalRequest, actor) -> bool:
    """True when the actor started the request, or counts as the one who did (a link either
    made for the other's account: models/accounts/trust.py)."""
    return counts_as(actor, _starter(request))


def check_confirm(actor, person_id: int, request_id: int | None):
    """(locked person, open request) a second coordinator may confirm, or a refusal
    (RuleError): the one who started it (or who counts as them), a request closed meanwhile,
    a person removed or with an account by now. The caller checked the actor's right. Call
    inside a transaction."""
    person = _locked(person_id)
    request = _open_request(person.id, request_id)
    if _started_by(request, actor):
        raise RuleError(OWN_REQUEST)
    if counts_as(actor, person.id):
        raise RuleError(OWN_REMOVAL)
    if person.erased_at is not None:
        raise RuleError(ALREADY_REMOVED)
    if Account.select().where(Account.person == person.id).exists():
        raise RuleError(HAS_ACCOUNT)
    return person, request


def confirm_removal(
    actor, person_id: int, request_id: int | None, *, confirmed: bool, accepted_below: bool
) -> RemovalStep:
    """A second coordinator confirms, in one transaction: the checks (check_confirm), the
    what-if of the 51% check, and, once that is confirmed (`confirmed`, and `accepted_below`
    when a group (may) fall below 51%), the erasure and the re-planned rotas with the
    confirmation in the audit line (models.people.whatif.below_note). Refuses (RuleError) as
    check_confirm."""
    with database.atomic():
        person, request = check_confirm(actor, person_id, request_id)
        changes = removal_what_if(person, actor)
        if verdict(changes, confirmed=confirmed, accepted_below=accepted_below) is not None:
            return RemovalStep(person, changes, done=False, request=request)
        RemovalRequest.update(state="confirmed", closed_by=actor.account_id, closed_at=now()).where(
            RemovalRequest.id == request.id
        ).execute()
        audit.record(
            actor.account_id,
            "person.removal_confirm",
            request,
            person=person.id,
            note=below_note(changes),
        )
        _erase(actor.account_id, person)
    return RemovalStep(person, changes, done=True, request=request)


def cancel_removal(actor, person_id: int, request_id: int | None) -> str:
    """The starter withdraws the request, or another coordinator cancels it; nothing about
    the person changes. Returns the audit action written ("person.removal_withdraw" or
    "person.removal_cancel")."""
    with database.atomic():
        person = _locked(person_id)
        request = _open_request(person.id, request_id)
        withdrawn = request.started_by_id == actor.account_id or _started_by(request, actor)
        action = "person.removal_withdraw" if withdrawn else "person.removal_cancel"
        RemovalRequest.update(state="cancelled", closed_by=actor.account_id, closed_at=now()).where(
            RemovalRequest.id == request.id
        ).execute()
        audit.record(actor.account_id, action, request, person=person.id)
    return action
