"""One meeting's page: who chairs and takes minutes, attendance and apologies, the agenda
(adding and ordering items), and starting and closing the meeting."""

from starlette.exceptions import HTTPException
from starlette.requests import Request

from models.clock import today
from models.meetings import Meeting
from models.meetings.actions import is_action_source
from models.meetings.agenda import add_agenda_item, meeting_overview, move_agenda_item
from models.meetings.between import between_on_meeting
from models.meetings.errors import Locked
from models.meetings.planning import close_meeting, start_meeting, starts_early
from models.meetings.rota import record_attendance, send_apologies
from webapp.access import Routes
from webapp.forms import bind
from webapp.i18n import _
from webapp.meetings.forms import (
    ActionForm,
    AgendaForm,
    ApologiesForm,
    AttendanceForm,
    DuoForm,
    MoveForm,
    OverrideForm,
    ProposalForm,
    StartForm,
    SwapForm,
)
from webapp.meetings.permissions import (
    AGENDA_CHAIR,
    MEETING_CHAIR,
    MEETING_MEMBER,
    MEETING_RUNNER,
    may_chair,
    may_run,
)
from webapp.meetings.words import decision_choices, page, see_other, words

routes = Routes()


def _forms(meeting: Meeting, viewer, members, proposals, forms: dict) -> dict:
    """The page's forms: as posted when one was refused, else fresh, with the members (and
    the meeting's decisions) as their choices."""
    choices = [(0, _("Nobody"))] + [(p.id, p.shown_name) for p in members]
    action_form = forms.get("action") or ActionForm()
    action_form.owner.choices = choices[1:]
    action_form.duo_owner.choices = choices
    decided = [p for ps in proposals.values() for p in ps if is_action_source(p)]
    action_form.proposal.choices = [(0, _("None"))] + decision_choices(decided)
    override_form = forms.get("override") or OverrideForm(
        data={
            "chair": meeting.chair_id or 0,
            "chair_duo": meeting.chair_duo_id or 0,
            "minute_taker": meeting.minute_taker_id or 0,
        }
    )
    override_form.chair.choices = choices
    override_form.chair_duo.choices = choices
    override_form.minute_taker.choices = choices
    duo_form = forms.get("duo") or DuoForm(data={"chair_duo": meeting.chair_duo_id or 0})
    duo_form.chair_duo.choices = [(0, _("Nobody: I chair alone"))] + [
        (p.id, p.shown_name)
        for p in members
        if p.id not in (meeting.chair_id, meeting.minute_taker_id)
    ]
    swap_form = forms.get("swap") or SwapForm()
    swap_form.role.choices = [(k, str(v)) for k, v in words()["role_words"].items()]
    swap_form.asked_to.choices = [(p.id, p.shown_name) for p in members if p.id != viewer.person_id]
    return {
        "agenda_form": forms.get("agenda") or AgendaForm(),
        "proposal_form": forms.get("proposal") or ProposalForm(),
        "proposal_item": forms.get("proposal_item"),
        "action_form": action_form,
        "override_form": override_form,
        "swap_form": swap_form,
        "duo_form": duo_form,
    }


def show_meeting(request, viewer, meeting: Meeting, forms=None, status_code=200, block=None):
    """A meeting's page (or its `block` for htmx), with the forms as posted when one was
    refused and a `message` when a change could not be made."""
    forms = forms or {}
    overview = meeting_overview(meeting, viewer.person_id)
    my_role = None
    if viewer.person_id == meeting.chair_id:
        my_role = "chair"
    elif viewer.person_id == meeting.minute_taker_id:
        my_role = "minutes"
    return page(
        request,
        "meetings/meeting.html",
        {
            **overview,
            **_forms(meeting, viewer, overview["members"], overview["proposals"], forms),
            "meeting": meeting,
            "project": meeting.project,
            "is_chair": may_chair(viewer, meeting),
            "is_runner": may_run(viewer, meeting),
            "is_coordinator": viewer.is_coordinator(meeting.project_id),
            "my_role": my_role,
            "my_attendance": overview["attendance"].get(viewer.person_id),
            "is_member": viewer.is_member(meeting.project_id),
            "message": forms.get("message"),
            "confirm_start": forms.get("confirm_start", False),
            "days_early": (meeting.date - today()).days,
            "between": between_on_meeting(meeting.id),
        },
        status_code=status_code,
        block=block,
    )


