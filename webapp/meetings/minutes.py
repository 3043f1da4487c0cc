"""Minutes: the facts of the meeting read from its records, beside the minute-taker's notes
per agenda item and general notes (autosaved with htmx, a stale version never overwrites),
shared, approved at a later meeting, commented on and corrected; and the agenda
with the minutes on paper."""

from starlette.requests import Request

from models.meetings import AgendaItem, Minutes
from models.meetings.errors import Conflict, Locked, NotApproving
from models.meetings.minutes import (
    add_note,
    agenda_item_ids,
    approve_minutes,
    approving_proposals,
    notes_on,
    save_minutes,
    share_minutes,
)
from models.meetings.minutes_facts import minutes_facts
from webapp.access import Routes
from webapp.forms import bind
from webapp.i18n import _
from webapp.meetings.minutes_forms import OUT_OF_DATE, ApproveForm, MinutesForm, NoteForm
from webapp.meetings.permissions import (
    MEETING_MEMBER,
    MINUTES_APPROVER,
    MINUTES_MEMBER,
    MINUTES_WRITER,
    may_approve,
    may_run,
)
from webapp.meetings.words import page, see_other
from webapp.templating import is_fragment_request

routes = Routes()


def show_minutes(request, viewer, forms=None, status_code=200, block=None):
    """The minutes page (or its `block` for htmx), with what was posted when it was refused
    and a `message` when a change could not be made.

    The facts (who is there, the decisions, the actions) are read from the records every
    time (or from the copy made at approval), never from the text."""
    meeting = request.state.target
    forms = forms or {}
    minutes = Minutes.of_meeting(meeting.id)
    state = minutes.state if minutes else "draft"
    can_approve = state == "shared" and minutes is not None and may_approve(viewer, meeting)
    cancelled = meeting.state == "cancelled"
    can_write = may_run(viewer, meeting) and state != "approved" and not cancelled
    posted = forms.get("minutes_form")
    return page(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "project": meeting.project,
            "minutes": minutes,
            "state": state,
            "facts": minutes_facts(meeting.id, minutes),
            "live": meeting.state not in ("closed", "cancelled") and state != "approved",
            "cancelled": cancelled,
            "version": minutes.version if minutes else 0,
            "text": forms.get("text", minutes.text if minutes else ""),
            "item_values": forms.get("item_notes", {}),
            "item_errors": {
                item_id: field.errors for item_id, field in posted.item_fields().items()
            }
            if posted
            else {},
            "conflict": forms.get("conflict"),
            "notes": notes_on(minutes),
            "can_write": can_write,
            "can_share": can_write and minutes is not None and state == "draft",
            "can_approve": can_approve,
            "approving_proposals": list(approving_proposals(meeting).limit(20))
            if can_approve
            else [],
            "note_form": forms.get("note") or NoteForm(),
            "message": forms.get("message"),
            "minutes_form": posted,
            **{
                k: forms[k]
                for k in ("saved_version", "not_saved", "autosave_conflict", "live_fragment")
                if k in forms
            },
        },
        status_code=status_code,
        block=block,
    )


@routes.get("/meetings/{meeting_id:int}/minutes", permission=MINUTES_MEMBER)
def minutes_page(request: Request, viewer):
    """The minutes: written live by the minute-taker, read and commented on by members."""
    return show_minutes(request, viewer)


@routes.get("/meetings/{meeting_id:int}/minutes/facts", permission=MINUTES_MEMBER)
def minutes_live_facts(request: Request, viewer):
    """For htmx, every few seconds while the meeting runs: who is there, the decisions and
    the actions again, each swapped into its place on the page (the notes being typed are
    left alone). Without htmx: the whole minutes page."""
    if not is_fragment_request(request):
        return show_minutes(request, viewer)
    return show_minutes(request, viewer, {"live_fragment": True}, block="live_facts")


