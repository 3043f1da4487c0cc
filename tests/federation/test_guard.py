"""The database keeps organisations apart (issue 24): the guard over the schema and the
app's role, and a raw query with no organisation set (PostgreSQL; on SQLite each
organisation has its own file: tests/federation/test_organisations.py)."""

import psycopg2
import pytest

from models.schema import NOT_ORGANISATION_DATA
from tests.conftest import APP_ROLE, BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="row-level security")


def catalog(owner_url: str, sql: str, params=()):
    conn = psycopg2.connect(owner_url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        conn.close()


def test_every_table_of_organisation_data_is_kept_apart_by_the_database(
    pg_server, databases, db_url
):
    owner = databases.owner_url(db_url)
    tables = {
        name: (rls, forced)
        for name, rls, forced in catalog(
            owner,
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'r'",
        )
    }
    with_column = {
        table
        for (table,) in catalog(
            owner,
            "SELECT table_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND column_name = 'organisation_id'",
        )
    }
    policies: dict[str, set] = {}
    for table, command, using, check in catalog(
        owner,
        "SELECT tablename, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public'",
    ):
        if "tafel_organisation()" in (using or "") + (check or ""):
            policies.setdefault(table, set()).add(command)
    missing = sorted(set(tables) - set(NOT_ORGANISATION_DATA) - with_column)
    assert not missing, (
        f"tables of an organisation's data without organisation_id: {missing}; add "
        "`organisation_data(db, TABLE)` (models/schema.py) to the table's migration"
    )
    unguarded = sorted(
        table
        for table in with_column
        if tables[table] != (True, True) or "ALL" not in policies.get(table, set())
    )
    assert not unguarded, f"tables without forced row-level security and its policy: {unguarded}"
    assert tables["organisation"] == (True, True)


def test_the_apps_role_owns_nothing_and_bypasses_nothing(pg_server, databases, db_url):
    owner = databases.owner_url(db_url)
    [(superuser, bypass)] = catalog(
        owner, "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", (APP_ROLE,)
    )
    assert not superuser and not bypass
    owned = catalog(
        owner,
        "SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
        " WHERE r.rolname = %s",
        (APP_ROLE,),
    )
    assert owned == []
    assert db_url.startswith(f"postgresql://{APP_ROLE}:")


def test_a_raw_query_with_no_organisation_set_sees_no_rows(pg_server, databases, db_url):
    tables = [
        t
        for (t,) in catalog(
            databases.owner_url(db_url),
            "SELECT table_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND column_name = 'organisation_id'",
        )
    ]
    conn = psycopg2.connect(db_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            counts = {}
            for table in tables:
                cur.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cur.fetchone()[0]
            assert set(counts.values()) == {0}, counts
            # The organisation set inside a transaction: its rows, and only until it ends.
            cur.execute("BEGIN; SELECT set_config('tafel.organisation', '1', true)")
            cur.execute("SELECT count(*) FROM person")
            assert cur.fetchone()[0] > 0
            cur.execute("COMMIT")
            cur.execute("SELECT count(*) FROM person")
            assert cur.fetchone()[0] == 0
            # Writing another organisation's row is refused.
            with pytest.raises(psycopg2.Error):
                cur.execute(
                    "BEGIN; SELECT set_config('tafel.organisation', '1', true);"
                    " INSERT INTO project (name, description, steering_type, ladder_level,"
                    " created_at, organisation_id) VALUES ('X', '', 'client_steered', 4, now(), 2)"
                )
            cur.execute("ROLLBACK")
    finally:
        conn.close()
