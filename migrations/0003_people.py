"""People and growth: step changes, development conversations, vacancies and their committees.

Frozen copies of models/growth.py as they were when this migration was written.
"""

import datetime

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    now = datetime.datetime.utcnow
    today = datetime.date.today

    class Person(Base):
        class Meta:
            table_name = "person"

    class Project(Base):
        class Meta:
            table_name = "project"

    class RoleStep(Base):
        class Meta:
            table_name = "role_step"

    class Membership(Base):
        class Meta:
            table_name = "membership"

    class StepChange(Base):
        membership = ForeignKeyField(Membership, on_delete="CASCADE")
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

    class Conversation(Base):
        person = ForeignKeyField(Person, on_delete="CASCADE")
        on = DateField(default=today, index=True)
        participants = TextField(default="")
        notes = TextField(default="")
        recorded_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
        created_at = DateTimeField(default=now)

    class Vacancy(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        step = ForeignKeyField(RoleStep, on_delete="RESTRICT", backref="+")
        layer = CharField(max_length=12, default="execution")
        title = CharField(max_length=200)
        text = TextField(default="")
        state = CharField(max_length=8, default="open", index=True)
        filled_by = ForeignKeyField(Person, null=True, on_delete="SET NULL", backref="+")
        created_at = DateTimeField(default=now)

    class VacancyInterest(Base):
        vacancy = ForeignKeyField(Vacancy, on_delete="CASCADE")
        person = ForeignKeyField(Person, on_delete="CASCADE", backref="+")
        created_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("vacancy", "person"), True),)

    class CommitteeSeat(Base):
        vacancy = ForeignKeyField(Vacancy, on_delete="CASCADE")
        person = ForeignKeyField(Person, on_delete="CASCADE", backref="+")

        class Meta:
            indexes = ((("vacancy", "person"), True),)

    db.create_tables([StepChange, Conversation, Vacancy, VacancyInterest, CommitteeSeat])
