"""A fresh installation starts with the organisation's own record and the default ladder.

Without them the first `tafel import members` failed on an empty database (no step to put
anyone on), and only the demo made them. This is a data step: it adds rows only to empty
tables, so a database that already has an organisation or a ladder (the demo's, or one an
administrator changed) keeps what it has. Like every migration it runs once and is recorded,
so a ladder an organisation later empties on purpose is never filled again behind its back.

The ladder below is a frozen copy of PRODUCT.md's default ladder as it was when this
migration was written (models/people.py DEFAULT_LADDER may change later; this step may not).
"""

from peewee import CharField, IntegerField, Model, TextField

# The name `Organisation.current()` gives a nameless organisation; `tafel setup` and the
# demo replace it.
ORGANISATION_NAME = "Tafel"

# name, role category, description: participant; volunteer; volunteer with extra tasks;
# work supervisor (paid); project lead (paid).
LADDER = (
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


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Organisation(Base):
        name = CharField(max_length=120)
        description = TextField(default="")
        km_rate_cents = IntegerField(default=23)

        class Meta:
            table_name = "organisation"

    class RoleStep(Base):
        position = IntegerField(index=True)
        name = CharField(max_length=80, unique=True)
        category = CharField(max_length=12)
        description = TextField(default="")

        class Meta:
            table_name = "role_step"

    if not Organisation.select().exists():
        Organisation.create(name=ORGANISATION_NAME)
    if not RoleStep.select().exists():
        RoleStep.insert_many(
            [
                {"position": position, "name": name, "category": category, "description": text}
                for position, (name, category, text) in enumerate(LADDER, 1)
            ]
        ).execute()
