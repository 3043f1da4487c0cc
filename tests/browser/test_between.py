"""A proposal between meetings through a whole month, in a real browser on a phone (320 px):
Anouk puts a proposal to her project, members answer (the coordinator writes one down for
Bram), the clock moves past its closing moment and the job closes it with nobody visiting,
and at the next meeting its chair confirms the decision. axe finds nothing on any page."""

import datetime as dt

from models import clock, jobs
from models.db import database
from models.meetings import Meeting, Proposal
from models.meetings.planning import start_meeting
from models.meetings.proposals import take_stance
from tests.browser.conftest import check_axe, sign_in
from tests.meetings.conftest import next_planned, person_id, project_id


def test_a_month_from_proposal_to_confirmed_decision(live_server, browser_page):
    base = live_server
    with database.connection_context(), database.atomic():
        project, meeting = project_id(), next_planned()
        Meeting.update(chair=person_id("Anouk B."), chair_duo=None, rota_fixed=True).where(
            Meeting.id == meeting.id
        ).execute()

    # Week 1: Anouk puts the proposal from her phone; it closes a week later by default.
    anouk = browser_page(320)
    sign_in(anouk, base, "anouk")
    anouk.goto(f"{base}/projects/{project}/proposals")
    check_axe(anouk)
    anouk.fill("#title", "Printercartridge")
    anouk.fill("#text", "We kopen een nieuwe cartridge voor de printer (€ 40).")
    anouk.click("button:has-text('Voorstel voorleggen')")
    anouk.wait_for_url("**/proposals/*")
    assert anouk.locator("text=over 7 dagen").count() == 1
    anouk.click("button:has-text('Ik ben voor') >> nth=0")
    anouk.wait_for_url("**/proposals/*")
    check_axe(anouk)

    # Bram tells the coordinator in person; she writes it down.
    with database.connection_context():
        # Hers (the demo has one of its own, seeds/between.py).
        proposal = Proposal.get(Proposal.text.startswith("We kopen een nieuwe cartridge"))
    kim = browser_page(320)
    sign_in(kim, base, "coordinator")
    kim.goto(f"{base}/proposals/{proposal.id}")
    kim.select_option("#person", label="Bram")
    kim.check("input[name=kind][value=agree]")
    kim.click("text=Antwoord opschrijven >> nth=-1")
    kim.wait_for_url(f"**/proposals/{proposal.id}#answers-heading")  # where it shows
    with database.connection_context():  # three more answer: the project's quorum (5 of 9)
        for name in ("Carla V.", "Dewi", "Lina"):
            take_stance(proposal, person_id(name), "agree", "")
    anouk.reload()
    assert anouk.locator("text=opgetekend door Kim (coördinatie)").count() == 1
    assert anouk.locator("text=4 leden hebben nog niet geantwoord").count() == 1

    # The clock passes the closing moment with nobody visiting: the job closes it.
    with clock.fixed(proposal.closes_at + dt.timedelta(seconds=30)):
        assert jobs.run_due()["close-proposals"] == 1

    # The next meeting: its chair (Anouk) confirms the decision taken between meetings.
    with clock.fixed(dt.datetime.combine(meeting.date, dt.time(17, 0))):
        with database.connection_context():
            start_meeting(meeting.id)
        chair = browser_page(320)
        sign_in(chair, base, "anouk")
        chair.goto(f"{base}/meetings/{meeting.id}")
        assert chair.locator("text=Sinds de vorige vergadering").count() == 1
        check_axe(chair)
        chair.click("button:has-text('Besluit bevestigen')")
        chair.wait_for_url(f"**/meetings/{meeting.id}#agenda")
        assert chair.locator("text=Besloten (bevestigd)").count() >= 1
        chair.goto(f"{base}/proposals/{proposal.id}")
        assert chair.locator("text=De vergadering bevestigde het op").count() == 1
        check_axe(chair)
        chair.goto(f"{base}/projects/{project}/decisions")
        assert chair.locator("text=tussen vergaderingen").count() >= 1
