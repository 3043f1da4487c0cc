"""The foundation: people, organisation, projects, notices, ladder, memberships, accounts, audit.

Models here are frozen copies of the models as they were when this migration was written, so
later changes to models/ never change what this step builds.
"""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    now = datetime.datetime.utcnow
    today = datetime.date.today

    class Person(Base):
        display_name = CharField(max_length=80, unique=True, null=True)
        contact = TextField(default="")
        client_background = CharField(max_length=8, default="not_said")
        background_consent_on = DateField(null=True)
        background_recorded_by = ForeignKeyField("self", null=True, on_delete="SET NULL")
        wants_paid_work = BooleanField(default=False)
        dream = TextField(default="")
        learn = TextField(default="")
        removal_requested_at = DateTimeField(null=True)
        erased_at = DateTimeField(null=True)
        created_at = DateTimeField(default=now)

    class Organisation(Base):
        name = CharField(max_length=120)
        description = TextField(default="")
        km_rate_cents = IntegerField(default=23)

    class Project(Base):
        name = CharField(max_length=120, unique=True)
        description = TextField(default="")
        steering_type = CharField(max_length=20, default="client_steered")
        ladder_level = IntegerField(default=4)
        created_at = DateTimeField(default=now)

    class Announcement(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        title = CharField(max_length=200)
        body = TextField()
        author = ForeignKeyField(Person, null=True, on_delete="SET NULL")
        created_at = DateTimeField(default=now, index=True)

    class RoleStep(Base):
        position = IntegerField(index=True)
        name = CharField(max_length=80, unique=True)
        category = CharField(max_length=12)
        description = TextField(default="")

    class Membership(Base):
        person = ForeignKeyField(Person, on_delete="CASCADE")
        project = ForeignKeyField(Project, on_delete="CASCADE")
        layer = CharField(max_length=12, default="execution")
        step = ForeignKeyField(RoleStep, on_delete="RESTRICT")
        status = CharField(max_length=8, default="active", index=True)
        since = DateField(default=today)
        chair_since = DateField(null=True)
        minutes_since = DateField(null=True)
        tasks = TextField(default="")
        duo_partner = ForeignKeyField(Person, null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("person", "project"), True),)

    class Account(Base):
        person = ForeignKeyField(Person, unique=True, on_delete="CASCADE")
        username = CharField(max_length=60, unique=True)
        password_hash = CharField(max_length=255)
        language = CharField(max_length=5, default="nl")
        created_at = DateTimeField(default=now)
        last_login_at = DateTimeField(null=True)

    class Grant(Base):
        account = ForeignKeyField(Account, on_delete="CASCADE")
        right = CharField(max_length=12)
        project = ForeignKeyField(Project, null=True, on_delete="CASCADE")
        granted_by = ForeignKeyField(Account, null=True, on_delete="SET NULL")
        granted_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("account", "right", "project"), True),)

    class UserSession(Base):
        key_hash = CharField(max_length=64, unique=True)
        account = ForeignKeyField(Account, on_delete="CASCADE")
        created_at = DateTimeField(default=now)
        last_seen_at = DateTimeField(default=now)

    class AuditEntry(Base):
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

    db.create_tables(
        [
            Person,
            Organisation,
            Project,
            Announcement,
            RoleStep,
            Membership,
            Account,
            Grant,
            UserSession,
            AuditEntry,
        ]
    )
