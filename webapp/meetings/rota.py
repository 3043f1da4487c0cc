"""Changing turns: a coordinator's override, the chair's duo, swaps between members, and the
rota as a file (rota.csv)."""

from starlette.exceptions import HTTPException
from starlette.requests import Request

from models.meetings.errors import Locked, SwapClash, SwapGone
from models.meetings.exchange import ROTA_COLUMNS, rota_rows
from models.meetings.rota import answer_swap, ask_swap
from models.meetings.tables import members_of
from models.meetings.turns_by_hand import choose_duo, override_rota
from models.rules.csvfile import write_csv
from webapp.access import Routes, project_coordinator
from webapp.forms import bind, bind_query
from webapp.i18n import _
from webapp.meetings.forms import DownloadForm, DuoForm, OverrideForm, SwapAnswerForm, SwapForm
from webapp.meetings.meeting import show_meeting
from webapp.meetings.permissions import (
    MEETING_CHAIR,
    MEETING_COORDINATOR,
    MEETING_MEMBER,
    SWAP_ASKED,
)
from webapp.meetings.words import see_other
from webapp.templating import file_download

routes = Routes()


def _member_ids(meeting) -> set[int]:
    return {p.id for p in members_of(meeting.project_id)}


def _closed(request, viewer, meeting):
    """The meeting's page saying it closed while the change was on its way."""
    message = _("The meeting is closed.")
    return show_meeting(request, viewer, meeting, {"message": message}, status_code=409)


@routes.post("/meetings/{meeting_id:int}/rota", permission=MEETING_COORDINATOR)
def rota_override(request: Request, viewer):
    """A coordinator sets chair, duo and minute-taker by hand, with a reason (audit log)."""
    meeting = request.state.target
    form = bind(OverrideForm, request)
    if not form.validate_for(meeting, _member_ids(meeting)):
        return show_meeting(request, viewer, meeting, {"override": form}, status_code=400)
    chair, duo, taker = form.chosen()
    try:
        override_rota(meeting, chair, duo, taker, form.reason.data.strip(), actor=viewer)
    except Locked:
        return _closed(request, viewer, meeting)
    return see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/duo", permission=MEETING_CHAIR)
def chair_duo(request: Request, viewer):
    """The chair chooses a buddy to chair together with (a duo chair), or chairs alone."""
    meeting = request.state.target
    form = bind(DuoForm, request)
    if not form.validate_for(meeting, _member_ids(meeting)):
        return show_meeting(request, viewer, meeting, {"duo": form}, status_code=400)
    try:
        choose_duo(meeting, form.chair_duo.data or None, actor=viewer)
    except Locked:
        return _closed(request, viewer, meeting)
    return see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/swap", permission=MEETING_MEMBER)
def swap_ask(request: Request, viewer):
    """Ask another member to swap turns (or take over a turn); they accept or decline."""
    meeting = request.state.target
    form = bind(SwapForm, request)
    if not form.validate_for(meeting, _member_ids(meeting), viewer.person_id):
        return show_meeting(request, viewer, meeting, {"swap": form}, status_code=400)
    ask_swap(meeting, form.role.data, form.asked_to.data, actor=viewer)
    return see_other(f"/meetings/{meeting.id}")


@routes.post("/swaps/{swap_id:int}/answer", permission=SWAP_ASKED)
def swap_answer(request: Request, viewer):
    """Accept or decline a swap; accepting changes both turns and keeps them fixed."""
    swap = request.state.target
    form = bind(SwapAnswerForm, request)
    if not form.validate() or swap.state != "asked":
        raise HTTPException(400)
    try:
        answer_swap(swap, form.answer.data == "accept", actor=viewer)
    except SwapGone as exc:
        raise HTTPException(409) from exc
    except SwapClash:
        message = _("This swap would make one person both chair and minute-taker.")
        meeting = swap.meeting
        return show_meeting(request, viewer, meeting, {"message": message}, status_code=409)
    return see_other(f"/meetings/{swap.meeting_id}")


@routes.get("/projects/{project_id:int}/rota.csv", permission=project_coordinator())
def rota_download(request: Request, viewer):
    """rota.csv for this project (DATA-EXCHANGE.md); ?excel=1 for Excel."""
    excel = bind_query(DownloadForm, request).for_excel()
    text = write_csv(ROTA_COLUMNS, rota_rows(request.state.target.id), excel=excel)
    return file_download(text, "rota.csv")
