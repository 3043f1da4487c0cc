"""Vacancies: open roles inviting people with a client background first, interest from
members, a hiring committee, and filling a vacancy as a step change with the what-if."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.people import Person, Vacancy
from models.people.vacancies import (
    fill,
    open_vacancy,
    save_fill,
    seat_on_committee,
    toggle_interest,
    vacancies_of,
)
from models.people.whatif import below_note, simulate
from webapp.access import Routes, project_coordinator, project_member, project_of
from webapp.forms import bind
from webapp.i18n import _
from webapp.people.forms import CommitteeForm, FillForm, VacancyForm, people_choices
from webapp.people.whatif import confirm_first
from webapp.people.words import GROUP_LABELS, STATE_LABELS, STATUS_LABELS
from webapp.templating import render

routes = Routes()

VACANCY_MEMBER = project_member(project_of(Vacancy, "vacancy_id"))
VACANCY_COORDINATOR = project_coordinator(project_of(Vacancy, "vacancy_id"))


def _page(request, viewer, project, form=None, status=200):
    coordinator = viewer.is_coordinator(project.id)
    people = people_choices(_("Choose a person")) if coordinator else []
    context = vacancies_of(project, with_committee=coordinator)
    context.update(
        {
            "project": project,
            "coordinator": coordinator,
            "form": form or (VacancyForm() if coordinator else None),
            "committee_form": CommitteeForm(choices=people) if coordinator else None,
            "people": people,
            "labels": GROUP_LABELS,
            "state_labels": STATE_LABELS,
            "status_labels": STATUS_LABELS,
        }
    )
    return render(request, "people/vacancies.html", context, status_code=status)


def _back_to(vacancy):
    return RedirectResponse(
        f"/projects/{vacancy.project_id}/vacancies#vacancy-{vacancy.id}", status_code=303
    )


@routes.get("/projects/{project_id:int}/vacancies", rule=project_member())
def vacancy_list(request: Request, viewer):
    """The project's vacancies; coordinators also see interest and the committee."""
    return _page(request, viewer, request.state.target)


@routes.post("/projects/{project_id:int}/vacancies", rule=project_coordinator())
def vacancy_create(request: Request, viewer):
    """Open a vacancy."""
    project = request.state.target
    form = bind(VacancyForm, request)
    if not form.validate():
        return _page(request, viewer, project, form=form, status=400)
    open_vacancy(
        project,
        step=form.step.data,
        layer=form.layer.data,
        title=form.title.data,
        text=form.text.data or "",
        actor=viewer.account_id,
    )
    return RedirectResponse(f"/projects/{project.id}/vacancies", status_code=303)


@routes.post("/vacancies/{vacancy_id:int}/interest", rule=VACANCY_MEMBER)
def vacancy_interest(request: Request, viewer):
    """Show interest in a vacancy, or take it back."""
    vacancy = request.state.target
    toggle_interest(vacancy, viewer.person_id)
    return _back_to(vacancy)


@routes.post("/vacancies/{vacancy_id:int}/committee", rule=VACANCY_COORDINATOR)
def vacancy_committee(request: Request, viewer):
    """Add someone to the hiring committee, or remove them (person and remove=1)."""
    vacancy = request.state.target
    form = bind(CommitteeForm, request, choices=people_choices("-"))
    if not form.validate():
        return _page(request, viewer, vacancy.project, status=400)
    seat_on_committee(
        vacancy, form.person.data, remove=form.remove.data == "1", actor=viewer.account_id
    )
    return _back_to(vacancy)


def _fill_page(request, vacancy, form, status=200):
    context = {"vacancy": vacancy, "form": form}
    return render(request, "people/vacancy_fill.html", context, status_code=status)


@routes.get("/vacancies/{vacancy_id:int}/fill", rule=VACANCY_COORDINATOR)
def vacancy_fill_form(request: Request, viewer):
    """The form to give the role to someone."""
    form = FillForm(choices=people_choices(_("Choose a person")))
    return _fill_page(request, request.state.target, form)


@routes.post("/vacancies/{vacancy_id:int}/fill", rule=VACANCY_COORDINATOR)
def vacancy_fill(request: Request, viewer):
    """Fill a vacancy: a step change (or a new membership), first the what-if."""
    vacancy = request.state.target
    form = bind(FillForm, request, choices=people_choices(_("Choose a person")))
    valid = form.validate()
    if vacancy.state != "open":
        form.person.errors = [*form.person.errors, _("This vacancy is no longer open.")]
    if not valid or vacancy.state != "open":
        return _fill_page(request, vacancy, form, status=400)
    person = Person.get_by_id(form.person.data)
    asked = {
        "note": _("Got the vacancy: %(title)s", title=vacancy.title),
        "recorded_by": viewer.person_id,
    }
    changes = simulate(lambda: fill(vacancy, person, **asked), viewer)
    waiting = confirm_first(
        request,
        viewer,
        form,
        changes,
        title=_("%(name)s gets the vacancy %(title)s", name=person.shown_name, title=vacancy.title),
        action=f"/vacancies/{vacancy.id}/fill",
        fields={"person": person.id},
        preview={
            "action": "vacancy.preview_fill",
            "obj": vacancy,
            "person": person.id,
            "project": vacancy.project_id,
        },
    )
    if waiting is not None:
        return waiting
    save_fill(vacancy, person, actor=viewer.account_id, note_for_log=below_note(changes), **asked)
    return RedirectResponse(f"/people/{person.id}", status_code=303)
