"""B's ids in A's forms (issue 24.3, PostgreSQL): the walk in test_walk.py puts B's ids in
the address; here they go in the fields of A's own forms (a person picker, a project, a
sub-budget, a step, a decision, a link or check to answer), every other field filled as the
fuzz does, posted by the roles with most rights to every POST route they may use, on A's
own rows. Row-level security hides B's rows from A's reads, but a foreign key is checked
by PostgreSQL past row-level security: a form that took an id without reading it could tie
a row of A to a row of B. So after the posts the database, read as its owner, must hold no
row of one organisation pointing at a row of another, along every foreign key between
tables of organisation data; and no answer is a server error or shows B's mark."""

import time

import psycopg2
import pytest

from tests.conftest import BACKEND, csrf_of, owner_url
from tests.federation.test_organisations import (  # noqa: F401 - the fixture
    FEDERATION,
    HOST_A,
    PATH_PARAM,
    federation,
    signed_in,
)
from tests.federation.test_walk import KINDS, leaks_in
from tests.web.test_access import VIEWER_ORDER, app_routes, tables
from tests.web.test_fuzz import _plausible, form_fields

pytestmark = pytest.mark.skipif(
    BACKEND != "postgresql", reason="PostgreSQL only: on SQLite B's rows are in another file"
)

# The form fields that name a row, by the kind of row (read from webapp's forms: the person
# pickers, IdChoiceFields and the hidden ids of a link or check being answered).
FIELD_KINDS = {
    "person_id": (
        "account",
        "asked_to",
        "chair",
        "chair_duo",
        "duo_owner",
        "duo_partner",
        "manager",
        "minute_taker",
        "minutes",
        "owner",
        "person",
        "present",
        "to",
    ),
    "project_id": ("project",),
    "sub_budget_id": ("sub_budget",),
    "step_id": ("step",),
    "proposal_id": ("decision",),
    "link_id": ("link",),
    "check_id": ("check", "request"),
}
# The roles with most rights: every organisation right (administrator), the budget's and
# the trusted person's (treasurer), and a project's (coordinator).
ROLES = ("beheer", "penningmeester", "coordinator")
# Routes on the poster's own account that could end it or change its password, which would
# end the walk, and logging in (a wrong password over and over is throttled); none of them
# names a row of another person.
ENDING = ("POST /logout", "POST /account/password", "POST /account/removal", "POST /login")

FOREIGN_KEYS = """
SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, f.attname
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND a.attname <> 'organisation_id'
  AND EXISTS (SELECT 1 FROM pg_attribute o
              WHERE o.attrelid = c.conrelid AND o.attname = 'organisation_id')
  AND EXISTS (SELECT 1 FROM pg_attribute o
              WHERE o.attrelid = c.confrelid AND o.attname = 'organisation_id')
ORDER BY 1, 2
"""


def crossings(url: str) -> tuple[int, list[str]]:
    """How many foreign keys join two tables of organisation data, and each of them along
    which a row of one organisation points at a row of another (read as the owner, whom
    row-level security does not hold back)."""
    with psycopg2.connect(owner_url(url)) as conn, conn.cursor() as cur:
        cur.execute(FOREIGN_KEYS)
        keys = cur.fetchall()
        found = []
        for child, column, parent, target in keys:
            cur.execute(
                f'SELECT count(*) FROM {child} x JOIN {parent} y ON x."{column}" = y."{target}"'
                " WHERE x.organisation_id <> y.organisation_id"
            )
            (count,) = cur.fetchone()
            if count:
                found.append(f"{child}.{column} -> {parent}: {count}")
    conn.close()
    return len(keys), found


def bodies() -> list[tuple[str, dict]]:
    """The body with A's own ids where A's ids are known (every other field plausible),
    then one per kind of row: that kind's fields hold B's id (the access tables' one)."""
    fields = form_fields()
    ids_b, params_a = FEDERATION["ids"], FEDERATION["params_a"]
    base = {name: _plausible(name, kind) for name, kind in fields.items()}
    for kind, names in FIELD_KINDS.items():
        for name in names:
            if kind in params_a:
                base[name] = str(params_a[kind])
    made = [("", base)]
    for kind, names in FIELD_KINDS.items():
        data = dict(base)
        for name in names:
            data[name] = str(ids_b[kind][0])
        made.append((kind, data))
    return made


