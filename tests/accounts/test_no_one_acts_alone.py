"""Issue 19, done when: no single person can complete both halves of any four-eyes action
through any sequence of links, resets and logins.

One coordinator — the demo's Kim (an organisation coordinator without the privacy right),
and a project coordinator (Priya, given the coordinator right of Fietswerkplaats Op Weg) —
makes a link for every kind of person she may make one for, uses each link herself (chooses
the password), signs out, logs in again through the login form with that password, answers
the link notice "I used this link myself", and then tries, over HTTP with real CSRF, the
second half of every four-eyes action whose first half she did herself or through one of
the accounts she now holds:

- a claim: approve, reject (the sub-budget's manager or the treasurer) and pay (the
  treasurer), the claim filed by her or by any account she holds, on the sub-budget of a
  manager she holds;
- a removal a person asked for themselves (asked by her or by any account she holds), and a
  removal she started for someone without an account (the confirm of either path);
- a planned amount: its first half (the treasurer's proposal) cannot be done by her or any
  account she holds (Kim's own change applies at once under the co-decide rule, nobody
  else's is a proposal), tried; and no account she holds approves the treasurer's proposal;
- approving a new-password link that waits for a second administrator (made by her);
- taking an account back (held by her link).

The grep for `counts_as` finds no other four-eyes action (the 51% confirmation is one
person ticking a box after seeing the what-if, not two halves).

Every attempt is refused and nothing changes (no audit line of a second half by any account
in her hands, nobody erased, every account still counts as her). Whom she may make a link for
is the query of everyone `invitable_people` admits (each person of the demo asked by id).

To run in seconds rather than minutes, one representative per kind of power is taken over
(has an account or not: a reset or an invite; manages a sub-budget; chairs or takes the
minutes of a meeting not held yet: the reset waits for a second administrator; is in a
project now: may file a claim). A link's power over a four-eyes action comes only from
these, so the representatives stand for everyone of their kind. Claims are filed on the
sub-budgets of at most two held managers; on the second, only the coordinator and that
manager try (the others have no power over the claim and are refused by the route, as on the
first). On the demo: 7 kinds for Kim, 389 (link × action) pairs; 4 kinds for Priya, 173
pairs. About 10-15 s each on the shared, loaded machine (most of it the claim pages).

Before this test, counts_as missed the pair of two accounts in the same hands: a claim filed
through one account Kim held was approved through another (a manager's) she held. Four-eyes
rules now count through any chain of links (models/accounts/trust.py `same_hands`).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from starlette.testclient import TestClient

from models.accounts import AccessLink, Account, Grant, RemovalRequest
from models.accounts.audit import AuditEntry
from models.accounts.sessions import rights_of
from models.accounts.trust import counts_as
from models.actor import Actor
from models.budget import Claim, PlannedChange, SubBudget
from models.clock import now, today
from models.db import database
from models.meetings import Meeting
from models.organisation import Project
from models.people import Membership, RoleStep
from models.person import Person
from models.records.links import invitable_people
from models.records.removal import may_remove, removals_to_confirm, start_removal
from tests.accounts.conftest import GOOD
from tests.conftest import csrf_of, login

OP_WEG = "Fietswerkplaats Op Weg"
REFUSED = {400, 403}
SECOND_HALVES = (
    "budget.claim.approve",
    "budget.claim.reject",
    "budget.claim.pay",
    "person.erase",
    "person.removal_confirm",
    "budget.planned.approve",
    "link.approve",
    "account.take_back",
)


class Browser:
    """A signed-in test client that keeps the CSRF token of its session (a real token, read
    once from a page after login: every POST carries it)."""

    def __init__(self, app, name: str):
        self.client = TestClient(app)
        self.name = name
        self.token = ""
        self.person_id: int | None = None

    def signed_in(self) -> "Browser":
        self.token = csrf_of(self.client, "/account")
        return self

    def post(self, url: str, data: dict | None = None):
        fields = {"csrf_token": self.token, **(data or {})}
        return self.client.post(url, data=fields, follow_redirects=False)


def _actor(username: str) -> Actor:
    account = Account.get(Account.username == username)
    rights, coordinates, acts_for, _trusted = rights_of(account.id, account.person_id)
    return Actor(
        account_id=account.id,
        person_id=account.person_id,
        rights=frozenset(rights),
        coordinates=frozenset(coordinates),
        acts_for=frozenset(acts_for),
    )


def _kind(person: Person) -> tuple:
    """What taking over this person's account could give: whether there is an account (a
    reset) or not (an invite), managing a sub-budget, a named turn in a meeting not held yet,
    being in a project now."""
    manages = SubBudget.select().where(SubBudget.manager == person.id).exists()
    named = (
        Meeting.select()
        .where(
            (Meeting.state == "planned")
            & (Meeting.date >= today())
            & (
                (Meeting.chair == person.id)
                | (Meeting.chair_duo == person.id)
                | (Meeting.minute_taker == person.id)
            )
        )
        .exists()
    )
    in_project = (
        Membership.select()
        .where((Membership.person == person.id) & (Membership.status != "ended"))
        .exists()
    )
    return (bool(person.has_account), manages, named, in_project)


def _everyone_admitted(username: str) -> list[Person]:
    """Every person `invitable_people` admits for this coordinator: each person asked by id
    (the query the links page runs for a chosen name)."""
    actor = _actor(username)
    admitted = []
    for person in Person.select().where(Person.display_name.is_null(False)).order_by(Person.id):
        admitted += invitable_people(actor, person_id=person.id)
    return admitted


@dataclass
class Scene:
    coordinator: Browser
    held: list = field(default_factory=list)  # Browsers of the accounts she holds
    kinds: dict = field(default_factory=dict)  # kind -> person id
    tried: list = field(default_factory=list)  # (first half by, second half by, action)

    @property
    def everyone(self) -> list:
        return [self.coordinator, *self.held]

    def refused(self, response, first: Browser, second: Browser, action: str) -> None:
        assert response.status_code in REFUSED, (
            action,
            first.name,
            second.name,
            response.status_code,
            response.text[-600:],
        )
        self.tried.append((first.name, second.name, action))


def _take_over(app, scene: Scene, person: Person, number: int, admin: Browser) -> Browser:
    """The coordinator makes the person's link on the links page, an honest second
    administrator approves it when it waits, and the coordinator uses it herself, signs out,
    logs in again and answers the notice "I used this link myself"."""
    made = scene.coordinator.post("/accounts/links", {"person": person.id})
    assert made.status_code == 303, made.text[-800:]
    link_id = int(made.headers["location"].rsplit("/", 1)[1])
    slip = scene.coordinator.client.get(made.headers["location"]).text
    token = re.search(r'/welcome/([^"<\s]+)', slip).group(1)
    if AccessLink.get_by_id(link_id).needs_approval:
        assert admin.post(f"/accounts/links/{link_id}/approve").status_code == 303
    taker = Browser(app, person.display_name)
    welcome = taker.client.post(
        f"/welcome/{token}",
        data={
            "csrf_token": csrf_of(taker.client, f"/welcome/{token}"),
            "username": f"held{number}",
            "password": GOOD,
            "repeat": GOOD,
        },
        follow_redirects=False,
    )
    assert welcome.status_code == 303, welcome.text[-800:]
    taker.signed_in()
    assert taker.post("/logout").status_code == 303
    username = Account.get(Account.person == person.id).username
    login = taker.client.post(
        "/login",
        data={"username": username, "password": GOOD, "csrf_token": csrf_of(taker.client)},
        follow_redirects=False,
    )
    assert login.headers["location"].startswith("/account/links-made"), login.headers
    taker.signed_in()
    answered = taker.post("/account/links-made", {"link": link_id, "answer": "mine", "next": "/"})
    assert answered.status_code == 303
    taker.person_id = person.id
    return taker


def _scene(app, username: str, *, spare: int = 1) -> tuple[Scene, list[Person]]:
    """The coordinator signed in, one person of each kind taken over, and `spare` people
    without an account she may make a link for but did not (for a removal she starts)."""
    coordinator = Browser(app, username)
    login(coordinator.client, username)
    coordinator.signed_in()
    with database.connection_context():
        coordinator.person_id = Account.get(Account.username == username).person_id
        admitted = _everyone_admitted(username)
        kinds: dict = {}
        for person in admitted:
            kinds.setdefault(_kind(person), person)
    scene = Scene(coordinator, kinds={kind: p.id for kind, p in kinds.items()})
    admin = Browser(app, "beheer")
    login(admin.client, "beheer")
    admin.signed_in()
    for number, person in enumerate(kinds.values()):
        with database.connection_context():
            scene.held.append(_take_over(app, scene, person, number, admin))
    chosen = {p.id for p in kinds.values()}
    with database.connection_context():
        without_account = [
            p for p in _everyone_admitted(username) if p.id not in chosen and not p.has_account
        ]
    return scene, without_account[:spare]


def _managed(person_id: int | None) -> list[SubBudget]:
    return list(SubBudget.select().where(SubBudget.manager == person_id).order_by(SubBudget.id))


def _claim(scene: Scene, doer: Browser, sub: SubBudget) -> int | None:
    """The doer files a claim on the sub-budget: its id, or None when she may not (someone
    in no project: the first half is refused, and counted)."""
    filed = doer.post(
        "/budget/claims",
        {
            "kind": "other",
            "sub_budget": str(sub.id),
            "spent_on": today().isoformat(),
            "km": "",
            "amount": "450",
            "description": "Zaalhuur",
        },
    )
    if filed.status_code == 403:
        scene.refused(filed, doer, doer, "claim: file")
        return None
    assert filed.status_code == 303, (doer.name, filed.text[-800:])
    return int(filed.headers["location"].rsplit("/", 1)[1])


def _claims(scene: Scene, treasurer: Browser) -> None:
    """Every doer files a claim on the sub-budget of each manager she holds (at most two
    kinds of manager); the coordinator and the manager try to approve and reject each one,
    every other account in her hands (no power over the claim: the route refuses them
    before the model) tries on the first. Every doer's claim approved by the treasurer: every
    account in her hands tries to pay it."""
    with database.connection_context():
        managers = [(b, _managed(b.person_id)) for b in scene.held]
        subs = [(b, found[0]) for b, found in managers if found][:2]
    assert subs, "a manager among the people she may make a link for"
    for doer in scene.everyone:
        for number, (manager, sub) in enumerate(subs):
            with database.connection_context():
                claim = _claim(scene, doer, sub)
            if claim is None:
                continue
            seconds = scene.everyone if number == 0 else [scene.coordinator, manager]
            for second in seconds:
                response = second.post(f"/budget/claims/{claim}/approve")
                scene.refused(response, doer, second, "claim approve")
                response = second.post(f"/budget/claims/{claim}/reject", {"reason": "Nee."})
                scene.refused(response, doer, second, "claim reject")
            with database.connection_context():
                assert Claim.get_by_id(claim).status == "submitted"
        with database.connection_context():
            claim = _claim(scene, doer, subs[0][1])
        if claim is None:
            continue
        assert treasurer.post(f"/budget/claims/{claim}/approve").status_code == 303
        for second in scene.everyone:
            response = second.post(f"/budget/claims/{claim}/pay")
            scene.refused(response, doer, second, "claim pay")
        with database.connection_context():
            assert Claim.get_by_id(claim).status == "approved"


def _removals(scene: Scene, spare: list[Person]) -> None:
    """Both removal paths: every doer asks for her own removal, every account in her hands
    tries to remove her; the coordinator starts the removal of someone without an account,
    every account in her hands tries to confirm it (and to start one)."""
    confirm = {"confirmed": "1", "accept_below": "y"}
    for doer in scene.everyone:
        assert doer.post("/account/removal").status_code == 303
        for second in scene.everyone:
            response = second.post(f"/removals/{doer.person_id}/confirm", confirm)
            scene.refused(response, doer, second, "removal asked: remove")
    for target in spare:
        started = scene.coordinator.post(f"/people/{target.id}/removal", {"reason": "Verhuisd."})
        assert started.status_code == 303, started.text[-800:]
        with database.connection_context():
            request = RemovalRequest.open_for(target.id)
        for second in scene.everyone:
            response = second.post(
                f"/people/{target.id}/removal/confirm", {**confirm, "request": request.id}
            )
            scene.refused(response, scene.coordinator, second, "removal started: confirm")
        for doer in scene.held:
            response = doer.post(f"/people/{target.id}/removal", {"reason": "Verhuisd."})
            scene.refused(response, doer, doer, "removal started: start")


def _planned_amounts(scene: Scene) -> None:
    """The first half of a planned-amount approval is the treasurer's proposal: nobody in the
    coordinator's hands can make one (Kim's change applies at once, co-decided by a meeting:
    no second half waits). Nobody in her hands approves the treasurer's proposal either."""
    from tests.budget.test_co_decide import _decision, _url

    with database.connection_context():
        url, decision = _url(), _decision().id
        before = PlannedChange.select().count()
    for doer in scene.everyone:
        response = doer.post(url, {"planned_amount": "612", "decision": str(decision)})
        if response.status_code == 303:  # an organisation coordinator's own change
            with database.connection_context():
                latest = PlannedChange.select().order_by(PlannedChange.id.desc()).get()
                assert latest.status == "applied"
                assert latest.proposed_by_id == doer.person_id
        scene.tried.append((doer.name, doer.name, "planned amount: propose"))
    with database.connection_context():
        made = PlannedChange.select().order_by(PlannedChange.id).offset(before)
        assert all(change.status == "applied" for change in made)


