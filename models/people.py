"""The ladder of role steps and memberships: a person in a project, at a layer and a step."""

from peewee import CharField, DateField, ForeignKeyField, IntegerField, TextField

from models.clock import today
from models.db import BaseModel
from models.organisation import Project
from models.person import Person

LAYERS = ("execution", "coordination", "management")
ROLE_CATEGORIES = ("participant", "volunteer", "paid_staff")
STATUSES = ("active", "paused", "ended")

# PRODUCT.md "Organisation, projects, people": the default ladder.
DEFAULT_LADDER = (
    ("Deelnemer", "participant", "Je doet mee aan de activiteiten."),
    ("Vrijwilliger", "volunteer", "Je helpt mee en hebt vaste taken."),
    (
        "Vrijwilliger met extra taken",
        "volunteer",
        "Je hebt meer taken, bijvoorbeeld nieuwe mensen wegwijs maken.",
    ),
    ("Werkbegeleider", "paid_staff", "Je bent betaald en begeleidt het werk van de groep."),
    ("Projectleider", "paid_staff", "Je bent betaald en leidt het project."),
)


class RoleStep(BaseModel):
    """A step on the organisation's ladder, in one role category."""

    position = IntegerField(index=True)
    name = CharField(max_length=80, unique=True)
    category = CharField(max_length=12)
    description = TextField(default="")

    @classmethod
    def ladder(cls):
        """The steps in order."""
        return cls.select().order_by(cls.position, cls.id)

    @classmethod
    def ensure_default(cls):
        """Create the default ladder when the organisation has none yet."""
        if not cls.select().exists():
            for position, (name, category, description) in enumerate(DEFAULT_LADDER, 1):
                cls.create(position=position, name=name, category=category, description=description)


class Membership(BaseModel):
    """A person in a project: layer, step, status, opt-ins, tasks and an optional duo partner."""

    person = ForeignKeyField(Person, backref="memberships", on_delete="CASCADE")
    project = ForeignKeyField(Project, backref="memberships", on_delete="CASCADE")
    layer = CharField(max_length=12, default="execution")
    step = ForeignKeyField(RoleStep, on_delete="RESTRICT")
    status = CharField(max_length=8, default="active", index=True)
    since = DateField(default=today)
    # The date someone opted in decides rotation order (PRODUCT.md "Rotation"); NULL = not.
    chair_since = DateField(null=True)
    minutes_since = DateField(null=True)
    tasks = TextField(default="")
    duo_partner = ForeignKeyField(Person, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("person", "project"), True),)
