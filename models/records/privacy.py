"""A person's privacy: "Mijn gegevens downloaden", asking to be removed, and the erasure.

`personal_data` gathers everything Tafel holds about one person: the person, memberships,
account and audit lines, and through `extra_sections` each other area's part. Every part
holds data about that person only: never another person's name or answers.

Erasure (PRODUCT.md "can be removed") takes the identity away: the name, contact details,
answers and account go; memberships and history stay as "former member". Who may start and
confirm a removal is in models/records/removal.py.
"""

import json

from peewee import JOIN

from models.accounts.audit import AuditEntry
from models.accounts.tables import AccessLink, Account, CalendarFeed, Grant, RemovalRequest
from models.budget import Claim
from models.clock import now
from models.meetings.minutes_tables import Minutes, MinutesNote
from models.meetings.project_tables import Action, Signal
from models.meetings.tables import Meeting, Proposal, Stance
from models.news import reading as news
from models.organisation import Project
from models.people import Membership, RoleStep
from models.people.tables import Conversation, StepChange
from models.people.vacancy_tables import VacancyInterest
from models.person import Person

# Values in audit lines about a person that go when their identity is erased.
ERASED_KEYS = frozenset({"client_background", "consent_on", "username", "contact"})
# The reason a removal was started may name the person: it goes from those lines too.
REMOVAL_ACTIONS = "person.removal_"


# What an account held after someone else's link does not show (models/accounts/links.py).
HELD_KEYS = frozenset({"client_background", "consent_on"})
HELD_NOTE = (
    "This account was opened with a link that someone else made. Give your answer about "
    "experience as a client again in My path to see it here."
)


def personal_data(person_id: int, background_held: bool = False) -> dict:
    """Everything Tafel holds about one person, and nothing about anyone else.

    `background_held`: the account asking was opened through someone else's link and the
    person has not given their answer again; the client-background answer, its date of
    consent and the history's values of them are left out (the same file whatever the
    answer)."""
    person = Person.get_by_id(person_id)
    account = Account.of_person(person_id)
    memberships = (
        Membership.select(Membership, Project, RoleStep)
        .join(Project)
        .switch(Membership)
        .join(RoleStep)
        .where(Membership.person == person_id)
        .order_by(Project.name)
    )
    rights = []
    if account is not None:
        rights = [
            {"right": g.right, "project": g.project.name if g.project else None}
            for g in Grant.select(Grant, Project)
            .join(Project, JOIN.LEFT_OUTER)
            .where(Grant.account == account.id)
        ]
    lines = AuditEntry.select().where(AuditEntry.person == person_id).order_by(AuditEntry.at)
    data = {
        "made_at": now().isoformat(),
        "person": {
            "display_name": person.display_name,
            "contact": person.contact,
            "client_background": person.client_background,
            "background_consent_on": person.background_consent_on,
            "share_background": person.share_background,
            "wants_paid_work": person.wants_paid_work,
            "dream": person.dream,
            "learn": person.learn,
            "removal_requested_at": person.removal_requested_at,
            "created_at": person.created_at,
        },
        "memberships": [
            {
                "project": m.project.name,
                "layer": m.layer,
                "step": m.step.name,
                "status": m.status,
                "since": m.since,
                "chair_since": m.chair_since,
                "minutes_since": m.minutes_since,
                "tasks": m.tasks,
                "has_duo_partner": m.duo_partner_id is not None,
            }
            for m in memberships
        ],
        "account": None
        if account is None
        else {
            "username": account.username,
            "language": account.language,
            "created_at": account.created_at,
            "last_login_at": account.last_login_at,
            "rights": rights,
        },
        "history": [
            {
                "at": line.at,
                "action": line.action,
                "before": _shown(line.values("before", True), background_held),
                "after": _shown(line.values("after", True), background_held),
            }
            for line in lines
        ],
    }
    if background_held:
        data["person"].update(
            client_background=None, background_consent_on=None, client_background_held=HELD_NOTE
        )
    data.update(extra_sections(person_id))
    return data


