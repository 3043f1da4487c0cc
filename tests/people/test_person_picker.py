"""The person pickers at federation scale (issue 13): filling a vacancy and seating its
committee pick a person by a name search, never from a list of everyone. For the four
viewers, without JavaScript (a GET search, then radio buttons in the POST form) and with htmx
(the matches as you type); a posted id is checked, names only are shown."""

import re

import pytest

from models.db import database
from models.people import CommitteeSeat, Person, Vacancy
from models.people.tables import RoleStep
from models.people.vacancies import VACANCIES_PER_PAGE, open_vacancy
from tests.conftest import post
from tests.paging import walk
from tests.people.conftest import person_id
from tests.people.test_vacancies import woordwerk

RADIO = re.compile(
    r'<input type="radio" name="person" id="[^"]+" value="(\d+)"[^>]*> <span>([^<]+)</span>'
)

PERSON_LIST = re.compile(r'<select[^>]*name="person"')


def _vacancy():
    with database.connection_context():
        return Vacancy.get(Vacancy.project == woordwerk())


@pytest.mark.parametrize(
    "viewer, status", [("anonymous", 303), ("member", 403), ("other", 403), ("coordinator", 200)]
)
def test_the_fill_search_is_for_the_projects_coordinators(as_viewer, viewer, status):
    response = as_viewer(viewer).get(
        f"/vacancies/{_vacancy().id}/fill?q=lin", follow_redirects=False
    )
    assert response.status_code == status
    if status == 200:
        assert [name for _id, name in RADIO.findall(response.text)] == ["Lina"]


def test_without_javascript_a_name_is_searched_then_chosen_and_posted(as_viewer):
    client = as_viewer("coordinator")
    vacancy = _vacancy()
    empty = client.get(f"/vacancies/{vacancy.id}/fill").text
    assert not PERSON_LIST.search(empty) and not RADIO.findall(empty)
    page = client.get(f"/vacancies/{vacancy.id}/fill", params={"q": "  LIN "}).text
    assert 'name="q" value="LIN"' in page
    ((lina, name),) = RADIO.findall(page)
    assert name == "Lina" and int(lina) == person_id("Lina")
    first = post(client, f"/vacancies/{vacancy.id}/fill", {"person": lina, "q": "lin"})
    assert first.status_code == 200 and "Controleer voor je opslaat" in first.text


