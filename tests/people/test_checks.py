"""Ask for a 51% check (issue 22, section 1; docs/rules.md "Asking for a 51% check"): the
coordinator sends a pending change to the privacy right, it shows in their "Voor jou" with the
full what-if, they answer for the whole change at group level, the coordinator goes on with
it; the ask, the answer and the going on are audit lines."""

import datetime as dt
import json
import re

from starlette.testclient import TestClient

from models.accounts.audit import AuditEntry
from models.clock import now
from models.db import database
from models.organisation import Project
from models.people import CheckRequest, Person, RoleStep
from models.people.checks import checkable
from models.rules.representation import Change, GroupResult
from tests.conftest import build_demo, login, post
from tests.people.conftest import grant, person_id

WOORDWERK = "Uitgeverij Woordwerk"
CSRF = re.compile(r"[0-9]{6,}##[0-9a-f]{20,}")


def _new_member():
    return {
        "person": "0",
        "new_person": "Nieuwe Nina",
        "step": str(RoleStep.get(RoleStep.position == 1).id),
        "layer": "execution",
        "since": "2026-11-01",
    }


def _url():
    return f"/projects/{Project.get(Project.name == WOORDWERK).id}/memberships/new"


def _ask(kim) -> tuple[str, int]:
    url, data = _url(), _new_member()
    screen = post(kim, url, data)
    assert "Vraag een 51%-check" in screen.text
    asked = post(kim, url, {**data, "confirmed": "1", "ask_check": "1"}, follow_redirects=False)
    assert asked.status_code == 303
    return asked.headers["location"], int(asked.headers["location"].rsplit("/", 1)[1])


def test_a_check_goes_to_the_privacy_right_and_back(as_viewer, db):
    kim, beheer = as_viewer("coordinator"), as_viewer("beheer")
    location, check_id = _ask(kim)
    assert not Person.select().where(Person.display_name == "Nieuwe Nina").exists()
    assert "Je vraag ligt bij de mensen die de privacy bewaken" in kim.get(location).text
    ask = AuditEntry.get(AuditEntry.action == "people.check_ask")
    assert "background" not in ask.after + ask.before + ask.note
    # In the privacy right's "Voor jou", with the full what-if (counts).
    home = beheer.get("/").text
    assert "1 coördinator vraagt om een 51%-check" in home
    page = beheer.get(location).text
    assert "5 van 5 (100,0%) → 5 van 6 (83,3%)" in page
    assert "Gevraagd door Kim" in page
    # A name in the note is refused: the answer is about groups.
    named = post(beheer, f"{location}/answer", {"answer": "stays", "note": "Dewi telt mee"})
    assert named.status_code == 409 and "laat namen weg" in named.text
    answered = post(
        beheer,
        f"{location}/answer",
        {"answer": "stays", "note": "Nagekeken."},
        follow_redirects=False,
    )
    assert answered.status_code == 303
    line = AuditEntry.get(AuditEntry.action == "people.check_answer")
    assert '"answer": "stays"' in line.after
    assert "1 coördinator vraagt" not in beheer.get("/").text
    # The coordinator sees the answer and goes on without the tick.
    mine = kim.get(location).text
    assert "De groepen blijven boven 51%." in mine and "Nagekeken." in mine
    assert 'name="accept_below"' not in mine
    went_on = post(
        kim,
        _url(),
        {**_new_member(), "confirmed": "1", "check": str(check_id)},
        follow_redirects=False,
    )
    assert went_on.status_code == 303
    assert person_id("Nieuwe Nina")
    assert CheckRequest.get_by_id(check_id).used_at is not None
    assert AuditEntry.select().where(AuditEntry.action == "people.check_use").count() == 1
    # Used once: going on again with the same check is refused.
    assert "Je bent met deze wijziging verdergegaan." in kim.get(location).text


def test_an_answer_that_comes_below_still_needs_the_tick(as_viewer, db):
    kim, beheer = as_viewer("coordinator"), as_viewer("beheer")
    location, check_id = _ask(kim)
    post(beheer, f"{location}/answer", {"answer": "falls", "note": ""})
    assert "Een groep komt onder 51%." in kim.get(location).text
    data = {**_new_member(), "confirmed": "1", "check": str(check_id)}
    assert post(kim, _url(), data).status_code == 400
    saved = post(kim, _url(), {**data, "accept_below": "y"}, follow_redirects=False)
    assert saved.status_code == 303


