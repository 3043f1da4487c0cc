"""Vacancies (PRODUCT.md "Vacancies"): open roles that invite people with a client background
first, interest from members, a hiring committee with a grassroots majority, and filling a
vacancy as a step change (or a new membership)."""

from models.accounts import audit
from models.db import database
from models.people.edge_watch import watching
from models.people.growth import change_membership, start_membership
from models.people.tables import Membership, RoleStep
from models.people.vacancy_tables import CommitteeSeat, Vacancy, VacancyInterest
from models.person import Person
from models.rules.errors import RuleError


def committee_warning(seats) -> bool:
    """True when fewer than half of the committee are volunteers or participants of the
    project (PRODUCT.md "Vacancies")."""
    grassroots = sum(1 for s in seats if s["category"] in ("participant", "volunteer"))
    return bool(seats) and 2 * grassroots < len(seats)


VACANCIES_PER_PAGE = 20  # each a card with its forms


def vacancies_of(project, *, with_committee: bool, **where_on) -> dict:
    """A page of a project's vacancies (`where_on`: after, before), who showed interest and
    (for coordinators) the committees with their warnings: three queries."""
    vacancies = Vacancy.of_project(project, size=VACANCIES_PER_PAGE, **where_on)
    ids = [v.id for v in vacancies]
    committee = CommitteeSeat.per_vacancy(project, ids) if with_committee else {}
    return {
        "vacancies": vacancies,
        "interests": VacancyInterest.people_per_vacancy(ids),
        "committee": committee,
        "warnings": {vid: committee_warning(s) for vid, s in committee.items()},
    }


def open_vacancy(project, *, step: int, layer: str, title: str, text: str, actor) -> Vacancy:
    """Open a vacancy, with its audit line."""
    with database.atomic():
        vacancy = Vacancy.create(
            project=project, step=step, layer=layer, title=title.strip(), text=text.strip()
        )
        audit.record(
            actor,
            "vacancy.create",
            vacancy,
            project=project,
            after={"title": vacancy.title, "step": step},
        )
    return vacancy


def toggle_interest(vacancy: Vacancy, person_id: int, *, actor=None) -> None:
    """Show interest in an open vacancy (closing wins: read in the transaction), or take it
    back; with the audit line."""
    with database.atomic():
        mine = VacancyInterest.shown_by(vacancy.id, person_id)
        if mine.exists():
            VacancyInterest.delete().where(
                (VacancyInterest.vacancy == vacancy.id) & (VacancyInterest.person == person_id)
            ).execute()
            action = "vacancy.interest_withdraw"
        elif (
            Vacancy.select().where((Vacancy.id == vacancy.id) & (Vacancy.state == "open")).exists()
        ):
            VacancyInterest.create(vacancy=vacancy, person=person_id)
            action = "vacancy.interest"
        else:
            return
        audit.record(actor, action, vacancy, project=vacancy.project_id, person=person_id)


NOT_ON_COMMITTEE = "This person is not on the committee (any more)."
NO_LONGER_OPEN = "This vacancy is no longer open."


def seat_on_committee(vacancy: Vacancy, person_id: int, *, remove: bool, actor) -> None:
    """Add someone to the hiring committee, or remove them, with the audit line. Removing
    someone who holds no seat (an unknown id too) raises a RuleError."""
    with database.atomic():
        if remove:
            if not CommitteeSeat.held_by(vacancy.id, person_id).exists():
                raise RuleError(NOT_ON_COMMITTEE)
            CommitteeSeat.delete().where(
                (CommitteeSeat.vacancy == vacancy.id) & (CommitteeSeat.person == person_id)
            ).execute()
            action = "vacancy.committee_remove"
        elif not CommitteeSeat.held_by(vacancy.id, person_id).exists():
            CommitteeSeat.create(vacancy=vacancy, person=person_id)
            action = "vacancy.committee_add"
        else:
            return
        audit.record(actor, action, vacancy, project=vacancy.project_id, person=person_id)


def fill(vacancy: Vacancy, person: Person, *, note: str, recorded_by) -> Membership:
    """Give the role to someone: a step change of their membership in the project, or a new
    membership; the vacancy is filled. Call inside a transaction."""
    step = RoleStep.get_by_id(vacancy.step_id)
    membership = Membership.of(person.id, vacancy.project_id)
    if membership is None:
        membership = start_membership(
            person,
            vacancy.project_id,
            step=step,
            layer=vacancy.layer,
            recorded_by=recorded_by,
            note=note,
        )
    else:
        change_membership(
            membership,
            step=step,
            layer=vacancy.layer,
            status="active",
            recorded_by=recorded_by,
            note=note,
        )
    Vacancy.update(state="filled", filled_by=person.id).where(Vacancy.id == vacancy.id).execute()
    return membership


def save_fill(vacancy: Vacancy, person: Person, *, actor, note_for_log: str = "", **asked):
    """Fill a vacancy (see `fill`) with its audit line, in one transaction. Closing wins:
    a vacancy no longer open (read inside the transaction) raises a RuleError."""
    with database.atomic(), watching(actor, asked.get("recorded_by")):
        if not Vacancy.is_open(vacancy.id):
            raise RuleError(NO_LONGER_OPEN)
        membership = fill(vacancy, person, **asked)
        audit.record(
            actor,
            "vacancy.fill",
            vacancy,
            project=vacancy.project_id,
            person=person,
            after={
                "step": membership.step.name,
                "layer": vacancy.layer,
                "membership": membership.id,
            },
            note=note_for_log,
        )
    return membership
