"""The organisation, its projects and each project's notice board."""

import datetime as dt
import json

from peewee import (
    JOIN,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models import tenancy
from models.clock import now
from models.db import BaseModel, is_sqlite
from models.paging import keyset_page
from models.person import Person
from models.sql_once import Prepared, Shaped, Slot

STEERING_TYPES = ("client_initiative", "client_steered", "co_steered")
LADDER_LEVELS = (1, 2, 3, 4, 5, 6)


class Organisation(BaseModel):
    """An organisation the installation serves (one, or many side by side: issue 24), answering
    on its own host name."""

    name = CharField(max_length=120)
    description = TextField(default="")
    km_rate_cents = IntegerField(default=23)
    host = CharField(max_length=253, null=True, unique=True)
    suspended = BooleanField(default=False)

    @classmethod
    def current(cls) -> "Organisation":
        """The organisation at hand (models/tenancy.py); with none chosen, the first."""
        chosen = tenancy.current_id()
        query = cls.select().order_by(cls.id)
        if chosen is not None:
            org = query.where(cls.id == chosen).first()
            if org is not None or not is_sqlite():
                return org or cls.get_by_id(chosen)  # never another organisation's record
        org = query.first()  # SQLite: an organisation's own file holds its record only
        if org is None:
            org = cls.create(name="Tafel")
        return org


class Project(BaseModel):
    """An initiative or team of the organisation."""

    name = CharField(max_length=120, unique=True)
    description = TextField(default="")
    steering_type = CharField(max_length=20, default="client_steered")
    ladder_level = IntegerField(default=4)
    created_at = DateTimeField(default=now)

    @classmethod
    def by_name(cls):
        """All projects, alphabetically."""
        return cls.select().order_by(cls.name)

    @classmethod
    def among(cls, project_ids) -> list:
        """The id and name of the projects with these ids, alphabetically (every project when
        `None`), as rows with `.id` and `.name`: the start page lists all 200 for an
        organisation coordinator, and whole projects were a seventh of its CPU."""
        query = cls.select(cls.id, cls.name).order_by(cls.name)
        if project_ids is not None:
            query = query.where(cls.id.in_(list(project_ids) or [0]))
        return list(query.namedtuples())

    @classmethod
    def name_taken(cls, name: str, but_not: int | None = None) -> bool:
        """True when another project already has this name."""
        query = cls.select().where(cls.name == name)
        if but_not:
            query = query.where(cls.id != but_not)
        return query.exists()

    def values(self) -> dict:
        """What the audit log keeps of a project."""
        return {
            "name": self.name,
            "description": self.description,
            "steering_type": self.steering_type,
            "ladder_level": self.ladder_level,
        }


class Announcement(BaseModel):
    """An official notice on a project's board, so changes are not only told in the corridor."""

    project = ForeignKeyField(Project, backref="announcements", on_delete="CASCADE")
    title = CharField(max_length=200)
    body = TextField()
    author = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now, index=True)
    # A notice Tafel writes itself (a meeting moved, cancelled or added): its kind and the
    # values of its one line, which screens show in the reader's language; `title` and `body`
    # hold the same in English for exports. None for a notice a person wrote.
    kind = CharField(max_length=32, null=True)
    params = TextField(default="")

    @property
    def facts(self) -> dict:
        """The values of a notice Tafel wrote, dates and times read back from their ISO text
        (keys ending in `date` or `time`)."""
        try:
            values = json.loads(self.params or "{}")
        except ValueError:
            return {}
        if not isinstance(values, dict):
            return {}
        for key, value in list(values.items()):
            try:
                if key.endswith("date") and value:
                    values[key] = dt.date.fromisoformat(value)
                elif key.endswith("time") and value:
                    values[key] = dt.time.fromisoformat(value)
            except (TypeError, ValueError):
                values[key] = None
        return values

    @classmethod
    def board_page(cls, project, **where_on):
        """A page of the project's notices, newest first, with their authors (one query;
        `where_on`: after, before; models/paging.py)."""
        query = (
            cls.select(cls, Person)
            .join(Person, on=(cls.author == Person.id), join_type=JOIN.LEFT_OUTER)
            .where(cls.project == project)
        )
        return keyset_page(query, lambda n: [n.created_at, n.id], cls, **where_on)

    @classmethod
    def board(cls, project, limit=50) -> list:
        """The project's notices, newest first, with their authors (one query, its SQL
        built once per limit: the project page's costliest to build, issue 23)."""
        return _BOARD(limit=limit).rows(project=getattr(project, "id", project))

    @classmethod
    def latest(cls, project_ids, limit=5):
        """The newest notices of the projects with these ids (of every project when `None`:
        no list of all 200 ids to build into the SQL), with their projects (one query)."""
        query = cls.select(cls, Project).join(Project)
        if project_ids is not None:
            query = query.where(cls.project.in_(list(project_ids) or [0]))
        return query.order_by(cls.created_at.desc(), cls.id.desc()).limit(limit)


def _board(limit: int):
    return (
        Announcement.select(Announcement, Person)
        .join(Person, on=(Announcement.author == Person.id), join_type=JOIN.LEFT_OUTER)
        .where(Announcement.project == Slot("project"))
        .order_by(Announcement.created_at.desc(), Announcement.id.desc())
        .limit(limit)
    )


_BOARD = Shaped(_board)

# A project by its id (the project page's first query), its SQL built once.
PROJECT_BY_ID = Prepared(lambda: Project.select().where(Project.id == Slot("id")).limit(1))