class Poster:
    """A's administrator, treasurer and a coordinator, signed in, posting A's POST routes."""

    def __init__(self, app, tolerate_errors: bool = False):
        self.app, self.tolerate_errors = app, tolerate_errors
        self.clients = {role: signed_in(app, HOST_A, role) for role in ROLES}
        self.tokens = {role: csrf_of(client, "/") for role, client in self.clients.items()}
        self.tried, self.leaks, self.answers, self.taken, self.errors = 0, [], {}, [], []

    def send(self, role: str, path: str, data: dict, label: str):
        try:
            response = self.clients[role].post(
                path, data={**data, "csrf_token": self.tokens[role]}, follow_redirects=False
            )
        except Exception as error:  # noqa: BLE001 - only where errors are what is looked for
            if not self.tolerate_errors:
                raise
            self.errors.append(f"{role} {path} {label}: {error!r}"[:300])
            self.clients[role] = signed_in(self.app, HOST_A, role)
            self.tokens[role] = csrf_of(self.clients[role], "/")
            return None
        self.tried += 1
        self.leaks += leaks_in(response, f"{role} {path} {label}")
        self.answers[response.status_code] = self.answers.get(response.status_code, 0) + 1
        if response.headers.get("location", "").startswith("/login"):
            self.clients[role] = signed_in(self.app, HOST_A, role)  # a post ended the session
            self.tokens[role] = csrf_of(self.clients[role], "/")
        return response

    def post_everywhere(self, base: dict, made: list) -> None:
        """Every POST route on A's own rows: the first of the roles the access tables let in
        that it takes a post from, with A's own ids (a role refused the route is refused it
        whatever the ids), posts it with each body of B's ids."""
        access, _params = tables()
        params_a = FEDERATION["params_a"]
        for key, route in sorted(app_routes(self.app)):
            names = PATH_PARAM.findall(route.path)
            if not key.startswith("POST") or key in ENDING:
                continue
            if any(name not in params_a for name in names):
                continue  # a POST on a row only the access tables name (B's: test_walk)
            path = PATH_PARAM.sub(lambda m: str(params_a[m.group(1)]), route.path)
            for role in ROLES:
                if role in KINDS and access[key][VIEWER_ORDER.index(KINDS[role])] != "ok":
                    continue
                own = self.send(role, path, base, "with A's own ids")
                if own is None or own.status_code in (403, 404):
                    continue
                if own.status_code < 400:
                    self.taken.append(key)
                for kind, data in made:
                    self.send(role, path, data, f"with B's {kind}")
                break

    def close(self) -> None:
        for client in self.clients.values():
            client.__exit__(None, None, None)


def test_bs_ids_in_as_forms_tie_no_row_of_a_to_a_row_of_b(federation):  # noqa: F811
    started = time.monotonic()
    url = federation.state.url
    keys, before = crossings(url)
    assert keys > 20 and not before, before  # the keys are found, and none crosses yet
    (_none, base), *made = bodies()
    poster = Poster(federation)
    poster.post_everywhere(base, made)
    poster.close()
    assert not poster.leaks, "\n".join(poster.leaks)
    # The forms were reached: A's own posts were taken on many routes (not refused as a
    # whole, which would test nothing).
    assert len(poster.taken) >= 25, poster.taken
    _keys, after = crossings(url)
    assert not after, after
    print(
        f"\nB's ids in A's forms: {poster.tried} posts as {len(ROLES)} roles, {len(made)} kinds"
        f" of id, A's own post taken on {len(poster.taken)} routes; answers"
        f" {dict(sorted(poster.answers.items()))}; {keys} foreign keys between organisation"
        f" data, none crossing; {time.monotonic() - started:.1f} s"
    )


def test_a_picker_that_trusted_its_posted_person_would_be_caught(federation, monkeypatch):  # noqa: F811
    """The check has teeth: with the person pickers made to trust the id posted instead of
    looking it up (a bug row-level security cannot catch, since a foreign key is checked past
    it), posting B's person ties a row of A to B's person, or the database refuses it loudly."""
    from models.person import Person

    def trusting(cls, person_id, **_limits):
        return None if person_id is None else cls(id=person_id, display_name="Qzx")

    monkeypatch.setattr(Person, "pickable", classmethod(trusting))
    (_none, base), *made = bodies()
    poster = Poster(federation, tolerate_errors=True)
    poster.post_everywhere(base, [body for body in made if body[0] == "person_id"])
    poster.close()
    _keys, crossed = crossings(federation.state.url)
    assert crossed or poster.errors


def test_the_check_finds_a_row_that_points_into_another_organisation(federation):  # noqa: F811
    """The check above can fail: a row of A pointing at B's person, written as the owner past
    row-level security, is found."""
    url = federation.state.url
    person_b = FEDERATION["ids"]["person_id"][0]
    with psycopg2.connect(owner_url(url)) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # the kept counts' triggers off
        cur.execute(
            "UPDATE membership SET person_id = %s WHERE id = (SELECT min(id) FROM membership"
            " WHERE organisation_id <> (SELECT organisation_id FROM person WHERE id = %s))",
            (person_b, person_b),
        )
        assert cur.rowcount == 1
    conn.close()
    _keys, found = crossings(url)
    assert [line.split(":")[0] for line in found] == ["membership.person_id -> person"]