def _planned_proposal_by_treasurer(scene: Scene, treasurer: Browser) -> None:
    from tests.budget.test_co_decide import _decision, _url

    with database.connection_context():
        url, decision = _url(), _decision().id
    proposed = treasurer.post(url, {"planned_amount": "640", "decision": str(decision)})
    assert proposed.status_code == 303
    with database.connection_context():
        change = (
            PlannedChange.select()
            .where(PlannedChange.status == "proposed")
            .order_by(PlannedChange.id.desc())
            .get()
        )
    for second in scene.held:
        response = second.post(f"/budget/planned-changes/{change.id}/approve")
        scene.refused(response, treasurer, second, "planned amount: approve")


def _links_and_take_back(scene: Scene) -> None:
    """A new-password link the coordinator made for an account with a power waits: nobody in
    her hands approves it. Nobody in her hands takes back an account her link holds."""
    for owner in scene.held:
        with database.connection_context():
            waits = invitable_people(_actor(scene.coordinator.name), person_id=owner.person_id)
        made = scene.coordinator.post("/accounts/links", {"person": owner.person_id})
        if waits and made.status_code == 303:
            link_id = int(made.headers["location"].rsplit("/", 1)[1])
            with database.connection_context():
                waiting = AccessLink.get_by_id(link_id).needs_approval
            if waiting:
                for second in scene.everyone:
                    response = second.post(f"/accounts/links/{link_id}/approve")
                    scene.refused(response, scene.coordinator, second, "reset link: approve")
        form = {"password": "een eigen nieuwe zin", "repeat": "een eigen nieuwe zin", "seen": "y"}
        for second in scene.everyone:
            response = second.post(f"/accounts/held/{owner.person_id}", form)
            scene.refused(response, scene.coordinator, second, "account: take back")


