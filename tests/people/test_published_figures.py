"""Published figures that cannot be steered (issue 19, finding H2; docs/rules.md "Published
figures that cannot be steered").

The audit's replay: Priya coordinates one project (Fietswerkplaats Op Weg), without the
privacy right. She adds new people to its execution layer until it shows "Onder 51%", ends
the last one so the group sits at its edge, adds Tessa (in no project: the target), reads the
group's result and ends Tessa. On main that told Tessa's answer 4 times out of 4.

Differential: two copies of the demo that differ only in Tessa's answer. The steps are the
audit's; the number of new people is what the live report (the oracle main gave Priya) needs
to fall, so the group really sits at its edge and the live report does tell the answer (the
test checks that too, as the privacy right sees it). Priya's screens must be the same in
both copies on the day of the replay; done patiently, one step per settled change, the
privacy right is told before any screen of Priya's differs.
"""

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from models import clock
from models.accounts import Account, Grant
from models.db import database
from models.organisation import Project
from models.people import EdgeEvent, Membership, Person, RoleStep
from models.people.representation import representation_report
from models.people.tables import SETTLE_DAYS
from tests.conftest import build_demo, login, post

OP_WEG = "Fietswerkplaats Op Weg"
TARGET = "Tessa"
CSRF = re.compile(r"[0-9]{6,}##[0-9a-f]{20,}")
GROUP = (OP_WEG, "layer", "execution")


def _live(key=GROUP):
    """The group's live result (what the privacy right sees): passes or not."""
    return {r.key: r for r in representation_report()}[key].passes


class Replay:
    """One copy of the demo where Tessa answered `answer`, Priya coordinating Op Weg."""

    def __init__(self, databases, answer: str):
        from webapp.app import create_app

        self.databases = databases
        self.url = databases.fresh(build_demo)
        self.app = create_app(self.url)
        with database.connection_context():
            priya = Account.get(Account.username == "priya")
            self.project = Project.get(Project.name == OP_WEG).id
            Grant.create(account=priya, right="coordinator", project=self.project)
            self.target = Person.create(
                display_name=TARGET, client_background=answer, background_consent_on=None
            ).id
            self.step = RoleStep.lowest_participant_step().id
        self.client = TestClient(self.app)
        self.client.__enter__()
        login(self.client, "priya")
        self.fillers = 0
        self.reports = []  # each read of the project's 51% page

    def close(self):
        self.client.__exit__(None, None, None)
        database.close()
        self.databases.discard(self.url)

    def screens(self) -> list[str]:
        """What Priya reads: the project's 51% page, the project page, the whole report."""
        pages = []
        for path in (
            f"/projects/{self.project}/representation",
            f"/projects/{self.project}",
            "/representation",
        ):
            response = self.client.get(path)
            assert response.status_code == 200, path
            pages.append(CSRF.sub("CSRF", response.text))
        self.reports.append(pages[0])
        return pages

    def _add(self, **who) -> list[str]:
        fields = {
            "person": "",
            "new_person": "",
            "step": str(self.step),
            "layer": "execution",
            "since": clock.today().isoformat(),
            **who,
        }
        url = f"/projects/{self.project}/memberships/new"
        preview = post(self.client, url, fields)  # the what-if Priya sees first
        saved = post(
            self.client,
            url,
            {**fields, "confirmed": "1", "accept_below": "y"},
            follow_redirects=False,
        )
        assert saved.status_code == 303 and "login" not in saved.headers["location"]
        return [CSRF.sub("CSRF", preview.text)]

    def add_filler(self) -> list[str]:
        self.fillers += 1
        return self._add(new_person=f"Nieuw {self.fillers}")

    def add_target(self) -> list[str]:
        return self._add(person=str(self.target))

    def end(self, name: str) -> list[str]:
        with database.connection_context():
            person = Person.get(Person.display_name == name)
            membership = Membership.of(person.id, self.project)
        fields = {
            "step": str(membership.step_id),
            "layer": membership.layer,
            "status": "ended",
            "confirmed": "1",
            "accept_below": "y",
        }
        saved = post(
            self.client, f"/memberships/{membership.id}/change", fields, follow_redirects=False
        )
        assert saved.status_code == 303 and "login" not in saved.headers["location"]
        return []

    def live(self, key=GROUP) -> bool:
        with database.connection_context():
            return _live(key)

    def alerted(self) -> bool:
        """Whether a privacy-right holder is told (the 51% page shows them the alert)."""
        with database.connection_context():
            return EdgeEvent.select().where(EdgeEvent.alert).exists()


