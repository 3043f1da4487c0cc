"""Proposals between meetings (models/meetings/between.py): the project's list with the form
to put one, and the proposal's own page (its closing moment in words, who answered how, who
did not answer yet, the outcome once closed). Stances go through the meeting's stance route
(/proposals/{id}/stance, webapp/meetings/proposals.py), which shows this page for them."""

import datetime as dt

from starlette.requests import Request

from models.clock import now
from models.meetings.between import (
    BadMoment,
    NoMeeting,
    between_of_project,
    between_overview,
    next_meeting,
    propose_between,
)
from webapp.access import Routes, project_member
from webapp.forms import bind
from webapp.i18n import _, ngettext
from webapp.meetings.between_forms import BetweenForm, too_far, too_soon
from webapp.meetings.forms import StanceForm
from webapp.meetings.permissions import may_run, the_project
from webapp.meetings.words import page, see_other

routes = Routes()


def closes_in(closes_at: dt.datetime) -> str:
    """How long until the closing moment, in plain words: "in 3 days", "in 5 hours"."""
    left = closes_at - now()
    minutes = max(int(left.total_seconds() // 60), 0)
    if minutes >= 2 * 24 * 60:
        days = minutes // (24 * 60)
        return ngettext("in %(num)s day", "in %(num)s days", days)
    if minutes >= 120:
        return ngettext("in %(num)s hour", "in %(num)s hours", minutes // 60)
    return ngettext("in %(num)s minute", "in %(num)s minutes", minutes)


def show_list(request, viewer, form=None, message=None, status_code=200):
    project = the_project(request)
    return page(
        request,
        "meetings/between_list.html",
        {
            "project": project,
            "proposals": between_of_project(project.id),
            "form": form or BetweenForm.fresh(),
            "can_propose": viewer.can_see_project(project.id),
            "has_meeting": next_meeting(project.id) is not None,
            "message": message,
            "closes_in": closes_in,
            "now": now(),
        },
        status_code=status_code,
    )


@routes.get("/projects/{project_id:int}/proposals", permission=project_member())
def between_list(request: Request, viewer):
    """The project's proposals between meetings: open ones first, then the latest closed."""
    return show_list(request, viewer)


@routes.post("/projects/{project_id:int}/proposals", permission=project_member())
def between_propose(request: Request, viewer):
    """A member (or a coordinator) of the project puts a proposal to it, with its closing
    moment."""
    project = the_project(request)
    form = bind(BetweenForm, request)
    if not form.validate_moment():
        return show_list(request, viewer, form, status_code=400)
    try:
        proposal = propose_between(
            project.id, form.title.data, form.text.data, form.closes_at(), actor=viewer
        )
    except BadMoment as refused:  # the clock moved on since the form's check
        form.close_date.errors = [too_soon() if str(refused) == "soon" else too_far()]
        return show_list(request, viewer, form, status_code=400)
    except NoMeeting:
        message = _("Plan the next meeting first: the outcome goes to it.")
        return show_list(request, viewer, form, message, status_code=409)
    return see_other(f"/proposals/{proposal.id}")


def show_between(request, viewer, forms=None, status_code=200):
    """A proposal between meetings' page, with a refused stance form as posted."""
    proposal = request.state.target
    meeting = proposal.agenda_item.meeting
    forms = forms or {}
    overview = between_overview(proposal)
    mine = overview["current"].get(viewer.person_id)
    can_record = may_run(viewer, meeting)
    stance_form = forms.get("stance") or StanceForm(data={"kind": mine.kind} if mine else None)
    stance_form.person.choices = [(0, _("Myself"))] + [
        (p.id, p.shown_name) for p in overview["members"]
    ]
    context = {
        **overview,
        "proposal": proposal,
        "item": proposal.agenda_item,
        "meeting": meeting,
        "project": meeting.project,
        "mine": mine,
        "can_record": can_record and proposal.state == "open",
        "can_take": any(p.id == viewer.person_id for p in overview["members"]),
        "stance_form": stance_form,
        "message": forms.get("message"),
        "outsider": not viewer.can_see_project(meeting.project_id),
        "closes_in": closes_in(proposal.closes_at),
    }
    return page(request, "meetings/between.html", context, status_code=status_code)
