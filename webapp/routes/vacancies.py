"""Vacancies: open roles inviting people with a client background first, interest from
members, a hiring committee, and filling a vacancy as a step change with the what-if."""

from peewee import JOIN
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from wtforms import SelectField, StringField, TextAreaField, validators

from models import audit
from models.db import database
from models.growth import (
    CommitteeSeat,
    Vacancy,
    VacancyInterest,
    change_membership,
    start_membership,
)
from models.organisation import Project
from models.people import Membership, RoleStep
from models.person import Person
from models.representation import simulate
from webapp.access import Routes, project_coordinator, project_member, project_of
from webapp.forms import TafelForm
from webapp.i18n import _, lazy_gettext
from webapp.routes.people import (
    STATUS_LABELS,
    WhatIfForm,
    below_note,
    decide,
    layer_choices,
    step_choices,
)
from webapp.routes.representation import GROUP_LABELS
from webapp.templating import render

routes = Routes()

VACANCY_MEMBER = project_member(project_of(Vacancy, "vacancy_id"))
VACANCY_COORDINATOR = project_coordinator(project_of(Vacancy, "vacancy_id"))
# PRODUCT.md "Vacancies": by default the text invites people with a client background.
DEFAULT_INVITATION = lazy_gettext(
    "We explicitly invite people with experience as a client to respond. "
    "When candidates are equally suited, they go first."
)
STATE_LABELS = {
    "open": lazy_gettext("Open"),
    "filled": lazy_gettext("Filled"),
    "closed": lazy_gettext("Closed"),
}