@pytest.fixture
def replays(databases, data_dir):
    """Runs `play(replay)` on a copy of the demo for each answer in turn (the database is
    one per process: one copy open at a time); returns {answer: what play returned}."""

    def run(play, answers=("yes", "no")):
        done = {}
        for answer in answers:
            replay = Replay(databases, answer)
            try:
                done[answer] = play(replay)
            finally:
                replay.close()
        return done

    return run


def _fillers_to_fall(replay) -> int:
    """How many new people make the group fall on the live report (the oracle the audit had:
    on main, Priya's own screen). Found on the 'yes' copy and undone: fillers' answers are
    'not said' in both copies, so the number is the same in both."""
    with database.connection_context():
        with database.atomic() as savepoint:
            person_step = RoleStep.lowest_participant_step()
            project = Project.get_by_id(replay.project)
            n = 0
            while _live():
                n += 1
                person = Person.create(display_name=f"probe {n}")
                Membership.create(person=person, project=project, step=person_step)
                assert n < 40
            savepoint.rollback()
    return n


def test_the_h2_replay_by_hand_reveals_nothing_on_the_day(replays):
    def play(replay):
        k = _fillers_to_fall(replay)
        assert k >= 1
        screens = replay.screens()
        for _ in range(k):  # add new people until the layer (live) falls below 51%
            screens += replay.add_filler()
            screens += replay.screens()
        assert not replay.live()  # on main, Priya's screen now said "Onder 51%"
        screens += replay.end(f"Nieuw {k}")  # back to the edge
        assert replay.live()
        screens += replay.add_target()
        target_in = replay.live()  # the bracket is real: the live report tells the answer
        screens += replay.screens()  # read the group's result
        screens += replay.end(TARGET)
        screens += replay.screens()
        # Her project's 51% page did not move on the day: no step showed the fall.
        assert len(set(replay.reports)) == 1
        return k, target_in, replay.alerted(), screens

    seen = replays(play)
    (k_yes, in_yes, alert_yes, yes), (k_no, in_no, alert_no, no) = seen["yes"], seen["no"]
    assert k_yes == k_no
    assert in_yes and not in_no  # with a yes the group passes, with a no it falls
    assert alert_yes and alert_no  # and the privacy right was told in both
    # Nothing Priya saw told the answer, on any screen, at any step.
    assert len(yes) == len(no)
    for a, b in zip(yes, no, strict=True):
        assert a == b


def test_the_h2_replay_done_patiently_tells_the_privacy_right_before_it_reveals(replays):
    """One step, then SETTLE_DAYS and a day, so each change shows on Priya's screens: the
    privacy right is told (the edge watch) before any screen of Priya's differs."""
    wait = dt.timedelta(days=SETTLE_DAYS + 1)

    def play(replay):
        k = _fillers_to_fall(replay)
        steps = [replay.add_filler for _ in range(k)]
        steps += [lambda: replay.end(f"Nieuw {k}"), replay.add_target, lambda: replay.end(TARGET)]
        moment, alert_at, screens = clock.now(), None, []
        for number, step in enumerate(steps):
            with clock.fixed(moment):
                login(replay.client, "priya")  # weeks pass: a new session
                step()
                if alert_at is None and replay.alerted():
                    alert_at = number
            moment += wait
            with clock.fixed(moment):
                login(replay.client, "priya")
                screens.append(replay.screens())
        return k, alert_at, screens

    seen = replays(play)
    (k, alert_yes, yes), (_k, alert_no, no) = seen["yes"], seen["no"]
    # At the latest, ending the last new person (crossing the edge back) raised the alert:
    # before the target was added. (Adding new people also moves the project's role group
    # across its edge on the way: the alert may come sooner.)
    assert alert_yes == alert_no and alert_yes is not None and alert_yes <= k
    differs = [i for i, (a, b) in enumerate(zip(yes, no, strict=True)) if a != b]
    # The first screen that differs (if any) is read after the alert was raised.
    assert not differs or differs[0] > alert_yes


