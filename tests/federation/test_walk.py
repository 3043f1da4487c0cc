"""The cross-organisation walk (issue 24): every route, as each role of organisation A, with
every id that exists in organisation B, expecting "not found" and no name, title or amount
of B in any answer (docs/federation.md, "Proof"). On PostgreSQL ids are one sequence per
table across organisations, so each id of B is none of A's; on SQLite each organisation has
its own file and ids repeat, so there B's ids are A's own rows and the walk tries the one id
per kind the access tables name, checking the answers for B's mark and amounts only."""

import re
import time
from collections import Counter
from urllib.parse import urlencode

from starlette.testclient import TestClient

from tests.conftest import BACKEND, VIEWERS, csrf_of, without_tokens
from tests.federation.test_organisations import (  # noqa: F401 - the fixture
    FEDERATION,
    HOST_A,
    HOST_B,
    MARK,
    PATH_PARAM,
    federation,
    signed_in,
)
from tests.web.test_access import VIEWER_ORDER, app_routes, tables, url_for

# An amount of a million or more, as a page ("€ 9.000.012,17", "€9,000,012.17") or a
# download ("9000012,17") writes it.
MILLIONS = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,\u00a0\u202f]?\d{3}){2,}[.,]\d\d(?!\d)")
# Every role of A that can see data (anonymous sees none: every route sends it to log in).
ROLES = ("anouk", "coordinator", "priya", "beheer", "penningmeester")
KINDS = {username: kind for kind, username in VIEWERS.items() if username}  # the tables' viewers
NOWHERE = 2_000_000_000  # an id no organisation has


def walk_of(app) -> tuple[dict[str, list[tuple[str, str, bool]]], int]:
    """Per role of A, its requests: (route key, URL, whether it carries an id of B); and how
    many ids of B the routes' parameters take.

    First every GET with A's own ids (the access tables' PARAMS read in A) as htmx asks for a
    fragment, with the pickers' searches for B's names and B's ids in the query string, as
    each role the access tables let in (the administrator and the treasurer: always). Then
    every route as each role with B's id of each kind that the access tables name. On
    PostgreSQL also B's every other id: on each GET route of its kind (every pair of a page,
    download, print view, receipt or feed and an id of B), and, for a kind no GET route
    takes (an agenda item, an action …), on its POST routes in turn; each of those as every
    role the access tables let in on the route (a role refused the route is refused it
    whatever the id: part one's id shows that). GETs before POSTs, logging out never."""
    ids = FEDERATION["ids"]
    if BACKEND != "postgresql":  # ids repeat between files: B's ids are A's own rows
        ids = {name: values[:1] for name, values in ids.items()}
    query = urlencode(
        {
            # The searches in lower case, as no name of B is written: they find "Qzx …" (any
            # case) where a search reaches B, and the search box repeating them is no mark.
            "q": MARK.lower(),
            "decision_q": MARK.lower(),
            "vacancy": ids["vacancy_id"][0],
            "project": ids["project_id"][0],
            "person": ids["person_id"][0],
            "year": ids["year"][0],
        }
    )
    params_a = {name: (lambda v=value: v) for name, value in FEDERATION["params_a"].items()}
    walk = {role: [] for role in ROLES}
    routes = sorted(app_routes(app), key=lambda kr: kr[0].startswith("POST"))
    access, _params = tables()

    def let_in(key: str) -> list[str]:
        """The roles the access tables let in on this route (the administrator and the
        treasurer, who hold rights the tables' viewers do not: always)."""
        return [
            role
            for role in ROLES
            if role not in KINDS or access[key][VIEWER_ORDER.index(KINDS[role])] == "ok"
        ]

    for key, route in routes:
        if key.startswith("GET"):
            for role in let_in(key):
                walk[role].append((key, f"{url_for(route.path, params_a)}?{query}", False))
    posts_of, with_get = {}, set()  # a parameter's POST routes; those in a GET route
    for key, route in routes:
        if key == "POST /logout":
            continue
        names = PATH_PARAM.findall(route.path)
        assert len(names) <= 1, f"{key}: pair its ids as B has them (an item of that meeting)"
        if not names:
            for role in ROLES:
                walk[role].append((key, route.path, False))
            continue
        assert names[0] in ids, f"{key}: which of B's rows does {{{names[0]}}} name? (ROWS)"
        first, *others = ids[names[0]]
        for role in ROLES:
            walk[role].append((key, PATH_PARAM.sub(str(first), route.path), True))
        if key.startswith("GET"):
            with_get.add(names[0])
            for value in others:
                for role in let_in(key):
                    walk[role].append((key, PATH_PARAM.sub(str(value), route.path), True))
        else:
            posts_of.setdefault(names[0], []).append(key)
    for name, keys in posts_of.items():
        others = [] if name in with_get else ids[name][1:]
        for index, value in enumerate(others):
            key = keys[index % len(keys)]
            path = key.split(" ", 1)[1]
            for role in let_in(key):
                walk[role].append((key, PATH_PARAM.sub(str(value), path), True))
    used = {PATH_PARAM.findall(route.path)[0] for _key, route in routes if "{" in route.path}
    return walk, sum(len(ids[name]) for name in used)