def _nothing_done(scene: Scene) -> None:
    with database.connection_context():
        hands = Account.select(Account.id).where(
            Account.person.in_([b.person_id for b in scene.everyone])
        )
        done = AuditEntry.select().where(
            AuditEntry.action.in_(SECOND_HALVES) & AuditEntry.actor.in_(hands)
        )
        assert not done.exists(), [(e.action, e.actor_id) for e in done]
        assert not Person.select().where(Person.erased_at.is_null(False)).exists()
        for browser in scene.held:
            # Still held: every account counts as the coordinator.
            assert (
                scene.coordinator.person_id
                in _actor(Account.get(Account.person == browser.person_id).username).acts_for
            )


def _run(app, username: str) -> Scene:
    treasurer = Browser(app, "penningmeester")
    login(treasurer.client, "penningmeester")
    treasurer.signed_in()
    scene, spare = _scene(app, username)
    assert spare, "someone without an account to start a removal for"
    _claims(scene, treasurer)
    _removals(scene, spare)
    _planned_amounts(scene)
    _planned_proposal_by_treasurer(scene, treasurer)
    _links_and_take_back(scene)
    _nothing_done(scene)
    return scene


def test_an_organisation_coordinator_and_every_account_she_can_hold_never_act_alone(app):
    with database.connection_context():
        assert not Grant.held(Account.get(Account.username == "coordinator").id, "privacy")
    scene = _run(app, "coordinator")
    assert len(scene.kinds) == 7, scene.kinds
    assert len(scene.tried) == 389, len(scene.tried)


