"""Every action the code records has a sentence (issue 22, the walk): a test reads the action
names from the code itself, so a new audit line without a sentence in
webapp/accounts/audit_words.py fails here. And the sentences say what happened: confirming a
provisional decision is not "veranderde iets", an amount has no minus sign, a date is in the
reader's language, never ISO."""

import ast
import pathlib
import re

from models.accounts.audit import record
from models.accounts.links import LINK_KINDS
from models.db import database
from models.people.tables import CHANGE_KINDS
from tests.accounts.test_audit_log import audit_text
from tests.people.conftest import grant
from webapp.accounts.audit_words import SENTENCES

ROOT = pathlib.Path(__file__).resolve().parents[2]
ACTION = re.compile(r"^[a-z_]+(\.[a-z_]+){1,2}$")
# Dotted strings in the code that are no audit action: file names, ASGI message types, logger
# names, and the prefix the removal flow matches its actions by.
FILE = re.compile(r"\.(csv|txt|json|pgdump|ico|svg|png|js|html|cfg|db|ics|po|pot|xlsx)$")
NOT_ACTIONS = {
    "http.request",
    "http.response.start",
    "tafel.errors",
    "tafel.jobs",
    "tafel.requests",
    "tafel.push",
    # The names of background jobs (models/jobs.py @job).
    "news.push",
    "person.removal_",
}
# Actions made from a prefix and a kind (f"link.{link.kind}"): every kind the code knows.
FAMILIES = {"link.": LINK_KINDS, "membership.": CHANGE_KINDS}
THIS_FILE_OF_SENTENCES = ROOT / "webapp" / "accounts" / "audit_words.py"


def _called(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def recorded_actions() -> dict[str, str]:
    """Every action name the code of models/ and webapp/ can write, with where it is (the
    dotted strings a write hands to audit.record or to a capability that records it, and the
    families of f-strings in a record call)."""
    found: dict[str, str] = {}
    for folder in ("models", "webapp"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == THIS_FILE_OF_SENTENCES:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    value = node.value
                    if ACTION.match(value) and not FILE.search(value) and value not in NOT_ACTIONS:
                        found.setdefault(value, f"{path.relative_to(ROOT)}:{node.lineno}")
                if not (isinstance(node, ast.Call) and _called(node) == "record"):
                    continue
                for fstring in (n for n in ast.walk(node) if isinstance(n, ast.JoinedStr)):
                    head = fstring.values[0]
                    if isinstance(head, ast.Constant) and re.fullmatch(r"[a-z_]+\.", head.value):
                        assert head.value in FAMILIES, (path, node.lineno, ast.unparse(fstring))
                        for kind in FAMILIES[head.value]:
                            found.setdefault(head.value + kind, str(path.relative_to(ROOT)))
    return found


def test_every_action_the_code_records_has_a_sentence():
    actions = recorded_actions()
    assert "decision.confirm" in actions and "budget.entry.book" in actions  # the scan works
    missing = {a: where for a, where in actions.items() if a not in SENTENCES}
    assert not missing, f"no sentence in webapp/accounts/audit_words.py for {missing}"


def _line(action, after, *, before=None, project=None):
    record(None, action, person=None, project=project, after=after, before=before or {})


def test_confirming_amounts_and_dates_read_as_plain_sentences(as_viewer, db):
    from models.meetings import Proposal
    from models.organisation import Project

    grant("beheer", "treasurer")
    with database.connection_context():
        project = Project.select().first()
        decision = Proposal.select().where(Proposal.state == "closed").first()
        record(
            None, "decision.confirm", decision, project=project.id,
            before={"outcome": "provisional"}, after={"outcome": "confirmed", "meeting": 1},
        )  # fmt: skip
        _line("budget.entry.book", {"amount_cents": -3750, "kind": "spending"})
        _line("budget.entry.book", {"amount_cents": 2000, "kind": "income"})
        _line("budget.entry.reverse", {"amount_cents": -1249, "kind": "reversal"})
        _line(
            "budget.planned.change",
            {"planned_cents": 60_000, "decision": "Nieuwe verf (Woordwerk, 2026-06-17)"},
            before={"planned_cents": 50_000},
        )
    text = audit_text(as_viewer("beheer"))
    assert f"Tafel bevestigde een voorlopig besluit in {project.name}" in text
    assert "veranderde iets" not in text
    assert "boekte €\xa037,50 als uitgave in het kasboek" in text
    assert "boekte €\xa020,00 als ontvangst in het kasboek" in text
    assert "boekte €\xa012,49 terug in het kasboek" in text
    assert "-" not in re.sub(r"<[^>]*>", "", text).replace("oud-lid", "")
    assert "Nieuwe verf (Woordwerk, 17 juni 2026)" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", re.sub(r"<[^>]*>", "", text))
