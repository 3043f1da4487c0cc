"""Vacancies: open roles inviting people with a client background first, interest from
members, a hiring committee, and filling a vacancy as a step change with the what-if."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.people import Person, Vacancy
from models.people.checks import save_with_check, ticks_left
from models.people.vacancies import (
    fill,
    open_vacancy,
    save_fill,
    seat_on_committee,
    toggle_interest,
    vacancies_of,
)
from models.people.whatif import below_note, simulate
from models.rules.errors import RuleError
from webapp.access import Routes, project_coordinator, project_member, project_of
from webapp.forms import bind, page_params, posted_id, search_text
from webapp.i18n import _
from webapp.people.forms import CommitteeForm, FillForm, VacancyForm
from webapp.people.whatif import confirm_or_check
from webapp.people.words import GROUP_LABELS, STATE_LABELS, STATUS_LABELS
from webapp.templating import render

routes = Routes()

VACANCY_MEMBER = project_member(project_of(Vacancy, "vacancy_id"))
VACANCY_COORDINATOR = project_coordinator(project_of(Vacancy, "vacancy_id"))


def _page(request, viewer, project, form=None, committee=None, status=200):
    """The vacancies page. A coordinator picks a committee member with a name search per
    vacancy (?vacancy=…&q=…; htmx: block committee_choices); `committee` is a refused
    CommitteeForm with its vacancy's id."""
    coordinator = viewer.is_coordinator(project.id)
    params = request.query_params
    picking, search = None, ""
    if committee is not None:
        picking, search = committee[0], committee[1].q.data
    elif coordinator:
        picking, search = posted_id(params.get("vacancy")), search_text(params.get("q"), 80)
    context = vacancies_of(project, with_committee=coordinator, **page_params(params))
    context.update(
        {
            "project": project,
            "coordinator": coordinator,
            "form": form or (VacancyForm() if coordinator else None),
            "picking": picking,
            "search": search,
            "matches": Person.search(search) if picking else [],
            "committee_form": committee[1] if committee else None,
            "labels": GROUP_LABELS,
            "state_labels": STATE_LABELS,
            "status_labels": STATUS_LABELS,
        }
    )
    return render(
        request, "people/vacancies.html", context, status_code=status, block="committee_choices"
    )


def _back_to(vacancy):
    return RedirectResponse(
        f"/projects/{vacancy.project_id}/vacancies#vacancy-{vacancy.id}", status_code=303
    )


@routes.get("/projects/{project_id:int}/vacancies", permission=project_member())
def vacancy_list(request: Request, viewer):
    """The project's vacancies; coordinators also see interest and the committee."""
    return _page(request, viewer, request.state.target)


@routes.post("/projects/{project_id:int}/vacancies", permission=project_coordinator())
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


@routes.post("/vacancies/{vacancy_id:int}/interest", permission=VACANCY_MEMBER)
def vacancy_interest(request: Request, viewer):
    """Show interest in a vacancy, or take it back."""
    vacancy = request.state.target
    toggle_interest(vacancy, viewer.person_id, actor=viewer.account_id)
    return _back_to(vacancy)


@routes.post("/vacancies/{vacancy_id:int}/committee", permission=VACANCY_COORDINATOR)
def vacancy_committee(request: Request, viewer):
    """Add someone to the hiring committee, or remove them (person and remove=1)."""
    vacancy = request.state.target
    form = bind(CommitteeForm, request)
    if not form.validate():
        return _page(request, viewer, vacancy.project, committee=(vacancy.id, form), status=400)
    try:
        seat_on_committee(
            vacancy, form.person.data, remove=form.remove.data == "1", actor=viewer.account_id
        )
    except RuleError:  # the one refusal: taking a seat from someone who holds none
        form.person.errors = [_("This person is not on the committee (any more).")]
        return _page(request, viewer, vacancy.project, committee=(vacancy.id, form), status=400)
    return _back_to(vacancy)


def _fill_page(request, vacancy, form, status=200):
    """The fill form; its person is picked by a name search among everyone (whoever gets the
    role may be new to the project), the matches as you type for htmx (block fill_choices)."""
    context = {"vacancy": vacancy, "form": form, "matches": Person.search(form.q.data)}
    return render(
        request, "people/vacancy_fill.html", context, status_code=status, block="fill_choices"
    )


@routes.get("/vacancies/{vacancy_id:int}/fill", permission=VACANCY_COORDINATOR)
def vacancy_fill_form(request: Request, viewer):
    """The form to give the role to someone: first a search for their name."""
    form = FillForm(data={"q": search_text(request.query_params.get("q"), 80)})
    return _fill_page(request, request.state.target, form)


@routes.post("/vacancies/{vacancy_id:int}/fill", permission=VACANCY_COORDINATOR)
def vacancy_fill(request: Request, viewer):
    """Fill a vacancy: a step change (or a new membership), first the what-if."""
    vacancy = request.state.target
    form = bind(FillForm, request)
    valid = form.validate()
    if vacancy.state != "open":
        form.person.errors = [*form.person.errors, _("This vacancy is no longer open.")]
    if not valid or vacancy.state != "open":
        return _fill_page(request, vacancy, form, status=400)
    person = form.picked
    asked = {
        "note": _("Got the vacancy: %(title)s", title=vacancy.title),
        "recorded_by": viewer.person_id,
    }
    changes = simulate(lambda: fill(vacancy, person, **asked), viewer)
    waiting, check = confirm_or_check(
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
        one_way=True,
        ask={
            "kind": "fill",
            "target": vacancy.id,
            "project_id": vacancy.project_id,
            "asked": {"person": person.id, **asked},
        },
    )
    if waiting is not None:
        return waiting
    note = (
        ""
        if check and not ticks_left(check, changes)
        else below_note(changes, viewer, one_way=True)
    )
    try:
        save_with_check(
            viewer,
            check,
            lambda: save_fill(vacancy, person, actor=viewer.account_id, note_for_log=note, **asked),
        )
    except RuleError:  # closed meanwhile: closing wins
        form.person.errors = [*form.person.errors, _("This vacancy is no longer open.")]
        return _fill_page(request, vacancy, form, status=400)
    return RedirectResponse(f"/people/{person.id}", status_code=303)
