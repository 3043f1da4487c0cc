"""Inputs at the edges a careful tester found (issue 9, point 4): each gets a plain sentence
next to its field (or on the page, per line, for an upload) and changes nothing.

Every number and date goes through webapp.forms' bounded fields, so these stand for the whole
family; tests/web/test_fuzz*.py sweep every route with the same values.
"""

import re

import pytest

from models.meetings import Minutes
from models.people import RoleStep
from tests.conftest import MEMBER_PROJECT, post
from tests.meetings.conftest import project_id
from tests.web.test_access import snapshot
from webapp.forms import (
    FIRST_DATE,
    LAST_DATE,
    BoundedDateField,
    BoundedIntegerField,
    TafelForm,
    posted_date,
    posted_id,
)

HUGE = "9223372036854775808"  # 2**63: past SQLite's 64-bit integer
DATE_MESSAGE = "Kies een datum tussen 1 januari 1900 en 31 december 2999."
NO_SUCH_DATE = "Deze datum bestaat niet. Kijk de dag en de maand na."


def error_next_to(response, field_id: str) -> str:
    """The error text shown under the field with this id (its aria-describedby target)."""
    match = re.search(
        rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', response.text
    )
    assert match, f"no error next to #{field_id}"
    return match.group(1)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1", 1),
        ("2147483647", 2**31 - 1),
        ("2147483648", None),
        (HUGE, None),
        ("9" * 5000, None),
        ("0", None),
        ("-1", None),
        ("", None),
        (None, None),
        ("١٢", None),  # Arabic-Indic digits pass str.isdigit()
        ("1e3", None),
    ],
)
def test_an_id_is_a_positive_32_bit_number_or_nothing(text, expected):
    assert posted_id(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-06-17", "2026-06-17"),
        ("1900-01-01", "1900-01-01"),
        ("2999-12-31", "2999-12-31"),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2026-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_a_posted_date_is_between_the_limits_or_nothing(text, expected):
    day = posted_date(text)
    assert (day.isoformat() if day else None) == expected


def test_the_bounded_fields_refuse_edges_with_a_sentence():
    from starlette.datastructures import MultiDict

    class Sample(TafelForm):
        number = BoundedIntegerField("n", minimum=1, maximum=10)
        day = BoundedDateField("d")

    for number, day, ok in (
        ("5", "2026-06-17", True),
        ("0", "2026-06-17", False),
        (HUGE, "2026-06-17", False),
        ("5", "9999-12-31", False),
        ("5", "0001-01-01", False),
        ("5", FIRST_DATE.isoformat(), True),
        ("5", LAST_DATE.isoformat(), True),
    ):
        form = Sample(formdata=MultiDict({"number": number, "day": day}))
        assert form.validate() is ok, (number, day, form.errors)
        if not ok:
            assert all(
                isinstance(e, str) and e.endswith(".") for es in form.errors.values() for e in es
            )
            assert (form.number.data is None) or (form.day.data is None)


def test_minutes_with_an_impossible_version_or_too_long_are_refused_not_cut(as_viewer, db):
    meeting_id = (
        Minutes.select(Minutes.meeting)
        .where(Minutes.state == "draft")
        .order_by(Minutes.id)
        .scalar()
    )
    client = as_viewer("coordinator")
    url = f"/meetings/{meeting_id}/minutes"
    version = Minutes.get(Minutes.meeting == meeting_id).version
    before = snapshot()
    response = post(client, url, {"text": "Nieuwe tekst", "version": HUGE})
    assert response.status_code == 400
    assert "Deze pagina is niet meer actueel." in response.text
    assert "Nieuwe tekst" in response.text  # the writer's text stays in the box
    long_text = "x" * 100_000 + "HET EINDE"
    response = post(client, url, {"text": long_text, "version": version})
    assert response.status_code == 400
    assert error_next_to(response, "minutes") == (
        "Gebruik hoogstens 100.000 tekens. Deze tekst heeft er 100.009. Er is niets opgeslagen."
    )
    assert "HET EINDE" in response.text
    # The autosave (htmx) says it in the save status, without replacing the editor.
    hx = {"HX-Request": "true"}
    response = post(client, url, {"text": long_text, "version": version}, headers=hx)
    assert response.status_code == 200 and "Er is niets opgeslagen." in response.text
    assert "HX-Retarget" not in response.headers
    response = post(client, url, {"text": "x", "version": "-1"}, headers=hx)
    assert "niet meer actueel" in response.text
    assert snapshot() == before
    # Exactly at the limit still saves.
    response = post(
        client, url, {"text": "y" * 100_000, "version": version}, follow_redirects=False
    )
    assert response.status_code == 303
    assert len(Minutes.get(Minutes.meeting == meeting_id).text) == 100_000


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "2026-02-30", ""])
def test_planning_from_a_date_at_the_edge_says_why_and_plans_nothing(as_viewer, db, start):
    client = as_viewer("coordinator")
    before = snapshot()
    response = post(
        client, f"/projects/{project_id()}/meetings/plan", {"start": start, "count": "24"}
    )
    assert response.status_code == 400
    message = error_next_to(response, "start")
    assert message in (DATE_MESSAGE, NO_SUCH_DATE, "Kies een datum."), message
    assert snapshot() == before