def test_a_membership_added_and_ended_within_the_settling_days_never_counts(replays):
    replays(_added_and_ended, answers=("yes",))


def _added_and_ended(replay):
    with database.connection_context():
        before = representation_report(replay.project, published=True)
    replay.add_target()
    for days in (0, 3, SETTLE_DAYS - 1):
        with clock.fixed(clock.now() + dt.timedelta(days=days)):
            with database.connection_context():
                assert representation_report(replay.project, published=True) == before
    replay.end(TARGET)
    with clock.fixed(clock.now() + dt.timedelta(days=SETTLE_DAYS + 1)):
        with database.connection_context():
            published = representation_report(replay.project, published=True)
            live = representation_report(replay.project)
    # Settled: the ended membership is simply not there, and Tessa never counted.
    assert published == live == before


def test_the_privacy_right_sees_the_live_report_and_the_alert(replays):
    replays(_alert_shown, answers=("no",))


def _alert_shown(replay):
    k = _fillers_to_fall(replay)
    for _ in range(k):
        replay.add_filler()
    replay.end(f"Nieuw {k}")
    with database.connection_context():
        kim = Account.get(Account.username == "coordinator")
        Grant.create(account=kim, right="privacy")
    with TestClient(replay.app) as privacy:
        login(privacy, "coordinator")
        page = privacy.get("/representation").text
    assert "Let op: iemand verandert een groep steeds rond de grens van 51%" in page
    assert "Priya" in page
    # Priya herself sees no alert.
    assert "Let op: iemand verandert" not in replay.client.get("/representation").text


def test_the_kept_published_report_is_the_published_count_of_its_day(db):
    """The published report is kept per ReportVersion token and day (a new day publishes
    settled changes without a new token): what is kept always equals a fresh count."""
    from models.people import representation
    from models.people.growth import change_membership, start_membership

    with database.atomic():
        op_weg = Project.get(Project.name == OP_WEG)
        step = RoleStep.lowest_participant_step()
        person = Person.create(display_name="Tijdelijk", client_background="no")
        membership = start_membership(person, op_weg, step=step, layer="coordination")

    def fresh():
        return representation._results(representation._tally(None, on=clock.today()))

    for days in (0, SETTLE_DAYS - 1, SETTLE_DAYS, SETTLE_DAYS + 3):
        with clock.fixed(clock.now() + dt.timedelta(days=days)):
            kept = representation_report(published=True)
            assert kept == representation_report(published=True) == fresh()
            counted = {r.key: r.people for r in kept}[(OP_WEG, "layer", "coordination")]
            assert counted == (1 if days < SETTLE_DAYS else 2)
    with database.atomic():
        change_membership(
            membership, step=step, layer="coordination", status="ended", recorded_by=None
        )
    # Ended on its first day: added and ended within the settling days, it never counts,
    # not even on the days it had been about to settle.
    for days in (0, SETTLE_DAYS, SETTLE_DAYS + 3):
        with clock.fixed(clock.now() + dt.timedelta(days=days)):
            assert representation_report(published=True) == fresh()
            counted = {r.key: r.people for r in representation_report(published=True)}
            assert counted[(OP_WEG, "layer", "coordination")] == 1
