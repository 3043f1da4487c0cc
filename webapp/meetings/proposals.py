"""Proposals and stances: opening a proposal on an agenda item, taking (or recording) a stance,
the live tally, closing by the consensus rule, a new version after a block, and the decision
register with its file (decisions.csv)."""

from starlette.requests import Request

from models.meetings import Meeting
from models.meetings.decision_register import latest_decisions
from models.meetings.errors import Locked, MoreTimeAsked, NotAllowed, NotProvisional
from models.meetings.exchange import DECISION_COLUMNS, decision_rows
from models.meetings.proposals import (
    amend_proposal,
    close_proposal,
    confirm_decision,
    open_proposal,
    proposal_overview,
    reopen_decision,
    take_stance,
)
from models.meetings.tables import members_of
from models.rules.csvfile import write_csv
from webapp.access import Routes, project_coordinator, project_member
from webapp.forms import bind, bind_query, page_params
from webapp.i18n import _
from webapp.meetings.between import show_between
from webapp.meetings.forms import (
    CloseForm,
    DecisionSearchForm,
    DownloadForm,
    ProposalForm,
    ProvisionalForm,
    StanceForm,
)
from webapp.meetings.meeting import show_meeting
from webapp.meetings.permissions import (
    AGENDA_CHAIR,
    MEETING_CHAIR,
    PROPOSAL_CHAIR,
    PROPOSAL_MEMBER,
    PROPOSAL_READER,
    may_chair,
    may_run,
    the_project,
)
from webapp.meetings.words import more_time_question, page, see_other
from webapp.templating import file_download

routes = Routes()


@routes.post("/agenda/{item_id:int}/proposals", permission=AGENDA_CHAIR)
def proposal_open(request: Request, viewer):
    """Open a proposal on an agenda item."""
    item = request.state.target
    meeting = item.meeting
    form = bind(ProposalForm, request)
    closed = {"message": _("The meeting is closed.")}
    if meeting.state == "cancelled":
        closed["message"] = _("This meeting is cancelled; it can no longer change.")
    if meeting.state in ("closed", "cancelled"):
        return show_meeting(request, viewer, meeting, closed, status_code=409)
    if not form.validate():
        refused = {"proposal": form, "proposal_item": item.id}
        return show_meeting(request, viewer, meeting, refused, status_code=400)
    proposal = open_proposal(item, meeting.project_id, form.text.data.strip(), actor=viewer)
    return see_other(f"/proposals/{proposal.id}")


def show_proposal(request, viewer, forms=None, status_code=200, block=None):
    """The proposal's page (or its `block` for htmx), with the forms as posted when one was
    refused and a `message` when a change could not be made."""
    proposal = request.state.target
    if proposal.closes_at is not None:  # between meetings: its own page
        return show_between(request, viewer, forms, status_code)
    meeting = proposal.agenda_item.meeting
    forms = forms or {}
    is_chair = may_chair(viewer, meeting)
    can_record = may_run(viewer, meeting)
    overview = proposal_overview(proposal, with_history=can_record)
    current = overview["current"]
    mine = current.get(viewer.person_id)
    stance_form = forms.get("stance") or StanceForm(data={"kind": mine.kind} if mine else None)
    stance_form.person.choices = [(0, _("Myself"))] + [
        (p.id, p.shown_name) for p in overview["members"]
    ]
    context = {
        **overview,
        "proposal": proposal,
        "meeting": meeting,
        "project": meeting.project,
        "mine": mine,
        "is_chair": is_chair,
        "can_record": can_record,
        "can_take": any(p.id == viewer.person_id for p in overview["members"]),
        "stance_form": stance_form,
        "close_form": forms.get("close") or CloseForm(),
        "amend_form": forms.get("amend") or ProposalForm(data={"text": proposal.text}),
        "message": forms.get("message"),
        "more_time_asked": forms.get("more_time_asked"),
        "outsider": not viewer.can_see_project(meeting.project_id),
    }
    return page(request, "meetings/proposal.html", context, status_code=status_code, block=block)


@routes.get("/proposals/{proposal_id:int}", permission=PROPOSAL_READER)
def proposal_page(request: Request, viewer):
    """A proposal: take a stance; the chair sees the tally and closes it. Someone outside the
    project who proposed a planned amount this decision backs (the treasurer) reads the
    decision alone: no links into the project's other pages."""
    return show_proposal(request, viewer)


@routes.get("/proposals/{proposal_id:int}/tally", permission=PROPOSAL_MEMBER)
def proposal_tally(request: Request, viewer):
    """The live tally (htmx polls this every few seconds; without htmx: the whole page)."""
    return show_proposal(request, viewer, block="tally")


