"""Co-decide means a decision (issue 12 point 3): a planned amount changes only with a decision
picked from a meeting's register (decided with consensus, or confirmed), of the sub-budget's
project (any project's for a post or a sub-budget without one). An organisation coordinator's
change applies at once; the treasurer's is a proposal a coordinator approves or rejects with a
reason the treasurer reads. The budget links every change to its decision."""

import json
import re

import pytest

from models.accounts.audit import AuditEntry
from models.budget import PlannedChange, Post, SubBudget
from models.meetings import Proposal
from models.meetings.register import PICKER_LIMIT
from models.organisation import Project
from tests.conftest import MEMBER_PROJECT, OTHER_PROJECT, post

PLANNED = 50_000  # "Papier en inkt" in the demo, a sub-budget of the member's project


def _sub(name="Papier en inkt"):
    return SubBudget.get(SubBudget.name == name)


def _decision(project=MEMBER_PROJECT, outcomes=("consensus",), state="closed"):
    query = (
        Proposal.select()
        .join(Project, on=(Proposal.project == Project.id))
        .where((Project.name == project) & (Proposal.state == state))
    )
    if outcomes:
        query = query.where(Proposal.outcome.in_(outcomes))
    found = query.order_by(Proposal.id.desc()).first()
    assert found is not None, (project, outcomes, state)
    return found


def _url(sub=None):
    return f"/budget/sub-budgets/{(sub or _sub()).id}/planned"


def _latest():
    return PlannedChange.select().order_by(PlannedChange.id.desc()).first()