def test_the_answer_expires_when_the_groups_change(as_viewer, db):
    kim, beheer = as_viewer("coordinator"), as_viewer("beheer")
    location, check_id = _ask(kim)
    post(beheer, f"{location}/answer", {"answer": "stays", "note": ""})
    # Someone else joins Woordwerk's execution: Kim's own what-if is no longer the one asked.
    other = {**_new_member(), "new_person": "Otto"}
    post(kim, _url(), {**other, "confirmed": "1", "accept_below": "y"})
    assert "Dit antwoord geldt niet meer" in kim.get(location).text
    refused = post(kim, _url(), {**_new_member(), "confirmed": "1", "check": str(check_id)})
    assert refused.status_code == 400 and "Dit antwoord geldt niet meer" in refused.text
    assert not Person.select().where(Person.display_name == "Nieuwe Nina").exists()


def test_someone_who_counts_as_the_asker_cannot_answer(as_viewer, db):
    kim = as_viewer("coordinator")
    location, check_id = _ask(kim)
    grant("coordinator", "privacy")
    refused = post(kim, f"{location}/answer", {"answer": "stays"})
    assert refused.status_code == 409
    assert CheckRequest.get_by_id(check_id).answer is None
    # And another coordinator cannot go on with Kim's check.
    assert as_viewer("member").get(location).status_code == 403


def test_an_ask_older_than_a_week_or_used_gets_no_answer(as_viewer, db):
    """The privacy right answers only an open ask: not one asked more than OPEN_DAYS ago,
    nor one the coordinator has used already (review finding)."""
    kim = as_viewer("coordinator")
    location, check_id = _ask(kim)
    beheer = as_viewer("beheer")
    asked_at = CheckRequest.get_by_id(check_id).asked_at
    CheckRequest.update(asked_at=asked_at - dt.timedelta(days=8)).where(
        CheckRequest.id == check_id
    ).execute()
    refused = post(beheer, f"{location}/answer", {"answer": "stays"})
    assert refused.status_code == 409 and "meer dan een week" in refused.text
    assert CheckRequest.get_by_id(check_id).answer is None
    CheckRequest.update(asked_at=asked_at, used_at=now()).where(
        CheckRequest.id == check_id
    ).execute()
    assert post(beheer, f"{location}/answer", {"answer": "stays"}).status_code == 409
    assert CheckRequest.get_by_id(check_id).answer is None


def test_small_groups_are_never_checked():
    def result(people, private):
        return GroupResult("p", "layer", "execution", people, 0, 0, private)

    small = Change("p", "layer", "execution", result(3, 3), result(4, 3))
    big = Change("p", "role", "volunteer", result(15, 15), result(16, 15))
    assert checkable([small]) == []
    assert checkable([small, big]) == [("p", "role", "volunteer")]


def _kim_sees(databases, dewi_answer: str) -> list[str]:
    """Kim's pages for the confirming sentence, the ask and the answer on a copy of the demo
    where Dewi (execution in Woordwerk, not shared) answered `dewi_answer`."""
    from webapp.app import create_app

    url = databases.fresh(build_demo)
    try:
        app = create_app(url)
        with database.connection_context():
            Person.update(client_background=dewi_answer).where(
                Person.display_name == "Dewi"
            ).execute()
            new_url, data = _url(), _new_member()
        pages = []
        with TestClient(app) as kim, TestClient(app) as beheer:
            login(kim, "coordinator")
            login(beheer, "beheer")
            pages.append(post(kim, new_url, data).text)
            asked = post(kim, new_url, {**data, "confirmed": "1", "ask_check": "1"})
            pages.append(asked.text)
            location = str(asked.url)
            post(beheer, f"{location}/answer", {"answer": "stays", "note": "Nagekeken."})
            pages.append(kim.get(location).text)
            pages.append(kim.get("/checks").text)
            with database.connection_context():
                names = [p.display_name for p in Person.select()]
        return [CSRF.sub("CSRF", page) for page in pages], names
    finally:
        database.close()
        databases.discard(url)


def test_asking_and_the_answer_look_the_same_whatever_one_answer_is(databases, data_dir):
    yes, names = _kim_sees(databases, "yes")
    no, _names = _kim_sees(databases, "no")
    assert yes == no  # the sentence, the ask, the answer page, the list
    answer = re.search(r'<section aria-labelledby="check-answer">.*?</section>', yes[2], re.S)
    assert "De groepen blijven boven 51%." in answer.group(0)
    assert not [n for n in names if len(n) >= 3 and n in answer.group(0)]