@routes.post("/proposals/{proposal_id:int}/stance", permission=PROPOSAL_MEMBER)
def proposal_stance(request: Request, viewer):
    """Take or change a stance; the minute-taker or chair can record one for someone."""
    proposal = request.state.target
    form = bind(StanceForm, request)
    members = {p.id for p in members_of(proposal.project_id)}
    can_record = may_run(viewer, proposal.agenda_item.meeting)
    ok = form.validate_for(members, viewer.person_id, can_record)
    closed = {"message": _("This proposal is closed; stances can no longer change.")}
    if ok and proposal.state != "open":
        return show_proposal(request, viewer, closed, status_code=409)
    if not ok:
        return show_proposal(request, viewer, {"stance": form}, status_code=400)
    person_id = form.person.data or viewer.person_id
    try:
        take_stance(proposal, person_id, form.kind.data, form.reason.data, actor=viewer)
    except Locked:  # closed while this stance was on its way: closing wins
        return show_proposal(request, viewer, closed, status_code=409)
    except NotAllowed as refused:  # a turn or a membership changed since the form's check
        form.person.errors = [
            _("Only active members of the project take a stance.")
            if str(refused) == "member"
            else _("Only the chair, minute-taker or a coordinator may answer for others.")
        ]
        return show_proposal(request, viewer, {"stance": form}, status_code=400)
    if person_id != viewer.person_id:  # written down for someone: show the answers with it
        answers = "answers-heading" if proposal.closes_at else "tally-heading"
        return see_other(f"/proposals/{proposal.id}#{answers}")
    return see_other(f"/proposals/{proposal.id}")


@routes.post("/proposals/{proposal_id:int}/close", permission=PROPOSAL_CHAIR)
def proposal_close(request: Request, viewer):
    """Close the proposal: the outcome follows the consensus rule; the chair adds a statement."""
    proposal = request.state.target
    form = bind(CloseForm, request)
    already = {"message": _("This proposal is already closed.")}
    if proposal.state != "open":
        return show_proposal(request, viewer, already, status_code=409)
    if proposal.closes_at is not None:
        by_itself = {"message": _("This proposal closes by itself at its moment.")}
        return show_proposal(request, viewer, by_itself, status_code=409)
    if not form.validate():
        return show_proposal(request, viewer, {"close": form}, status_code=400)
    try:
        close_proposal(
            proposal,
            form.statement.data.strip(),
            actor=viewer,
            despite_more_time=bool(form.despite_more_time.data),
        )
    except Locked:  # someone else closed it a moment earlier
        return show_proposal(request, viewer, already, status_code=409)
    except MoreTimeAsked as asked:  # ask first whether to wait; a second step closes
        question = {"close": form, "more_time_asked": more_time_question(asked.people)}
        return show_proposal(request, viewer, question)
    return see_other(f"/proposals/{proposal.id}")


@routes.post("/proposals/{proposal_id:int}/amend", permission=PROPOSAL_CHAIR)
def proposal_amend(request: Request, viewer):
    """After a block: a new version (amended, or the same text for a new round)."""
    proposal = request.state.target
    form = bind(ProposalForm, request)
    still_open = {"message": _("Close this proposal first.")}
    if proposal.state != "closed":
        return show_proposal(request, viewer, still_open, status_code=409)
    if not form.validate():
        return show_proposal(request, viewer, {"amend": form}, status_code=400)
    try:
        new = amend_proposal(proposal, form.text.data.strip(), actor=viewer)
    except Locked:
        return show_proposal(request, viewer, still_open, status_code=409)
    return see_other(f"/proposals/{new.id}")


@routes.post("/meetings/{meeting_id:int}/provisional", permission=MEETING_CHAIR)
def provisional_answer(request: Request, viewer):
    """The chair confirms a provisional decision of the meeting before (it becomes final), or
    reopens it as a new round on this meeting's agenda. Only while this meeting runs."""
    meeting = request.state.target
    form = bind(ProvisionalForm, request)
    proposal_id = form.proposal_id()
    if not form.validate() or proposal_id is None:
        message = _("Choose a decision to confirm or to talk about again.")
        return show_meeting(request, viewer, meeting, {"message": message}, status_code=400)
    refusals = {
        "planned": _("Start the meeting first: a decision is confirmed in the meeting."),
        "closed": _("The meeting is closed."),
        "confirmed": _("This decision is already confirmed."),
        "reopened": _("This decision is already on the agenda again as a new round."),
        "elsewhere": _("This is not a provisional decision of the meeting before."),
    }
    try:
        if form.do.data == "confirm":
            confirm_decision(meeting.id, proposal_id, actor=viewer)
            target = f"/meetings/{meeting.id}#agenda"
        else:
            new = reopen_decision(meeting.id, proposal_id, actor=viewer)
            target = f"/proposals/{new.id}"
    except (Locked, NotProvisional) as exc:
        message = refusals.get(str(exc), refusals["elsewhere"])
        meeting = Meeting.find(meeting.id)  # as it is now (it may have closed meanwhile)
        return show_meeting(request, viewer, meeting, {"message": message}, status_code=409)
    return see_other(target)


@routes.get("/projects/{project_id:int}/decisions", permission=project_member())
def decision_register(request: Request, viewer):
    """Everything the project decided, newest first, searchable."""
    project = the_project(request)
    search = bind_query(DecisionSearchForm, request).text()
    return page(
        request,
        "meetings/decisions.html",
        {
            "project": project,
            "decisions": latest_decisions(project.id, search, **page_params(request.query_params)),
            "search": search,
            "can_download": viewer.is_coordinator(project.id),
        },
    )


@routes.get("/projects/{project_id:int}/decisions.csv", permission=project_coordinator())
def decisions_download(request: Request, viewer):
    """decisions.csv for this project (DATA-EXCHANGE.md); ?excel=1 for Excel."""
    excel = bind_query(DownloadForm, request).for_excel()
    text = write_csv(DECISION_COLUMNS, decision_rows(request.state.target.id), excel=excel)
    return file_download(text, "decisions.csv")