def readable_names() -> dict:
    """The names of the ladder's steps and of the projects by id, for the page that shows
    `personal_data` in words (two queries, bounded by the ladder and the projects)."""
    return {
        "step_names": {s.id: s.name for s in RoleStep.select(RoleStep.id, RoleStep.name)},
        "project_names": {p.id: p.name for p in Project.select(Project.id, Project.name)},
    }


def _shown(values: dict, background_held: bool) -> dict:
    """An audit line's values, without the client background while it is held."""
    if not background_held:
        return values
    return {key: value for key, value in values.items() if key not in HELD_KEYS}


# --- the other areas' parts ----------------------------------------------------------------


def steps(person_id: int) -> list[dict]:
    """The person's steps over time (who recorded them is left out: that is someone else)."""
    query = (
        StepChange.select(StepChange, Membership)
        .join(Membership)
        .where(Membership.person == person_id)
        .order_by(StepChange.on, StepChange.id)
    )
    return [
        {
            "project_id": change.membership.project_id,
            "kind": change.kind,
            "on": change.on,
            "from_step_id": change.from_step_id,
            "to_step_id": change.to_step_id,
            "from_layer": change.from_layer,
            "to_layer": change.to_layer,
            "from_status": change.from_status,
            "to_status": change.to_status,
            "note": change.note,
        }
        for change in query
    ]


def conversations(person_id: int) -> list[dict]:
    """Development conversations about the person."""
    query = Conversation.select().where(Conversation.person == person_id).order_by(Conversation.on)
    return [{"on": c.on, "notes": c.notes} for c in query]


def vacancy_interest(person_id: int) -> list[dict]:
    """Vacancies the person showed interest in."""
    query = VacancyInterest.select().where(VacancyInterest.person == person_id)
    return [{"vacancy_id": i.vacancy_id, "at": i.created_at} for i in query]


def claims(person_id: int) -> list[dict]:
    """The person's claims for costs."""
    query = Claim.select().where(Claim.claimant == person_id).order_by(Claim.created_at)
    return [
        {
            "kind": c.kind,
            "km": c.km,
            "amount_cents": c.amount_cents,
            "spent_on": c.spent_on,
            "description": c.description,
            "status": c.status,
            "reason": c.reason,
            "submitted_at": c.created_at,
            "paid_at": c.paid_at,
        }
        for c in query
    ]


def stances(person_id: int) -> list[dict]:
    """Every stance the person took, with the proposal it was on (its text is the project's,
    which the person could read then); every change is kept, the latest counts. Who wrote it
    down for them is left out, only whether it was someone else."""
    query = (
        Stance.select(Stance, Proposal, Project)
        .join(Proposal, on=(Stance.proposal == Proposal.id))
        .join(Project, on=(Proposal.project == Project.id))
        .where(Stance.person == person_id)
        .order_by(Stance.created_at, Stance.id)
    )
    return [
        {
            "project": s.proposal.project.name,
            "proposal_id": s.proposal_id,
            "proposal": s.proposal.text,
            "stance": s.kind,
            "reason": s.reason,
            "at": s.created_at,
            "written_down_by_someone_else": s.recorded_by_id not in (None, person_id),
        }
        for s in query
    ]


def signals(person_id: int) -> list[dict]:
    """The ideas and problems the person shared (also those shared without their name shown),
    with the answer they got (who answered is left out)."""
    query = (
        Signal.select(Signal, Project)
        .join(Project, on=(Signal.project == Project.id))
        .where(Signal.author == person_id)
        .order_by(Signal.created_at, Signal.id)
    )
    return [
        {
            "project": s.project.name,
            "kind": s.kind,
            "text": s.text,
            "without_my_name": s.anonymous,
            "status": s.status,
            "answer": s.answer,
            "answered_at": s.answered_at,
            "at": s.created_at,
        }
        for s in query
    ]