def _propose(as_viewer, amount="700"):
    """The treasurer proposes a new amount for "Papier en inkt" with a decision."""
    response = post(
        as_viewer("penningmeester"),
        _url(),
        {"planned_amount": amount, "decision": str(_decision().id)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[-2000:]
    change = _latest()
    assert change.status == "proposed"
    return change


def test_who_may_change_a_planned_amount_with_a_decision(as_viewer, db):
    decision = _decision()
    data = {"planned_amount": "600", "decision": str(decision.id)}
    for viewer, status in (("anonymous", 303), ("member", 403), ("other", 403)):
        response = post(as_viewer(viewer), _url(), data, follow_redirects=False)
        assert response.status_code == status, viewer
        if viewer == "anonymous":
            assert response.headers["location"].startswith("/login")
    assert _sub().planned_cents == PLANNED and _latest().status == "proposed"  # the seed's
    # The coordinator: applied at once, linked to the decision.
    response = post(as_viewer("coordinator"), _url(), data, follow_redirects=False)
    assert response.status_code == 303
    change = _latest()
    assert (change.status, change.decision_id, change.old_cents, change.new_cents) == (
        "applied",
        decision.id,
        PLANNED,
        60_000,
    )
    assert _sub().planned_cents == 60_000
    line = AuditEntry.get(AuditEntry.action == "budget.planned.change")
    assert (
        line.object_id == change.id
        and decision.agenda_item.title in json.loads(line.after)["decision"]
    )
    # The treasurer: a proposal; the amount waits for a coordinator.
    change = _propose(as_viewer, "700")
    assert change.decision_id == decision.id and _sub().planned_cents == 60_000
    assert AuditEntry.select().where(AuditEntry.action == "budget.planned.propose").exists()


def test_a_coordinator_approves_the_treasurers_proposal_once(as_viewer, db):
    change = _propose(as_viewer)
    url = f"/budget/planned-changes/{change.id}/approve"
    for viewer, status in (
        ("anonymous", 303),
        ("member", 403),
        ("other", 403),
        ("penningmeester", 403),
    ):
        assert post(as_viewer(viewer), url, follow_redirects=False).status_code == status, viewer
    assert _sub().planned_cents == PLANNED
    coordinator = as_viewer("coordinator")
    assert post(coordinator, url, follow_redirects=False).status_code == 303
    change = PlannedChange.get_by_id(change.id)
    assert change.status == "applied" and change.approved_by_id is not None
    assert _sub().planned_cents == 70_000
    # A second approval (or a rejection after it) changes nothing and says so.
    again = post(coordinator, url)
    assert (
        again.status_code == 409
        and "Iemand anders heeft al over dit voorstel beslist" in again.text
    )
    late = post(coordinator, f"/budget/planned-changes/{change.id}/reject", {"reason": "Nee"})
    assert late.status_code == 409
    assert PlannedChange.get_by_id(change.id).status == "applied"


def test_a_coordinator_rejects_with_a_reason_the_treasurer_reads(as_viewer, db):
    change = _propose(as_viewer)
    url = f"/budget/planned-changes/{change.id}/reject"
    for viewer, status in (
        ("anonymous", 303),
        ("member", 403),
        ("other", 403),
        ("penningmeester", 403),
    ):
        response = post(as_viewer(viewer), url, {"reason": "Nee"}, follow_redirects=False)
        assert response.status_code == status, viewer
    coordinator = as_viewer("coordinator")
    # Without a reason (or only spaces): a sentence next to the field, nothing changes.
    for reason in ("", "   "):
        response = post(coordinator, url, {"reason": reason})
        assert response.status_code == 400
        assert f'id="reason-{change.id}-error"' in response.text
        assert "Schrijf waarom de wijziging niet wordt goedgekeurd." in response.text
        assert PlannedChange.get_by_id(change.id).status == "proposed"
    assert not AuditEntry.select().where(AuditEntry.action == "budget.planned.reject").exists()
    reason = "Dit besluit ging over de krant, niet over papier."
    assert post(coordinator, url, {"reason": reason}, follow_redirects=False).status_code == 303
    change = PlannedChange.get_by_id(change.id)
    assert (change.status, change.reason) == ("rejected", reason)
    assert change.rejected_by_id is not None and _sub().planned_cents == PLANNED
    line = AuditEntry.get(AuditEntry.action == "budget.planned.reject")
    assert json.loads(line.after)["reason"] == reason
    # The treasurer reads the reason on the budget page and with the sub-budget's changes.
    treasurer = as_viewer("penningmeester")
    assert reason in treasurer.get("/budget").text
    assert reason in treasurer.get(f"/budget/sub-budgets/{_sub().id}").text
    audit = as_viewer("coordinator").get("/audit").text
    assert "keurde het voorgestelde geplande bedrag van €\xa0700,00 niet goed" in audit
    assert f"Reden: {reason}" in audit
    # A rejected proposal cannot be approved any more.
    late = post(coordinator, f"/budget/planned-changes/{change.id}/approve")
    assert late.status_code == 409 and _sub().planned_cents == PLANNED


@pytest.mark.parametrize("outcome", ["provisional", "no_consensus", "blocked"])
def test_a_decision_without_consensus_is_refused_with_a_sentence(as_viewer, db, outcome):
    decision = _decision(outcomes=(outcome,))
    for viewer in ("coordinator", "penningmeester"):
        response = post(
            as_viewer(viewer), _url(), {"planned_amount": "600", "decision": str(decision.id)}
        )
        assert response.status_code == 400
        assert 'id="decision-error"' in response.text
        assert "niet besloten met overeenstemming" in response.text
    assert _sub().planned_cents == PLANNED
    assert not PlannedChange.select().where(PlannedChange.decision == decision.id).exists()


def test_an_open_proposal_or_another_projects_decision_is_refused(as_viewer, db):
    coordinator = as_viewer("coordinator")
    open_one = Proposal.get_or_none(Proposal.state == "open")
    if open_one is not None:
        response = post(
            coordinator, _url(), {"planned_amount": "600", "decision": str(open_one.id)}
        )
        assert response.status_code == 400 and 'id="decision-error"' in response.text
    other = _decision(OTHER_PROJECT)
    response = post(coordinator, _url(), {"planned_amount": "600", "decision": str(other.id)})
    assert response.status_code == 400
    assert "Dit besluit hoort bij een ander project." in response.text
    assert _sub().planned_cents == PLANNED
    # A post is the organisation's own: any project's decision may back it.
    materials = Post.get(Post.name == "Materialen")
    response = post(
        coordinator,
        f"/budget/posts/{materials.id}/planned",
        {"planned_amount": "7000", "decision": str(other.id)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert Post.get_by_id(materials.id).planned_cents == 700_000


@pytest.mark.parametrize(
    "value", ["", "0", "-1", "abc", "1.5", "999999", str(2**31), "99999999999999999999", "1e400"]
)
def test_a_forged_decision_id_gives_a_sentence_not_a_server_error(as_viewer, db, value):
    count = PlannedChange.select().count()
    for viewer in ("coordinator", "penningmeester"):
        response = post(as_viewer(viewer), _url(), {"planned_amount": "600", "decision": value})
        assert response.status_code == 400, (viewer, value)
        assert 'id="decision-error"' in response.text
    assert PlannedChange.select().count() == count and _sub().planned_cents == PLANNED


def test_the_same_amount_is_refused_and_one_decision_backs_several_changes(as_viewer, db):
    coordinator = as_viewer("coordinator")
    decision = _decision()
    same = post(coordinator, _url(), {"planned_amount": "500", "decision": str(decision.id)})
    assert same.status_code == 400 and 'id="planned_amount-error"' in same.text
    course = _sub("Cursus redactie")  # also of the member's project
    for sub, amount in ((_sub(), "650"), (course, "1300")):
        response = post(
            coordinator,
            _url(sub),
            {"planned_amount": amount, "decision": str(decision.id)},
            follow_redirects=False,
        )
        assert response.status_code == 303
    backed = PlannedChange.select().where(PlannedChange.decision == decision.id)
    assert backed.count() == 2


def test_the_budget_links_each_change_to_its_decision_and_keeps_the_old_text(as_viewer, db):
    decision = _decision()
    post(as_viewer("coordinator"), _url(), {"planned_amount": "600", "decision": str(decision.id)})
    PlannedChange.create(
        post=_sub().post_id,
        sub_budget=_sub(),
        old_cents=40_000,
        new_cents=PLANNED,
        written_decision="Vergadering 3 maart, besluit 2",
    )
    change = _propose(as_viewer, "800")
    for viewer in ("member", "other"):
        page = as_viewer(viewer).get(f"/budget/sub-budgets/{_sub().id}").text
        assert "Vergadering 3 maart, besluit 2" in page  # a change from before the register
        assert "Besluit van de vergadering" not in page  # the free-text field is gone
    # A member of the project reads the decision and follows its link; a member of another
    # project (who may not open the project's decisions) reads only which meeting decided.
    page = as_viewer("member").get(f"/budget/sub-budgets/{_sub().id}").text
    assert f'href="/proposals/{decision.id}"' in page
    assert decision.agenda_item.title in page
    other = as_viewer("other").get(f"/budget/sub-budgets/{_sub().id}").text
    assert f'href="/proposals/{decision.id}"' not in other
    assert decision.agenda_item.title not in other and decision.text[:40] not in other
    assert f"Besloten door de vergadering van {MEMBER_PROJECT} van " in other
    index = as_viewer("coordinator").get("/budget").text
    assert f'id="proposal-{change.id}"' in index and f'href="/proposals/{decision.id}"' in index
    assert f'action="/budget/planned-changes/{change.id}/reject"' in index


def test_the_picker_offers_only_backing_decisions_of_the_project_bounded(as_viewer, db):
    page = as_viewer("coordinator").get(f"/budget/sub-budgets/{_sub().id}").text
    picker = page.split('id="decision"', 1)[1].split("</select>", 1)[0]
    offered = {int(v) for v in re.findall(r'value="(\d+)"', picker)}
    assert offered and len(offered) <= PICKER_LIMIT
    project = Project.get(Project.name == MEMBER_PROJECT)
    for decision in Proposal.select().where(Proposal.id.in_(list(offered))):
        assert decision.project_id == project.id
        assert decision.outcome in ("consensus", "confirmed")
    assert _decision(outcomes=("provisional",)).id not in offered
    # A search narrows the choices; a search without results says so.
    title = _decision().agenda_item.title
    found = (
        as_viewer("coordinator")
        .get(f"/budget/sub-budgets/{_sub().id}", params={"decision_q": title})
        .text
    )
    assert title in found.split('id="decision"', 1)[1].split("</select>", 1)[0]
    none = (
        as_viewer("coordinator")
        .get(f"/budget/sub-budgets/{_sub().id}", params={"decision_q": "zzzgeenbesluitzzz"})
        .text
    )
    assert 'id="decision"' not in none and "zzzgeenbesluitzzz" in none
    # Members see the changes, not the form.
    member = as_viewer("member").get(f"/budget/sub-budgets/{_sub().id}").text
    assert 'id="decision"' not in member and 'id="history-heading"' in member


def test_an_approval_checks_the_decision_again(as_viewer, db):
    """The sub-budget moved to another project after the proposal: its decision no longer
    backs a change there, so the approval is refused and nothing changes."""
    change = _propose(as_viewer)
    SubBudget.update(project=Project.get(Project.name == OTHER_PROJECT)).where(
        SubBudget.id == _sub().id
    ).execute()
    response = post(as_viewer("coordinator"), f"/budget/planned-changes/{change.id}/approve")
    assert response.status_code == 409 and "hoort bij een ander project" in response.text
    assert PlannedChange.get_by_id(change.id).status == "proposed"
    assert _sub().planned_cents == PLANNED


def test_the_treasurer_reads_the_decision_behind_his_own_proposal_only(as_viewer, db):
    """The walk (issue 22): the budget linked the treasurer to a decision he then got 403 on.
    He may open the decision behind a change he proposed, read-only, without the links into
    the project's other pages (its meeting, its other versions)."""
    decision = _decision()
    treasurer = as_viewer("penningmeester")
    assert treasurer.get(f"/proposals/{decision.id}").status_code == 403  # nothing proposed yet
    _propose(as_viewer, "700")
    page = treasurer.get(f"/proposals/{decision.id}")
    assert page.status_code == 200
    assert decision.text[:40] in page.text
    meeting = decision.agenda_item.meeting_id
    assert f'href="/meetings/{meeting}"' not in page.text
    assert f'action="/proposals/{decision.id}' not in page.text  # no stance or close forms
    assert treasurer.get(f"/meetings/{meeting}").status_code == 403  # the rest stays closed
    assert treasurer.get(f"/proposals/{decision.id}/tally").status_code == 403
    budget = treasurer.get(f"/budget/sub-budgets/{_sub().id}").text
    assert f'href="/proposals/{decision.id}"' in budget
    # Another project's member still may not open it.
    assert as_viewer("other").get(f"/proposals/{decision.id}").status_code == 403


def test_the_same_proposal_twice_is_refused_while_the_first_waits(as_viewer, db):
    first = _propose(as_viewer, "700")
    again = post(
        as_viewer("penningmeester"),
        _url(),
        {"planned_amount": "700", "decision": str(_decision().id)},
    )
    assert again.status_code == 400 and 'id="planned_amount-error"' in again.text
    assert "Je hebt dit bedrag al voorgesteld" in again.text
    waiting = PlannedChange.select().where(PlannedChange.status == "proposed")
    assert [c.id for c in waiting if c.new_cents == 70_000] == [first.id]
    # Once it is decided, the same amount may be proposed again.
    post(as_viewer("coordinator"), f"/budget/planned-changes/{first.id}/reject", {"reason": "Nee"})
    assert _propose(as_viewer, "700").id != first.id
