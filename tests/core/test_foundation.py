"""The foundation's routes: pages, errors, health, headers, schema and query counts."""

import subprocess
import sys

from starlette.testclient import TestClient

from models import schema
from models.db import database
from models.organisation import Announcement, Project
from seeds.demo import load_demo
from tests.conftest import build_demo, build_demo_10x, ids, login, owner_execute, post
from tests.database import schema_differences


def test_the_migrated_schema_matches_the_models(db):
    assert not schema.pending()
    difference = schema_differences()
    assert not difference, str(difference)


def test_pages_answer_for_a_signed_in_member(client, db):
    project = ids()["project_id"]
    login(client, "anouk")
    for url in ["/", "/projects", f"/projects/{project}", f"/projects/{project}/notices"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="nl">' in response.text
        assert "Naar de inhoud" in response.text  # skip link
    assert "Uitgeverij Woordwerk" in client.get("/").text


def test_security_headers_on_every_response(client):
    for url in ["/", "/login", "/does-not-exist", "/healthz", "/static/css/tafel.css"]:
        headers = client.get(url).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_the_session_cookie_is_httponly_and_samesite_lax(app):
    raw = TestClient(app).get("/login").headers["set-cookie"].lower()
    assert "httponly" in raw and "samesite=lax" in raw and "secure" not in raw


def test_a_missing_page_is_a_friendly_404(client):
    response = client.get("/nothing-here")
    assert response.status_code == 404
    assert "We kunnen deze pagina niet vinden" in response.text
    assert client.get("/projects/999999", follow_redirects=False).status_code in (303, 404)


def test_a_server_error_is_a_plain_page_without_a_traceback(app, db, db_url):
    owner_execute(db_url, "DROP TABLE announcement")
    with TestClient(app, raise_server_exceptions=False) as client:
        login(client, "anouk")
        response = client.get(f"/projects/{ids()['project_id']}")
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in response.text
    assert "Traceback" not in response.text and "announcement" not in response.text


def test_health_is_ok_with_a_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_without_a_database(data_dir):
    from webapp.app import create_app

    app = create_app("postgresql://nobody@127.0.0.1:1/nowhere")
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] != "ok"


def test_the_language_switch_changes_the_page_and_is_remembered(client):
    assert "Inloggen" in client.get("/login").text
    post(client, "/language", {"language": "en", "next": "/login"})
    assert "Log in" in client.get("/login").text
    response = post(client, "/language", {"language": "xx", "next": "//evil.example"})
    assert response.url.path == "/"


def test_a_coordinator_creates_and_edits_a_project_and_it_is_audited(client, db):
    login(client, "coordinator")
    response = post(
        client,
        "/projects/new",
        {
            "name": "Kookgroep",
            "description": "Samen koken",
            "steering_type": "co_steered",
            "ladder_level": "3",
        },
    )
    project = Project.get(Project.name == "Kookgroep")
    assert response.url.path == f"/projects/{project.id}"
    assert "Samengestuurd" in response.text and "Advies geven" in response.text
    response = post(
        client,
        f"/projects/{project.id}/edit",
        {"name": "Uitgeverij Woordwerk", "steering_type": "co_steered", "ladder_level": "3"},
    )
    assert response.status_code == 400
    assert "Er is al een project met deze naam" in response.text
    assert Project.get_by_id(project.id).name == "Kookgroep"


def test_bad_project_input_changes_nothing(client, db):
    login(client, "coordinator")
    before = Project.select().count()
    for data in (
        {"name": "", "steering_type": "co_steered", "ladder_level": "3"},
        {"name": "X", "steering_type": "anarchy", "ladder_level": "3"},
        {"name": "X", "steering_type": "co_steered", "ladder_level": "9"},
        {"name": "X" * 500, "steering_type": "co_steered", "ladder_level": "abc"},
    ):
        response = post(client, "/projects/new", data)
        assert response.status_code == 400
        assert 'class="error"' in response.text
    assert Project.select().count() == before


def test_notices_are_newest_first_with_author(client, db):
    project = ids()["project_id"]
    login(client, "coordinator")
    post(client, f"/projects/{project}/notices", {"title": "Nieuw rooster", "body": "Kijk!"})
    page = client.get(f"/projects/{project}/notices").text
    assert page.index("Nieuw rooster") < page.index("Welkom aan nieuwe mensen")
    assert Announcement.select().where(Announcement.title == "Nieuw rooster").get().author
    fragment = client.get(f"/projects/{project}/notices", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "Nieuw rooster" in fragment.text
    assert "HX-Request" in fragment.headers["vary"]


def test_main_pages_use_the_same_number_of_queries_at_ten_times_the_data(
    databases, data_dir, count_queries
):
    from webapp.app import create_app

    counts = []
    for builder in (None, build_demo_10x):
        url = databases.fresh(builder or build_demo)
        app = create_app(url)
        with TestClient(app) as client, database.connection_context():
            login(client, "coordinator")
            project = ids()["project_id"]
            pages = ["/", "/projects", f"/projects/{project}", f"/projects/{project}/notices"]
            counts.append({page: count_queries(client, page) for page in pages})
    assert counts[0] == counts[1]


def test_the_demo_is_idempotent(db):
    before = (Project.select().count(), Announcement.select().count())
    load_demo(scale=1)
    assert (Project.select().count(), Announcement.select().count()) == before


def test_the_command_reports_a_failure_in_one_sentence(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "webapp.cli", "restore", str(tmp_path / "missing.db")],
        capture_output=True,
        text=True,
        env={"TAFEL_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert result.stderr.strip().endswith("does not exist.")
    assert "Traceback" not in result.stderr