@routes.get("/meetings/{meeting_id:int}", permission=MEETING_MEMBER)
def meeting_page(request: Request, viewer):
    """A meeting: agenda, who chairs and takes minutes, attendance, proposals and actions."""
    return show_meeting(request, viewer, request.state.target)


@routes.post("/meetings/{meeting_id:int}/apologies", permission=MEETING_MEMBER)
def meeting_apologies(request: Request, viewer):
    """Send apologies for a meeting (or take them back); the rota is planned again."""
    meeting = request.state.target
    if not viewer.is_member(meeting.project_id) or not viewer.person_id:
        raise HTTPException(400)
    form = bind(ApologiesForm, request)
    try:
        send_apologies(meeting, viewer, take_back=form.taking_back())
    except Locked:
        message = _("The meeting has started; apologies are no longer needed.")
        return show_meeting(request, viewer, meeting, {"message": message}, status_code=409)
    return see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/attendance", permission=MEETING_RUNNER)
def meeting_attendance(request: Request, viewer):
    """Record who is present; those not ticked (and without apologies) are not there."""
    meeting = request.state.target
    form = bind(AttendanceForm, request)
    try:
        record_attendance(meeting, form.people(), actor=viewer)
    except Locked:
        message = _("The meeting is closed.")
        return show_meeting(request, viewer, meeting, {"message": message}, status_code=409)
    return see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/agenda", permission=MEETING_MEMBER)
def agenda_add(request: Request, viewer):
    """Add an agenda item; any member can, until the meeting starts."""
    meeting = request.state.target
    form = bind(AgendaForm, request)
    fixed = {"agenda": form, "message": _("The meeting has started; the agenda is fixed.")}
    if meeting.state == "cancelled":
        fixed["message"] = _("This meeting is cancelled; it takes no agenda items.")
    if meeting.state != "planned":
        return show_meeting(request, viewer, meeting, fixed, status_code=409)
    if not form.validate():
        return show_meeting(request, viewer, meeting, {"agenda": form}, status_code=400)
    try:
        add_agenda_item(
            meeting,
            form.title.data.strip(),
            explanation=(form.explanation.data or "").strip(),
            time_box=form.time_box.data,
            added_by=viewer.person_id,
        )
    except Locked:  # the chair started (or cancelled) the meeting while this was on its way
        if meeting.state == "cancelled":
            fixed["message"] = _("This meeting is cancelled; it takes no agenda items.")
        return show_meeting(request, viewer, meeting, fixed, status_code=409)
    return see_other(f"/meetings/{meeting.id}#agenda")


@routes.post("/agenda/{item_id:int}/move", permission=AGENDA_CHAIR)
def agenda_move(request: Request, viewer):
    """Move an agenda item one place up or down (for htmx: the agenda again)."""
    item = request.state.target
    form = bind(MoveForm, request)
    if not form.validate():
        raise HTTPException(400)
    try:
        move_agenda_item(item, form.direction.data)
    except Locked as exc:
        raise HTTPException(409) from exc
    if request.headers.get("hx-request"):
        return show_meeting(request, viewer, item.meeting, block="agenda")
    return see_other(f"/meetings/{item.meeting_id}#agenda")


@routes.post("/meetings/{meeting_id:int}/start", permission=MEETING_CHAIR)
def meeting_start(request: Request, viewer):
    """Start the meeting: the agenda and the rota are fixed from now on. Long before the
    meeting's date the chair is asked first whether that is meant (a second form)."""
    meeting = request.state.target
    form = bind(StartForm, request)
    if meeting.state == "cancelled":
        message = _("This meeting is cancelled; it cannot start.")
        return show_meeting(request, viewer, meeting, {"message": message}, status_code=409)
    early = meeting.state == "planned" and starts_early(meeting.date, today())
    if early and not form.sure.data:
        return show_meeting(request, viewer, meeting, {"confirm_start": True})
    if start_meeting(meeting.id, actor=viewer).state == "cancelled":  # meanwhile
        meeting.state = "cancelled"
        message = _("This meeting is cancelled; it cannot start.")
        return show_meeting(request, viewer, meeting, {"message": message}, status_code=409)
    return see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/close", permission=MEETING_CHAIR)
def meeting_close(request: Request, viewer):
    """Close the meeting."""
    meeting = close_meeting(request.state.target.id, actor=viewer)
    return see_other(f"/meetings/{meeting.id}")
