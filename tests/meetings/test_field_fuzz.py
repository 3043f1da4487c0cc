"""Every form of the meetings area, field by field (tests/web/field_fuzz.py): each field on
its own gets each hostile value while the others hold valid ones, and no answer is a server
error. And the case that was one (issue 20; issue 19's low finding): an action's decision id
past 64 bits on SQLite."""

import pytest

from models.actor import Actor
from models.meetings import Action, AgendaItem, Meeting, Proposal
from models.meetings.between import default_closing, propose_between
from models.meetings.proposals import open_proposal
from tests.access import meetings as demo
from tests.conftest import post
from tests.meetings.conftest import meeting_with_minutes, person_id, project_id
from tests.web.field_fuzz import server_errors


def _open_proposal() -> int:
    item = AgendaItem.get_by_id(demo.item_id())
    return open_proposal(item, project_id(), "We kopen een nieuwe koffiemachine.").id


def _provisional_in_started_meeting() -> tuple[int, int]:
    """(meeting, proposal): a running meeting whose meeting before decided provisionally."""
    for proposal in Proposal.select().where(Proposal.outcome == "provisional"):
        following = Meeting.get_by_id(proposal.agenda_item.meeting_id).following()
        if following is not None:
            Meeting.update(state="started").where(Meeting.id == following.id).execute()
            return following.id, proposal.id
    raise AssertionError("no provisional decision in the demo")


def _between_proposal() -> int:
    """A proposal between meetings, closing in a week."""
    anouk = Actor(person_id=person_id("Anouk B."))
    closes_at = default_closing()
    return propose_between(project_id(), "Printer", "Een cartridge.", closes_at, anouk).id


def _swap_for_anouk() -> int:
    """A swap the member (anouk) is asked to answer: Kim hands over her minutes."""
    meeting = Meeting.get_by_id(demo.meeting_id())
    kim = person_id("Kim (coördinatie)")
    Meeting.update(minute_taker=kim).where(Meeting.id == meeting.id).execute()
    meeting.minute_taker = kim
    from models.meetings.rota import ask_swap

    return ask_swap(meeting, "minutes", person_id("Anouk B."), Actor(person_id=kim)).id


def _forms():
    """(name, viewer, url, valid data) for every form of the area, built in the test's
    database."""
    project, meeting, closed = project_id(), demo.meeting_id(), demo.closed_meeting_id()
    anouk, bram, dewi = person_id("Anouk B."), person_id("Bram"), person_id("Dewi")
    shared = meeting_with_minutes("shared").id
    yield (
        "plan",
        "coordinator",
        f"/projects/{project}/meetings/plan",
        {"start": "2026-09-01", "count": "2", "time": "19:30", "place": "De Zaal"},
    )
    yield "success", "member", f"/projects/{project}/successes", {"text": "Het boek is af"}
    yield "apologies", "member", f"/meetings/{meeting}/apologies", {"take_back": "1"}
    yield "attendance", "coordinator", f"/meetings/{meeting}/attendance", {"present": str(anouk)}
    yield (
        "agenda",
        "member",
        f"/meetings/{meeting}/agenda",
        {"title": "Fietsen", "explanation": "Kort", "time_box": "10"},
    )
    yield "move", "coordinator", f"/agenda/{demo.item_id()}/move", {"direction": "up"}
    yield "start", "coordinator", f"/meetings/{meeting}/start", {"sure": "y"}
    yield (
        "rota",
        "coordinator",
        f"/meetings/{meeting}/rota",
        {"chair": str(bram), "chair_duo": "0", "minute_taker": str(dewi), "reason": "Ruil"},
    )
    yield "duo", "coordinator", f"/meetings/{meeting}/duo", {"chair_duo": str(bram)}
    yield (
        "swap",
        "coordinator",
        f"/meetings/{meeting}/swap",
        {"role": "minutes", "asked_to": str(bram)},
    )
    yield (
        "swap answer",
        "member",
        lambda: f"/swaps/{_swap_for_anouk()}/answer",
        {"answer": "accept"},
    )
    yield "proposal", "coordinator", f"/agenda/{demo.item_id()}/proposals", {"text": "Voorstel"}
    yield (
        "stance",
        "coordinator",
        lambda: f"/proposals/{_open_proposal()}/stance",
        {"kind": "concern", "reason": "De prijs", "person": "0"},
    )
    yield (
        "close",
        "coordinator",
        lambda: f"/proposals/{_open_proposal()}/close",
        {"statement": "Besloten"},
    )
    yield (
        "between",
        "member",
        f"/projects/{project}/proposals",
        {
            "title": "Printer",
            "text": "Een cartridge",
            "close_date": "2026-06-24",
            "close_time": "19:30",
        },
    )
    yield (
        "between stance",
        "coordinator",
        lambda: f"/proposals/{_between_proposal()}/stance",
        {"kind": "block", "reason": "Te duur", "person": str(bram)},
    )
    yield "amend", "coordinator", f"/proposals/{demo.proposal_id()}/amend", {"text": "Anders"}
    yield "provisional", "coordinator", lambda: "/meetings/{}/provisional", {"do": "confirm"}
    yield (
        "minutes",
        "coordinator",
        f"/meetings/{meeting}/minutes",
        {"text": "Notities", "version": "0"},
    )
    yield "approve", "coordinator", f"/meetings/{shared}/minutes/approve", {"proposal": ""}
    yield "note", "member", f"/meetings/{shared}/minutes/notes", {"text": "Een opmerking"}
    yield (
        "action",
        "coordinator",
        f"/meetings/{closed}/actions",
        {
            "description": "Posters",
            "owner": str(anouk),
            "duo_owner": "0",
            "due": "2026-07-01",
            "proposal": "0",
        },
    )
    yield (
        "action status",
        "coordinator",
        f"/actions/{demo.action_id()}/status",
        {"status": "dropped", "reason": "Niet meer nodig"},
    )
    yield (
        "signal",
        "member",
        f"/projects/{project}/signals",
        {"kind": "idea", "text": "Een idee", "anonymous": "y"},
    )
    yield (
        "signal answer",
        "coordinator",
        f"/signals/{demo.signal_id()}/answer",
        {"status": "on_agenda", "answer": "We bespreken het"},
    )
    yield "closing", "coordinator", f"/meetings/{closed}/close", {}