def test_the_voor_jou_line_costs_no_query_without_the_privacy_right(as_viewer, db, count_queries):
    kim, anouk, beheer = as_viewer("coordinator"), as_viewer("member"), as_viewer("beheer")
    before = {n: count_queries(c, "/") for n, c in (("kim", kim), ("anouk", anouk))}
    holder_before = count_queries(beheer, "/")
    _ask(kim)
    after = {n: count_queries(c, "/") for n, c in (("kim", kim), ("anouk", anouk))}
    assert before == after
    # The privacy right pays its one query whether a check waits or not.
    assert count_queries(beheer, "/") == holder_before
    assert "1 coördinator vraagt om een 51%-check" in beheer.get("/").text
    assert "51%-check" not in kim.get("/").text.split('id="for-you"')[1].split("</section>")[0]


def test_filling_a_vacancy_can_be_checked_too(as_viewer, db):
    from models.people import Vacancy

    kim, beheer = as_viewer("coordinator"), as_viewer("beheer")
    vacancy = Vacancy.get(Vacancy.project == Project.get(Project.name == WOORDWERK))
    url, data = f"/vacancies/{vacancy.id}/fill", {"person": str(person_id("Erik de M."))}
    assert "Vraag een 51%-check" in post(kim, url, data).text
    asked = post(kim, url, {**data, "confirmed": "1", "ask_check": "1"}, follow_redirects=False)
    location = asked.headers["location"]
    page = beheer.get(location).text
    assert "Erik de M. krijgt een vacature in Uitgeverij Woordwerk" in page
    assert "5 van 5 (100,0%) →" in page  # the full what-if
    post(beheer, f"{location}/answer", {"answer": "stays"})
    check_id = location.rsplit("/", 1)[1]
    went_on = post(kim, url, {**data, "confirmed": "1", "check": check_id}, follow_redirects=False)
    assert went_on.status_code == 303
    assert Vacancy.get_by_id(vacancy.id).state == "filled"


def test_a_check_goes_on_only_with_the_change_it_answered(as_viewer, db):
    """An answer is about one change: going on with it while adding someone else (same
    counts as the coordinator sees them) is refused and saves nothing."""
    kim, beheer = as_viewer("coordinator"), as_viewer("beheer")
    location, check_id = _ask(kim)
    post(beheer, f"{location}/answer", {"answer": "stays", "note": ""})
    other = {**_new_member(), "new_person": "Andere Anna", "confirmed": "1"}
    refused = post(kim, _url(), {**other, "check": str(check_id)})
    assert refused.status_code == 400 and "Dit antwoord geldt niet meer" in refused.text
    assert not Person.select().where(Person.display_name == "Andere Anna").exists()
    assert CheckRequest.get_by_id(check_id).used_at is None
    # The change it answered still goes on with it.
    went_on = post(
        kim,
        _url(),
        {**_new_member(), "confirmed": "1", "check": str(check_id)},
        follow_redirects=False,
    )
    assert went_on.status_code == 303 and person_id("Nieuwe Nina")


def test_the_privacy_right_is_told_when_one_answer_decides_the_check(db):
    """Review finding: a check about adding someone whose group sits at its edge would tell
    the asker that person's answer, change or no change. The answering page says so."""
    from models.people.checks import decided_by_one

    dewi = Person.get(Person.display_name == "Dewi")
    project = Project.get(Project.name == WOORDWERK)
    key = ["project", "layer", "execution"]
    check = CheckRequest(
        asked_by_account=1, project=project, kind="new", target=project.id, fingerprint="",
        asked=json.dumps({"change": {"person_id": dewi.id}, "action": "", "fields": {}}),
        groups=json.dumps([key]),
    )  # fmt: skip

    def joined(yes, people):
        before = GroupResult(*key, people=people - 1, yes=yes - 1, not_said=0)
        return [Change(*key, before=before, after=GroupResult(*key, people, yes, 0))]

    for answer in ("yes", "no", "not_said"):
        Person.update(client_background=answer).where(Person.id == dewi.id).execute()
        dewi_yes = 1 if answer == "yes" else 0
        at_edge = joined(yes=2 + dewi_yes, people=5)  # 3 of 5 passes, 2 of 5 does not
        assert decided_by_one(check, at_edge)
        assert not decided_by_one(check, joined(yes=8 + dewi_yes, people=10))
    # "Zeg ik liever niet" is not "yes": at the edge it would be told as well.
    Person.update(client_background="not_said").where(Person.id == dewi.id).execute()
    assert decided_by_one(check, joined(yes=2, people=5))
