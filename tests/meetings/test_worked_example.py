"""docs/ARCHITECTURE.md "A request, worked through: a stance", walked as written: the POST
to /proposals/{id}/stance and its answer, the stance stored with its history, the audit line
(which tells nothing private), the tally htmx fetches, and after the chair closes the
proposal, the decision in the register page and in `tafel export decisions`."""

import csv
import io
import json

from models.accounts import Account
from models.accounts.audit import AuditEntry
from models.db import database
from models.meetings import Proposal, Stance
from tests.access import meetings as demo
from tests.conftest import MEMBER_PROJECT, post
from tests.meetings.conftest import person_id, project_id
from webapp.cli import main

REASON = "Ik kan niet op dinsdag door mijn behandeling."


def test_a_stance_from_post_to_register(as_viewer, db_url, capsys, monkeypatch):
    chair, anouk = as_viewer("coordinator"), as_viewer("member")
    with database.connection_context():
        item, project = demo.item_id(), project_id()
        anouk_person = person_id("Anouk B.")
        anouk_account = Account.get(Account.username == "anouk").id

    # The chair opens a proposal on an agenda item of the coming meeting.
    opened = post(
        chair,
        f"/agenda/{item}/proposals",
        {"text": "We verhuizen naar de bieb."},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    url = opened.headers["location"]
    proposal_id = int(url.rsplit("/", 1)[1])

    # 1–2. Anouk taps "Agree": a plain POST is answered 303, back to the proposal's page.
    answer = post(anouk, f"{url}/stance", {"kind": "agree"}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, url)
    # She changes it to a concern with a reason (an htmx POST is answered the same way:
    # htmx follows the redirect).
    answer = post(
        anouk,
        f"{url}/stance",
        {"kind": "concern", "reason": REASON},
        headers={"HX-Request": "true"},
        follow_redirects=False,
    )
    assert (answer.status_code, answer.headers["location"]) == (303, url)

    with database.connection_context():
        # The stances, history kept; the latest counts.
        stances = list(Stance.select().where(Stance.proposal == proposal_id).order_by(Stance.id))
        assert [(s.person_id, s.kind, s.recorded_by_id) for s in stances] == [
            (anouk_person, "agree", None),
            (anouk_person, "concern", None),
        ]
        # One audit line per stance, by Anouk's account, saying only that she gave a stance
        # on this proposal: not which, not the reason.
        lines = list(
            AuditEntry.select()
            .where(
                (AuditEntry.action == "stance.take")
                & AuditEntry.object_id.in_([s.id for s in stances])  # not the demo's
            )
            .order_by(AuditEntry.id)
        )
        assert [(e.actor_id, e.object_type, e.object_id, e.project_id) for e in lines] == [
            (anouk_account, "stance", s.id, project) for s in stances
        ]
        for line in lines:
            written = json.dumps([line.before, line.after, line.note])
            assert "concern" not in written and "agree" not in written
            assert "behandeling" not in written and line.person_id is None
            assert json.loads(line.after) == {"proposal": proposal_id}

    # 3. The page shows her answer; htmx polls only its tally block.
    page = anouk.get(url).text
    assert "Jouw antwoord nu:" in page and REASON in page
    tally = anouk.get(f"{url}/tally", headers={"HX-Request": "true"})
    assert tally.status_code == 200 and 'id="tally"' not in tally.text
    assert "<html" not in tally.text and REASON in tally.text
    # The audit log reads one plain sentence, without the reason.
    log = chair.get("/audit").text
    assert "Anouk B. gaf antwoord op een voorstel in Uitgeverij Woordwerk" in log
    assert "behandeling" not in log

    # 4. The chair closes it: one concern of nine members is too few, a provisional decision.
    closed = post(
        chair, f"{url}/close", {"statement": "We gaan kijken in de bieb."}, follow_redirects=False
    )
    assert closed.status_code == 303
    with database.connection_context():
        proposal = Proposal.get_by_id(proposal_id)
        assert (proposal.state, proposal.outcome, proposal.concern) == ("closed", "provisional", 1)
        assert proposal.id in {p.id for p in Proposal.decisions(project)}
    register = anouk.get(f"/projects/{project}/decisions").text
    assert "We verhuizen naar de bieb." in register and "We gaan kijken in de bieb." in register

    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["export", "decisions", "--project", MEMBER_PROJECT]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    ours = [r for r in rows if r["proposal"] == "We verhuizen naar de bieb."]
    assert [(r["outcome"], r["concern"], r["statement"]) for r in ours] == [
        ("provisional", "1", "We gaan kijken in de bieb.")
    ]