FORMS = [
    "plan", "success", "apologies", "attendance", "agenda", "move", "start", "rota", "duo",
    "swap", "swap answer", "proposal", "stance", "close", "between", "between stance", "amend",
    "provisional", "minutes",
    "approve", "note", "action", "action status", "signal", "signal answer",
]  # fmt: skip


@pytest.mark.parametrize("form", FORMS)
def test_each_field_alone_never_gives_a_server_error(as_viewer, db, form):
    name, viewer, url, valid = next(f for f in _forms() if f[0] == form)
    if form == "provisional":
        meeting, proposal = _provisional_in_started_meeting()
        url, valid = f"/meetings/{meeting}/provisional", {**valid, "proposal": str(proposal)}
    elif callable(url):
        url = url()
    client = as_viewer(viewer)
    assert server_errors(client, url, valid) == []
    # htmx posts get the page's fragments: the same fields once more, as htmx sends them.
    if form in ("move", "minutes", "stance"):
        assert server_errors(client, url, valid, headers={"HX-Request": "true"}) == []


def test_every_form_of_the_area_is_fuzzed():
    from webapp.forms import TafelForm
    from webapp.meetings import between_forms, change_forms, forms, minutes_forms

    posted = {
        name
        for module in (forms, minutes_forms, change_forms, between_forms)
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, TafelForm) and value is not TafelForm
    }
    # The forms behind the names above (queries and the ones without fields aside).
    fuzzed = {
        "PlanForm", "SuccessForm", "ApologiesForm", "AttendanceForm", "AgendaForm", "MoveForm",
        "StartForm", "OverrideForm", "DuoForm", "SwapForm", "SwapAnswerForm", "ProposalForm",
        "StanceForm", "CloseForm", "ProvisionalForm", "MinutesForm", "ApproveForm", "NoteForm",
        "ActionForm", "ActionStatusForm", "SignalForm", "AnswerForm", "BetweenForm",
        "DecisionSearchForm", "DownloadForm",  # GET: tests/web/test_fuzz.py's query strings
        # Issue 21.1: tests/web/test_field_fuzz_routes.py fuzzes their routes.
        "MeetingMomentForm", "CancelForm",
    }  # fmt: skip
    assert posted == fuzzed


@pytest.mark.parametrize("decision", [str(2**63), str(2**64), "9" * 30])
def test_a_decision_id_past_the_id_column_gets_a_sentence_next_to_the_field(
    as_viewer, db, decision
):
    meeting = demo.closed_meeting_id()  # actions are added once a meeting started
    response = post(
        as_viewer("coordinator"),
        f"/meetings/{meeting}/actions",
        {
            "description": "Posters ophangen",
            "owner": str(person_id("Anouk B.")),
            "duo_owner": "0",
            "proposal": decision,
        },
    )
    assert response.status_code == 400
    assert '<p class="error" id="proposal-error">Kies een besluit van dit project.</p>' in (
        response.text
    )
    assert not Action.select().where(Action.description == "Posters ophangen").exists()
