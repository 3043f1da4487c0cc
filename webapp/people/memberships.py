"""Memberships: changing someone's step, layer, status or duo partner and adding someone to a
project, each first through the what-if of the 51% check; and the opt-ins for turns."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.people import Person, RoleStep
from models.people.checks import save_with_check, ticks_left
from models.people.growth import (
    add_member,
    change_with_duo,
    save_membership_change,
    save_new_member,
    set_turns,
)
from models.people.whatif import below_note, simulate
from webapp.access import Routes, project_coordinator
from webapp.forms import bind, search_text
from webapp.i18n import _
from webapp.people.forms import MembershipChangeForm, MembershipNewForm, TurnsForm
from webapp.people.permissions import MEMBERSHIP_COORDINATOR, MEMBERSHIP_SELF_OR_COORDINATOR
from webapp.people.whatif import confirm_or_check
from webapp.templating import render

routes = Routes()


def _note(changes, viewer, check) -> str:
    """The 51% confirmation for the audit line: none when an answered check covers every
    group that may fall (the check's own lines record it)."""
    if check is not None and not ticks_left(check, changes):
        return ""
    return below_note(changes, viewer, one_way=True)


def _change_page(request, membership, form, status=200):
    """The change form; a duo partner is found by a name search (htmx: block duo_choices),
    next to "no duo partner" and the partner there is now."""
    partner = Person.pickable(membership.duo_partner_id)
    matches = Person.search(form.q.data, **form.limits)
    extra = [(0, _("No duo partner"))]
    if partner is not None and partner.id not in {p.id for p in matches}:
        extra.append((partner.id, partner.shown_name))
    context = {"form": form, "membership": membership, "matches": matches, "extra": extra}
    return render(
        request,
        "people/membership_change.html",
        context,
        status_code=status,
        block="duo_choices",
    )


@routes.get("/memberships/{membership_id:int}/change", permission=MEMBERSHIP_COORDINATOR)
def membership_edit(request: Request, viewer):
    """The form to change a membership's step, layer or status."""
    membership = request.state.target
    form = MembershipChangeForm(
        data={
            "step": membership.step_id,
            "layer": membership.layer,
            "status": membership.status,
            "duo_partner": membership.duo_partner_id or 0,
            "q": search_text(request.query_params.get("q"), 80),
        },
        person_id=membership.person_id,
    )
    return _change_page(request, membership, form)


@routes.post("/memberships/{membership_id:int}/change", permission=MEMBERSHIP_COORDINATOR)
def membership_change(request: Request, viewer):
    """Change a membership: first the what-if, then save and record the change."""
    membership = request.state.target
    form = bind(MembershipChangeForm, request, person_id=membership.person_id)
    if not form.validate():
        return _change_page(request, membership, form, status=400)
    # An absent duo partner keeps the partner (the one-click way back sends no partner).
    partner = membership.duo_partner_id if form.duo_partner.data is None else form.duo_partner.data
    name = membership.person.shown_name
    asked = {
        "step": RoleStep.get_by_id(form.step.data),
        "layer": form.layer.data,
        "status": form.status.data,
        "partner": partner,
        "note": (form.note.data or "").strip(),
        "duo_note": _("Duo with %(name)s", name=name),
        "recorded_by": viewer.person_id,
    }
    changes = simulate(lambda: change_with_duo(membership.id, **asked), viewer)
    waiting, check = confirm_or_check(
        request,
        viewer,
        form,
        changes,
        title=_("Change %(name)s in %(project)s", name=name, project=membership.project.name),
        action=f"/memberships/{membership.id}/change",
        fields={
            "step": asked["step"].id,
            "layer": asked["layer"],
            "status": asked["status"],
            "note": asked["note"],
            "duo_partner": partner or 0,
        },
        preview={
            "action": "membership.preview_change",
            "obj": membership,
            "person": membership.person_id,
            "project": membership.project_id,
        },
        one_way=True,
        ask={
            "kind": "change",
            "target": membership.id,
            "project_id": membership.project_id,
            "asked": asked,
        },
    )
    if waiting is not None:
        return waiting
    note = _note(changes, viewer, check)
    save_with_check(
        viewer,
        check,
        lambda: save_membership_change(
            membership, actor=viewer.account_id, note_for_log=note, **asked
        ),
    )
    return RedirectResponse(f"/people/{membership.person_id}", status_code=303)


def _new_page(request, project, form, status=200):
    """The form to add someone; who is found by a name search among the people not in the
    project yet (htmx: block person_choices as you type)."""
    matches = Person.search(form.q.data, **form.limits)
    context = {"form": form, "project": project, "matches": matches}
    return render(
        request,
        "people/membership_new.html",
        context,
        status_code=status,
        block="person_choices",
    )


@routes.get("/projects/{project_id:int}/memberships/new", permission=project_coordinator())
def membership_new(request: Request, viewer):
    """The form to add someone to the project: search for their name, or write a new one."""
    project = request.state.target
    search = search_text(request.query_params.get("q"), 80)
    return _new_page(request, project, MembershipNewForm(data={"q": search}, project_id=project.id))


@routes.post("/projects/{project_id:int}/memberships/new", permission=project_coordinator())
def membership_create(request: Request, viewer):
    """Add someone to the project: first the what-if, then save."""
    project = request.state.target
    form = bind(MembershipNewForm, request, project_id=project.id)
    if not form.validate():
        return _new_page(request, project, form, status=400)
    asked = {
        "person_id": form.person.data,
        "new_name": form.new_person.data,
        "step": RoleStep.get_by_id(form.step.data),
        "layer": form.layer.data,
        "since": form.since.data,
        "tasks": (form.tasks.data or "").strip(),
        "chair": bool(form.chair.data),
        "minutes": bool(form.minutes.data),
        "recorded_by": viewer.person_id,
    }
    changes = simulate(lambda: add_member(project, **asked), viewer)
    fields = {
        "person": form.person.data or "",
        "new_person": form.new_person.data,
        "step": asked["step"].id,
        "layer": form.layer.data,
        "since": form.since.data.isoformat(),
        "tasks": form.tasks.data or "",
    }
    fields.update({name: "y" for name in ("chair", "minutes") if asked[name]})
    waiting, check = confirm_or_check(
        request,
        viewer,
        form,
        changes,
        title=_("Add someone to %(project)s", project=project.name),
        action=f"/projects/{project.id}/memberships/new",
        fields=fields,
        preview={
            "action": "membership.preview_new",
            "obj": project,
            "person": form.person.data or None,
            "project": project.id,
        },
        one_way=True,
        ask={"kind": "new", "target": project.id, "project_id": project.id, "asked": asked},
    )
    if waiting is not None:
        return waiting
    note = _note(changes, viewer, check)
    person = save_with_check(
        viewer,
        check,
        lambda: save_new_member(project, actor=viewer.account_id, note_for_log=note, **asked),
    )
    return RedirectResponse(f"/people/{person.id}", status_code=303)


@routes.post("/memberships/{membership_id:int}/turns", permission=MEMBERSHIP_SELF_OR_COORDINATOR)
def membership_turns(request: Request, viewer):
    """Opt in or out of chairing and minute-taking; meetings not started are re-planned."""
    membership = request.state.target
    form = bind(TurnsForm, request)
    set_turns(
        membership,
        chair=bool(form.chair.data),
        minutes=bool(form.minutes.data),
        actor=viewer.account_id,
    )
    if viewer.person_id == membership.person_id:
        return RedirectResponse("/my-path", status_code=303)
    return RedirectResponse(f"/people/{membership.person_id}", status_code=303)
