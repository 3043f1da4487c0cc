"""A busy meeting (issue 9): 40 people post at the same moment to a running server, with one
worker and with four; every post succeeds and is saved, none errs (SQLite and PostgreSQL)."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest

from models.budget import BudgetYear, Claim, Post, SubBudget
from models.clock import today
from models.db import database, open_database
from models.meetings import AgendaItem, Meeting, Minutes, Proposal, Signal, Stance
from tests.conftest import FIXED_MOMENT, MEMBER_PROJECT, OTHER_PROJECT, PASSWORDS, build_demo
from tests.meetings.conftest import next_planned, project_id
from tests.running_server import RunningServer

# The signed-in sessions the posts come from (anouk twice: a phone and a laptop).
SESSIONS = {
    "anouk": "anouk",
    "anouk-laptop": "anouk",
    "coordinator": "coordinator",
    "priya": "priya",
    "penningmeester": "penningmeester",
}


@pytest.fixture(scope="module")
def busy_demo(databases, tmp_path_factory):
    """One copy of the demo for this module; both servers serve it in turn."""
    return {
        "url": databases.fresh(build_demo),
        "data_dir": tmp_path_factory.mktemp("busy"),
        "sessions": {},
    }


def _sign_in(url: str, username: str) -> tuple[httpx.Cookies, str]:
    """Log in through the real form; the session's cookies and a CSRF token for its posts."""
    with httpx.Client(base_url=url, timeout=30, verify=False) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
        response = client.post(
            "/login",
            data={"username": username, "password": PASSWORDS[username], "csrf_token": token},
        )
        assert response.status_code == 303, response.text
        # The first page after login puts the CSRF secret in the session cookie; the token it
        # hands out then holds for every post of this session.
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)[1]
        return httpx.Cookies(client.cookies), token


@pytest.fixture(scope="module", params=[1, 4], ids=lambda n: f"{n}-workers")
def server(request, busy_demo):
    """A running server (uvicorn, one or four worker processes) on the module's demo copy."""
    with RunningServer(
        busy_demo["url"], busy_demo["data_dir"], workers=request.param, moment=FIXED_MOMENT
    ) as running:
        sessions = busy_demo["sessions"]
        if not sessions:  # sessions live in the database, so the second server knows them too
            with ThreadPoolExecutor(len(SESSIONS)) as pool:
                signed_in = pool.map(lambda u: _sign_in(running.url, u), SESSIONS.values())
                sessions.update(zip(SESSIONS, signed_in, strict=True))
        yield running


def _targets(url: str) -> dict:
    """The demo objects the posts go to (read before the posts)."""
    open_database(url)
    with database.connection_context():
        own, other = project_id(MEMBER_PROJECT), project_id(OTHER_PROJECT)

        def open_proposal(project):
            """The project's open proposal of its meeting (not the one between meetings)."""
            return Proposal.get(
                (Proposal.project == project)
                & (Proposal.state == "open")
                & Proposal.closes_at.is_null()
            ).id

        year = BudgetYear.get(BudgetYear.year == today().year)
        minutes = (
            Minutes.select(Minutes.meeting, Minutes.version)
            .where(Minutes.state != "approved")
            .order_by(Minutes.meeting)
            .tuples()
        )
        return {
            "meeting": next_planned(MEMBER_PROJECT).id,
            "other_meeting": next_planned(OTHER_PROJECT).id,
            "proposal": open_proposal(own),
            "other_proposal": open_proposal(other),
            "project": own,
            "other_project": other,
            "sub_budget": SubBudget.select().join(Post).where(Post.year == year.id).first().id,
            "minutes": dict(minutes),
        }


