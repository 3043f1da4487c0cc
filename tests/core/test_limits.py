"""Limits before work: bodies over the limit get 413 without being read (issue 11, point 6)."""

import asyncio
import threading

from models.budget.receipt_store import ReceiptFile
from models.db import database
from tests.conftest import csrf_of
from webapp.limits import FORM_LIMIT, UPLOAD_LIMIT


def test_an_anonymous_upload_over_the_limit_is_refused_and_nothing_is_stored(client, data_dir):
    body = b"x" * (UPLOAD_LIMIT + 1)
    response = client.post(
        "/budget/claims",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=zzz"},
        follow_redirects=False,
    )
    assert response.status_code == 413
    assert "te groot" in response.text.lower()
    assert not (data_dir / "receipts").exists()
    with database.connection_context():
        assert ReceiptFile.select().count() == 0


def test_a_login_form_over_a_megabyte_is_refused(client):
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"username": "anouk", "password": "p" * FORM_LIMIT, "csrf_token": token},
    )
    assert response.status_code == 413


def test_a_body_without_a_length_is_cut_off_at_the_limit(client):
    def chunks():  # no Content-Length: sent in chunks, 3 MB in all
        for _ in range(30):
            yield b"x" * 100_000

    response = client.post(
        "/login", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413


def test_a_declared_length_over_the_limit_is_refused_before_a_byte_is_read(app):
    """Straight at the ASGI app: the body is never asked for."""
    asked, sent = [], []

    async def receive():
        asked.append(1)
        return {"type": "http.request", "body": b"", "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/budget/claims",
        "raw_path": b"/budget/claims",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"multipart/form-data; boundary=zzz"),
            (b"content-length", b"300000000"),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    # In a thread of its own: the browser tests leave an event loop running in this one.
    thread = threading.Thread(target=asyncio.run, args=(app(scope, receive, send),))
    thread.start()
    thread.join(timeout=30)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert asked == []
