"""The organisation's ladder: steps in order, each in a role category (administrators)."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.people import RoleStep
from models.people.ladder import add_step, change_step
from webapp.access import ADMIN, Routes, url_id
from webapp.forms import bind
from webapp.people.forms import StepForm
from webapp.people.words import GROUP_LABELS
from webapp.templating import render

routes = Routes()


def _ladder_page(request, forms, new_form, status=200):
    context = {"forms": forms, "new_form": new_form, "labels": GROUP_LABELS}
    return render(request, "people/ladder.html", context, status_code=status)


def _step_forms(posted=None):
    """A form per step of the ladder; `posted` replaces the form of the step it belongs to."""
    forms = []
    for step in RoleStep.ladder():
        if posted is not None and posted.step_id == step.id:
            forms.append((step, posted))
        else:
            forms.append((step, StepForm(obj=step, step_id=step.id, prefix=f"s{step.id}-")))
    return forms


def _values(form) -> dict:
    return {
        "name": form.name.data,
        "position": form.position.data,
        "category": form.category.data,
        "description": form.description.data or "",
    }


@routes.get("/ladder", permission=ADMIN)
def ladder(request: Request, viewer):
    """The organisation's ladder: steps in order, each in a role category."""
    return _ladder_page(request, _step_forms(), StepForm(prefix="new-"))


@routes.post("/ladder", permission=ADMIN)
def ladder_add(request: Request, viewer):
    """Add a step to the ladder."""
    form = bind(StepForm, request, prefix="new-")
    if not form.validate():
        return _ladder_page(request, _step_forms(), form, status=400)
    add_step(**_values(form), actor=viewer.account_id)
    return RedirectResponse("/ladder", status_code=303)


@routes.post("/ladder/{step_id:int}", permission=ADMIN)
def ladder_update(request: Request, viewer):
    """Change a step of the ladder."""
    step = RoleStep.get_or_none(RoleStep.id == url_id(request, "step_id"))
    if step is None:
        raise HTTPException(404)
    form = bind(StepForm, request, step_id=step.id, prefix=f"s{step.id}-")
    if not form.validate():
        return _ladder_page(request, _step_forms(form), StepForm(prefix="new-"), status=400)
    change_step(step, **_values(form), actor=viewer.account_id)
    return RedirectResponse("/ladder", status_code=303)