def actions(person_id: int) -> list[dict]:
    """The actions the person holds, alone or as the duo (the other owner is left out)."""
    query = (
        Action.select(Action, Project)
        .join(Project, on=(Action.project == Project.id))
        .where((Action.owner == person_id) | (Action.duo_owner == person_id))
        .order_by(Action.created_at, Action.id)
    )
    return [
        {
            "project": a.project.name,
            "description": a.description,
            "as_duo": a.owner_id != person_id,
            "due": a.due,
            "status": a.status,
            "reason": a.reason,
            "at": a.created_at,
        }
        for a in query
    ]


def minutes_comments(person_id: int) -> list[dict]:
    """The person's comments on minutes and corrections to them, with the meeting's date."""
    query = (
        MinutesNote.select(MinutesNote, Minutes, Meeting, Project)
        .join(Minutes, on=(MinutesNote.minutes == Minutes.id))
        .join(Meeting, on=(Minutes.meeting == Meeting.id))
        .join(Project, on=(Meeting.project == Project.id))
        .where(MinutesNote.author == person_id)
        .order_by(MinutesNote.created_at, MinutesNote.id)
    )
    return [
        {
            "project": n.minutes.meeting.project.name,
            "meeting_on": n.minutes.meeting.date,
            "kind": n.kind,
            "text": n.text,
            "at": n.created_at,
        }
        for n in query
    ]


SECTIONS = {
    "steps": steps,
    "development_conversations": conversations,
    "vacancy_interest": vacancy_interest,
    "claims": claims,
    "stances": stances,
    "signals": signals,
    "actions": actions,
    "minutes_comments": minutes_comments,
    "news": news.for_my_data,
    "push_phones": news.phones_for_my_data,
}


def extra_sections(person_id: int) -> dict:
    """The parts of the other areas."""
    return {name: gather(person_id) for name, gather in SECTIONS.items()}


# --- erasure ------------------------------------------------------------------------------


def erase_person(person: Person) -> None:
    """Erase a person's identity; memberships and history stay as "former member"."""
    account = Account.of_person(person.id)
    if account is not None:
        # The calendar address stops working at once (it would go with the account anyway).
        CalendarFeed.delete().where(CalendarFeed.account == account.id).execute()
        account.delete_instance(recursive=False)  # sessions and grants go with it (CASCADE)
    AccessLink.delete().where(AccessLink.person == person.id).execute()
    # What happened to them, and the phones that were told: theirs only, nothing to keep.
    news.forget_person(person.id)
    Membership.update(status="ended").where(
        (Membership.person == person.id) & (Membership.status != "ended")
    ).execute()
    Person.update(
        display_name=None,
        contact="",
        client_background="not_said",
        background_consent_on=None,
        background_recorded_by=None,
        prior_background=None,
        background_settles_on=None,
        share_background=False,
        wants_paid_work=False,
        dream="",
        learn="",
        erased_at=now(),
    ).where(Person.id == person.id).execute()
    # A removal still open (started before the person got an account and asked themselves)
    # has nothing left to confirm.
    RemovalRequest.update(state="cancelled", closed_at=now()).where(
        (RemovalRequest.person == person.id) & (RemovalRequest.state == "open")
    ).execute()
    RemovalRequest.update(reason="").where(RemovalRequest.person == person.id).execute()
    # The history stays, but not their answers or the name they chose as a username.
    for line in AuditEntry.select().where(AuditEntry.person == person.id):
        erased = ERASED_KEYS | ({"reason"} if line.action.startswith(REMOVAL_ACTIONS) else set())
        before, after = (
            {k: v for k, v in json.loads(text or "{}").items() if k not in erased}
            for text in (line.before, line.after)
        )
        AuditEntry.update(
            before=json.dumps(before, ensure_ascii=False, sort_keys=True),
            after=json.dumps(after, ensure_ascii=False, sort_keys=True),
        ).where(AuditEntry.id == line.id).execute()
