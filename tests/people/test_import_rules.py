"""members.csv obeys the same rules as the screens (issue 19, findings M4 and H2 by file):
the 51% what-if and its confirmation, never an answer the person gave themselves, consent
only as the file states it, and the audit's bracketing replay through the file reveals
nothing."""

import datetime as dt

from starlette.testclient import TestClient

from models.accounts.audit import AuditEntry
from models.db import database, open_database
from models.people import EdgeEvent, Person
from tests.conftest import login, post
from tests.people.conftest import person_id
from tests.people.test_import import confirm_import
from tests.people.test_published_figures import (
    CSRF,
    OP_WEG,
    TARGET,
    Replay,
    _fillers_to_fall,
    _live,
)
from webapp.cli import main

FALLS = f"person;project;layer;client_background\nXander Proef;{OP_WEG};coordination;nee\n"


def test_the_command_asks_for_the_51_percent_confirmation(
    db_url, data_dir, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    path = tmp_path / "members.csv"
    path.write_text(FALLS, encoding="utf-8")  # Op Weg's coordination: 1 of 1 → 1 of 2
    assert main(["import", "members", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{OP_WEG}/layer/coordination" in err and "--confirm-below" in err
    open_database(db_url)
    with database.connection_context():
        assert not Person.select().where(Person.display_name == "Xander Proef").exists()
    assert main(["import", "members", str(path), "--confirm-below"]) == 0
    with database.connection_context():
        assert Person.get(Person.display_name == "Xander Proef").client_background == "no"
        line = AuditEntry.get(AuditEntry.action == "members.import")
        assert "confirmed below 51%" in line.note


def test_the_upload_asks_the_same_confirmation_as_the_screens(as_viewer, db):
    client = as_viewer("coordinator")
    first = post(client, "/people/import", files={"file": ("m.csv", FALLS.encode())})
    assert first.status_code == 200 and "Controleer voor je opslaat" in first.text
    assert 'name="accept_below"' in first.text  # a group may fall: the box to tick
    unticked = confirm_import(client, first.text, tick=False)
    assert unticked.status_code == 400
    assert "Zet een vinkje om te bevestigen" in unticked.text
    assert not Person.select().where(Person.display_name == "Xander Proef").exists()
    done = confirm_import(client, first.text)
    assert done.status_code == 200 and "1 nieuw lidmaatschap" in done.text
    # The preview's audit line keeps no file (it may hold answers).
    preview = AuditEntry.get(AuditEntry.action == "members.preview_import")
    assert "Xander Proef" not in preview.after and "nee" not in preview.after


def test_an_import_never_overwrites_an_answer_the_person_gave_themselves(as_viewer, db):
    anouk_client = as_viewer("member")
    saved = post(anouk_client, "/my-path/background", {"answer": "yes"})
    assert saved.status_code in (200, 303)
    anouk = person_id("Anouk B.")
    assert Person.get_by_id(anouk).background_recorded_by_id == anouk
    client = as_viewer("coordinator")
    csv = (
        b"person;project;client_background;consent_on\n"
        b"Anouk B.;Uitgeverij Woordwerk;nee;2026-06-01\n"
    )
    first = post(client, "/people/import", files={"file": ("m.csv", csv)})
    page = confirm_import(client, first.text) if 'name="content"' in first.text else first
    assert page.status_code == 200
    person = Person.get_by_id(anouk)
    assert person.client_background == "yes" and person.background_recorded_by_id == anouk


def test_consent_is_recorded_only_as_the_file_states_it(as_viewer, db):
    client = as_viewer("coordinator")
    csv = (
        b"person;project;client_background;consent_on\n"
        b"Mees;Uitgeverij Woordwerk;ja;2026-05-02\n"
        b"Jip;Uitgeverij Woordwerk;ja;\n"
    )
    first = post(client, "/people/import", files={"file": ("m.csv", csv)})
    assert confirm_import(client, first.text).status_code == 200
    mees = Person.get(Person.display_name == "Mees")
    jip = Person.get(Person.display_name == "Jip")
    assert mees.background_consent_on == dt.date(2026, 5, 2)
    assert jip.client_background == "yes" and jip.background_consent_on is None  # never today


def _import(client, csv: str) -> list[str]:
    """Upload, then confirm on the confirming screen: what Kim sees of both."""
    first = post(client, "/people/import", files={"file": ("m.csv", csv.encode())})
    assert first.status_code in (200, 400)
    pages = [CSRF.sub("CSRF", first.text)]
    if 'name="content"' in first.text:
        done = confirm_import(client, first.text)
        assert done.status_code == 200
        pages.append(CSRF.sub("CSRF", done.text))
    return pages


def test_the_h2_replay_through_members_csv_reveals_nothing(databases, data_dir):
    """The audit by file: Kim (the organisation's coordinator, no privacy right) imports new
    people into Op Weg's execution until it falls, ends the last one, imports the target,
    reads the group's result and ends the target; in two copies that differ only in the
    target's answer."""
    head = "person;project;layer;status\n"

    def play(answer):
        replay = Replay(databases, answer)
        try:
            k = _fillers_to_fall(replay)
            with TestClient(replay.app) as kim:
                login(kim, "coordinator")

                def read():
                    return [
                        CSRF.sub("CSRF", kim.get(path).text)
                        for path in (
                            f"/projects/{replay.project}/representation",
                            "/representation",
                        )
                    ]

                screens = read()
                for n in range(1, k + 1):
                    screens += _import(kim, f"{head}Nieuw {n};{OP_WEG};execution;active\n")
                    screens += read()
                screens += _import(kim, f"{head}Nieuw {k};{OP_WEG};execution;ended\n")
                screens += _import(kim, f"{head}{TARGET};{OP_WEG};execution;active\n")
                with database.connection_context():
                    target_in = _live()
                screens += read()
                screens += _import(kim, f"{head}{TARGET};{OP_WEG};execution;ended\n")
                screens += read()
            with database.connection_context():
                alerted = EdgeEvent.select().where(EdgeEvent.alert).exists()
            return k, target_in, alerted, screens
        finally:
            replay.close()

    (k_yes, in_yes, alert_yes, yes), (k_no, in_no, alert_no, no) = play("yes"), play("no")
    assert k_yes == k_no
    assert in_yes and not in_no  # the live report tells the answer: the bracket is real
    assert alert_yes and alert_no  # the privacy right is told
    assert len(yes) == len(no)
    for a, b in zip(yes, no, strict=True):
        assert a == b