def send(client: TestClient, key: str, url: str, token: str, fragment: bool = False):
    if key.startswith("GET"):
        headers = {"HX-Request": "true"} if fragment else {}
        return client.get(url, headers=headers, follow_redirects=False)
    return client.post(url, data={"csrf_token": token}, follow_redirects=False)


def leaks_in(response, request: str) -> list[str]:
    """B's mark or an amount of B in an answer; no answer is a server error."""
    assert response.status_code < 500, (request, response.text[:300])
    text = response.text + response.headers.get("location", "")
    found = [f"{request}: B's mark"] if MARK in text else []
    amount = MILLIONS.search(text)
    return found + ([f"{request}: {amount.group()}"] if amount else [])


def test_the_cross_organisation_walk_finds_nothing_of_b(federation, capsys):  # noqa: F811
    started = time.monotonic()
    # The marks show wherever B's data is: on B's own host, its amounts, and the names its
    # people picker finds for the walk's search.
    b = signed_in(federation, HOST_B, "coordinator")
    assert MILLIONS.search(b.get("/budget").text)
    assert f"{MARK} Anouk" in b.get(f"/people?q={MARK.lower()}").text
    b.__exit__(None, None, None)
    walk, ids_of_b = walk_of(federation)
    tried, leaks, pairs, answers = 0, [], set(), Counter()
    clients = {role: signed_in(federation, HOST_A, role) for role in ROLES}
    tokens = {role: csrf_of(client, "/") for role, client in clients.items()}
    # The searched pages first, as each role, before any role's POSTs change A (a calendar
    # address made anew ends the one the access tables made).
    for searched in (True, False):
        for role, client in clients.items():
            for key, url, of_b in walk[role]:
                if ("?" in url) != searched:
                    continue
                response = send(client, key, url, tokens[role], fragment=searched)
                tried += 1
                leaks += leaks_in(response, f"{role} {url}")
                if not of_b:
                    continue
                pairs.add((key, url))
                location = response.headers.get("location", "")
                answer = "login" if location.startswith("/login") else response.status_code
                if BACKEND == "postgresql" and answer not in (403, 404, "login"):
                    # Each of B's ids is none of A's: the answer must be the one for an id
                    # no organisation has (approving a link: "This link does not wait for
                    # approval any more.", 400).
                    elsewhere = PATH_PARAM.sub(str(NOWHERE), key.split(" ", 1)[1])
                    nowhere = send(client, key, elsewhere, tokens[role])
                    if (
                        nowhere.status_code,
                        without_tokens(nowhere.text.replace(elsewhere, url)),
                    ) == (response.status_code, without_tokens(response.text)):
                        answer = f"{answer} as for no id"
                    else:
                        leaks.append(f"{role} {url}: {response.status_code} {location}")
                answers[answer] += 1
    # Every role is still signed in at the end: a session ended half-way would make every
    # later answer the login's refusal, which proves nothing about B's rows.
    for role, client in clients.items():
        assert client.get("/", follow_redirects=False).status_code == 200, role
        client.__exit__(None, None, None)
    assert not leaks, "\n".join(leaks)
    assert "login" not in answers, answers
    if BACKEND == "postgresql":  # B's every id reached the walk (the demo has more)
        assert ids_of_b > 300 and len(pairs) > 800, (ids_of_b, len(pairs))
    refused = sum(n for a, n in answers.items() if a in (403, 404, "login") or "no id" in str(a))
    outcome = f"{refused} refused" if BACKEND == "postgresql" else "(A's own rows here)"
    with capsys.disabled():
        print(
            f"\ncross-organisation walk ({BACKEND}): {tried} requests as {len(ROLES)} roles, "
            f"{answers.total()} of them (role, route, id of B) ({len(pairs)} (route, id) "
            f"pairs, {ids_of_b} ids of B), {outcome} {dict(sorted(answers.items(), key=str))}; "
            f"{time.monotonic() - started:.1f} s"
        )
