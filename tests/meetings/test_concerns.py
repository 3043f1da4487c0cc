"""A quiet concern (issue 21.5, docs/rules.md "A quiet concern"): a concern leaves no trace of
who raised it, in any table, the audit log, the sessions or the request log; the trusted
person puts it on an agenda or answers it as a signal; nobody else sees it.

One walk per database: two members send the same concern one after the other, and what each
sending changed in the database must be the same row (apart from its id and the hash of its
reading code), holding nothing of either of them, while a normal page at the same moment
would have stamped the session (so the test would see a stamp if a concern route left one).
"""

import datetime as dt
import logging
import re

from models import clock
from models.accounts.tables import Account, Grant, UserSession
from models.db import database
from models.meetings import AgendaItem, Concern, Signal
from models.registry import MODELS
from tests.conftest import FIXED_MOMENT, csrf_of, post
from tests.meetings.conftest import next_planned, project_id

TEXT = "Er wordt in de werkplaats vaak over mij geroddeld als ik er niet ben."
LATER = FIXED_MOMENT + dt.timedelta(minutes=10)
ROUTE_LINE = re.compile(r"(GET|POST) /\S* \d{3} \d+\.\dms id=[0-9a-f]{8}")


def _dump() -> dict:
    """Every row of every table (models/registry.py MODELS), as a set per table."""
    with database.connection_context():
        return {
            m._meta.table_name: {tuple(sorted(row.items())) for row in m.select().dicts()}
            for m in MODELS
        }


def _changes(before: dict, after: dict) -> dict:
    """{table: (rows gone, rows new)} of the tables that changed."""
    return {
        table: (before[table] - rows, rows - before[table])
        for table, rows in after.items()
        if rows != before[table]
    }


def _who(username: str) -> dict:
    """What could name a person: their person id, account id, name, username and the id and
    key hash of their sessions."""
    with database.connection_context():
        account = Account.with_person(Account.get(Account.username == username).id)
        sessions = list(UserSession.select().where(UserSession.account == account.id))
    return {
        "ints": {account.id, account.person_id, *(s.id for s in sessions)},
        "texts": {account.person.display_name, account.username, *(s.key_hash for s in sessions)},
    }


def _send(client, to: str = "0") -> str:
    """Send the concern through the form; the reading code it shows."""
    page = client.get("/concerns/new")
    assert page.status_code == 200 and "zonder je naam" in page.text
    answer = client.post(
        "/concerns/new",
        data={"csrf_token": csrf_of(client, "/concerns/new"), "to": to, "text": TEXT},
    )
    assert answer.status_code == 200, answer.text[:500]
    return re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", answer.text).group(0)


def _no_trace(changes: dict, who: dict) -> dict:
    """The one row a sending added: a concern, and nothing else anywhere (no audit line, no
    session stamp, no news), holding none of the sender's identifiers."""
    assert set(changes) == {"concern"}, f"the sending changed more than a concern: {changes}"
    gone, new = changes["concern"]
    assert not gone and len(new) == 1
    row = dict(next(iter(new)))
    # A new column must be weighed here first: could it say who sent it?
    assert set(row) == {
        "id", "project", "text", "received_on", "state", "reading_hash", "agenda_item",
        "signal", "handled_on",
    }  # fmt: skip
    assert isinstance(row["received_on"], dt.date) and not isinstance(
        row["received_on"], dt.datetime
    )
    for key, value in row.items():
        if isinstance(value, str):
            assert not any(text and text in value for text in who["texts"]), key
        elif isinstance(value, int) and key not in ("id", "project"):
            assert value not in who["ints"], key
    return row


