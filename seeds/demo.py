"""A fictional client-steered foundation: projects, people, memberships, notices, accounts.

`load_demo(scale)` is idempotent: everything is found by name first and only made when
missing. With scale N the same organisation is built N times over (copies carry a number).
"""

import datetime as dt

from models.accounts import Account, Grant
from models.accounts.passwords import hash_password
from models.clock import now, today
from models.db import database
from models.organisation import Announcement, Organisation, Project
from models.people import Membership, RoleStep
from models.person import Person
from seeds.between import seed_between
from seeds.budget import seed_budget
from seeds.common import PROJECTS, copy_name
from seeds.meetings import seed_meetings
from seeds.people import seed_people

ORGANISATION = (
    "Stichting De Tafel",
    "Een stichting waar mensen met ervaring in de zorg zelf de projecten runnen.",
)

# display name, client background (yes/no/not_said): pseudonym-style names only.
PEOPLE = [
    ("Anouk B.", "yes"), ("Bram", "yes"), ("Carla V.", "no"), ("Dewi", "yes"),
    ("Erik de M.", "yes"), ("Fatima", "not_said"), ("Gert", "yes"), ("Hanna K.", "yes"),
    ("Ilse", "no"), ("Jamal", "yes"), ("Kees", "yes"), ("Lotte", "no"),
    ("Mo", "yes"), ("Noor", "yes"), ("Olaf", "not_said"), ("Priya", "yes"),
    ("Quinten", "no"), ("Roos", "yes"), ("Sanne", "yes"), ("Tarik", "no"),
    ("Uma", "yes"), ("Vincent", "yes"), ("Wendy", "no"), ("Xander", "yes"),
    ("Yara", "yes"), ("Zeno", "not_said"), ("Sam (beheer)", "no"), ("Kim (coördinatie)", "yes"),
    ("Rik (penningmeester)", "no"), ("Lina", "yes"),
]  # fmt: skip

# People who chose to share their answer with the coordinators of their projects
# (Person.share_background): Woordwerk's management, so its failing 51% check (1 of 2) shows
# in the coordinators' warning; everyone else keeps the default (only the privacy right).
SHARING = {"Carla V.", "Gert"}

# person, project index, layer, step position (1..5), status, opted in to chair, to minutes
MEMBERSHIPS = [
    ("Anouk B.", 0, "execution", 2, "active", True, True),
    ("Bram", 0, "execution", 1, "active", True, False),
    ("Carla V.", 0, "management", 5, "active", True, False),
    ("Dewi", 0, "execution", 3, "active", True, True),
    ("Erik de M.", 0, "coordination", 4, "active", False, True),
    ("Fatima", 0, "execution", 2, "paused", False, False),
    ("Gert", 0, "management", 5, "active", False, False),
    ("Lina", 0, "execution", 2, "active", True, True),
    ("Kim (coördinatie)", 0, "coordination", 4, "active", True, True),
    ("Hanna K.", 1, "execution", 2, "active", True, True),
    ("Ilse", 1, "management", 5, "active", True, False),
    ("Jamal", 1, "execution", 1, "active", False, False),
    ("Kees", 1, "coordination", 4, "active", True, True),
    ("Lotte", 1, "management", 4, "active", False, True),
    ("Mo", 1, "execution", 3, "active", True, True),
    ("Noor", 1, "execution", 2, "ended", False, False),
    ("Olaf", 1, "execution", 1, "active", False, False),
    ("Priya", 2, "execution", 2, "active", True, True),
    ("Quinten", 2, "management", 5, "active", True, False),
    ("Roos", 2, "execution", 3, "active", True, True),
    ("Sanne", 2, "coordination", 4, "active", True, True),
    ("Tarik", 2, "management", 4, "active", False, False),
    ("Uma", 2, "execution", 1, "active", False, False),
    ("Vincent", 2, "execution", 2, "active", True, False),
    ("Wendy", 2, "management", 5, "active", False, False),
    ("Xander", 2, "execution", 2, "active", False, True),
    ("Yara", 0, "execution", 1, "active", False, False),
    ("Zeno", 1, "execution", 2, "active", False, False),
    ("Bram", 2, "execution", 1, "active", False, False),
]

NOTICES = [
    (
        "Nieuwe openingstijden",
        "Vanaf volgende maand zijn we op vrijdag open tot 16.00 uur.",
    ),
    (
        "Welkom aan nieuwe mensen",
        "Deze maand zijn er twee nieuwe mensen begonnen. Maak kennis bij de koffie!",
    ),
]
# "Vergadering verplaatst" is a meeting the coordinator really moved (seeds/between.py).