@pytest.mark.parametrize("position", [HUGE, "2147483648", "0", "-1", "1e3", ""])
def test_a_ladder_position_out_of_range_says_why_and_changes_nothing(as_viewer, db, position):
    client = as_viewer("beheer")
    step = RoleStep.get(RoleStep.position == 2)
    before = snapshot()
    response = post(
        client,
        f"/ladder/{step.id}",
        {
            f"s{step.id}-name": step.name,
            f"s{step.id}-position": position,
            f"s{step.id}-category": step.category,
        },
    )
    assert response.status_code == 400
    message = error_next_to(response, f"s{step.id}-position")
    assert message in (
        "Kies een getal van 1 tot en met 999.",
        "Schrijf een heel getal, bijvoorbeeld 12.",
        "Schrijf een getal.",
    ), message
    response = post(
        client,
        "/ladder",
        {"new-name": "Nieuw", "new-position": position, "new-category": "volunteer"},
    )
    assert response.status_code == 400 and error_next_to(response, "new-position")
    assert snapshot() == before


@pytest.mark.parametrize("edge", ["9999-12-31", "0001-01-01", "2026-02-30"])
def test_the_audit_log_explains_a_date_filter_out_of_range(as_viewer, edge):
    client = as_viewer("coordinator")
    for name, field_id in (("to", "f-to"), ("from", "f-from")):
        response = client.get("/audit", params={name: edge, "page": HUGE, "person": HUGE})
        assert response.status_code == 200
        assert error_next_to(response, field_id) == DATE_MESSAGE
    assert 'id="f-to-error"' not in client.get("/audit?to=2999-12-31").text


def test_a_members_file_with_short_rows_or_empty_cells_names_each_line(as_viewer, db):
    client = as_viewer("coordinator")
    before = snapshot()
    raw = (
        "person;project;role\n"
        "Nina\n"  # short: no project cell
        f"Ola;{MEMBER_PROJECT};volunteer\n"
        "Piet;;volunteer\n"  # empty project cell
        ";Nieuw project\n"  # empty person cell
        "Quinten;X;volunteer;;\n"  # ragged but only empty extra cells: fine
    ).encode()
    response = post(client, "/people/import", files={"file": ("m.csv", raw)})
    assert response.status_code == 400
    text = re.sub(r"\s+", " ", response.text)
    assert "Regel 2, kolom project: Deze regel heeft minder vakjes dan er kolomnamen zijn" in text
    assert "Regel 4, kolom project: Dit vakje is leeg." in text
    assert "Regel 5, kolom person: Dit vakje is leeg." in text
    assert "Regel 3" not in text and "Regel 6" not in text
    assert snapshot() == before


def test_an_over_long_password_is_a_wrong_one_at_login_and_refused_as_a_new_one(as_viewer):
    from tests.conftest import PASSWORDS

    anonymous = as_viewer("anonymous")
    response = post(anonymous, "/login", {"username": "coordinator", "password": "p" * 5000})
    assert response.status_code in (200, 400) and 'name="password"' in response.text
    client = as_viewer("coordinator")
    before = snapshot()
    long = "lang wachtwoord " * 70  # 1120 characters
    response = post(
        client,
        "/account/password",
        {"current": PASSWORDS["coordinator"], "password": long, "repeat": long},
    )
    assert response.status_code == 400
    assert "Kies een wachtwoord van hoogstens 1000 tekens." in response.text
    assert snapshot() == before