def test_a_quiet_concern_leaves_no_trace_and_reaches_only_its_trusted_person(
    app, as_viewer, caplog
):
    anouk, priya = as_viewer("member"), as_viewer("other")
    first, second = _who("anouk"), _who("priya")
    caplog.set_level(logging.INFO, logger="tafel")
    caplog.clear()
    with clock.fixed(LATER):
        before = _dump()
        code_a = _send(anouk)
        middle = _dump()
        code_b = _send(priya)
        after = _dump()
        row_a = _no_trace(_changes(before, middle), first)
        row_b = _no_trace(_changes(middle, after), second)
        # Differential: sent by anouk or by priya, the row is the same but for its id and
        # the hash of its (random) reading code.
        same = lambda row: {k: v for k, v in row.items() if k not in ("id", "reading_hash")}  # noqa: E731
        assert same(row_a) == same(row_b) and row_a["received_on"] == LATER.date()
        # The request log: no line for the quiet routes at all (review21). A line carries
        # its moment, and the sender's next page stamps their session at that moment (just
        # below): the two together would name who sent it. No error either.
        lines = [r.getMessage() for r in caplog.records if r.name.startswith("tafel")]
        assert lines == [], lines
        # The test can see a stamp: the same minute, any other page stamps the session (and
        # is logged as ever).
        anouk.get("/")
        assert set(_changes(after, _dump())) == {"user_session"}
        lines = [r.getMessage() for r in caplog.records if r.name.startswith("tafel")]
        assert len(lines) == 1 and ROUTE_LINE.fullmatch(lines[0]) and " / 200 " in lines[0]
        logged = "\n".join(lines)
        for who in (first, second):
            assert not any(text in logged for text in who["texts"])

    # The trusted person (Rik, for the whole organisation) sees both; nobody else does.
    rik = as_viewer("penningmeester")
    listing = rik.get("/concerns")
    assert listing.status_code == 200 and len(re.findall(r'id="concern-\d+"', listing.text)) == 2
    assert "2 zorgen wachten op jou als vertrouwenspersoon" in rik.get("/").text
    with database.connection_context():
        ids = [c.id for c in Concern.select().order_by(Concern.id)]
    for client in (anouk, priya, as_viewer("coordinator")):
        assert client.get("/concerns").status_code == 403
        assert client.get(f"/concerns/{ids[0]}").status_code == 403
    assert (
        as_viewer("anonymous").get(f"/concerns/{ids[0]}", follow_redirects=False).status_code == 303
    )

    # He puts the first on the next agenda of Uitgeverij Woordwerk, without a name.
    project = project_id()
    with database.connection_context():
        meeting = next_planned()
    answer = post(
        rik,
        f"/concerns/{ids[0]}/agenda",
        {
            "agenda-project": str(project),
            "agenda-title": "Roddelen over elkaar",
            "agenda-explanation": "Hoe gaan we om met elkaar?",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == f"/concerns/{ids[0]}"
    assert "Roddelen over elkaar" in rik.get(f"/concerns/{ids[0]}").text
    shown = anouk.get(f"/meetings/{meeting.id}").text
    assert "Roddelen over elkaar" in shown and "Via een vertrouwenspersoon" in shown
    # And answers the second as a signal of the project.
    answer = post(
        rik,
        f"/concerns/{ids[1]}/answer",
        {"signal-project": str(project), "signal-text": "Er wordt geroddeld.",
         "signal-status": "in_progress",
         "signal-answer": "We maken afspraken over hoe we over elkaar praten."},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303
    signals = anouk.get(f"/projects/{project}/signals").text
    assert "We maken afspraken" in signals and "Via een vertrouwenspersoon" in signals
    # Passed on once: a second time is refused with a sentence.
    again = post(rik, f"/concerns/{ids[1]}/answer", {"signal-project": str(project),
                 "signal-text": "x", "signal-status": "done", "signal-answer": "y"})  # fmt: skip
    assert again.status_code == 409 and "al doorgegeven" in again.text
    with database.connection_context():
        item = AgendaItem.get(AgendaItem.title == "Roddelen over elkaar")
        signal = Signal.get(Signal.answer.startswith("We maken afspraken"))
        assert item.source == "trusted" and item.added_by_id is None
        assert signal.author_id is None and signal.via_trusted
    # Each reading code shows its own concern's fate, to anyone who holds it.
    reader = as_viewer("anonymous")

    def read(code):
        token = csrf_of(reader, "/concerns/read")
        return reader.post("/concerns/read", data={"csrf_token": token, "code": code})

    fate = read(code_a.lower().replace("-", " "))
    assert fate.status_code == 200 and "Roddelen over elkaar" in fate.text
    # Read without logging in (a shared computer), the fate is kept by no cache (review21).
    assert fate.headers["cache-control"] == "no-store"
    assert "We maken afspraken" in read(code_b).text
    wrong = read("AAAA-BBBB-CCCC")
    assert wrong.status_code == 400 and "kennen we niet" in wrong.text


def test_a_concern_to_a_project_reaches_only_that_projects_trusted_person(app, as_viewer):
    """The administrator makes anouk the trusted person of her project on the rights page:
    the coordinator (in that project) can send to her; priya (not in it) cannot; Rik, the
    organisation's trusted person, does not see it."""
    project = project_id()
    with database.connection_context():
        account = Account.get(Account.username == "anouk").id
    granted = post(
        as_viewer("beheer"),
        "/admin/rights/grant",
        {"account": str(account), "right": "trusted", "project": str(project)},
        follow_redirects=False,
    )
    assert granted.status_code == 303
    with database.connection_context():
        assert Grant.held(account, "trusted", project)
    kim, priya, anouk = as_viewer("coordinator"), as_viewer("other"), as_viewer("member")
    assert "Anouk B." in kim.get("/concerns/new").text
    assert "Anouk B." not in priya.get("/concerns/new").text
    refused = post(priya, "/concerns/new", {"to": str(project), "text": TEXT})
    assert refused.status_code == 400
    _send(kim, to=str(project))
    with database.connection_context():
        concern = Concern.get(Concern.project == project)
    assert anouk.get(f"/concerns/{concern.id}").status_code == 200
    assert as_viewer("penningmeester").get(f"/concerns/{concern.id}").status_code == 403
    # She writes down one she heard in person, for her project only.
    heard = anouk.get("/concerns/heard").text
    assert 'value="0"' not in heard
    told = post(
        anouk, "/concerns/heard", {"to": str(project), "text": "Iemand voelt zich buitengesloten."}
    )
    assert told.status_code == 200 and re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", told.text)


def test_the_trusted_person_may_use_every_concern_route(app, as_viewer, csrf_token_of):
    """The fifth viewer of tests/access/concerns.py: the organisation's trusted person."""
    from tests.access.concerns import TRUSTED, TRUSTED_VIEWER
    from tests.web.test_access import app_routes, outcome, tables, url_for

    _, params = tables()
    client = as_viewer(TRUSTED_VIEWER)
    routes = {key: route for key, route in app_routes(app) if key in TRUSTED}
    assert set(routes) == set(TRUSTED)
    failures = []
    for key, route in sorted(routes.items(), key=lambda kr: kr[0].startswith("POST")):
        with database.connection_context():
            url = url_for(route.path, params)
        if key.startswith("GET"):
            response = client.get(url, follow_redirects=False)
        else:
            data = {"csrf_token": csrf_token_of(client)}
            response = client.post(url, data=data, follow_redirects=False)
        if outcome(response) != TRUSTED[key]:
            failures.append(f"{key}: {response.status_code}")
    assert not failures, failures
