"""Audit sentences follow the privacy rule for whoever reads them (issue 19, finding M5).

Differential: two copies of the demo that differ only in Tessa's answer. Sam, who holds the
privacy right and coordinates the organisation, adds Tessa to a small group and confirms what
the full what-if asks (with a no the group falls below 51%, with a yes it does not).
Everyone who reads the audit log without the privacy right (the organisation's coordinator,
a project's coordinator) reads the same log in both copies; the privacy right reads the
difference.
"""

import re

from starlette.testclient import TestClient

from models.accounts import Account, Grant
from models.db import database
from models.organisation import Project
from models.people import RoleStep
from tests.conftest import login, post
from tests.people.test_published_figures import OP_WEG, Replay

CSRF = re.compile(r"[0-9]{6,}##[0-9a-f]{20,}")
TIME = re.compile(r"\d{1,2}:\d{2}")


def _logs(databases, answer):
    replay = Replay(databases, answer)
    try:
        with database.connection_context():
            sam = Account.get(Account.username == "beheer")
            Grant.create(account=sam, right="privacy")
            Grant.create(account=sam, right="coordinator")  # of the organisation
            project = Project.get(Project.name == OP_WEG).id
            paid = RoleStep.get(RoleStep.position == 4).id
        with TestClient(replay.app) as privacy:
            login(privacy, "beheer")
            fields = {
                "person": str(replay.target),
                "new_person": "",
                "step": str(paid),
                "layer": "coordination",
                "since": "2026-06-17",
                "confirmed": "1",
                "accept_below": "y",
            }
            saved = post(privacy, f"/projects/{project}/memberships/new", fields)
            assert saved.status_code == 200
            logs = {"privacy": privacy.get(f"/audit?project={project}").text}
        for username in ("coordinator", "priya"):
            with TestClient(replay.app) as reader:
                login(reader, username)
                logs[username] = reader.get(f"/audit?project={project}").text
        return {who: CSRF.sub("CSRF", text) for who, text in logs.items()}
    finally:
        replay.close()


def test_the_audit_log_reads_the_same_to_everyone_without_the_privacy_right(databases, data_dir):
    yes, no = _logs(databases, "yes"), _logs(databases, "no")
    for reader in ("coordinator", "priya"):
        assert "Tessa" in yes[reader]  # the line is there, for both
        assert yes[reader] == no[reader], reader
    # The privacy right reads the fall below 51% (Op Weg's coordination, 1 of 1, falls with a
    # no).
    assert yes["privacy"] != no["privacy"]
    assert "Bevestigd dat deze groep onder 51% zakt" in no["privacy"]
