"""Malformed CSV uploads are refused with a message, never a server error."""

import pytest

from tests.conftest import post

BAD_FILES = [
    b"",
    b"\x00\x01\x02\xff\xfe\xfa" * 100,
    b"\xff\xfeP\x00e\x00r\x00",
    b'"unterminated;quote\n',
    b"person;project\n" + b"a;" * 5000 + b"\n",
    b"person;project;since\nNina;X;2026-02-31\n",
    b"person;project;since\nNina;X;31-02-2026\n",
    b"date;post;sub_budget;description;amount;kind\n2026-02-31;A;;x;1,00;spending\n",
    b"date;post;sub_budget;description;amount;kind\n2026-01-01;A;;x;99999999999999999999999;income\n",
    b"date;post;sub_budget;description;amount;kind\n2026-01-01;A;;x;-1e400;spending\n",
    b"year;post;sub_budget;planned;manager;project\n99999999999999999999;A;;1,00;;\n",
    b"year;post;sub_budget;planned;manager;project\n2026;A;;999999999999999999999,00;;\n",
    b"year;post;sub_budget;planned;manager;project\n2026;" + b"A" * 5000 + b";;1,00;;\n",
    b"x" * 200_000,
    b"person;project\nNi\x00na;Nieuw\x00project\n",
]
LEDGER = "id;date;post;sub_budget;description;amount;kind;reverses\n"
POST = "Reiskosten en onkosten;Reiskosten vrijwilligers"
for line in (
    f"1;2026-02-31;{POST};x;-1,00;spending;",
    f"1;2026-01-01;{POST};x;99999999999999999999999,00;income;",
    f"1;2026-01-01;{POST};x;-99999999999999999999999,00;spending;",
    f"99999999999999999999;2026-01-01;{POST};x;-1,00;spending;",
    f"1;2026-01-01;{POST};x;1,00;reversal;99999999999999999999",
    f"1;2026-01-01;{POST};x;1,00;reversal;-5",
    f"1;9999-12-31;{POST};x;-1,00;spending;",
    f"1;2026-01-01;{POST};nul\x00here;-1,00;spending;",
):
    BAD_FILES.append((LEDGER + line + "\n").encode())
BUDGET = "year;post;sub_budget;manager;project;planned\n"
for line in (
    "99999999999999999999;A;;;;1,00",
    "2026;A;;;;99999999999999999999999,00",
    "2026;A;B;Nobody;;1,00",
    "0;A;;;;1,00",
    "2026;New\x00post;;;;1,00",
    "2026;" + "A" * 5000 + ";;;;1,00",
):
    BAD_FILES.append((BUDGET + line + "\n").encode())
# Short and ragged rows, empty required cells, dates at their edges and over-long texts, for
# each file's header (members.csv, budget.csv, ledger.csv).
MEMBERS = "person;project;layer;role;client_background;chair;minutes;status;since\n"
for header in (MEMBERS, BUDGET, LEDGER):
    columns = header.strip().split(";")
    for line in (
        "Nina",  # short: one cell
        ";".join(["Nina"] * (len(columns) - 1)),  # one cell short
        ";".join(["Nina"] * (len(columns) + 3)),  # ragged: too many
        ";".join([""] * (len(columns) - 1) + ["x"]),  # only the last cell
        ";".join(["", "X"] + [""] * (len(columns) - 2)),  # empty first cell
        ";;;;",
        ";".join(["x" * 100_001] * len(columns)),  # over-long texts
    ):
        BAD_FILES.append((header + line + "\n").encode())
for edge in ("0001-01-01", "9999-12-31", "2026-02-30", "31-12-9999", "00-00-0000"):
    BAD_FILES.append(f"{MEMBERS}Nina;X;execution;volunteer;no;no;no;active;{edge}\n".encode())
    BAD_FILES.append(f"{LEDGER}1;{edge};{POST};x;-1,00;spending;\n".encode())
for number in (str(2**31), str(2**63), "-1", "0", "9" * 5000):
    BAD_FILES.append(f"{BUDGET}{number};A;;;;1,00\n".encode())
    BAD_FILES.append(f"{LEDGER}{number};2026-01-01;{POST};x;-1,00;reversal;{number}\n".encode())
ROUTES = [
    ("coordinator", "/people/import"),
    ("penningmeester", "/budget/import/budget"),
    ("penningmeester", "/budget/import/ledger"),
]


@pytest.mark.parametrize("viewer,url", ROUTES)
def test_malformed_csv_uploads_never_give_a_server_error(as_viewer, viewer, url):
    client = as_viewer(viewer)
    failures = []
    for raw in BAD_FILES:
        try:
            status = post(client, url, files={"file": ("bad.csv", raw)}).status_code
        except Exception as exc:  # noqa: BLE001
            status = f"500 {type(exc).__name__}: {exc}"[:150]
        if not isinstance(status, int) or status >= 500:
            failures.append(f"{url} {raw[:40]!r}: {status}")
    assert not failures, "\n".join(failures)


RAW_BODIES = [
    ("application/x-www-form-urlencoded", b"csrf_token=%s&username=%ff%fe&password=\xff\xfe"),
    ("application/x-www-form-urlencoded", b"%%%%&&&==="),
    ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data\r\n\r\n"),
    ("multipart/form-data", b"garbage"),
    ("text/plain", b"\x00\xff"),
]


def test_malformed_request_bodies_never_give_a_server_error(as_viewer, csrf_token_of):
    client = as_viewer("coordinator")
    token = csrf_token_of(client).encode()
    failures = []
    for url in ("/login", "/people/import", "/my-path/goals", "/language"):
        for content_type, body in RAW_BODIES:
            body = body.replace(b"%s", token, 1) if body.count(b"%s") == 1 else body
            try:
                status = client.post(
                    url, content=body, headers={"content-type": content_type},
                    follow_redirects=False,
                ).status_code  # fmt: skip
            except Exception as exc:  # noqa: BLE001
                status = f"500 {type(exc).__name__}: {exc}"[:150]
            if not isinstance(status, int) or status >= 500:
                failures.append(f"{url} {content_type} {body[:30]!r}: {status}")
    assert not failures, "\n".join(failures)


def test_a_budget_file_with_a_name_too_long_for_the_database_is_refused(as_viewer):
    """SQLite stores any length; PostgreSQL refuses, so the import must say so first."""
    from models.budget import Post
    from models.db import database

    client = as_viewer("penningmeester")
    long_name = "P" * 121
    raw = f"year;post;sub_budget;manager;project;planned\n2026;{long_name};;;;1,00\n".encode()
    response = post(client, "/budget/import/budget", files={"file": ("b.csv", raw)})
    assert response.status_code == 400
    assert "120" in response.text
    with database.connection_context():
        assert not Post.select().where(Post.name == long_name).exists()


def test_a_nul_character_in_a_form_is_bad_input_on_every_database(as_viewer):
    """PostgreSQL refuses NUL in text (a 500); SQLite would store it: both now say 400."""
    from models.db import database
    from models.person import Person

    client = as_viewer("member")
    response = post(client, "/my-path/goals", {"dream": "zzqx\x00maken", "learn": "x"})
    assert response.status_code == 400
    with database.connection_context():
        assert not Person.select().where(Person.dream.contains("zzqx")).exists()
    assert client.get("/budget", params={"year": "20\x0026"}).status_code == 400
