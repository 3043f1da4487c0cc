"""Demo growth: paths with steps up and back and a pause, goals, development talks, one open
vacancy with interest and a committee. Uitgeverij Woordwerk's management keeps failing the
51% check (1 of 2), so the warning shows in `make run`.

Idempotent: a copy of the organisation whose memberships already have a history is skipped.
"""

import datetime as dt

from models.accounts import Account, Grant
from models.clock import today
from models.organisation import Project
from models.people import (
    CommitteeSeat,
    Conversation,
    Membership,
    Person,
    RoleStep,
    StepChange,
    Vacancy,
    VacancyInterest,
)
from seeds.common import copy_name

DEFAULT_VACANCY_TEXT = (
    "Mensen met ervaring als cliënt nodigen we nadrukkelijk uit om te reageren. "
    "Bij gelijke geschiktheid gaan zij voor."
)

# person, project, [(days ago, kind, from position, to position, note)] before today's step.
PATHS = [
    ("Dewi", "Uitgeverij Woordwerk", [(300, "up", 1, 2, ""), (120, "up", 2, 3, "")]),
    (
        "Bram",
        "Uitgeverij Woordwerk",
        [(200, "up", 1, 2, ""), (40, "back", 2, 1, "Bram doet het even rustiger aan.")],
    ),
    ("Lina", "Uitgeverij Woordwerk", [(30, "up", 1, 2, "Welkom als vrijwilliger!")]),
    ("Erik de M.", "Uitgeverij Woordwerk", [(250, "up", 3, 4, "Betaald als werkbegeleider.")]),
    ("Mo", "Computercentrum De Schakel", [(90, "up", 2, 3, "")]),
    ("Roos", "Fietswerkplaats Op Weg", [(180, "up", 2, 3, "")]),
]
PAUSES = [("Fatima", "Uitgeverij Woordwerk", 50, "Fatima neemt even pauze.")]

# person, dream, learn, wants paid work
GOALS = [
    ("Anouk B.", "Een eigen boek met verhalen maken.", "Teksten redigeren.", True),
    ("Lina", "Anderen helpen om hun verhaal te vertellen.", "Interviews afnemen.", True),
    ("Dewi", "", "De krant opmaken op de computer.", False),
    ("Priya", "Een eigen fietsenwinkel.", "Versnellingen afstellen.", True),
]
# person, days ago, participants, notes
TALKS = [
    ("Anouk B.", 60, "Kim, Anouk", "Anouk wil meer schrijven en later misschien betaald werk."),
    ("Dewi", 240, "Kim, Dewi", "Dewi maakt de krant op en wil dat graag blijven doen."),
]


def _membership(person_name, project_name, copy):
    return (
        Membership.select()
        .join(Person, on=(Membership.person == Person.id))
        .switch(Membership)
        .join(Project)
        .where(
            (Person.display_name == copy_name(person_name, copy))
            & (Project.name == copy_name(project_name, copy))
        )
        .first()
    )


def seed_people(scale: int) -> None:
    """Histories, goals, talks and a vacancy for each copy of the demo organisation."""
    steps = {s.position: s for s in RoleStep.ladder()}
    kim = Person.get_or_none(Person.display_name == "Kim (coördinatie)")
    for copy in range(1, scale + 1):
        projects = [
            copy_name(n, copy)
            for n in (
                "Uitgeverij Woordwerk",
                "Computercentrum De Schakel",
                "Fietswerkplaats Op Weg",
            )
        ]
        memberships = list(
            Membership.select(Membership, RoleStep)
            .join(RoleStep)
            .switch(Membership)
            .join(Project)
            .where(Project.name.in_(projects))
        )
        ids = [m.id for m in memberships]
        if StepChange.select().where(StepChange.membership.in_(ids)).exists():
            continue
        first_step = {}
        for person, project, history in PATHS:
            m = _membership(person, project, copy)
            if m is not None and history:
                first_step[m.id] = history[0][2]
        rows = [
            {
                "membership": m.id,
                "kind": "start",
                "on": m.since,
                # insert_many takes its columns from the first row: every row has all keys.
                "from_step": None,
                "to_step": steps[first_step.get(m.id, m.step.position)].id,
                "from_layer": "",
                "to_layer": m.layer,
                "from_status": "",
                "to_status": "active",
                "recorded_by": kim,
                "note": "",
            }
            for m in memberships
        ]
        for person, project, history in PATHS:
            m = _membership(person, project, copy)
            if m is None:
                continue
            for days, kind, old, new, note in history:
                rows.append(
                    {
                        "membership": m.id,
                        "kind": kind,
                        "on": today() - dt.timedelta(days=days),
                        "from_step": steps[old].id,
                        "to_step": steps[new].id,
                        "from_layer": m.layer,
                        "to_layer": m.layer,
                        "from_status": "active",
                        "to_status": "active",
                        "recorded_by": kim,
                        "note": note,
                    }
                )
        for person, project, days, note in PAUSES:
            m = _membership(person, project, copy)
            if m is not None:
                rows.append(
                    {
                        "membership": m.id,
                        "kind": "pause",
                        "on": today() - dt.timedelta(days=days),
                        "from_step": m.step_id,
                        "to_step": m.step_id,
                        "from_layer": m.layer,
                        "to_layer": m.layer,
                        "from_status": "active",
                        "to_status": "paused",
                        "recorded_by": kim,
                        "note": note,
                    }
                )
        StepChange.insert_many(rows).execute()

        for name, dream, learn, paid in GOALS:
            Person.update(dream=dream, learn=learn, wants_paid_work=paid).where(
                Person.display_name == copy_name(name, copy)
            ).execute()
        for name, days, participants, notes in TALKS:
            person = Person.get_or_none(Person.display_name == copy_name(name, copy))
            if person is not None:
                Conversation.create(
                    person=person,
                    on=today() - dt.timedelta(days=days),
                    participants=participants,
                    notes=notes,
                    recorded_by=kim,
                )
        _vacancy(copy, steps)
    _privacy_right()


def _vacancy(copy, steps):
    project = Project.get(Project.name == copy_name("Uitgeverij Woordwerk", copy))
    title = "Werkbegeleider voor de krant"
    if Vacancy.select().where((Vacancy.project == project) & (Vacancy.title == title)).exists():
        return
    vacancy = Vacancy.create(
        project=project,
        step=steps[4],
        layer="execution",
        title=title,
        text="We zoeken iemand die de schrijvers van de krant begeleidt. " + DEFAULT_VACANCY_TEXT,
    )
    for name in ("Lina", "Anouk B."):
        person = Person.get_or_none(Person.display_name == copy_name(name, copy))
        if person is not None:
            VacancyInterest.create(vacancy=vacancy, person=person)
    for name in ("Kim (coördinatie)", "Carla V.", "Dewi"):
        person = Person.get_or_none(Person.display_name == copy_name(name, copy))
        if person is not None:
            CommitteeSeat.create(vacancy=vacancy, person=person)


def _privacy_right():
    """The administrator of the demo guards privacy, so `make run` shows the counts too."""
    account = Account.get_or_none(Account.username == "beheer")
    if account is None:
        return
    held = Grant.select().where(
        (Grant.account == account) & (Grant.right == "privacy") & Grant.project.is_null()
    )
    if not held.exists():
        Grant.create(account=account, right="privacy")
