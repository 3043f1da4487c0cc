"""The people area's tables for vacancies: an open role in a project, the people interested
and its hiring committee (PRODUCT.md "Role growth"), with the queries on them. The rules and
writes are in models/people/vacancies.py."""

from peewee import JOIN, CharField, DateTimeField, ForeignKeyField, TextField

from models.clock import now
from models.db import BaseModel
from models.organisation import Project
from models.paging import PAGE_SIZE, Page, keyset_page
from models.people.tables import Membership, RoleStep
from models.person import Person


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

    @classmethod
    def is_open(cls, vacancy_id: int) -> bool:
        """Whether the vacancy is open now (read afresh: inside a transaction, closing
        wins)."""
        return cls.select().where((cls.id == vacancy_id) & (cls.state == "open")).exists()

    @classmethod
    def of_project(cls, project, size: int = PAGE_SIZE, **where_on) -> Page:
        """A page of the project's vacancies with their steps, open ones first ("open" after
        "filled" in reverse), newest first (`where_on`: after, before; models/paging.py)."""
        query = (
            cls.select(cls, RoleStep)
            .join(RoleStep, on=(cls.step == RoleStep.id))
            .where(cls.project == project)
        )
        keys = lambda v: [v.state, v.created_at, v.id]  # noqa: E731
        return keyset_page(query, keys, cls, size=size, **where_on)


class VacancyInterest(BaseModel):
    """A person who showed interest in a vacancy."""

    vacancy = ForeignKeyField(Vacancy, backref="interests", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE", backref="+")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("vacancy", "person"), True),)

    @classmethod
    def shown_by(cls, vacancy, person):
        """The rows of one person's interest in one vacancy (a query, empty or one)."""
        return cls.select().where((cls.vacancy == vacancy) & (cls.person == person))

    @classmethod
    def people_per_vacancy(cls, vacancy_ids) -> dict[int, list]:
        """{vacancy id: the people interested, by name} (one query)."""
        interests: dict[int, list] = {}
        for row in (
            cls.select(cls, Person)
            .join(Person, on=(cls.person == Person.id))
            .where(cls.vacancy.in_(list(vacancy_ids) or [0]))
            .order_by(Person.display_name)
        ):
            interests.setdefault(row.vacancy_id, []).append(row.person)
        return interests


class CommitteeSeat(BaseModel):
    """A person on a vacancy's hiring committee."""

    vacancy = ForeignKeyField(Vacancy, backref="committee", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE", backref="+")

    class Meta:
        indexes = ((("vacancy", "person"), True),)

    @classmethod
    def held_by(cls, vacancy, person):
        """The seat of one person on one vacancy's committee (a query, empty or one)."""
        return cls.select().where((cls.vacancy == vacancy) & (cls.person == person))

    @classmethod
    def per_vacancy(cls, project, vacancy_ids) -> dict[int, list]:
        """{vacancy id: the committee}, each seat a dict with person_id, display_name,
        shown_name and the category of their active step in the project (None: not in it)."""
        seats = (
            cls.select(
                cls.vacancy,
                Person.id.alias("person_id"),
                Person.display_name,
                RoleStep.category,
            )
            .join(Person, on=(cls.person == Person.id))
            .join(
                Membership,
                JOIN.LEFT_OUTER,
                on=(
                    (Membership.person == Person.id)
                    & (Membership.project == project)
                    & (Membership.status == "active")
                ),
            )
            .join(RoleStep, JOIN.LEFT_OUTER, on=(Membership.step == RoleStep.id))
            .where(cls.vacancy.in_(list(vacancy_ids) or [0]))
            .order_by(Person.display_name)
            .dicts()
        )
        committee: dict[int, list] = {}
        for seat in seats:
            seat["shown_name"] = Person(display_name=seat["display_name"]).shown_name
            committee.setdefault(seat["vacancy"], []).append(seat)
        return committee