def _posts(run: str, t: dict) -> list[tuple[str, str, dict]]:
    """Forty posts of every kind a meeting makes at once: (session, url, form)."""
    posts = []
    agenda = ["anouk"] * 4 + ["anouk-laptop"] * 4 + ["coordinator"] * 2
    for i, who in enumerate(agenda):
        posts.append((who, f"/meetings/{t['meeting']}/agenda", {"title": f"{run} agenda {i}"}))
    for i in range(2):
        form = {"title": f"{run} agenda p{i}"}
        posts.append(("priya", f"/meetings/{t['other_meeting']}/agenda", form))
    stances = ["anouk"] * 3 + ["anouk-laptop"] * 3 + ["coordinator"] * 2
    for i, who in enumerate(stances):
        form = {"kind": ("agree", "concern")[i % 2], "reason": f"{run} stance {i}"}
        posts.append((who, f"/proposals/{t['proposal']}/stance", form))
    for i in range(2):
        form = {"kind": "agree", "reason": f"{run} stance p{i}"}
        posts.append(("priya", f"/proposals/{t['other_proposal']}/stance", form))
    for meeting_id, version in t["minutes"].items():
        form = {"text": f"{run} minutes {meeting_id}", "version": str(version)}
        posts.append(("coordinator", f"/meetings/{meeting_id}/minutes", form))
    for i, (who, project) in enumerate(
        [("anouk", "project")] * 3 + [("priya", "other_project")] * 3
    ):
        form = {"kind": "idea", "text": f"{run} signal {i}"}
        posts.append((who, f"/projects/{t[project]}/signals", form))
    for i, who in enumerate(["penningmeester", "anouk", "priya"] * 2):
        form = {
            "kind": "travel_km",
            "km": "12",
            "sub_budget": str(t["sub_budget"]),
            "spent_on": today().isoformat(),
            "description": f"{run} claim {i}",
        }
        posts.append((who, "/budget/claims", form))
    return posts


def _fire_together(server_url: str, sessions: dict, posts: list) -> list[tuple]:
    """Send every post from its own connection, all released at the same moment."""
    barrier = threading.Barrier(len(posts))

    def send(post):
        who, url, form = post
        cookies, token = sessions[who]
        with httpx.Client(base_url=server_url, cookies=cookies, timeout=60, verify=False) as client:
            client.get("/healthz")  # the connection is open before the barrier falls
            barrier.wait(timeout=30)
            response = client.post(url, data={"csrf_token": token, **form})
            return post, response.status_code, response.text[:2000]

    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(send, posts))


def test_forty_posts_at_the_same_moment_all_land(server, busy_demo):
    run = f"busy-{server.workers}w"
    targets = _targets(busy_demo["url"])
    posts = _posts(run, targets)
    assert len(posts) == 40

    results = _fire_together(server.url, busy_demo["sessions"], posts)

    failed = [(post[1], status) for post, status, _text in results if status != 303]
    assert not failed, (failed, server.log()[-3000:])
    assert "Traceback" not in server.log()
    open_database(busy_demo["url"])
    with database.connection_context():
        items = AgendaItem.select().where(AgendaItem.title.startswith(run))
        stances = Stance.select().where(Stance.reason.startswith(run))
        signals = Signal.select().where(Signal.text.startswith(run))
        claims = Claim.select().where(Claim.description.startswith(run))
        assert (items.count(), stances.count(), signals.count(), claims.count()) == (12, 10, 6, 6)
        for meeting_id, version in targets["minutes"].items():
            minutes = Minutes.get(Minutes.meeting == meeting_id)
            assert (minutes.text, minutes.version) == (f"{run} minutes {meeting_id}", version + 1)
        # Order numbers stay unique when many add at once (MAX(position) + 1 under a lock).
        for meeting_id in (targets["meeting"], targets["other_meeting"]):
            positions = [
                p
                for (p,) in AgendaItem.select(AgendaItem.position)
                .where(AgendaItem.meeting == meeting_id)
                .tuples()
            ]
            assert len(positions) == len(set(positions)), positions
        assert Meeting.get_by_id(targets["meeting"]).state == "planned"