def test_a_project_coordinator_and_every_account_she_can_hold_never_act_alone(app):
    with database.connection_context():
        Grant.create(
            account=Account.get(Account.username == "priya"),
            right="coordinator",
            project=Project.get(Project.name == OP_WEG),
        )
    scene = _run(app, "priya")
    assert len(scene.kinds) == 4, scene.kinds
    assert len(scene.tried) == 173, len(scene.tried)


# --- counting through chains of links ----------------------------------------------------


def _held_by(owner: Person, maker: Account, token: str) -> None:
    """A used link `maker` made for the owner's account (as if she opened it herself)."""
    AccessLink.create(
        token_hash=token,
        kind="reset",
        person=owner,
        created_by=maker,
        expires_at=now() + dt.timedelta(days=7),
        used_at=now(),
    )


def _account_for(name: str, *rights) -> Account:
    person = Person.create(display_name=name)
    account = Account.create(person=person, username=name.lower(), password_hash="x")
    for right in rights:
        Grant.create(account=account, right=right)
    return account


def test_four_eyes_count_through_a_chain_of_links_and_not_between_two_makers(db):
    """Sam (admin) holds Cas's account (a coordinator's); through it he made and used
    Dirk's link: Dirk's account may be in Sam's hands. Two makers of links for one account
    (Ada and Bo) do not count as each other: neither may use the other's account."""
    sam = Account.get(Account.username == "beheer")
    cas = _account_for("Cas", "coordinator")
    dirk = _account_for("Dirk")
    _held_by(cas.person, sam, "chain-1")
    _held_by(dirk.person, cas, "chain-2")
    assert counts_as(_actor("beheer"), dirk.person_id)
    assert counts_as(_actor("dirk"), sam.person_id)
    assert not counts_as(_actor("anouk"), dirk.person_id)
    ada, bo, cor = _account_for("Ada", "coordinator"), _account_for("Bo", "coordinator"), None
    cor = _account_for("Cor")
    _held_by(cor.person, ada, "two-1")
    _held_by(cor.person, bo, "two-2")
    assert counts_as(_actor("cor"), ada.person_id) and counts_as(_actor("cor"), bo.person_id)
    assert not counts_as(_actor("ada"), bo.person_id)
    # Taken back: the chain is broken, and Dirk counts as nobody else.
    AccessLink.update(taken_back_at=now()).where(AccessLink.token_hash == "chain-2").execute()
    assert not counts_as(_actor("beheer"), dirk.person_id)
    assert not counts_as(_actor("dirk"), cas.person_id)


