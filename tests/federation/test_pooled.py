"""The federation's tests behind PgBouncer in transaction mode (issue 24, docs/federation.md
"Behind PgBouncer"): `.ci/run` starts it and runs tests/federation with TAFEL_TEST_PGBOUNCER
set, so each test's app reaches its database through it, the cross-organisation walk
included. These tests make sure that is so there (a run that quietly connected directly
would prove nothing about pooling) and that the pooler really hands one server connection
from client to client, which is why Tafel sets the organisation inside each transaction and
never for a session."""

from urllib.parse import urlparse

import psycopg2
import pytest

from tests.conftest import BACKEND, PGBOUNCER

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL only")


def pooled_or_skip() -> None:
    if not PGBOUNCER:  # make test's own PostgreSQL run connects directly
        pytest.skip("no PgBouncer here (.ci/pgbouncer starts one in transaction mode)")


def test_the_apps_connections_go_through_pgbouncer(db_url):
    pooled_or_skip()
    assert urlparse(db_url).port == int(PGBOUNCER.rpartition(":")[2])


def test_a_setting_for_the_session_reaches_the_next_client_but_the_organisation_does_not(
    db_url,
):
    pooled_or_skip()
    first, second = psycopg2.connect(db_url), psycopg2.connect(db_url)
    first.autocommit = second.autocommit = True
    try:
        with first.cursor() as cur:
            # What a careless app would do: a setting for the session, and the organisation
            # set inside a transaction as Tafel does (models/db.py).
            cur.execute("SET tafel.probe = 'left behind'")
            cur.execute("BEGIN")
            cur.execute("SELECT set_config('tafel.organisation', '1', true)")
            cur.execute("COMMIT")
        with second.cursor() as cur:
            cur.execute(
                "SELECT current_setting('tafel.probe', true),"
                " current_setting('tafel.organisation', true)"
            )
            probe, organisation = cur.fetchone()
    finally:
        first.close()
        second.close()
    # Transaction mode: the second client ran on the server connection the first had used.
    assert probe == "left behind"
    # The organisation, set inside the transaction, ended with it.
    assert organisation in (None, "")
