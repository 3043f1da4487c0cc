"""A person's privacy: "Mijn gegevens downloaden", asking to be removed, and the erasure.

`personal_data` gathers everything Tafel holds about one person: the person, memberships,
account and audit lines, and through `extra_sections` each other area's part. Every part
holds data about that person only: never another person's name or answers.

Erasure (PRODUCT.md "can be removed") takes the identity away: the name, contact details,
answers and account go; memberships and history stay as "former member".
"""

import json

from peewee import JOIN

from models import audit
from models.accounts.rights import LAST_ADMIN
from models.accounts.tables import AccessLink, Account, CalendarFeed, Grant
from models.audit import AuditEntry
from models.budget import Claim
from models.clock import now
from models.organisation import Project
from models.people import Membership, RoleStep
from models.people.tables import Conversation, StepChange, VacancyInterest
from models.person import Person
from models.rules.errors import RuleError

NOT_ASKED = "This person did not ask to be removed."
# Values in audit lines about a person that go when their identity is erased.
ERASED_KEYS = frozenset({"client_background", "consent_on", "username", "contact"})


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


SECTIONS = {
    "steps": steps,
    "development_conversations": conversations,
    "vacancy_interest": vacancy_interest,
    "claims": claims,
}


def extra_sections(person_id: int) -> dict:
    """The parts of the other areas."""
    return {name: gather(person_id) for name, gather in SECTIONS.items()}


# --- removal -------------------------------------------------------------------------------


def ask_removal(account_id: int, person_id: int) -> None:
    """The person asks a coordinator to remove them (call inside a transaction)."""
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


def remove_person(actor: int, person: Person) -> None:
    """Erase the identity of someone who asked for it, in the audit log. Refuses (RuleError)
    when they did not ask or hold the last administrator right. Call inside a transaction."""
    if person.removal_requested_at is None or person.erased_at is not None:
        raise RuleError(NOT_ASKED)
    if Grant.person_is_administrator(person.id) and Grant.administrators() <= 1:
        raise RuleError(LAST_ADMIN)
    erase_person(person)
    audit.record(actor, "person.erase", person, person=person.id)


def erase_person(person: Person) -> None:
    """Erase a person's identity; memberships and history stay as "former member"."""
    account = Account.of_person(person.id)
    if account is not None:
        # The calendar address stops working at once (it would go with the account anyway).
        CalendarFeed.delete().where(CalendarFeed.account == account.id).execute()
        account.delete_instance(recursive=False)  # sessions and grants go with it (CASCADE)
    AccessLink.delete().where(AccessLink.person == person.id).execute()
    Membership.update(status="ended").where(
        (Membership.person == person.id) & (Membership.status != "ended")
    ).execute()
    Person.update(
        display_name=None,
        contact="",
        client_background="not_said",
        background_consent_on=None,
        background_recorded_by=None,
        share_background=False,
        wants_paid_work=False,
        dream="",
        learn="",
        erased_at=now(),
    ).where(Person.id == person.id).execute()
    # The history stays, but not their answers or the name they chose as a username.
    for line in AuditEntry.select().where(AuditEntry.person == person.id):
        before, after = (
            {k: v for k, v in json.loads(text or "{}").items() if k not in ERASED_KEYS}
            for text in (line.before, line.after)
        )
        AuditEntry.update(
            before=json.dumps(before, ensure_ascii=False, sort_keys=True),
            after=json.dumps(after, ensure_ascii=False, sort_keys=True),
        ).where(AuditEntry.id == line.id).execute()
