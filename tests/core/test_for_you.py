""" "Voor jou" on the start page: each viewer reads what waits for them as plain sentences
with a count and a link, and the page runs the same number of queries at ten times the
data."""

import re

from starlette.testclient import TestClient

from models.db import database
from tests.conftest import build_demo, build_demo_10x, login


def for_you(client: TestClient) -> str:
    page = client.get("/")
    assert page.status_code == 200
    match = re.search(r'<section aria-labelledby="for-you">.*?</section>', page.text, re.S)
    assert match, "no Voor jou section"
    # Each line's pictogram stands before its words (hidden from screen readers); the
    # sentences are read here without them.
    pictos = re.findall(
        r'<svg class="icon picto[^"]*"[^>]*aria-hidden="true".*?</svg> ?', match.group(0)
    )
    assert len(pictos) == match.group(0).count("<li>"), "a line of Voor jou has no pictogram"
    return re.sub(r'<svg class="icon picto.*?</svg> ?', "", match.group(0))


def person_id(username: str) -> int:
    from models.accounts import Account

    return Account.get(Account.username == username).person_id


def test_a_member_sees_a_proposal_waiting_and_an_open_action(as_viewer, db):
    from models.meetings import Action, Meeting, Proposal, Stance
    from models.people import Membership

    anouk = person_id("anouk")
    hers = Membership.select(Membership.project).where(
        (Membership.person == anouk) & (Membership.status != "ended")
    )
    waiting = Proposal.select().where(
        (Proposal.state == "open")
        & Proposal.project.in_(hers)
        & ~Proposal.id.in_(Stance.select(Stance.proposal).where(Stance.person == anouk))
    )
    # Proposals between meetings have a line of their own (the demo has one for Anouk).
    between = waiting.where(Proposal.closes_at.is_null(False)).order_by(Proposal.closes_at)
    waiting = waiting.where(Proposal.closes_at.is_null())
    proposal = waiting.order_by(Proposal.id).first()
    meeting = Meeting.get(Meeting.project == proposal.project_id)
    Action.create(
        project=proposal.project_id, meeting=meeting.id, description="Koffie halen", owner=anouk
    )
    open_actions = (
        Action.select()
        .where(
            ((Action.owner == anouk) | (Action.duo_owner == anouk))
            & Action.status.in_(("open", "doing"))
        )
        .count()
    )
    section = for_you(as_viewer("member"))
    assert f'href="/proposals/{proposal.id}"' in section
    assert f">{waiting.count()} voorstel" in section
    assert f'href="/proposals/{between.first().id}">{between.count()} voorstel tussen' in section
    assert "· het sluit op " in section  # one proposal: "it closes", not "the first closes"
    assert 'href="/actions/mine"' in section
    assert f"Je hebt {open_actions} open actie" in section


def test_a_stance_given_is_no_longer_waiting(as_viewer, db):
    from models.meetings import Proposal
    from models.meetings.proposals import take_stance

    client = as_viewer("member")
    anouk = person_id("anouk")
    before = for_you(client)
    proposal_id = int(re.search(r'href="/proposals/(\d+)"', before).group(1))
    with database.atomic():
        take_stance(Proposal.get_by_id(proposal_id), anouk, "agree", "")
    assert f'href="/proposals/{proposal_id}"' not in for_you(client)


def test_a_sub_budget_manager_sees_the_claims_waiting_for_approval(as_viewer, db):
    from models.budget import Claim, SubBudget

    anouk = person_id("anouk")
    waiting = (
        Claim.select()
        .join(SubBudget, on=(Claim.sub_budget == SubBudget.id))
        .where(
            (SubBudget.manager == anouk) & (Claim.status == "submitted") & (Claim.claimant != anouk)
        )
        .count()
    )
    assert waiting
    section = for_you(as_viewer("member"))
    assert re.search(
        rf'<a href="/budget/claims">{waiting} aanvr\w+ voor onkosten wacht\w* op jouw besluit</a>',
        section,
    )
    assert "wacht op betaling" not in section  # paying is the treasurer's


