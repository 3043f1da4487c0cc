"""The decision register and the signals at federation scale (issue 13): a page at a time by
keyset, walked to the end at two data sizes against the brute-force list."""

import datetime as dt

import pytest

from models.db import database
from models.meetings.agenda import add_agenda_item
from models.meetings.project_tables import Signal
from models.meetings.proposals import close_proposal, open_proposal
from models.meetings.signals import add_signal, answer_signal
from models.meetings.tables import Proposal
from models.paging import PAGE_SIZE
from tests.conftest import login
from tests.meetings.conftest import next_planned, project_id
from tests.paging import walk

PROPOSAL = r"/proposals/(\d+)"


def _decide(count: int) -> None:
    """`count` decisions through the app's own way: an item, a proposal, closed; a few on
    each day, so the id decides among them."""
    with database.connection_context(), database.atomic():
        meeting = next_planned()
        for n in range(count):
            item = add_agenda_item(meeting, f"Punt {n}")
            proposal = open_proposal(item, meeting.project_id, f"Voorstel {n}")
            close_proposal(proposal, f"Besluit {n}", on=dt.date(2026, 1, 1 + n // 4))


@pytest.mark.parametrize("extra", [0, 2 * PAGE_SIZE + 1])
def test_walking_the_decision_register_shows_each_decision_once(client, extra):
    _decide(extra)
    login(client, "anouk")
    url = f"/projects/{project_id()}/decisions"
    seen, pages = walk(client, url, "decisions", PROPOSAL, PAGE_SIZE, outside=True)
    with database.connection_context():
        everything = [
            p.id
            for p in Proposal.decisions(project_id()).order_by(
                Proposal.decided_on.desc(), Proposal.id.desc()
            )
        ]
    assert seen == everything
    assert pages == max(1, -(-len(everything) // PAGE_SIZE))


def test_the_pager_keeps_the_search(client):
    _decide(PAGE_SIZE + 10)
    login(client, "anouk")
    url = f"/projects/{project_id()}/decisions?q=voorstel"
    seen, pages = walk(client, url, "decisions", PROPOSAL, PAGE_SIZE, outside=True)
    assert len(seen) == len(set(seen)) >= PAGE_SIZE + 10 and pages == 2


def _share(count: int) -> None:
    """`count` signals; every third answered, so both groups span pages."""
    with database.connection_context(), database.atomic():
        for n in range(count):
            signal = add_signal(project_id(), "idea", f"Idee {n}")
            if n % 3 == 0:
                answer_signal(signal, "done", "Gedaan")


@pytest.mark.parametrize("extra", [0, 2 * PAGE_SIZE + 2])
def test_walking_the_signals_shows_each_once_unanswered_first(client, extra):
    _share(extra)
    login(client, "coordinator")
    url = f"/projects/{project_id()}/signals"
    seen, pages = walk(client, url, "signals-heading", r"#signal-(\d+)", PAGE_SIZE)
    with database.connection_context():
        signals = list(Signal.select().where(Signal.project == project_id()))
    # Unanswered first, newest first within each group.
    unanswered = sorted(
        (s for s in signals if s.answered_at is None), key=lambda s: (s.created_at, s.id)
    )
    answered = sorted(
        (s for s in signals if s.answered_at is not None), key=lambda s: (s.created_at, s.id)
    )
    assert seen == [s.id for s in reversed(unanswered)] + [s.id for s in reversed(answered)]
    assert pages == max(1, -(-len(signals) // PAGE_SIZE))


JUNK = ["after=x", "before=-1", "after=" + "9" * 12, "before=2147483647"]


@pytest.mark.parametrize("page", ["decisions", "signals"])
@pytest.mark.parametrize("query", JUNK)
def test_junk_paging_gives_a_page(client, page, query):
    login(client, "anouk")
    assert client.get(f"/projects/{project_id()}/{page}?{query}").status_code == 200


@pytest.mark.parametrize("extra", [0, 2 * PAGE_SIZE + 5])
def test_walking_my_actions_shows_each_once_open_first_by_due_date(client, extra):
    from models.meetings.actions import add_action, set_status
    from models.meetings.project_tables import Action
    from tests.meetings.conftest import person_id

    with database.connection_context(), database.atomic():
        meeting = next_planned()
        anouk = person_id("Anouk B.")
        for n in range(extra):
            due = None if n % 4 == 0 else dt.date(2026, 7, 1 + n % 20)
            action = add_action(meeting, f"Actie {n}", anouk, due=due)
            if n % 3 == 0:
                set_status(action, "done", "", actor=None)
        mine = list(Action.select().where((Action.owner == anouk) | (Action.duo_owner == anouk)))
    login(client, "anouk")
    seen, pages = walk(client, "/actions/mine", "actions", r"#action-(\d+)", PAGE_SIZE, True)
    finished = ("done", "dropped")
    order = sorted(
        mine,
        key=lambda a: (a.status in finished, a.due is None, a.due or dt.date(1900, 1, 1), a.id),
    )
    assert seen == [a.id for a in order]
    assert pages == max(1, -(-len(mine) // PAGE_SIZE))


@pytest.mark.parametrize("extra", [0, 2 * PAGE_SIZE + 1])
def test_walking_the_past_meetings_shows_each_once(client, extra):
    """A project's past meetings grow by one a month: a page at a time, newest first."""
    from models.meetings import Meeting

    with database.connection_context(), database.atomic():
        for n in range(extra):
            Meeting.create(
                project=project_id(), date=dt.date(2019, 1 + n % 12, 1 + n // 12), state="closed"
            )
    login(client, "anouk")
    url = f"/projects/{project_id()}/meetings"
    seen, pages = walk(client, url, "past-heading", r"/meetings/(\d+)", PAGE_SIZE)
    with database.connection_context():
        everything = [
            m.id
            for m in Meeting.select(Meeting.id)
            .where((Meeting.project == project_id()) & (Meeting.state == "closed"))
            .order_by(Meeting.date.desc(), Meeting.id.desc())
        ]
    assert seen == everything and everything
    assert pages == max(1, -(-len(everything) // PAGE_SIZE))
