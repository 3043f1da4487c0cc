"""Growth over time: step changes, development conversations and vacancies (PRODUCT.md
"Role growth")."""

from peewee import JOIN, CharField, DateField, DateTimeField, ForeignKeyField, TextField

from models.clock import now, today
from models.db import BaseModel
from models.organisation import Project
from models.people import Membership, RoleStep
from models.person import Person

# up, back: a step on the ladder; pause, return, end: the status; layer: another layer;
# start: a new membership. Stepping back is a normal event (PRODUCT.md "Role growth").
CHANGE_KINDS = ("start", "up", "back", "pause", "return", "end", "layer")
VACANCY_STATES = ("open", "filled", "closed")


class StepChange(BaseModel):
    """One change of a membership's step, layer or status, with who recorded it and why."""

    membership = ForeignKeyField(Membership, backref="changes", on_delete="CASCADE")
    kind = CharField(max_length=8)
    on = DateField(default=today, index=True)
    from_step = ForeignKeyField(RoleStep, null=True, on_delete="SET NULL", backref="+")
    to_step = ForeignKeyField(RoleStep, null=True, on_delete="SET NULL", backref="+")
    from_layer = CharField(max_length=12, default="")
    to_layer = CharField(max_length=12, default="")
    from_status = CharField(max_length=8, default="")
    to_status = CharField(max_length=8, default="")
    recorded_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    note = TextField(default="")
    created_at = DateTimeField(default=now)

    @classmethod
    def path_of(cls, person_id: int):
        """A person's changes over time with project and steps (one query)."""
        FromStep = RoleStep.alias()
        ToStep = RoleStep.alias()
        return (
            cls.select(cls, Membership, Project, FromStep, ToStep)
            .join(Membership)
            .join(Project)
            .switch(cls)
            .join(FromStep, JOIN.LEFT_OUTER, on=(cls.from_step == FromStep.id))
            .switch(cls)
            .join(ToStep, JOIN.LEFT_OUTER, on=(cls.to_step == ToStep.id))
            .where(Membership.person == person_id)
            .order_by(cls.on.desc(), cls.id.desc())
        )


class Conversation(BaseModel):
    """A development conversation ("ontwikkelgesprek"); the person can read every note."""

    person = ForeignKeyField(Person, backref="conversations", on_delete="CASCADE")
    on = DateField(default=today, index=True)
    participants = TextField(default="")
    notes = TextField(default="")
    recorded_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=now)


class Vacancy(BaseModel):
    """An open role in a project, inviting people with a client background first."""

    project = ForeignKeyField(Project, backref="vacancies", on_delete="CASCADE")
    step = ForeignKeyField(RoleStep, on_delete="RESTRICT", backref="+")
    layer = CharField(max_length=12, default="execution")
    title = CharField(max_length=200)
    text = TextField(default="")
    state = CharField(max_length=8, default="open", index=True)
    filled_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=now)


class VacancyInterest(BaseModel):
    """A person who showed interest in a vacancy."""

    vacancy = ForeignKeyField(Vacancy, backref="interests", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE", backref="+")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("vacancy", "person"), True),)


class CommitteeSeat(BaseModel):
    """A person on a vacancy's hiring committee."""

    vacancy = ForeignKeyField(Vacancy, backref="committee", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE", backref="+")

    class Meta:
        indexes = ((("vacancy", "person"), True),)


def kind_of_change(membership: Membership, step: RoleStep, layer: str, status: str) -> str | None:
    """The kind of a change (None: nothing on the ladder, layer or status changes).

    A change of status names the change (pause, return, end); else a step up or back;
    else a move to another layer.
    """
    if status != membership.status:
        return {"paused": "pause", "ended": "end", "active": "return"}[status]
    if step.id != membership.step_id:
        old = RoleStep.get_by_id(membership.step_id)
        return "up" if (step.position, step.id) > (old.position, old.id) else "back"
    if layer != membership.layer:
        return "layer"
    return None


def change_membership(
    membership: Membership,
    *,
    step: RoleStep,
    layer: str,
    status: str,
    recorded_by: int | None,
    note: str = "",
    on=None,
) -> StepChange | None:
    """Change a membership's step, layer or status and record it; call inside a transaction."""
    kind = kind_of_change(membership, step, layer, status)
    if kind is None:
        return None
    change = StepChange.create(
        membership=membership,
        kind=kind,
        on=on or today(),
        from_step=membership.step_id,
        to_step=step.id,
        from_layer=membership.layer,
        to_layer=layer,
        from_status=membership.status,
        to_status=status,
        recorded_by=recorded_by,
        note=note,
    )
    membership.step = step
    membership.layer = layer
    membership.status = status
    membership.save()
    return change


def start_membership(
    person, project, *, step, layer, status="active", since=None, recorded_by=None, note="", **extra
) -> Membership:
    """A new membership, recorded as the start of a path; call inside a transaction."""
    membership = Membership.create(
        person=person,
        project=project,
        step=step,
        layer=layer,
        status=status,
        since=since or today(),
        **extra,
    )
    StepChange.create(
        membership=membership,
        kind="start",
        on=membership.since,
        to_step=step,
        to_layer=layer,
        to_status=status,
        recorded_by=recorded_by,
        note=note,
    )
    return membership
