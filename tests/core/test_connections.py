"""A request's database connection is kept (SQLite: per thread) or pooled (PostgreSQL), not
opened anew for every request (issue 13 point 5; bench/README.md has the figures)."""

import threading

from models.db import database, is_sqlite, request_connection
from tests.conftest import login
from tests.database import close_all


def test_a_thread_keeps_its_connection_or_gives_it_back_to_the_pool(app):
    with request_connection() as db:
        first = db.connection()
        db.execute_sql("SELECT 1")
    if is_sqlite():
        assert not db.is_closed()  # kept for the thread's next request
    else:
        assert db.is_closed()  # this request's hold on it ended: back in the pool
    with request_connection() as db:
        assert db.connection() is first
    close_all()
    assert database.is_closed()


def test_another_thread_has_its_own_connection_on_sqlite(app):
    with request_connection() as db:
        mine = db.connection()
    seen = []

    def other():
        with request_connection() as db:
            seen.append(db.connection())
            db.execute_sql("SELECT 1")

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    if is_sqlite():
        assert seen[0] is not mine
    close_all()


def test_pages_work_across_many_requests_with_kept_connections(client):
    login(client, "coordinator")
    for _ in range(30):
        assert client.get("/").status_code == 200
        assert client.get("/budget").status_code == 200


def test_pages_never_run_in_more_threads_than_the_pool_has_connections(app):
    """Each page holds one connection in one of anyio's threads: the app's start lowers the
    thread limit to the pool's size, so no request waits for a connection and times out."""
    import anyio
    from starlette.testclient import TestClient

    from models.db import POOL_SIZE

    with TestClient(app) as client:
        limit = client.portal.call(
            lambda: anyio.to_thread.current_default_thread_limiter().total_tokens
        )
        assert client.get("/").status_code == 200
    assert limit <= POOL_SIZE
