"""Fuzz one form field by field: each field on its own gets each hostile value while the
other fields keep valid values, so a single field that reaches the database unparsed is
found (tests/web/test_fuzz.py sends one value to every field at once, and then another field
often fails first: issue 20, a decision id of 2**63 on SQLite).

Any area's tests can use it:

    from tests.web.field_fuzz import server_errors

    def test_each_field_of_the_action_form(as_viewer, db):
        valid = {"description": "Posters", "owner": str(anouk_id), "due": "2026-07-01"}
        assert server_errors(as_viewer("coordinator"), "/meetings/3/actions", valid) == []

`server_errors` sends len(fields) × len(hostile) posts with a real CSRF token and returns one
line per answer that is a server error (or an exception the app let through), so the assert
lists them all. A refusal (400, 409) or a redirect is fine: no answer may be a 500. The posts
may change the database (a valid-looking value is saved), so give each form a fresh one.
"""

from starlette.testclient import TestClient

from tests.conftest import csrf_of

HOSTILE = (
    str(2**63),  # past SQLite's 64-bit integer
    "-1",
    "0",
    "abc",
    "",
    "x" * 5000,  # past the limit of every field but the minutes'
    "Zoë 🌷 ﷽ 漢字 \u202eabc",  # beyond Latin-1, an emoji, a turn of direction (no NUL)
)


def server_errors(
    client: TestClient,
    url: str,
    valid: dict,
    *,
    fields=None,
    hostile=HOSTILE,
    headers: dict | None = None,
) -> list[str]:
    """Post `valid` to `url` once per field (of `fields`, by default every key of `valid`)
    and hostile value, that field alone replaced; the answers that were server errors."""
    token = csrf_of(client, "/")
    failures = []
    for name in fields or list(valid):
        for value in hostile:
            data = {**valid, name: value, "csrf_token": token}
            try:
                status = client.post(
                    url, data=data, headers=headers or {}, follow_redirects=False
                ).status_code
            except Exception as exc:  # noqa: BLE001 - the app let it through: a 500
                status = f"{type(exc).__name__}: {str(exc)[:80]}"
            if not isinstance(status, int) or status >= 500:
                failures.append(f"POST {url} {name}={value[:20]!r}: {status}")
    return failures
