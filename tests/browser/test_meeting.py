"""A whole meeting in a real browser, on a phone (320 px) and a laptop (1280 px):
a member adds an agenda item; the chair opens a proposal; three members take stances (one with
a concern, one written down by the minute-taker); the chair closes it as consensus with a
statement; the minute-taker writes and saves minutes; an action appears in "my actions" and on
the next meeting's agenda. axe finds nothing on any page visited."""

import pytest

from models.db import database
from models.meetings import Meeting
from models.people import Membership
from tests.browser.conftest import check_axe as assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.meetings.conftest import person_id, project_id


def arrange():
    """Anouk takes minutes at the next meeting; four members are on a pause, so five are
    active and three answers reach the quorum."""
    with database.connection_context(), database.atomic():
        meetings = list(
            Meeting.select()
            .where((Meeting.project == project_id()) & (Meeting.state == "planned"))
            .order_by(Meeting.date)
        )
        first, second = meetings[0], meetings[1]
        first.chair = person_id("Kim (coördinatie)")
        first.minute_taker = person_id("Anouk B.")
        first.chair_duo = None
        first.rota_fixed = True
        first.save()
        paused = [person_id(n) for n in ("Carla V.", "Erik de M.", "Gert", "Yara")]
        Membership.update(status="paused").where(
            (Membership.project == project_id()) & Membership.person.in_(paused)
        ).execute()
        return first.id, second.id


def check(page):
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [320, 1280])
def test_a_whole_meeting(live_server, browser_page, width):
    meeting_id, next_id = arrange()
    base = live_server
    member = browser_page(width)
    chair = browser_page(width)
    sign_in(member, base, "anouk")
    sign_in(chair, base, "coordinator")

    # A member adds an agenda item from her phone.
    member.goto(f"{base}/meetings/{meeting_id}")
    check(member)
    member.fill("#title", "Een nieuwe bank")
    member.fill("#explanation", "De oude bank is kapot.")
    member.click("text=Agendapunt toevoegen >> nth=-1")
    member.wait_for_url(f"**/meetings/{meeting_id}#agenda")
    assert member.locator("text=Een nieuwe bank").count() >= 1

    # The chair starts the meeting and opens a proposal on that item.
    chair.goto(f"{base}/meetings/{meeting_id}")
    chair.click("button:has-text('Vergadering beginnen')")
    chair.wait_for_load_state()
    # The meeting is weeks away (the suite's clock): the chair is asked first.
    assert chair.locator("#start-early-heading").count() == 1
    check(chair)
    chair.click("button:has-text('Ja, nu beginnen')")
    chair.wait_for_load_state()
    item = chair.locator("ol.agenda > li", has_text="Een nieuwe bank")
    item.locator("summary").click()
    item.locator("textarea").fill("We kopen een nieuwe bank van maximaal 300 euro.")
    item.locator("button:has-text('Voorstel openen')").click()
    chair.wait_for_url("**/proposals/*")
    proposal_url = chair.url
    check(chair)

    # Three members take a stance: Anouk with a concern, Kim agrees, Bram aloud.
    member.goto(proposal_url)
    check(member)
    member.fill("#reason-concern", "Past hij wel in de kamer?")
    member.click("button:has-text('Ik ben voor, maar heb een zorg')")
    member.wait_for_load_state()
    assert member.locator("text=Past hij wel in de kamer?").count() >= 1
    member.select_option("#person", label="Bram")
    member.check("input[name=kind][value=agree]")
    member.click("button:has-text('Antwoord opschrijven')")
    member.wait_for_load_state()
    chair.goto(proposal_url)
    chair.locator("form", has=chair.locator("button[value=agree]")).locator(
        "button[value=agree]"
    ).click()
    chair.wait_for_load_state()
    tally = chair.locator("#tally")
    assert "Nog geen antwoord van:" in tally.inner_text()
    check(chair)

    # The chair closes it with a statement: consensus.
    chair.fill("#statement", "We kopen de bank. Anouk meet eerst de kamer op.")
    chair.click("button:has-text('Voorstel sluiten')")
    chair.wait_for_load_state()
    assert chair.locator("h2", has_text="Besloten").count() == 1
    check(chair)

    # The chair adds an action for Anouk.
    chair.goto(f"{base}/meetings/{meeting_id}")
    chair.locator("summary", has_text="Actie toevoegen").click()
    chair.fill("#description", "De kamer opmeten")
    chair.select_option("#owner", label="Anouk B.")
    chair.click("button:has-text('Actie toevoegen') >> nth=-1")
    chair.wait_for_url(f"**/meetings/{meeting_id}#actions")
    check(chair)

    # The minute-taker writes and saves the minutes.
    member.goto(f"{base}/meetings/{meeting_id}/minutes")
    check(member)
    member.fill("#minutes-text", "Aanwezig: Anouk, Bram, Kim.\nBesloten: we kopen een bank.")
    member.click("main form.minutes-form button[type=submit]")
    member.wait_for_load_state()
    assert "we kopen een bank" in member.locator("#minutes-text").input_value()
    assert "Versie" in member.locator("#save-status").inner_text()

    # The action is in "my actions" and on the next meeting's agenda.
    member.goto(f"{base}/actions/mine")
    assert member.locator("text=De kamer opmeten").count() == 1
    check(member)
    member.goto(f"{base}/meetings/{next_id}")
    assert member.locator("#agenda", has_text="De kamer opmeten").count() == 1
    check(member)


def test_minutes_save_as_you_type(live_server, browser_page):
    meeting_id, _ = arrange()
    page = browser_page(1280)
    sign_in(page, live_server, "anouk")
    page.goto(f"{live_server}/meetings/{meeting_id}/minutes")
    page.locator("#minutes-text").fill("")
    page.locator("#minutes-text").press_sequentially("Eerste punt", delay=20)
    page.wait_for_selector("#save-status:has-text('Opgeslagen (versie 1)')")
    page.locator("#minutes-text").press_sequentially(", tweede punt", delay=20)
    page.wait_for_selector("#save-status:has-text('Opgeslagen (versie 2)')")
    page.reload()
    assert page.locator("#minutes-text").input_value() == "Eerste punt, tweede punt"


def test_agenda_and_minutes_work_without_javascript(live_server, browser_page):
    meeting_id, _ = arrange()
    page = browser_page(320, javascript=False)
    sign_in(page, live_server, "anouk")
    page.goto(f"{live_server}/meetings/{meeting_id}")
    page.fill("#title", "Zonder JavaScript")
    page.click("button:has-text('Agendapunt toevoegen')")
    assert page.locator("ol.agenda", has_text="Zonder JavaScript").count() == 1
    page.goto(f"{live_server}/meetings/{meeting_id}/minutes")
    page.fill("#minutes-text", "Geschreven zonder JavaScript")
    page.click("main form.minutes-form button[type=submit]")
    assert page.locator("#minutes-text").input_value() == "Geschreven zonder JavaScript"