# username, password, person, rights: (right, project index or None)
DEMO_ACCOUNTS = [
    ("beheer", "beheer-tafel-2026", "Sam (beheer)", [("admin", None)]),
    ("coordinator", "coordinator-tafel-2026", "Kim (coördinatie)", [("coordinator", None)]),
    (
        "penningmeester",
        "penning-tafel-2026",
        "Rik (penningmeester)",
        # The demo's trusted person (vertrouwenspersoon) for the whole organisation.
        [("treasurer", None), ("trusted", None)],
    ),
    ("anouk", "anouk-tafel-2026", "Anouk B.", []),
    ("priya", "priya-tafel-2026", "Priya", []),
]


def _person(name: str, background: str, share: bool = False) -> Person:
    person = Person.get_or_none(Person.display_name == name)
    if person is None:
        person = Person.create(
            display_name=name,
            client_background=background,
            share_background=share,
            background_consent_on=dt.date(2026, 1, 15) if background != "not_said" else None,
            # Who may know the answer was asked with the answer (issue 22: asked once).
            share_chosen_on=dt.date(2026, 1, 15) if background != "not_said" else None,
        )
    return person


def _project(name, description, steering, level) -> Project:
    project = Project.get_or_none(Project.name == name)
    if project is None:
        project = Project.create(
            name=name, description=description, steering_type=steering, ladder_level=level
        )
    return project


def seed_foundation(scale: int) -> None:
    """Organisation, ladder, projects, people, memberships and notices."""
    org = Organisation.current()
    if org.name == "Tafel":
        org.name, org.description = ORGANISATION
        org.save()
    RoleStep.ensure_default()
    steps = {s.position: s for s in RoleStep.ladder()}
    start = today() - dt.timedelta(days=400)
    for copy in range(1, scale + 1):
        projects = [
            _project(copy_name(name, copy), description, steering, level)
            for name, description, steering, level in PROJECTS
        ]
        people = {
            name: _person(copy_name(name, copy), background, name in SHARING)
            for name, background in PEOPLE
        }
        existing = {
            (m.person_id, m.project_id)
            for m in Membership.select(Membership.person, Membership.project).where(
                Membership.project.in_([p.id for p in projects])
            )
        }
        rows = []
        for index, (name, project_index, layer, position, status, chair, minutes) in enumerate(
            MEMBERSHIPS
        ):
            person, project = people[name], projects[project_index]
            if (person.id, project.id) in existing:
                continue
            since = start + dt.timedelta(days=7 * index)
            rows.append(
                {
                    "person": person,
                    "project": project,
                    "layer": layer,
                    "step": steps[position],
                    "status": status,
                    "since": since,
                    "chair_since": since if chair else None,
                    "minutes_since": since if minutes else None,
                }
            )
        if rows:
            Membership.insert_many(rows).execute()
        for project in projects:
            if not Announcement.select().where(Announcement.project == project).exists():
                author = people["Kim (coördinatie)"]
                for days_ago, (title, body) in zip((40, 12), NOTICES, strict=True):
                    Announcement.create(
                        project=project,
                        title=title,
                        body=body,
                        author=author,
                        created_at=now() - dt.timedelta(days=days_ago),
                    )


def seed_accounts() -> None:
    """The demo accounts listed in the README (never in production: the command refuses)."""
    projects = {p.name: p for p in Project.select()}
    for username, password, person_name, rights in DEMO_ACCOUNTS:
        person = Person.get(Person.display_name == person_name)
        account = Account.get_or_none(Account.username == username)
        if account is None:
            account = Account.create(
                person=person, username=username, password_hash=hash_password(password)
            )
        for right, project_index in rights:
            project = projects[PROJECTS[project_index][0]] if project_index is not None else None
            exists = Grant.select().where(
                (Grant.account == account)
                & (Grant.right == right)
                & (Grant.project.is_null() if project is None else Grant.project == project)
            )
            if not exists.exists():
                Grant.create(account=account, right=right, project=project)


def seeders() -> list:
    """Each area's seed function, in the order they build on each other."""
    # Meetings before the budget: the demo's proposed planned change points at a decision.
    # The month between meetings last: it moves a meeting and answers through the real
    # capabilities, on top of everything else.
    return [seed_people, seed_meetings, seed_budget, seed_between]


def load_demo(scale: int = 1) -> str:
    """Load (or complete) the demo organisation at the given scale; returns a summary."""
    with database.atomic():
        seed_foundation(scale)
        seed_accounts()
        for seed in seeders():
            seed(scale)
    return (
        f"demo ready: {Project.select().count()} projects, "
        f"{Person.select().count()} people, {Membership.select().count()} memberships"
    )
