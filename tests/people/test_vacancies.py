"""Vacancies: the default invitation, interest, the committee warning and filling one as a
step change with the what-if."""

from models.organisation import Project
from models.people import Membership, Person, StepChange, Vacancy, VacancyInterest
from tests.conftest import post
from tests.people.conftest import person_id


def woordwerk():
    return Project.get(Project.name == "Uitgeverij Woordwerk")


def test_a_member_sees_the_vacancy_and_shows_interest(as_viewer, db):
    client = as_viewer("member")
    page = client.get(f"/projects/{woordwerk().id}/vacancies").text
    assert "Werkbegeleider voor de krant" in page
    assert "nadrukkelijk uit" in page
    assert "Wie heeft interesse" not in page  # only coordinators see who did
    vacancy = Vacancy.get(Vacancy.project == woordwerk())
    post(client, f"/vacancies/{vacancy.id}/interest")  # anouk had shown interest: take back
    anouk = person_id("Anouk B.")
    mine = VacancyInterest.select().where(
        (VacancyInterest.vacancy == vacancy) & (VacancyInterest.person == anouk)
    )
    assert not mine.exists()
    post(client, f"/vacancies/{vacancy.id}/interest")
    assert mine.exists()


def test_coordinators_see_interest_paid_work_and_the_committee_warning(as_viewer, db):
    page = as_viewer("coordinator").get(f"/projects/{woordwerk().id}/vacancies").text
    assert "Lina" in page and "Wil graag betaald werk" in page
    assert "Minder dan de helft van de commissie" in page
    assert "Mensen met ervaring als cliënt nodigen we nadrukkelijk uit" in page  # new form


def test_the_committee_warning_goes_when_half_are_volunteers(as_viewer, db):
    client = as_viewer("coordinator")
    vacancy = Vacancy.get(Vacancy.project == woordwerk())
    post(client, f"/vacancies/{vacancy.id}/committee", {"person": person_id("Lina")})
    page = client.get(f"/projects/{woordwerk().id}/vacancies").text
    assert "Minder dan de helft van de commissie" not in page


def test_filling_a_vacancy_is_a_step_change_after_the_what_if(as_viewer, db):
    client = as_viewer("coordinator")
    vacancy = Vacancy.get(Vacancy.project == woordwerk())
    lina = person_id("Lina")
    first = post(client, f"/vacancies/{vacancy.id}/fill", {"person": str(lina)})
    assert first.status_code == 200 and "Controleer voor je opslaat" in first.text
    saved = post(
        client,
        f"/vacancies/{vacancy.id}/fill",
        {"person": str(lina), "confirmed": "1", "accept_below": "y"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    membership = Membership.get((Membership.person == lina) & (Membership.project == woordwerk()))
    assert membership.step.name == "Werkbegeleider"
    change = StepChange.select().order_by(StepChange.id.desc()).first()
    assert change.kind == "up" and "Werkbegeleider voor de krant" in change.note
    assert Vacancy.get_by_id(vacancy.id).state == "filled"
    assert Person.get_by_id(lina).display_name == "Lina"


def test_the_demo_loads_twice_without_changes(db):
    from seeds.demo import load_demo
    from tests.web.test_access import snapshot

    before = snapshot()
    load_demo(scale=1)
    assert snapshot() == before


def test_removing_someone_not_on_the_committee_is_a_sentence_not_a_500(as_viewer, db):
    """Issue 19 (low): an unknown person id, or someone without a seat, taken off the hiring
    committee gets a sentence next to the field and changes nothing (was a 500 on both
    databases: the audit line pointed at a person who does not exist)."""
    from models.accounts.audit import AuditEntry
    from models.people import CommitteeSeat

    client = as_viewer("coordinator")
    vacancy = Vacancy.get(Vacancy.project == woordwerk())
    seats = CommitteeSeat.select().where(CommitteeSeat.vacancy == vacancy).count()
    lines = AuditEntry.select().count()
    for who in ("987654", str(person_id("Lina"))):
        answer = post(client, f"/vacancies/{vacancy.id}/committee", {"person": who, "remove": "1"})
        assert answer.status_code == 400
        assert "staat niet (meer) in de commissie" in answer.text
    assert CommitteeSeat.select().where(CommitteeSeat.vacancy == vacancy).count() == seats
    assert AuditEntry.select().count() == lines