def _waiting_removals(client: TestClient) -> str:
    page = client.get("/").text
    found = re.search(r"(\d+) (?:verzoek|verzoeken) om iemand te verwijderen", page)
    return found.group(1) if found else "0"


def test_voor_jou_leaves_out_removals_the_viewer_counts_as_the_starter_of(app, count_queries):
    """Stijn (an organisation coordinator) starts a removal. His account was opened with a
    link Kim made, so Kim counts as him: her "Voor jou" does not count it (she could not
    confirm it), another organisation coordinator's (Rik) does. And the other way round: an
    account Stijn's link holds does not count it either. The start page runs as many queries
    as before."""
    with database.connection_context():
        kim = Account.get(Account.username == "coordinator")
        stijn = _account_for("Stijn", "coordinator")
        lot = _account_for("Lot", "coordinator")
        _held_by(stijn.person, kim, "stijn-by-kim")
        _held_by(lot.person, stijn, "lot-by-stijn")
        Grant.create(account=Account.get(Account.username == "penningmeester"), right="coordinator")
        target = Person.create(display_name="Wim Weg")
        Membership.create(
            person=target,
            project=Project.get(Project.name == OP_WEG),
            step=Membership.select().first().step,
            layer="execution",
        )
    kim_client = login(TestClient(app), "coordinator")
    rik = login(TestClient(app), "penningmeester")
    before = count_queries(kim_client, "/")
    with database.connection_context():
        start_removal(_actor("stijn"), target.id, "Verhuisd.")
    assert _waiting_removals(kim_client) == "0"
    assert _waiting_removals(rik) == "1"
    with database.connection_context():
        assert removals_to_confirm(_actor("lot")) == 0
        assert removals_to_confirm(_actor("stijn")) == 0
        assert removals_to_confirm(_actor("penningmeester")) == 1
    assert count_queries(kim_client, "/") == before


