"""The project explains itself from its own files: every link in the docs resolves inside it."""

import re

from webapp.settings import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_the_docs_exist():
    for name in ["rules.md", "data-exchange.md", "words.md", "deploy.md"]:
        assert (ROOT / "docs" / name).is_file(), name


def test_every_relative_link_resolves_inside_the_repository():
    for doc in DOCS:
        text = doc.read_text()
        assert "../shared" not in text, f"{doc.name} points outside the repository"
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (doc.parent / target.split("#")[0]).resolve()
            assert path.exists(), f"{doc.name} links to {target}, which does not exist"
            assert path.is_relative_to(ROOT), f"{doc.name} links outside: {target}"


def test_every_tafel_command_is_in_data_exchange():
    from webapp.cli import build_parser

    text = (ROOT / "docs" / "data-exchange.md").read_text()
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"`tafel {name}" in text, f"tafel {name} is not in docs/data-exchange.md"


def test_the_deploy_guides_health_checks_name_the_host_production_answers_for(
    db_url, data_dir, monkeypatch
):
    """Production answers only for TAFEL_BASE_URL's host: a bare `curl 127.0.0.1/healthz`
    gets "not here" (404), so every production health check in docs/deploy.md sends the Host
    header."""
    from starlette.testclient import TestClient

    from webapp.app import create_app

    guide = (ROOT / "docs" / "deploy.md").read_text()
    checks = [line for line in guide.splitlines() if "curl" in line and ":8000/healthz" in line]
    assert checks and all('-H "Host: tafel.example.org"' in line for line in checks)
    monkeypatch.setenv("TAFEL_ENV", "production")
    monkeypatch.setenv("TAFEL_SECRET_KEY", "k" * 50)
    monkeypatch.setenv("TAFEL_BASE_URL", "http://tafel.example.org")
    with TestClient(create_app(db_url), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/healthz").status_code == 404
        named = client.get("/healthz", headers={"Host": "tafel.example.org"})
        assert named.status_code == 200 and named.json()["database"] == "ok"


def test_architecture_names_only_files_that_exist_and_every_area():
    """docs/ARCHITECTURE.md stays true: every file or folder it names in backticks exists,
    and every package of models/ is in its room map."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    named = set(re.findall(r"`((?:models|webapp|templates|seeds|tests|migrations)/[\w./]+)`", text))
    missing = sorted(path for path in named if not (ROOT / path.rstrip("/")).exists())
    assert named and not missing, missing
    packages = {p.parent.name for p in (ROOT / "models").glob("*/__init__.py")}
    assert all(f"`models/{name}/`" in text for name in packages - {"rules"}), packages
