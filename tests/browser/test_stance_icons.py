"""The stance icons in a real browser on a phone (320 px): inline SVG that draws without any
font (the ⌛ of a font showed as an empty box), hidden from screen readers, so each button is
named by its words alone; the tally and the decision register read as words. axe finds
nothing on any page visited."""

from models.db import database
from models.meetings import AgendaItem, Proposal
from models.meetings.proposals import take_stance
from tests.browser.conftest import check_axe, sign_in
from tests.meetings.conftest import next_planned, person_id, project_id

STANCE_WORDS = {
    "agree": "Ik ben voor",
    "stand_aside": "Ik sta opzij",
    "more_time": "Ik heb meer tijd nodig",
    "concern": "Ik ben voor, maar heb een zorg",
    "block": "Ik ben tegen: dit mag niet door",
}


def arrange() -> int:
    with database.connection_context(), database.atomic():
        meeting = next_planned()
        item = AgendaItem.select().where(AgendaItem.meeting == meeting.id).first()
        proposal = Proposal.create(project=meeting.project_id, agenda_item=item.id, text="Bank")
        take_stance(proposal, person_id("Bram"), "more_time", "", None)
        take_stance(proposal, person_id("Dewi"), "concern", "De prijs", None)
        return proposal.id


def drawn(page, selector: str) -> list[dict]:
    """Each matching SVG's tag, size and whether it is hidden from screen readers."""
    return page.eval_on_selector_all(
        selector,
        """els => els.map(el => {
            const box = el.getBoundingClientRect();
            return {tag: el.tagName.toLowerCase(), width: box.width, height: box.height,
                    hidden: el.getAttribute('aria-hidden'),
                    paths: el.querySelectorAll('path').length};
        })""",
    )


def test_stance_icons_are_svg_with_their_words_at_320_px(live_server, browser_page):
    proposal_id = arrange()
    base = live_server
    member = browser_page(320)
    sign_in(member, base, "anouk")
    member.goto(f"{base}/proposals/{proposal_id}")
    for kind, words in STANCE_WORDS.items():
        icons = drawn(member, f"main svg.icon-{kind}")
        assert icons, kind
        for icon in icons:
            assert icon["tag"] == "svg" and icon["hidden"] == "true" and icon["paths"] >= 1
            assert 12 <= icon["width"] <= 32 and 12 <= icon["height"] <= 32, (kind, icon)
        # The icon adds nothing to the name: the button is called by its words.
        assert member.get_by_role("button", name=words, exact=True).count() == 1, words
    assert member.evaluate("document.documentElement.scrollWidth") <= 320
    check_axe(member)

    chair = browser_page(320)
    sign_in(chair, base, "coordinator")
    chair.goto(f"{base}/proposals/{proposal_id}")
    tally = chair.locator("#tally")
    assert tally.locator("svg.icon-more_time").count() == 1
    assert "Vroeg om meer tijd: 1" in tally.inner_text()
    check_axe(chair)

    chair.goto(f"{base}/projects/{project_id_in_db()}/decisions")
    assert chair.locator("main li p", has_text="zijn voor").count() >= 1
    check_axe(chair)


def project_id_in_db() -> int:
    with database.connection_context():
        return project_id()
