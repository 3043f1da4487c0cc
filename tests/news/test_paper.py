"""The next meeting on paper (issue 21.4): the list and the slips are right for a person
without any digital channel, and run as many queries with more data."""

import datetime as dt

from models.actor import Actor
from models.clock import now
from models.meetings.between import close_between, default_closing, propose_between
from models.meetings.planning import close_meeting, start_meeting
from models.meetings.project_tables import Action
from models.meetings.proposals import take_stance
from models.meetings.tables import AgendaItem, Proposal
from models.person import Person
from tests.meetings.conftest import next_planned, person_id, project_id

HOUR = dt.timedelta(hours=1)


def test_the_paper_list_and_slips_tell_each_member_their_part(as_viewer, db, count_queries):
    project = project_id()
    first = next_planned()
    start_meeting(first.id)
    item = AgendaItem.create(meeting=first, title="Printer")
    for text, moment in (
        ("Oud besluit", now() - HOUR),
        ("We kopen een nieuwe printer", now() + HOUR),
    ):
        Proposal.create(
            project=project, agenda_item=item, text=text, state="closed",
            outcome="consensus", closed_at=moment, decided_on=moment.date(),
        )  # fmt: skip
    close_meeting(first.id)
    meeting = next_planned()
    anouk = person_id("Anouk B.")
    Action.create(project=project, description="Inkt bestellen", owner=anouk, due=meeting.date)
    Action.create(project=project, description="Bonnen sorteren", owner=anouk, status="doing")
    # A decision taken between meetings (issue 21.2) is on the paper too (DECIDED_SINCE).
    between = propose_between(
        project, "Inkt", "We kopen inkt tussendoor", default_closing(), Actor(person_id=anouk)
    )
    assert close_between(between.id, between.closes_at) == "no_quorum"
    # One still open, answered by Anouk only: the paper lists it, the others' slips ask them.
    still = propose_between(
        project, "Koffie", "We kopen koffie tussendoor", default_closing(), Actor(person_id=anouk)
    )
    take_stance(still, anouk, "agree", "")
    member = as_viewer("member")
    paper_url, slips_url = f"/meetings/{meeting.id}/paper", f"/meetings/{meeting.id}/slips"
    paper, slips = member.get(paper_url).text, member.get(slips_url).text
    chair = Person.get_by_id(meeting.chair_id).display_name
    assert chair in paper and "Inkt bestellen" in paper and "Bonnen sorteren" in paper
    assert "Moet klaar zijn op" in paper  # "Due", not "Klaar" (done) as the action's state says
    assert "Besloten sinds de vorige vergadering" in paper
    assert "We kopen een nieuwe printer" in paper and "Oud besluit" not in paper
    assert "We kopen inkt tussendoor" in paper and "Te weinig antwoorden" in paper
    assert "We kopen koffie tussendoor" in paper.split("Voorstellen tussen vergaderingen")[1]
    anouks = slips.split("Hallo Anouk B.,")[1].split("</section>")[0]
    assert "Inkt bestellen" in anouks and "2 besluiten" in anouks
    assert "Koffie (sluit op" not in anouks  # she answered
    chairs = slips.split(f"Hallo {chair},")[1].split("</section>")[0]
    assert "Je bent voorzitter" in chairs
    assert chair == "Anouk B." or "Koffie (sluit op" in chairs
    few = count_queries(member, paper_url), count_queries(member, slips_url)
    for n in range(30):
        Action.create(project=project, description=f"Actie {n}", owner=anouk)
        Proposal.create(
            project=project, agenda_item=item, text=f"Voorstel {n}", state="closed",
            outcome="blocked", closed_at=now() + HOUR, decided_on=meeting.date,
        )  # fmt: skip
    assert (count_queries(member, paper_url), count_queries(member, slips_url)) == few