def test_with_htmx_the_matches_come_as_you_type(as_viewer):
    client = as_viewer("coordinator")
    fragment = client.get(f"/vacancies/{_vacancy().id}/fill?q=a", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="fill-person"')
    assert "<form" not in fragment.text and "<html" not in fragment.text
    assert "Anouk B." in [name for _id, name in RADIO.findall(fragment.text)]


def test_the_matches_are_names_only_and_at_most_twenty(as_viewer):
    with database.connection_context(), database.atomic():
        for n in range(30):
            Person.create(display_name=f"Zoek {n:02d}", client_background="yes")
    client = as_viewer("coordinator")
    page = client.get(f"/vacancies/{_vacancy().id}/fill?q=zoek", headers={"HX-Request": "true"})
    found = RADIO.findall(page.text)
    assert [name for _id, name in found] == [f"Zoek {n:02d}" for n in range(20)]
    for word in ("ervaring", "cliënt", "Ja", "yes"):
        assert word not in page.text


@pytest.mark.parametrize("person", ["", "abc", "-1", "0", "99999999999999999999", "2147483647"])
def test_a_posted_person_that_is_no_one_gets_a_sentence(as_viewer, person):
    client = as_viewer("coordinator")
    vacancy = _vacancy()
    response = post(client, f"/vacancies/{vacancy.id}/fill", {"person": person, "q": "x" * 500})
    assert response.status_code == 400
    assert "Kies een persoon" in response.text or "Zoek een naam" in response.text
    with database.connection_context():
        assert Vacancy.get_by_id(vacancy.id).state == "open"


def test_an_erased_person_cannot_be_posted(as_viewer):
    with database.connection_context():
        gone = Person.create(display_name=None)
    response = post(
        as_viewer("coordinator"), f"/vacancies/{_vacancy().id}/fill", {"person": gone.id}
    )
    assert response.status_code == 400


def test_the_committee_is_picked_by_a_search_in_its_own_card(as_viewer):
    client = as_viewer("coordinator")
    vacancy = _vacancy()
    url = f"/projects/{woordwerk().id}/vacancies"
    plain = client.get(url).text
    assert not PERSON_LIST.search(plain) and not RADIO.findall(plain)
    page = client.get(url, params={"vacancy": vacancy.id, "q": "dewi"}).text
    ((dewi, name),) = RADIO.findall(page)
    assert name == "Dewi"
    fragment = client.get(
        url, params={"vacancy": vacancy.id, "q": "dewi"}, headers={"HX-Request": "true"}
    ).text
    assert fragment.lstrip().startswith(f'<div id="committee-{vacancy.id}"')
    assert f'action="/vacancies/{vacancy.id}/committee"' in fragment
    saved = post(
        client, f"/vacancies/{vacancy.id}/committee", {"person": dewi}, follow_redirects=False
    )
    assert saved.status_code == 303
    with database.connection_context():
        assert CommitteeSeat.held_by(vacancy.id, int(dewi)).exists()
    refused = post(client, f"/vacancies/{vacancy.id}/committee", {"person": "x", "q": "de"})
    assert refused.status_code == 400 and "Kies een persoon" in refused.text


@pytest.mark.parametrize("viewer", ["member", "other"])
def test_only_coordinators_get_committee_matches(as_viewer, viewer):
    client = as_viewer(viewer)
    response = client.get(f"/projects/{woordwerk().id}/vacancies?vacancy={_vacancy().id}&q=d")
    assert not RADIO.findall(response.text)


@pytest.mark.parametrize("extra", [0, 2 * VACANCIES_PER_PAGE + 3])
def test_walking_the_vacancies_shows_each_once(as_viewer, extra):
    with database.connection_context():
        step = RoleStep.select().order_by(RoleStep.position).first()
        for n in range(extra):
            open_vacancy(
                woordwerk(), step=step.id, layer="execution", title=f"Rol {n}", text="", actor=None
            )
        everything = [
            v.id
            for v in Vacancy.select()
            .where(Vacancy.project == woordwerk())
            .order_by(Vacancy.state.desc(), Vacancy.created_at.desc(), Vacancy.id.desc())
        ]
    url = f"/projects/{woordwerk().id}/vacancies"
    size = VACANCIES_PER_PAGE
    seen, pages = walk(as_viewer("member"), url, "vacancies", r"#vacancy-(\d+)", size, outside=True)
    assert seen == everything
    assert pages == max(1, -(-len(everything) // size))


@pytest.mark.parametrize(
    "viewer, status", [("anonymous", 303), ("member", 403), ("other", 403), ("coordinator", 200)]
)
def test_adding_someone_finds_only_people_outside_the_project(as_viewer, viewer, status):
    url = f"/projects/{woordwerk().id}/memberships/new"
    client = as_viewer(viewer)
    response = client.get(url, params={"q": "priya"}, follow_redirects=False)
    assert response.status_code == status
    if status == 200:
        assert [name for _id, name in RADIO.findall(response.text)] == ["Priya"]
        assert not RADIO.findall(client.get(url, params={"q": "anouk"}).text)  # in it already
        fragment = client.get(url, params={"q": "pri"}, headers={"HX-Request": "true"}).text
        assert fragment.lstrip().startswith('<div id="new-person"')
        refused = post(client, url, {"person": str(person_id("Anouk B.")), "step": "1"})
        assert refused.status_code == 400 and "Zoek een naam" in refused.text


def _duo_url():
    from tests.people.conftest import membership_id

    return f"/memberships/{membership_id('Anouk B.', 'Uitgeverij Woordwerk')}/change"


def test_a_duo_partner_is_found_by_name_and_never_the_person_themselves(as_viewer):
    client = as_viewer("coordinator")
    page = client.get(_duo_url(), params={"q": "anouk"}).text
    assert not PERSON_LIST.search(page)
    options = re.findall(r'name="duo_partner" id="[^"]+" value="(\d+)"', page)
    assert options[0] == "0" and str(person_id("Anouk B.")) not in options
    fragment = client.get(_duo_url(), params={"q": "sanne"}, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="duo-partner"')
    assert str(person_id("Sanne")) in fragment.text


@pytest.mark.parametrize("partner", ["abc", "-1", "99999999999", "2147483647"])
def test_a_duo_partner_that_is_no_one_gets_a_sentence(as_viewer, partner):
    data = {"step": "1", "layer": "execution", "status": "active", "duo_partner": partner}
    response = post(as_viewer("coordinator"), _duo_url(), data)
    assert response.status_code == 400 and "Zoek een naam" in response.text


@pytest.mark.parametrize("text", ["%", "_", "\\", "%%_"])
def test_wildcards_mean_themselves(as_viewer, text):
    with database.connection_context():
        Person.create(display_name="50% vrijwilliger")
    client = as_viewer("coordinator")
    page = client.get(f"/vacancies/{_vacancy().id}/fill", params={"q": text}).text
    names = [name for _id, name in RADIO.findall(page)]
    assert names == (["50% vrijwilliger"] if text == "%" else [])


def test_a_name_with_letters_beyond_a_to_z_is_found_in_any_case(as_viewer, db):
    """SQLite's own LOWER knows only A to Z: "émile" must still find "Émile" (and "ÖZLEM"
    "Özlem"), on both databases."""
    with database.atomic():
        Person.create(display_name="Émile Öztürk")
        Person.create(display_name="Özlem Şahin")
    assert [p.display_name for p in Person.search("émile")] == ["Émile Öztürk"]
    assert [p.display_name for p in Person.search("ÖZLEM")] == ["Özlem Şahin"]
    assert [p.display_name for p in Person.search("öztürk")] == ["Émile Öztürk"]
    client = as_viewer("coordinator")
    page = client.get(f"/vacancies/{_vacancy().id}/fill?q=%C3%A9mile")
    assert [name for _id, name in RADIO.findall(page.text)] == ["Émile Öztürk"]
