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