def test_the_treasurer_sees_the_approved_claims_to_pay(client, db):
    from models.budget import Claim

    to_pay = Claim.select().where(Claim.status == "approved").count()
    section = for_you(login(client, "penningmeester"))
    assert f"{to_pay} goedgekeurde aanvra" in section
    assert "wacht op betaling" in section or "wachten op betaling" in section


def test_the_trusted_person_sees_the_concerns_waiting(as_viewer, db):
    from models.meetings.concerns import send_concern

    send_concern("Ik durf het niet te zeggen in de vergadering.", None)
    section = for_you(as_viewer("penningmeester"))  # the demo's trusted person (Rik)
    assert '<a href="/concerns">1 zorg wacht op jou als vertrouwenspersoon</a>' in section
    # Only the trusted persons are told.
    assert "/concerns" not in for_you(as_viewer("coordinator"))


def test_a_coordinator_sees_a_signal_waiting_for_an_answer(as_viewer, db):
    from models.meetings import Signal
    from models.organisation import Project
    from tests.conftest import MEMBER_PROJECT

    project = Project.get(Project.name == MEMBER_PROJECT)
    Signal.create(project=project.id, text="De printer is stuk", kind="problem")
    waiting = Signal.unanswered_count(project.id)
    section = for_you(as_viewer("coordinator"))
    assert f'<a href="/projects/{project.id}/signals">{MEMBER_PROJECT}: {waiting} ' in section
    # A member who coordinates nothing is not asked to answer signals.
    assert "/signals" not in for_you(as_viewer("member"))


def test_a_proposed_planned_amount_waits_for_an_organisation_coordinator_only(as_viewer, db):
    from models.budget import PlannedChange

    waiting = PlannedChange.select().where(PlannedChange.status == "proposed").count()
    assert waiting, "the demo has a proposal of the treasurer"
    section = for_you(as_viewer("coordinator"))
    assert f'<a href="/budget#proposals">{waiting} voorstel' in section
    # The treasurer who proposed it, and a member, are not asked to approve it.
    assert "/budget#proposals" not in for_you(as_viewer("penningmeester"))
    assert "/budget#proposals" not in for_you(as_viewer("member"))


def test_a_removal_waits_for_the_second_coordinator_not_for_the_one_who_started_it(as_viewer, db):
    from models.accounts import Account, Grant
    from models.organisation import Project
    from models.person import Person
    from models.records.removal import start_removal
    from tests.conftest import MEMBER_PROJECT
    from webapp.access import viewer_of

    bram = Person.get(Person.display_name == "Bram").id
    kim = Account.get(Account.username == "coordinator").id
    rik = Account.get(Account.username == "penningmeester")
    Grant.create(account=rik, right="coordinator", project=Project.get(name=MEMBER_PROJECT))
    start_removal(viewer_of(Account.with_person(kim)), bram, "Bram is verhuisd.")
    section = for_you(as_viewer("penningmeester"))
    assert '<a href="/removals">1 verzoek om iemand te verwijderen wacht' in section
    assert "/removals" not in for_you(as_viewer("coordinator"))  # she started it
    assert "/removals" not in for_you(as_viewer("member"))


def test_the_chair_of_the_next_meeting_sees_minutes_to_approve(as_viewer, db):
    section = for_you(as_viewer("coordinator"))
    assert re.search(r'href="/meetings/\d+/minutes">Stel de notulen van ', section)


def test_someone_with_nothing_waiting_reads_a_kind_sentence(client):
    section = for_you(login(client, "beheer"))
    assert "Er wacht nu niets op je." in section
    assert "<ul" not in section


def test_no_section_without_an_account(client):
    assert 'aria-labelledby="for-you"' not in client.get("/").text


def home_counts(databases, build, count_queries) -> dict:
    from webapp.app import create_app

    app = create_app(databases.fresh(build))
    result = {}
    for username in ("anouk", "coordinator", "penningmeester", "priya"):
        with TestClient(app) as client:
            login(client, username)
            result[username] = count_queries(client, "/")
    return result


def test_the_home_page_runs_as_many_queries_at_ten_times_the_data(
    databases, data_dir, count_queries
):
    small = home_counts(databases, build_demo, count_queries)
    large = home_counts(databases, build_demo_10x, count_queries)
    assert small == large, (small, large)
    assert max(small.values()) <= 20, small
