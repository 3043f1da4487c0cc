"""The audit log reads as sentences: who did what to whom, where, with the reason it was saved
with; ids show as names, codes never; each viewer sees only their lines, and the page runs
as many queries with many lines as with few."""

import datetime as dt
import re

from models.accounts.audit import record
from models.accounts.tables import Account, Grant
from models.budget.claims import submit
from models.budget.tables import SubBudget
from models.db import database
from models.meetings.turns_by_hand import override_rota
from models.people import RoleStep
from tests.conftest import MEMBER_PROJECT, post
from tests.meetings.conftest import next_planned
from tests.people.conftest import grant, membership_id, person_id

SCHAKEL = "Computercentrum De Schakel"
CODES = re.compile(r"\b(rota|membership|budget|person|right|link|account)\.[a-z_]+|\w+ = \w+")


def audit_text(client) -> str:
    response = client.get("/audit")
    assert response.status_code == 200
    return response.text.split('<ol class="audit" id="audit-lines">', 1)[1].split("</ol>", 1)[0]


def override_by_hand(client):
    meeting = next_planned()
    data = {
        "chair": person_id("Bram"),
        "chair_duo": person_id("Yara"),
        "minute_taker": person_id("Dewi"),
        "reason": "Yara leert voorzitten",
    }
    response = post(client, f"/meetings/{meeting.id}/rota", data, follow_redirects=False)
    assert response.status_code == 303


def test_a_coordinator_reads_the_rota_override_as_a_sentence_with_its_reason(as_viewer, db):
    client = as_viewer("coordinator")
    override_by_hand(client)
    text = audit_text(client)
    assert "koos zelf Bram als voorzitter en Dewi als notulist in " + MEMBER_PROJECT in text
    assert "Zit samen voor met: Yara" in text
    assert "Reden: Yara leert voorzitten" in text
    assert not CODES.search(text), CODES.search(text).group(0)
    assert "chair" not in text and "minute_taker" not in text


def change_mo(client):
    data = {
        "step": str(RoleStep.get(RoleStep.position == 3).id),
        "layer": "coordination",
        "status": "active",
        "note": "Mo gaat plannen.",
        "confirmed": "1",
        "accept_below": "y",
    }
    url = f"/memberships/{membership_id('Mo', SCHAKEL)}/change"
    assert post(client, url, data, follow_redirects=False).status_code == 303


def test_the_51_percent_confirmation_shows_its_groups_to_the_privacy_right(as_viewer, db):
    grant("coordinator", "privacy")
    client = as_viewer("coordinator")
    change_mo(client)
    text = audit_text(client)
    assert f"zette Mo in de laag coördinatie in {SCHAKEL}" in text
    assert f"Bevestigd dat deze groep onder 51% zakt: Uitvoering in {SCHAKEL}" in text
    assert "confirmed" not in text and not CODES.search(text)

    # Without the privacy right the line shows no confirmation at all: it was made counting
    # every answer, so whether it was needed tells whether the group fell (issue 19, M5).
    with database.connection_context():
        Grant.delete().where(
            (Grant.account == Account.get(Account.username == "coordinator").id)
            & (Grant.right == "privacy")
        ).execute()
    text = audit_text(as_viewer("coordinator"))
    assert f"zette Mo in de laag coördinatie in {SCHAKEL}" in text
    assert "Bevestigd dat" not in text
    assert "Uitvoering in" not in text


def test_a_confirmation_made_without_the_privacy_right_shows_that_it_was_made(as_viewer, db):
    # What the one who confirmed saw counted only the answers they may know: the line says
    # a confirmation was recorded, not which groups.
    client = as_viewer("coordinator")
    change_mo(client)
    text = audit_text(client)
    assert f"zette Mo in de laag coördinatie in {SCHAKEL}" in text
    assert "Bevestigd dat een groep onder 51% zakt of kan zakken." in text
    assert "Uitvoering in" not in text


def test_background_lines_and_answers_are_for_the_privacy_right_only(as_viewer, db):
    grant("coordinator", "privacy")
    with database.connection_context():
        mo = person_id("Mo")
        record(
            None,
            "person.background",
            person=mo,
            before={"client_background": "not_said"},
            after={"client_background": "yes"},
        )
    grant("coordinator", "coordinator")  # organisation-wide: sees lines without a project
    text = audit_text(as_viewer("coordinator"))
    assert "legde het antwoord over ervaring als cliënt van Mo vast" in text
    assert "Ervaring als cliënt nu: Ja" in text  # the privacy right may read the answer
    assert "client_background" not in text
    with database.connection_context():
        Grant.delete().where(Grant.right == "privacy").execute()
    assert "ervaring als cliënt" not in audit_text(as_viewer("coordinator"))


def test_the_treasurer_reads_claims_as_sentences_a_coordinator_does_not_see_them(as_viewer, db):
    with database.connection_context():
        sub = SubBudget.select().first()
        submit(
            claimant_id=person_id("Anouk B."),
            sub_budget_id=sub.id,
            kind="expense",
            km=None,
            amount_cents=1250,
            spent_on=dt.date(2026, 6, 1),
            description="Koffie",
            receipt=None,
            account_id=None,
        )
    grant("penningmeester", "coordinator")
    text = audit_text(as_viewer("penningmeester"))
    assert "diende een declaratie van €\xa012,50 in" in text
    assert not CODES.search(text)
    grant("coordinator", "coordinator")
    assert "declaratie" not in audit_text(as_viewer("coordinator"))


def test_a_member_has_no_audit_log(as_viewer, db):
    assert as_viewer("member").get("/audit").status_code == 403


def test_an_unknown_action_gets_a_neutral_sentence(as_viewer, db):
    grant("coordinator", "coordinator")
    with database.connection_context():
        record(None, "something.new", after={"x": 1})
    text = audit_text(as_viewer("coordinator"))
    assert "Tafel veranderde iets" in text
    assert "something.new" not in text and "x = 1" not in text


def test_the_page_runs_as_many_queries_with_sixty_more_named_lines(as_viewer, db, count_queries):
    client = as_viewer("coordinator")
    few = count_queries(client, "/audit")
    with database.connection_context(), database.atomic():
        meeting = next_planned()
        people = [person_id(n) for n in ("Bram", "Yara", "Dewi")]
        for i in range(30):
            chair, duo, taker = people[i % 3], people[(i + 1) % 3], people[(i + 2) % 3]
            override_rota(meeting, chair, duo, taker, f"reden {i}")
    many = count_queries(client, "/audit")
    assert many == few
    assert "Reden: reden 29" in audit_text(client)


def test_every_recorded_action_reads_as_a_sentence(as_viewer, db):
    from webapp.accounts.audit_words import SENTENCES

    grant("beheer", "treasurer")
    with database.connection_context():
        mo = person_id("Mo")
        for action in SENTENCES:
            record(None, action.removesuffix(".alone"), person=mo, after={"chair": mo})
    text = audit_text(as_viewer("beheer"))
    assert not CODES.search(text), CODES.search(text).group(0)
    assert "%(" not in text and "%%" not in text
