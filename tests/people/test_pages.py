"""The 51% pages, person pages and the overview: who sees what (privacy above all)."""

import re

import pytest

from models.accounts.audit import AuditEntry
from models.db import database
from models.organisation import Project
from models.people.representation import representation_report
from tests.conftest import build_demo, build_demo_10x, login, post
from tests.people.conftest import (
    ANSWER_WORDS,
    background_section,
    grant,
    membership_id,
    person_id,
    without_forms,
)


def woordwerk_id():
    with database.connection_context():
        return Project.get(Project.name == "Uitgeverij Woordwerk").id


def test_a_member_sees_pass_or_fail_and_small_group_but_no_counts(as_viewer):
    page = as_viewer("member").get("/representation").text
    assert "Zijn we cliëntgestuurd?" in page
    assert "Kleine groep" in page  # Woordwerk's management has 2 people
    assert "Onder 51%" in page  # the organisation's management: 1 of 7
    assert "Niet gezegd" not in page
    assert not re.search(r'class="num"', page)


def test_a_privacy_holder_sees_counts_not_said_and_share(as_viewer):
    grant("coordinator", "privacy")
    page = as_viewer("coordinator").get(f"/projects/{woordwerk_id()}/representation").text
    assert "Niet gezegd" in page
    assert "Kleine groep" not in page
    assert "50,0%" in page  # management: 1 of 2
    assert "representation.csv" in page


def test_the_project_page_shows_a_red_banner_when_a_group_fails(as_viewer):
    page = as_viewer("coordinator").get(f"/projects/{woordwerk_id()}").text
    assert "banner-bad" in page
    assert f"/projects/{woordwerk_id()}/representation" in page
    overview = as_viewer("coordinator").get(f"/projects/{woordwerk_id()}/people").text
    assert "banner-bad" in overview


def test_a_member_sees_no_banner_for_a_small_group_only(as_viewer):
    # Woordwerk fails only in management (2 people): a member learns nothing about it.
    assert "banner-bad" not in as_viewer("member").get(f"/projects/{woordwerk_id()}").text


@pytest.mark.parametrize(
    "url",
    [
        "/representation",
        "/projects/{wid}/representation",
        "/projects/{wid}",
        "/people",
        "/projects/{wid}/people",
        "/people/{dewi}",
        "/memberships/{m}/change",
        "/projects/{wid}/memberships/new",
        "/projects/{wid}/vacancies",
        "/people/import",
    ],
)
def test_nobody_without_the_privacy_right_sees_an_individual_answer(as_viewer, url):
    url = url.format(
        wid=woordwerk_id(),
        dewi=person_id("Dewi"),
        m=membership_id("Dewi", "Uitgeverij Woordwerk"),
    )
    for kind in ("member", "coordinator", "other"):
        response = as_viewer(kind).get(url)
        if response.status_code != 200:
            continue
        page = without_forms(response.text)
        for word in ANSWER_WORDS:
            assert not re.search(rf">\s*{word}\s*<", page), (url, kind, word)
            assert f"{word} ·" not in page, (url, kind, word)
        assert "checked" not in background_section(response.text), (url, kind)


def test_the_person_and_a_privacy_holder_see_the_answer(as_viewer):
    anouk = as_viewer("member").get("/my-path").text
    assert re.search(r'value="yes"[^>]*checked|checked[^>]*value="yes"', anouk)
    grant("coordinator", "privacy")
    page = as_viewer("coordinator").get(f"/people/{person_id('Anouk B.')}").text
    assert re.search(r">\s*Ja", background_section(page))


def test_a_member_cannot_download_the_report_and_a_privacy_holder_can(as_viewer):
    assert as_viewer("member").get("/representation.csv").status_code == 403
    grant("coordinator", "privacy")
    text = as_viewer("coordinator").get("/representation.csv").text
    lines = text.splitlines()
    assert lines[0] == "scope,dimension,group,people,client_background,not_said,share,passes"
    assert lines[1].startswith("organisation,layer,execution,")
    excel = as_viewer("coordinator").get(f"/representation.csv?excel=1&project={woordwerk_id()}")
    assert excel.content.startswith(b"\xef\xbb\xbf")
    assert "Uitgeverij Woordwerk;layer;management;2;1;0;50,0;no" in excel.text