# --- M1 replayed: adopting someone does not give their link nor their removal -------------


def test_adding_someone_and_ending_it_at_once_gives_neither_a_link_nor_a_removal(app):
    """Priya coordinates Op Weg; she adds Erik (of Woordwerk) to it and ends it at once. She
    may not make Erik's link nor start his removal: he is not in her project now."""
    with database.connection_context():
        Grant.create(
            account=Account.get(Account.username == "priya"),
            right="coordinator",
            project=Project.get(Project.name == OP_WEG),
        )
        erik = Person.get(Person.display_name == "Erik de M.")
        op_weg = Project.get(Project.name == OP_WEG).id
        step = RoleStep.lowest_participant_step().id
    priya = Browser(app, "priya")
    login(priya.client, "priya")
    priya.signed_in()
    while_in = {"person": str(erik.id), "new_person": "", "step": str(step)}
    added = priya.post(
        f"/projects/{op_weg}/memberships/new",
        {**while_in, "layer": "execution", "since": today().isoformat(), "confirmed": "1",
         "accept_below": "y"},
    )  # fmt: skip
    assert added.status_code == 303, added.text[-800:]
    with database.connection_context():
        membership = Membership.of(erik.id, op_weg)
        assert invitable_people(_actor("priya"), person_id=erik.id)  # while he is in it
    ended = priya.post(
        f"/memberships/{membership.id}/change",
        {"step": str(membership.step_id), "layer": "execution", "status": "ended",
         "confirmed": "1", "accept_below": "y"},
    )  # fmt: skip
    assert ended.status_code == 303, ended.text[-800:]
    with database.connection_context():
        actor = _actor("priya")
        assert invitable_people(actor, person_id=erik.id) == []
        assert invitable_people(actor, search="Erik") == []
        assert not may_remove(actor, erik.id)
    refused = priya.post("/accounts/links", {"person": erik.id})
    assert refused.status_code == 400
    assert "Zoek een naam" in refused.text
    assert priya.post(f"/people/{erik.id}/removal", {"reason": "Weg."}).status_code == 403
    with database.connection_context():
        assert not AccessLink.select().where(AccessLink.person == erik.id).exists()
        assert RemovalRequest.open_for(erik.id) is None