@routes.post("/meetings/{meeting_id:int}/minutes", permission=MINUTES_WRITER)
def minutes_save(request: Request, viewer):
    """Save the minutes on top of the version the writer started from.

    A stale version never overwrites: both texts are shown so the writer can merge them (for
    the autosave, the editor is replaced out of band: the `conflict` block).
    """
    meeting = request.state.target
    form = bind(MinutesForm.for_items(agenda_item_ids(meeting.id)), request)
    text = form.text.data or ""
    autosave = is_fragment_request(request)
    if not form.validate():
        if autosave:
            error = form.first_error() or f"{form.version.errors[0]} {_(OUT_OF_DATE)}"
            return show_minutes(request, viewer, {"not_saved": error}, block="save_status")
        refused = {"text": text, "item_notes": form.item_notes(), "minutes_form": form}
        return show_minutes(request, viewer, refused, status_code=400)
    try:
        minutes = save_minutes(
            meeting.id, text, form.version.data, viewer.person_id, form.item_notes()
        )
    except Locked as locked:
        message = _("These minutes are approved and cannot be changed. Add a correction.")
        if str(locked) == "cancelled":  # like starting one (models/meetings/minutes.py)
            message = _("This meeting is cancelled; it has no minutes.")
        return show_minutes(request, viewer, {"message": message}, status_code=409)
    except Conflict as conflict:
        both = {"text": text, "item_notes": form.item_notes(), "conflict": conflict.minutes}
        if autosave:  # the editor with both texts replaces the one being typed in
            return show_minutes(
                request, viewer, {**both, "autosave_conflict": True}, block="conflict"
            )
        return show_minutes(request, viewer, both, status_code=409, block="editor")
    if autosave:
        return show_minutes(
            request, viewer, {"saved_version": minutes.version}, block="save_status"
        )
    return see_other(f"/meetings/{meeting.id}/minutes")


@routes.post("/meetings/{meeting_id:int}/minutes/share", permission=MINUTES_WRITER)
def minutes_share(request: Request, viewer):
    """Share the draft with the members so they can comment."""
    meeting = request.state.target
    try:
        share_minutes(meeting.id)
    except Locked:
        message = _("Only draft minutes can be shared.")
        return show_minutes(request, viewer, {"message": message}, status_code=409)
    return see_other(f"/meetings/{meeting.id}/minutes")


@routes.post("/meetings/{meeting_id:int}/minutes/approve", permission=MINUTES_APPROVER)
def minutes_approve(request: Request, viewer):
    """Approve shared minutes at a later meeting: "no objections" by the chair, or a decided
    proposal to approve them. Approved minutes never change after this."""
    meeting = request.state.target
    named, proposal_id = bind(ApproveForm, request).decision()
    not_decided = {"message": _("Choose a proposal of a later meeting that was decided.")}
    if named and proposal_id is None:
        return show_minutes(request, viewer, not_decided, status_code=400)
    try:
        approve_minutes(meeting, actor=viewer, by_proposal=proposal_id if named else None)
    except NotApproving:
        return show_minutes(request, viewer, not_decided, status_code=400)
    except Locked:
        message = _("Only shared minutes can be approved.")
        return show_minutes(request, viewer, {"message": message}, status_code=409)
    return see_other(f"/meetings/{meeting.id}/minutes")


@routes.post("/meetings/{meeting_id:int}/minutes/notes", permission=MINUTES_MEMBER)
def minutes_note(request: Request, viewer):
    """A comment on shared minutes, or a dated correction to approved ones."""
    meeting = request.state.target
    form = bind(NoteForm, request)
    minutes = Minutes.of_meeting(meeting.id)
    not_shared = {"note": form, "message": _("You can add notes once the minutes are shared.")}
    if minutes is None or minutes.state == "draft":
        return show_minutes(request, viewer, not_shared, status_code=409)
    if not form.validate():
        return show_minutes(request, viewer, {"note": form}, status_code=400)
    try:
        add_note(meeting.id, form.text.data.strip(), actor=viewer)
    except Locked:
        return show_minutes(request, viewer, not_shared, status_code=409)
    return see_other(f"/meetings/{meeting.id}/minutes#notes")


@routes.get("/meetings/{meeting_id:int}/print", permission=MEETING_MEMBER)
def meeting_print(request: Request, viewer):
    """Agenda and minutes on paper: who was there, per agenda item the decisions and the
    notes, the actions with owner and due date, the general notes and the corrections."""
    meeting = request.state.target
    minutes = Minutes.of_meeting(meeting.id)
    return page(
        request,
        "meetings/print.html",
        {
            "meeting": meeting,
            "project": meeting.project,
            "items": AgendaItem.of_meeting(meeting.id),
            "minutes": minutes,
            "facts": minutes_facts(meeting.id, minutes),
            "notes": notes_on(minutes, with_authors=False),
        },
    )