def test_the_report_page_uses_a_fixed_number_of_queries(databases, data_dir, count_queries):
    from starlette.testclient import TestClient

    from webapp.app import create_app

    counts = []
    for build in (build_demo, build_demo_10x):
        app = create_app(databases.fresh(build))
        with TestClient(app) as client:
            login(client, "coordinator")
            with database.connection_context():
                wid = Project.get(Project.name == "Uitgeverij Woordwerk").id
            counts.append(
                [
                    count_queries(client, url)
                    for url in (
                        "/representation",
                        f"/projects/{wid}/representation",
                        "/people",
                        f"/projects/{wid}/people",
                        f"/people/{person_id('Dewi')}",
                        "/my-path",
                    )
                ]
            )
    assert counts[0] == counts[1]


def test_my_path_shows_steps_and_saves_my_goals(as_viewer):
    client = as_viewer("member")
    response = post(
        client,
        "/my-path/goals",
        {"dream": "Een eigen boek maken", "learn": "Redigeren", "wants_paid_work": "y"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get("/my-path").text
    assert "Een eigen boek maken" in page and "Mijn pad" in page
    with database.connection_context():
        entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
        assert entry.action == "person.goals"


def test_a_person_can_change_and_withdraw_their_answer(as_viewer, db):
    from models.people import Person

    client = as_viewer("member")
    post(client, "/my-path/background", {"answer": "no"})
    anouk = Person.get(Person.display_name == "Anouk B.")
    assert anouk.client_background == "no" and anouk.background_consent_on is not None
    post(client, "/my-path/background", {"answer": "not_said"})
    anouk = Person.get(Person.display_name == "Anouk B.")
    assert anouk.client_background == "not_said" and anouk.background_consent_on is None


def test_a_coordinator_records_an_answer_only_with_consent(as_viewer, db):
    from models.people import Person

    client = as_viewer("coordinator")
    url = f"/people/{person_id('Olaf')}/background"
    refused = post(client, url, {"answer": "yes", "consent_on": "2026-11-01"})
    assert refused.status_code == 400
    assert Person.get(Person.display_name == "Olaf").client_background == "not_said"
    saved = post(
        client,
        url,
        {"answer": "yes", "consent": "y", "consent_on": "2026-11-01"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    olaf = Person.get(Person.display_name == "Olaf")
    assert olaf.client_background == "yes" and str(olaf.background_consent_on) == "2026-11-01"
    # The coordinator (no privacy right) does not see the answer afterwards.
    page = client.get(f"/people/{olaf.id}").text
    assert "checked" not in background_section(page)


def test_a_development_talk_is_readable_by_the_person(as_viewer):
    post(
        as_viewer("coordinator"),
        f"/people/{person_id('Anouk B.')}/conversations",
        {"on": "2026-11-02", "participants": "Kim, Anouk", "notes": "Anouk wil gaan redigeren."},
    )
    assert "Anouk wil gaan redigeren." in as_viewer("member").get("/my-path").text


def test_the_ladder_page_changes_a_step(as_viewer, db):
    from models.people import RoleStep

    grant("coordinator", "admin")
    client = as_viewer("coordinator")
    assert "Werkbegeleider" in client.get("/ladder").text
    step = RoleStep.get(RoleStep.name == "Werkbegeleider")
    post(
        client,
        f"/ladder/{step.id}",
        {
            f"s{step.id}-name": "Werkbegeleider",
            f"s{step.id}-position": "4",
            f"s{step.id}-category": "paid_staff",
            f"s{step.id}-description": "Begeleidt de groep.",
        },
    )
    assert RoleStep.get_by_id(step.id).description == "Begeleidt de groep."


def test_report_matches_after_grouped_counts(db):
    # Sanity: the demo keeps Uitgeverij Woordwerk's management failing (1 of 2).
    report = {r.key: r for r in representation_report()}
    management = report[("Uitgeverij Woordwerk", "layer", "management")]
    assert (management.yes, management.people, management.passes) == (1, 2, False)