class VacancyForm(TafelForm):
    title = StringField(
        lazy_gettext("Title"),
        [
            validators.InputRequired(message=lazy_gettext("Write a short title.")),
            validators.Length(max=200, message=lazy_gettext("Use at most 200 characters.")),
        ],
    )
    step = SelectField(lazy_gettext("Step"), coerce=int)
    layer = SelectField(lazy_gettext("Layer"))
    text = TextAreaField(
        lazy_gettext("Text"),
        [validators.Length(max=5000, message=lazy_gettext("Use at most 5000 characters."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.step.choices = step_choices()
        self.layer.choices = layer_choices()
        if not self.text.data:
            self.text.data = str(DEFAULT_INVITATION)


def _people_choices(first: str):
    return [(0, first)] + [
        (p.id, p.display_name)
        for p in Person.select(Person.id, Person.display_name)
        .where(Person.display_name.is_null(False))
        .order_by(Person.display_name)
    ]


class CommitteeForm(TafelForm):
    person = SelectField(lazy_gettext("Person"), coerce=int)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person.choices = choices or []

    def validate_person(self, field):
        if not field.data:
            raise validators.ValidationError(_("Choose a person."))


class FillForm(WhatIfForm):
    person = SelectField(lazy_gettext("Who gets the role?"), coerce=int)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person.choices = choices or []

    def validate_person(self, field):
        if not field.data:
            raise validators.ValidationError(_("Choose a person."))


def vacancy_or_404(vacancy_id: int) -> Vacancy:
    row = (
        Vacancy.select(Vacancy, Project, RoleStep)
        .join(Project)
        .switch(Vacancy)
        .join(RoleStep, on=(Vacancy.step == RoleStep.id))
        .where(Vacancy.id == vacancy_id)
        .first()
    )
    if row is None:
        raise HTTPException(404)
    return row


def committee_warning(seats) -> bool:
    """True when fewer than half of the committee are volunteers or participants of the
    project (PRODUCT.md "Vacancies")."""
    grassroots = sum(1 for s in seats if s["category"] in ("participant", "volunteer"))
    return bool(seats) and 2 * grassroots < len(seats)


def _page(request, viewer, project, form=None, status=200):
    coordinator = viewer.is_coordinator(project.id)
    vacancies = list(
        Vacancy.select(Vacancy, RoleStep)
        .join(RoleStep, on=(Vacancy.step == RoleStep.id))
        .where(Vacancy.project == project.id)
        .order_by(Vacancy.state.desc(), Vacancy.created_at.desc())
    )
    ids = [v.id for v in vacancies] or [0]
    interests: dict[int, list] = {}
    for row in (
        VacancyInterest.select(VacancyInterest, Person)
        .join(Person, on=(VacancyInterest.person == Person.id))
        .where(VacancyInterest.vacancy.in_(ids))
        .order_by(Person.display_name)
    ):
        interests.setdefault(row.vacancy_id, []).append(row.person)
    committee: dict[int, list] = {}
    if coordinator:
        seats = (
            CommitteeSeat.select(
                CommitteeSeat.vacancy,
                Person.id.alias("person_id"),
                Person.display_name,
                RoleStep.category,
            )
            .join(Person, on=(CommitteeSeat.person == Person.id))
            .join(
                Membership,
                JOIN.LEFT_OUTER,
                on=(
                    (Membership.person == Person.id)
                    & (Membership.project == project.id)
                    & (Membership.status == "active")
                ),
            )
            .join(RoleStep, JOIN.LEFT_OUTER, on=(Membership.step == RoleStep.id))
            .where(CommitteeSeat.vacancy.in_(ids))
            .order_by(Person.display_name)
            .dicts()
        )
        for seat in seats:
            committee.setdefault(seat["vacancy"], []).append(seat)
    people = _people_choices(_("Choose a person")) if coordinator else []
    return render(
        request,
        "people/vacancies.html",
        {
            "project": project,
            "vacancies": vacancies,
            "interests": interests,
            "committee": committee,
            "warnings": {vid: committee_warning(s) for vid, s in committee.items()},
            "coordinator": coordinator,
            "form": form or (VacancyForm() if coordinator else None),
            "committee_form": CommitteeForm(choices=people) if coordinator else None,
            "people": people,
            "labels": GROUP_LABELS,
            "state_labels": STATE_LABELS,
            "status_labels": STATUS_LABELS,
        },
        status_code=status,
    )


@routes.get("/projects/{project_id:int}/vacancies", rule=project_member())
def vacancy_list(request: Request, viewer):
    """The project's vacancies; coordinators also see interest and the committee."""
    project = Project.get_by_id(request.path_params["project_id"])
    return _page(request, viewer, project)


@routes.post("/projects/{project_id:int}/vacancies", rule=project_coordinator())
def vacancy_create(request: Request, viewer):
    """Open a vacancy."""
    project = Project.get_by_id(request.path_params["project_id"])
    form = VacancyForm(formdata=request.state.form)
    if not form.validate():
        return _page(request, viewer, project, form=form, status=400)
    with database.atomic():
        vacancy = Vacancy.create(
            project=project,
            step=form.step.data,
            layer=form.layer.data,
            title=form.title.data.strip(),
            text=(form.text.data or "").strip(),
        )
        audit.record(
            viewer.account_id,
            "vacancy.create",
            vacancy,
            project=project,
            after={"title": vacancy.title, "step": form.step.data},
        )
    return RedirectResponse(f"/projects/{project.id}/vacancies", status_code=303)


@routes.post("/vacancies/{vacancy_id:int}/interest", rule=VACANCY_MEMBER)
def vacancy_interest(request: Request, viewer):
    """Show interest in a vacancy, or take it back."""
    vacancy = vacancy_or_404(request.path_params["vacancy_id"])
    with database.atomic():
        mine = VacancyInterest.select().where(
            (VacancyInterest.vacancy == vacancy.id) & (VacancyInterest.person == viewer.person_id)
        )
        if mine.exists():
            VacancyInterest.delete().where(
                (VacancyInterest.vacancy == vacancy.id)
                & (VacancyInterest.person == viewer.person_id)
            ).execute()
        elif vacancy.state == "open":
            VacancyInterest.create(vacancy=vacancy, person=viewer.person_id)
    return RedirectResponse(
        f"/projects/{vacancy.project_id}/vacancies#vacancy-{vacancy.id}", status_code=303
    )


@routes.post("/vacancies/{vacancy_id:int}/committee", rule=VACANCY_COORDINATOR)
def vacancy_committee(request: Request, viewer):
    """Add someone to the hiring committee, or remove them (person and remove=1)."""
    vacancy = vacancy_or_404(request.path_params["vacancy_id"])
    form = CommitteeForm(formdata=request.state.form, choices=_people_choices("-"))
    if not form.validate():
        return _page(request, viewer, vacancy.project, status=400)
    person_id = form.person.data
    with database.atomic():
        seat = CommitteeSeat.select().where(
            (CommitteeSeat.vacancy == vacancy.id) & (CommitteeSeat.person == person_id)
        )
        if request.state.form.get("remove") == "1":
            CommitteeSeat.delete().where(
                (CommitteeSeat.vacancy == vacancy.id) & (CommitteeSeat.person == person_id)
            ).execute()
            action = "vacancy.committee_remove"
        elif not seat.exists():
            CommitteeSeat.create(vacancy=vacancy, person=person_id)
            action = "vacancy.committee_add"
        else:
            action = None
        if action:
            audit.record(
                viewer.account_id,
                action,
                vacancy,
                project=vacancy.project_id,
                person=person_id,
            )
    return RedirectResponse(
        f"/projects/{vacancy.project_id}/vacancies#vacancy-{vacancy.id}", status_code=303
    )


@routes.get("/vacancies/{vacancy_id:int}/fill", rule=VACANCY_COORDINATOR)
def vacancy_fill_form(request: Request, viewer):
    """The form to give the role to someone."""
    vacancy = vacancy_or_404(request.path_params["vacancy_id"])
    form = FillForm(choices=_people_choices(_("Choose a person")))
    return render(request, "people/vacancy_fill.html", {"vacancy": vacancy, "form": form})


@routes.post("/vacancies/{vacancy_id:int}/fill", rule=VACANCY_COORDINATOR)
def vacancy_fill(request: Request, viewer):
    """Fill a vacancy: a step change (or a new membership), first the what-if."""
    vacancy = vacancy_or_404(request.path_params["vacancy_id"])
    form = FillForm(formdata=request.state.form, choices=_people_choices(_("Choose a person")))
    if not form.validate() or vacancy.state != "open":
        if vacancy.state != "open":
            form.person.errors = [*form.person.errors, _("This vacancy is no longer open.")]
        return render(
            request,
            "people/vacancy_fill.html",
            {"vacancy": vacancy, "form": form},
            status_code=400,
        )
    person = Person.get_by_id(form.person.data)
    step = RoleStep.get_by_id(vacancy.step_id)

    def apply():
        membership = Membership.get_or_none(
            (Membership.person == person.id) & (Membership.project == vacancy.project_id)
        )
        note = _("Got the vacancy: %(title)s", title=vacancy.title)
        if membership is None:
            membership = start_membership(
                person,
                vacancy.project_id,
                step=step,
                layer=vacancy.layer,
                recorded_by=viewer.person_id,
                note=note,
            )
        else:
            change_membership(
                membership,
                step=step,
                layer=vacancy.layer,
                status="active",
                recorded_by=viewer.person_id,
                note=note,
            )
        Vacancy.update(state="filled", filled_by=person.id).where(
            Vacancy.id == vacancy.id
        ).execute()
        return membership

    changes = simulate(apply)
    waiting = decide(
        request,
        viewer,
        form,
        changes,
        title=_(
            "%(name)s gets the vacancy %(title)s", name=person.display_name, title=vacancy.title
        ),
        action=f"/vacancies/{vacancy.id}/fill",
        fields={"person": person.id},
    )
    if waiting is not None:
        return waiting
    with database.atomic():
        membership = apply()
        audit.record(
            viewer.account_id,
            "vacancy.fill",
            vacancy,
            project=vacancy.project_id,
            person=person,
            after={"step": step.name, "layer": vacancy.layer, "membership": membership.id},
            note=below_note(changes),
        )
    return RedirectResponse(f"/people/{person.id}", status_code=303)
