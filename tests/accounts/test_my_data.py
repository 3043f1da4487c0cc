"""My data (issue 12 point 8): the file and the page to read and print hold the person's
stances, signals, actions and minutes comments besides what they held before; the page is in
plain Dutch, shows the person their own client-background answer, and runs a fixed number of
queries however much there is."""

import json
import re

from models.accounts.tables import Account
from models.db import database
from models.meetings.minutes_tables import Minutes, MinutesNote
from models.meetings.project_tables import Action, Signal
from models.meetings.tables import AgendaItem, Proposal, Stance
from models.organisation import Project
from models.person import Person
from tests.conftest import MEMBER_PROJECT
from tests.meetings.conftest import next_planned

# The keys the file had before this change: they stay as they were.
OLD_KEYS = {
    "made_at",
    "person",
    "memberships",
    "account",
    "history",
    "steps",
    "development_conversations",
    "vacancy_interest",
    "claims",
}
NEW_KEYS = {"stances", "signals", "actions", "minutes_comments"}
HEADINGS = (
    "Wie je bent",
    "Je projecten",
    "Je stappen",
    "Je standpunten",
    "Ideeën en problemen",
    "Acties",
    "Opmerkingen bij notulen",
    "Ontwikkelgesprekken",
    "Je account",
)


def seed_for(name: str, n: int = 1, tag: str = "") -> None:
    """Give the person `n` stances, signals, actions (alone and as the duo of Dewi) and
    comments on minutes in Woordwerk, each text marked with `tag`."""
    with database.connection_context(), database.atomic():
        person = Person.get(Person.display_name == name)
        dewi = Person.get(Person.display_name == "Dewi")
        project = Project.get(Project.name == MEMBER_PROJECT)
        meeting = next_planned()
        minutes = Minutes.get_or_none(Minutes.meeting == meeting) or Minutes.create(
            meeting=meeting, text="Notulen", state="shared"
        )
        for i in range(n):
            item = AgendaItem.create(meeting=meeting, title=f"Punt {tag}{i}")
            proposal = Proposal.create(project=project, agenda_item=item, text=f"Voorstel {tag}{i}")
            Stance.create(
                proposal=proposal, person=person, kind="concern", reason=f"Mijn zorg {tag}{i}"
            )
            Signal.create(project=project, text=f"Mijn idee {tag}{i}", author=person)
            Action.create(project=project, description=f"Mijn actie {tag}{i}", owner=person)
            Action.create(
                project=project, description=f"Duo-actie {tag}{i}", owner=dewi, duo_owner=person
            )
            MinutesNote.create(minutes=minutes, text=f"Mijn opmerking {tag}{i}", author=person)


def test_the_file_holds_stances_signals_actions_and_minutes_comments(as_viewer, db):
    seed_for("Anouk B.", tag="x")
    data = json.loads(as_viewer("member").get("/account/download").content)
    assert OLD_KEYS | NEW_KEYS <= set(data)
    assert {"display_name", "client_background", "contact"} <= set(data["person"])
    assert any(
        s["reason"] == "Mijn zorg x0" and s["proposal"] == "Voorstel x0" for s in data["stances"]
    )
    assert any(s["text"] == "Mijn idee x0" for s in data["signals"])
    mine = {a["description"]: a["as_duo"] for a in data["actions"]}
    assert mine["Mijn actie x0"] is False and mine["Duo-actie x0"] is True
    assert any(n["text"] == "Mijn opmerking x0" for n in data["minutes_comments"])
    # The other owner of the duo action is not named: the file is about Anouk only.
    assert "Dewi" not in json.dumps(data, ensure_ascii=False)


def test_the_page_holds_the_same_in_plain_dutch(as_viewer, db):
    seed_for("Anouk B.", tag="x")
    page = as_viewer("member").get("/account/my-data")
    assert page.status_code == 200
    for heading in HEADINGS:
        assert f">{heading}</h2>" in page.text, heading
    for text in ("Voorstel x0", "Mijn zorg x0", "Mijn idee x0", "Mijn actie x0", "Duo-actie x0"):
        assert text in page.text
    assert "Mijn opmerking x0" in page.text
    assert "Ik ben voor, maar heb een zorg" in page.text  # the stance in words, not "concern"
    assert "samen met iemand anders" in page.text and "Dewi" not in page.text
    assert 'href="/account/download"' in page.text


def own_answer(html: str) -> str:
    match = re.search(r"<dt>Ervaring als cliënt</dt>\s*<dd>(.*?)</dd>", html, re.S)
    assert match, "no answer on the page"
    return match.group(1).strip()


def test_the_page_shows_the_person_their_own_answer(as_viewer, db):
    client = as_viewer("member")  # Anouk answered yes
    assert own_answer(client.get("/account/my-data").text).startswith("Ja")
    with database.connection_context():
        Person.update(client_background="not_said").where(
            Person.display_name == "Anouk B."
        ).execute()
    assert own_answer(client.get("/account/my-data").text).startswith("Zeg ik liever niet")


def test_an_account_opened_with_someone_elses_link_shows_no_earlier_answer(as_viewer, db):
    with database.connection_context():
        Account.update(background_held=True).where(Account.username == "anouk").execute()
    client = as_viewer("member")
    page = client.get("/account/my-data").text
    assert own_answer(page).startswith("Dit account is gemaakt met een link")
    assert (
        json.loads(client.get("/account/download").content)["person"]["client_background"] is None
    )


def test_another_viewers_page_never_depends_on_an_answer(as_viewer, db):
    """Differential: Priya's page and file are the same whatever Anouk and Bram answered."""
    priya = as_viewer("other")
    shown = []
    for answer in ("yes", "no", "not_said"):
        with database.connection_context():
            Person.update(client_background=answer, share_background=True).where(
                Person.display_name.in_(["Anouk B.", "Bram"])
            ).execute()
        page = re.sub(r"\d{14}##[0-9a-f]+", "…", priya.get("/account/my-data").text)
        shown.append(page)
    assert shown[0] == shown[1] == shown[2]
    assert "Anouk" not in shown[0] and "Bram" not in shown[0]


def test_the_page_runs_a_fixed_number_of_queries(as_viewer, count_queries, db):
    client = as_viewer("member")
    seed_for("Anouk B.", n=1, tag="a")
    few = count_queries(client, "/account/my-data")
    seed_for("Anouk B.", n=25, tag="b")
    many = count_queries(client, "/account/my-data")
    assert many == few
    assert "Mijn opmerking b24" in client.get("/account/my-data").text
