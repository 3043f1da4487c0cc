"""Words on the people pages (issue 12 point 9): the step without its category when both say
the same, the default ladder in the viewer's language (an organisation's own names as
written), who recorded a change, "I want to chair" only on one's own page, plurals in the
import message and Dutch words first in a CSV message."""

import re

from models.people import RoleStep
from tests.conftest import post
from tests.people.conftest import person_id
from tests.people.test_import import GOOD, _fix_layer, confirm_import
from webapp.cli import main


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _memberships(html: str) -> str:
    match = re.search(r'<section aria-labelledby="memberships-heading">(.*?)</section>', html, re.S)
    assert match
    return text_of(match.group(1))


def _english(client):
    post(client, "/language", {"language": "en", "next": "/"})
    return client


def test_a_step_named_like_its_category_is_not_followed_by_it(as_viewer, db):
    coordinator = as_viewer("coordinator")
    anouk = _memberships(coordinator.get(f"/people/{person_id('Anouk B.')}").text)
    assert "Stap: Vrijwilliger · Laag" in anouk, anouk
    assert "(Vrijwilliger)" not in anouk
    dewi = _memberships(coordinator.get(f"/people/{person_id('Dewi')}").text)
    assert "Stap: Vrijwilliger met extra taken (Vrijwilliger) · Laag" in dewi, dewi
    bram = _memberships(coordinator.get(f"/people/{person_id('Bram')}").text)
    assert "Stap: Deelnemer · Laag" in bram, bram
    # The same in English, and in the choices of the change form.
    _english(coordinator)
    anouk_en = _memberships(coordinator.get(f"/people/{person_id('Anouk B.')}").text)
    assert "Step: Volunteer · Layer" in anouk_en, anouk_en
    ladder = text_of(as_viewer("beheer").get("/ladder").text)
    assert "2. Vrijwilliger Vrijwilliger" not in ladder and "2. Vrijwilliger " in ladder
    assert "3. Vrijwilliger met extra taken Vrijwilliger" in ladder


def test_the_default_ladder_is_shown_in_the_viewer_s_language(as_viewer, db):
    member = _english(as_viewer("member"))
    page = _memberships(member.get("/my-path").text)
    assert "Step: Volunteer" in page and "You help and have regular tasks." in page
    assert "Vrijwilliger" not in page and "Je helpt mee" not in page
    admin = _english(as_viewer("beheer"))
    ladder = text_of(admin.get("/ladder").text)
    for name in ("1. Participant", "3. Volunteer with extra tasks Volunteer", "4. Work supervisor"):
        assert name in ladder, ladder
    # Editing shows the stored text: what the organisation changes is its own.
    assert 'value="Werkbegeleider"' in admin.get("/ladder").text


def test_an_organisation_s_own_step_names_are_shown_as_written(as_viewer, db):
    step = RoleStep.get(RoleStep.position == 2)
    step.name, step.description = "Meedoener", "Je helpt op vaste dagen."
    step.save()
    member = as_viewer("member")
    page = _memberships(member.get("/my-path").text)
    assert "Stap: Meedoener (Vrijwilliger)" in page and "Je helpt op vaste dagen." in page
    page = _memberships(_english(member).get("/my-path").text)
    assert "Step: Meedoener (Volunteer)" in page and "Je helpt op vaste dagen." in page
    # A default description under an own name is still the default, so translated.
    step.description = "Je helpt mee en hebt vaste taken."
    step.save()
    assert "You help and have regular tasks." in _memberships(member.get("/my-path").text)
    assert RoleStep.get_by_id(step.id).shown_name == "Meedoener"


def test_history_lines_say_who_recorded_the_change(as_viewer, db, count_queries):
    member = as_viewer("member")
    own = member.get("/my-path").text
    history = re.search(r'<ol class="timeline">(.*?)</ol>', own, re.S).group(1)
    assert "vastgelegd door Kim (coördinatie)" in history
    coordinator = as_viewer("coordinator")
    overview = coordinator.get("/people").text
    assert "vastgelegd door Kim (coördinatie)" in overview
    _english(member)
    assert "recorded by Kim (coördinatie)" in member.get("/my-path").text
    # Joined in the same query: the page's count does not grow with its lines.
    assert count_queries(member, "/my-path") <= 20


def test_i_want_to_chair_is_only_on_one_s_own_page(as_viewer, db):
    own = as_viewer("member").get("/my-path").text
    assert "Ik wil voorzitten" in own and "Ik wil notuleren" in own
    assert "Wil voorzitten" not in own
    coordinator = as_viewer("coordinator")
    theirs = coordinator.get(f"/people/{person_id('Anouk B.')}").text
    assert "Ik wil voorzitten" not in theirs and "Ik wil notuleren" not in theirs
    assert "Wil voorzitten" in theirs and "Wil notuleren" in theirs
    project_id = re.search(r'href="/projects/(\d+)"', theirs).group(1)
    new = coordinator.get(f"/projects/{project_id}/memberships/new").text
    assert "Ik wil voorzitten" not in new and "Wil voorzitten" in new


def test_the_import_message_counts_in_singular_and_plural(as_viewer, db):
    client = as_viewer("coordinator")
    body = _fix_layer(GOOD).encode("cp1252")
    first = post(client, "/people/import", files={"file": ("m.csv", body)})
    done = text_of(confirm_import(client, first.text).text)  # after the 51% what-if
    assert "Klaar: 1 nieuwe persoon, 1 nieuw project, 2 nieuwe lidmaatschappen," in done, done
    _english(client)
    again = text_of(post(client, "/people/import", files={"file": ("m.csv", body)}).text)
    assert "Done: 0 new people, 0 new projects, 0 new memberships," in again, again


def test_the_command_counts_in_singular_and_plural(db_url, data_dir, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    path = tmp_path / "members.csv"
    path.write_bytes(_fix_layer(GOOD).encode())
    assert main(["import", "members", str(path)]) == 0
    assert "imported: 1 new person, 1 new project, 2 new memberships," in capsys.readouterr().out


def test_a_yes_no_cell_is_explained_with_the_dutch_words_first(as_viewer, db):
    client = as_viewer("coordinator")
    body = b"person;project;role;chair\nNina;Uitgeverij Woordwerk;volunteer;misschien\n"
    response = post(client, "/people/import", files={"file": ("m.csv", body)})
    assert response.status_code == 400
    assert "Schrijf ja of nee (of yes, no, 1, 0)." in response.text
    _english(client)
    response = post(client, "/people/import", files={"file": ("m.csv", body)})
    assert "Write yes or no (or ja, nee, 1, 0)." in response.text


def test_every_default_step_word_translates_back_to_the_default_ladder():
    from models.people.tables import DEFAULT_LADDER, DEFAULT_LADDER_ENGLISH
    from webapp.i18n import current_language, gettext, load_catalogs
    from webapp.people.words import DEFAULT_STEP_WORDS

    load_catalogs()
    token = current_language.set("nl")
    try:
        named = {str(word) for word in DEFAULT_STEP_WORDS}
        for (name, _, description), english in zip(
            DEFAULT_LADDER, DEFAULT_LADDER_ENGLISH, strict=True
        ):
            assert [gettext(text) for text in english] == [name, description]
            assert {name, description} <= named  # named for the catalogs, in Dutch here
    finally:
        current_language.reset(token)
