"""The audit log: who changed what, when, with the values before and after."""

import json

from peewee import JOIN, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.accounts import Account
from models.bulk import insert_rows
from models.clock import now
from models.db import BaseModel
from models.organisation import Project
from models.person import Person

# Keys whose values are individual client-background answers or secrets. Secrets are never
# written; background answers are written but shown only to holders of the privacy right.
SECRET_KEYS = frozenset({"password", "password_hash", "token", "key_hash"})
SENSITIVE_KEYS = frozenset({"client_background"})


class AuditEntry(BaseModel):
    """One change, recorded in the same transaction as the change itself."""

    at = DateTimeField(default=now, index=True)
    actor = ForeignKeyField(Account, null=True, on_delete="SET NULL")
    action = CharField(max_length=60)
    object_type = CharField(max_length=40)
    object_id = IntegerField(null=True)
    project = ForeignKeyField(Project, null=True, on_delete="SET NULL")
    person = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    before = TextField(default="{}")
    after = TextField(default="{}")
    note = TextField(default="")

    def values(self, which: str, privacy: bool) -> dict:
        """Before or after values, with background answers hidden unless `privacy`."""
        data = json.loads(getattr(self, which) or "{}")
        if not privacy:
            data = {k: ("…" if k in SENSITIVE_KEYS else v) for k, v in data.items()}
        return data

    @classmethod
    def visible_to(cls, rights: frozenset, coordinates=()):
        """The lines someone with these rights, coordinating these projects, may see, with
        who made each (`actor_account.who`), about whom (`subject`) and which project
        (`about`).

        Administrators and organisation coordinators see every project's lines, a project
        coordinator their projects' lines; client-background lines need the privacy right
        and claim lines the treasurer's right.

        Of the account, the people and the project only what a line shows (their names):
        four whole rows per line were most of /audit's CPU (issue 23).
        """
        actor, actor_person, subject = Account.alias(), Person.alias(), Person.alias()
        query = (
            cls.select(
                *(cls, actor.id, actor.person, actor_person.id, actor_person.display_name),
                *(subject.id, subject.display_name, Project.id, Project.name),
            )
            .join(actor, JOIN.LEFT_OUTER, on=(cls.actor == actor.id), attr="actor_account")
            .join(actor_person, JOIN.LEFT_OUTER, on=(actor.person == actor_person.id), attr="who")
            .switch(cls)
            .join(subject, JOIN.LEFT_OUTER, on=(cls.person == subject.id), attr="subject")
            .switch(cls)
            .join(Project, JOIN.LEFT_OUTER, on=(cls.project == Project.id), attr="about")
        )
        if not rights & {"admin", "org_coordinator"}:
            query = query.where(cls.project.in_(list(coordinates) or [0]))
        if "privacy" not in rights:
            # That someone's client background changed at all is theirs to tell (health data).
            query = query.where(~cls.action.startswith("person.background"))
        if "treasurer" not in rights:
            # Who claimed a reimbursement is for the treasurer and the sub-budget's manager only.
            query = query.where(~cls.action.startswith("budget.claim."))
        return query


def _clean(values: dict | None) -> str:
    values = {k: v for k, v in (values or {}).items() if k not in SECRET_KEYS}
    return json.dumps(values, default=str, ensure_ascii=False, sort_keys=True)


def record(
    actor,
    action: str,
    obj=None,
    *,
    project=None,
    person=None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEntry:
    """Write an audit line; call it inside the transaction that makes the change."""
    return AuditEntry.create(
        actor=actor,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        project=project,
        person=person,
        before=_clean(before),
        after=_clean(after),
        note=note,
    )


def record_many(actor, action: str, object_type: str, changes: list[tuple[int, dict]]) -> None:
    """Write one audit line per (object id, values after) of one action, as `record` would,
    with one INSERT per 500 lines (a file import's thousands of entries); call it inside the
    transaction that makes the changes."""
    at = now()
    rows = [
        {"at": at, "actor": actor, "action": action, "object_type": object_type,
         "object_id": object_id, "project": None, "person": None, "before": _clean(None),
         "after": _clean(after), "note": ""}
        for object_id, after in changes
    ]  # fmt: skip
    insert_rows(AuditEntry, rows)
